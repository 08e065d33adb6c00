/** The morning worklist on the real embedded database: filed, listed, worked off, kept, sealed. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorklistError, WorklistStore } from '../../../../../electron/engine/bot/worklist-store';
import { Logger } from '../../../../../electron/engine/log/logger';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';
import { loadBetterSqlite } from '../../../../../electron/engine/store/db/sqlite-database';

/** better-sqlite3 itself, to look at the file past the store. */
const Database = loadBetterSqlite()!;

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

  it('files a message marked urgent (a crisis in its words) as urgent, before older items', async () => {
    let clock = Date.parse('2026-11-24T22:00:00Z');
    const store = await WorklistStore.open({ now: () => new Date((clock += 60_000)) });
    await store.add({ type: 'message', text: 'Miete', topic: 'housing_costs', summary: 'm1' });
    const urgent = await store.add({
      type: 'message',
      urgent: true,
      text: 'ich will mir das leben nehmen',
      topic: 'crisis',
      summary: 'm2',
    });
    expect(urgent).toMatchObject({
      type: 'message',
      urgent: true,
      text: 'ich will mir das leben nehmen',
    });
    const { items } = await store.list({ status: 'open' });
    expect(items.map((i) => [i.summary, i.urgent])).toEqual([
      ['m2', true],
      ['m1', false],
    ]);
    await store.close();
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

describe('WorklistStore sealing', () => {
  const keys = new EngineKeys(crypto.randomBytes(32));
  const callback = {
    type: 'callback' as const,
    urgent: false,
    number: '01701234567',
    window: 'morgen vormittags',
    topic: 'housing_costs',
    summary: 'Zuletzt gesagt: „Die Miete ist zu hoch“',
  };
  const message = {
    type: 'message' as const,
    text: 'Mein Geburtsdatum ist der 14.03.1985',
    topic: 'other',
    summary: 'Nachricht',
  };
  /** The stored row as it is on disk, read past the store. */
  const rawRows = (dir: string) => {
    const db = new Database(path.join(dir, 'worklist.sqlite'));
    try {
      return db.prepare('SELECT * FROM worklist_items').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

  it('seals what the caller gave, bound to its row and column, and reads it back', async () => {
    const dir = tempDir();
    const store = await WorklistStore.open({ dataDir: dir, box: keys.box('worklist') });
    const a = await store.add(callback, { callId: 'c1', callerId: '01701234567' });
    const b = await store.add(message, { callId: 'c2', callerId: '030999888' });
    const done = await store.setStatus(b.id, 'done', 'Frau Beispiel', 'Rückruf am 15.03.');
    expect(done.note).toBe('Rückruf am 15.03.');
    await store.close();

    const raw = JSON.stringify(rawRows(dir));
    for (const value of [
      '01701234567',
      '030999888',
      'vormittags',
      'Miete',
      '14.03.1985',
      'housing',
      '15.03.',
    ])
      expect(raw).not.toContain(value);
    expect(raw).toContain('lotse-sealed:1:');
    // Who did it, when and for which call stay readable for the office.
    expect(raw).toContain('Frau Beispiel');

    const reopened = await WorklistStore.open({ dataDir: dir, box: keys.box('worklist') });
    expect(await reopened.get(a.id)).toMatchObject({
      number: '01701234567',
      callerId: '01701234567',
      window: 'morgen vormittags',
      topic: 'housing_costs',
      summary: callback.summary,
    });
    expect(await reopened.get(b.id)).toMatchObject({ text: message.text, status: 'done' });
    await reopened.close();

    // A sealed number copied into another row does not open there.
    const db = new Database(path.join(dir, 'worklist.sqlite'));
    db.prepare(
      'UPDATE worklist_items SET callback_number = (SELECT callback_number FROM worklist_items WHERE id = ?) WHERE id = ?',
    ).run(a.id, b.id);
    db.close();
    const lines: string[] = [];
    const logger = new Logger({ stderr: false });
    logger.addSink((e) => lines.push(e.message));
    const third = await WorklistStore.open({
      dataDir: dir,
      box: keys.box('worklist'),
      log: logger.scope('worklist'),
    });
    expect((await third.get(b.id))?.number).toBeNull();
    expect(lines.join('\n')).toMatch(/callback_number cannot be opened/);
    await third.close();
  });

  it('reads rows written in clear before, and seals them on the next write or when asked', async () => {
    const dir = tempDir();
    const before = await WorklistStore.open({ dataDir: dir });
    const a = await before.add(callback, { callId: 'c1', callerId: '01701234567' });
    const b = await before.add(message, { callId: 'c2' });
    await before.close();
    expect(JSON.stringify(rawRows(dir))).toContain('01701234567');

    const store = await WorklistStore.open({ dataDir: dir, box: keys.box('worklist') });
    expect((await store.get(a.id))?.number).toBe('01701234567');
    // The next write to a row seals it …
    await store.setStatus(a.id, 'done', 'Herr Beispiel');
    const afterWrite = rawRows(dir);
    expect(JSON.stringify(afterWrite.find((r) => r.id === a.id))).not.toContain('01701234567');
    expect(JSON.stringify(afterWrite.find((r) => r.id === b.id))).toContain('Geburtsdatum');
    // … and the retention job seals the rest.
    expect(await store.sealPlainRows()).toBe(1);
    expect(await store.sealPlainRows()).toBe(0);
    const raw = JSON.stringify(rawRows(dir));
    expect(raw).not.toContain('Geburtsdatum');
    expect(raw).not.toContain('01701234567');
    expect((await store.get(b.id))?.text).toBe(message.text);
    expect((await store.get(a.id))?.number).toBe('01701234567');
    await store.close();
  });

  it('files an item kept aside once, however often it is filed again', async () => {
    const store = await WorklistStore.open({ box: keys.box('worklist') });
    const first = await store.add(
      callback,
      {},
      { id: 'kept-1', createdAt: '2026-01-01T22:00:00.000Z' },
    );
    const again = await store.add(callback, {}, { id: 'kept-1' });
    expect(again).toEqual(first);
    expect(first.createdAt).toBe('2026-01-01T22:00:00.000Z');
    expect((await store.list()).items).toHaveLength(1);
    await store.close();
  });

  it('lists done items for the retention job and deletes only done ones', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = await WorklistStore.open({
      box: keys.box('worklist'),
      now: () => new Date(clock),
    });
    const old = await store.add(callback, { callId: 'c-old' });
    const open = await store.add(message, { callId: 'c-open' });
    await store.setStatus(old.id, 'done', 'x');
    clock += 10 * 86_400_000;
    const recent = await store.add(callback, { callId: 'c-recent' });
    await store.setStatus(recent.id, 'done', 'x');
    const cutoff = new Date(clock - 86_400_000).toISOString();
    expect(await store.doneBefore(cutoff)).toEqual([
      { id: old.id, callId: 'c-old', doneAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(await store.deleteDone(open.id)).toBe(false);
    expect(await store.deleteDone(old.id)).toBe(true);
    expect(await store.deleteDone(old.id)).toBe(false);
    expect((await store.list()).items.map((i) => i.id).sort()).toEqual([open.id, recent.id].sort());
    await store.close();
  });
});
