/** The morning worklist on the real embedded database: filed, listed, worked off, kept. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorklistError, WorklistStore } from '../../../../../electron/engine/bot/worklist-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-worklist-'));
  dirs.push(d);
  return d;
};

describe('WorklistStore', () => {
  it('files callbacks and messages, urgent ones first, and keeps them across restarts', async () => {
    const dir = tempDir();
    let clock = Date.parse('2026-11-24T22:00:00Z');
    const now = () => new Date((clock += 60_000));
    const store = await WorklistStore.open({ dataDir: dir, now });
    await store.add(
      {
        type: 'message',
        text: 'Bitte wegen der Miete zurückrufen',
        topic: 'housing_costs',
        summary: 's1',
      },
      { callId: 'c1', callerId: '0611' },
    );
    const urgent = await store.add(
      {
        type: 'callback',
        urgent: true,
        number: '0612',
        window: 'vormittags',
        topic: 'emergency',
        summary: 's2',
      },
      { callId: 'c2' },
    );
    await store.add({
      type: 'callback',
      urgent: false,
      number: '0613',
      window: 'nachmittags',
      topic: 'payment_date',
      summary: 's3',
    });
    await store.close();

    const reopened = await WorklistStore.open({ dataDir: dir, now });
    const { items, open } = await reopened.list({ status: 'open' });
    expect(open).toBe(3);
    expect(items.map((i) => i.summary)).toEqual(['s2', 's1', 's3']);
    expect(items[1]).toMatchObject({
      type: 'message',
      text: 'Bitte wegen der Miete zurückrufen',
      callerId: '0611',
    });

    const done = await reopened.setStatus(urgent.id, 'done', 'Frau Beispiel', 'erreicht');
    expect(done).toMatchObject({ status: 'done', doneBy: 'Frau Beispiel', note: 'erreicht' });
    expect((await reopened.list({ status: 'open' })).open).toBe(2);
    expect((await reopened.list({ status: 'done' })).items.map((i) => i.id)).toEqual([urgent.id]);
    const all = await reopened.list();
    expect(all.items.at(-1)?.id).toBe(urgent.id);
    const again = await reopened.setStatus(urgent.id, 'open', 'Frau Beispiel');
    expect(again).toMatchObject({ status: 'open', doneAt: null, doneBy: null });
    await expect(reopened.setStatus('nope', 'done', 'x')).rejects.toBeInstanceOf(WorklistError);
    await reopened.close();
  });

  it('clips over-long text instead of failing', async () => {
    const store = await WorklistStore.open();
    const entry = await store.add({
      type: 'message',
      text: 'x'.repeat(10_000),
      topic: 'other',
      summary: 'y',
    });
    expect(entry.text).toHaveLength(4000);
    await store.close();
  });
});
