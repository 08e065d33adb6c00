import crypto from 'node:crypto';
import type { EngineProblem } from '../../../../renderer/bridge/engine-problem';
import { describeProblem } from '../../../../renderer/i18n/describe-problem';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CarrierStatus, LotseBridge, RequestEnvelope } from '../../../../electron/contract';
import { createEngine, type EngineParts } from '../../../../electron/engine/core/bootstrap';
import type { Engine } from '../../../../electron/engine/core/engine';
import { EngineClient } from '../../../../renderer/bridge/engine-client';
import {
  createHistoryStore,
  followHistory,
  toQuery,
  NO_FILTERS,
} from '../../../../renderer/stores/history-store';
import { FakeBridge } from '../../../fakes/fake-bridge';

/**
 * The renderer's client wired straight to a real engine in this process (as
 * the MessagePort does in the app): JSON-cloned messages both ways, replies
 * and events delivered asynchronously.
 */
class InProcessBridge implements LotseBridge {
  private readonly messageListeners = new Set<(m: unknown) => void>();
  private readonly statusListeners = new Set<(s: CarrierStatus) => void>();
  private readonly handle;
  constructor(engine: Engine) {
    this.handle = engine.attach({
      label: 'renderer unit test',
      sendMessage: (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => this.messageListeners.forEach((l) => l(copy)));
      },
      sendAudio: () => undefined,
    });
  }
  send(message: RequestEnvelope): void {
    this.handle.onMessage(structuredClone(message));
  }
  sendAudio(): void {}
  onMessage(listener: (message: unknown) => void) {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onAudio() {
    return () => undefined;
  }
  onStatus(listener: (status: CarrierStatus) => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  open(): void {
    this.statusListeners.forEach((l) => l('open'));
  }
}

/** Polls `check` until it holds; the limit is generous (a loaded two-core machine), below the test's own. */
async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let dir: string;
let parts: EngineParts;
let bridge: InProcessBridge;
let client: EngineClient;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-history-store-'));
  parts = createEngine({
    mode: 'web',
    dataDir: dir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
  });
  bridge = new InProcessBridge(parts.engine);
  client = new EngineClient(bridge);
  bridge.open();
});
afterEach(async () => {
  await parts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const report = (callId: string, state: string, extra: Record<string, unknown> = {}) =>
  client.request('phone.report', {
    kind: 'call',
    callId,
    state: state as 'ringing',
    direction: 'incoming',
    remote: 'anrufer',
    ...extra,
  });

describe('history store against the real engine', () => {
  it('follows the engine: a reported call appears, its end updates the row', async () => {
    const store = createHistoryStore(client);
    const stop = followHistory(store, client);
    await until(() => !store.getState().loading, 'first load');
    expect(store.getState().total).toBe(0);

    await report('r1', 'ringing', { remoteName: 'Erika Mustermann' });
    await until(() => store.getState().total === 1, 'the ringing call');
    expect(store.getState().entries[0]).toMatchObject({ callId: 'r1', outcome: null });

    await report('r1', 'ended', { reason: 'Anrufer hat aufgelegt / caller hung up' });
    await until(() => store.getState().entries[0]?.outcome === 'missed', 'the end');
    stop();
    // The engine announces the change; a store still following would refresh
    // now, and its answer would come before that of any later request.
    const changed = new Promise<void>((resolve) => {
      const off = client.onEvent((event) => {
        if (event.event !== 'history.changed') return;
        off();
        resolve();
      });
    });
    await report('r2', 'ended', { reason: 'Abgelehnt' });
    await changed;
    await client.request('history.list', { query: { offset: 0, limit: 1 } });
    expect(store.getState().total).toBe(1); // stopped following
  });

  it('searches, filters and pages through the engine', async () => {
    for (let i = 1; i <= 5; i++) {
      await report(`c${i}`, 'ringing', { remoteName: i % 2 ? `Ungerade ${i}` : `Gerade ${i}` });
      await report(`c${i}`, 'ended', {
        reason: i === 5 ? 'Abgelehnt / declined' : 'Anrufer hat aufgelegt',
      });
    }
    const store = createHistoryStore(client, 2);
    await store.getState().refresh();
    expect(store.getState().total).toBe(5);
    expect(store.getState().entries.map((e) => e.callId)).toEqual(['c5', 'c4']);
    await store.getState().setOffset(4);
    expect(store.getState().entries.map((e) => e.callId)).toEqual(['c1']);
    await store.getState().setFilters({ search: 'ungerade' });
    expect(store.getState().offset).toBe(0);
    expect(store.getState().total).toBe(3);
    await store.getState().setFilters({ outcome: 'declined' });
    expect(store.getState().entries.map((e) => e.callId)).toEqual(['c5']);
    await store.getState().setFilters(NO_FILTERS);
    expect(store.getState().total).toBe(5);
  });

  it('keeps the engine’s reason when a query is refused (worded on screen), and recovers', async () => {
    const store = createHistoryStore(client);
    await store.getState().setFilters({ fromDate: '2026-03-05', toDate: '2026-03-01' });
    expect(store.getState().error).toMatchObject({
      code: 'invalid_params',
      reason: 'time_range_reversed',
      params: { field: 'query.to' },
    });
    expect(describeProblem('de', store.getState().error as EngineProblem)).toBe(
      'Der Beginn des Zeitraums liegt nach seinem Ende.',
    );
    await store.getState().setFilters({ toDate: '' });
    expect(store.getState().error).toBeUndefined();
  });
});

describe('history store', () => {
  it('turns local days into instants, the "to" day included', () => {
    const query = toQuery(
      { ...NO_FILTERS, search: '  müller ', fromDate: '2026-03-01', toDate: '2026-03-01' },
      40,
      20,
    );
    expect(query).toEqual({
      search: 'müller',
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 2, 2).toISOString(),
      limit: 20,
      offset: 40,
    });
    expect(toQuery({ ...NO_FILTERS, fromDate: 'kaputt' }, 0, 20)).toEqual({ limit: 20, offset: 0 });
  });

  it('drops a reply that arrives after a newer question', async () => {
    const fake = new FakeBridge();
    const store = createHistoryStore(new EngineClient(fake));
    const first = store.getState().setFilters({ search: 'm' });
    const second = store.getState().setFilters({ search: 'mu' });
    const [older, newer] = fake.sent;
    const entry = (callId: string) => ({
      id: callId,
      callId,
      direction: 'incoming',
      number: callId,
      displayName: null,
      startedAt: '2026-03-01T10:00:00.000Z',
      answeredAt: null,
      endedAt: null,
      durationMs: null,
      outcome: null,
      handledBy: null,
      reason: null,
    });
    fake.deliver({
      t: 'res',
      id: newer?.id,
      ok: true,
      result: { entries: [entry('new')], total: 1 },
    });
    fake.deliver({
      t: 'res',
      id: older?.id,
      ok: true,
      result: { entries: [entry('old')], total: 1 },
    });
    await Promise.all([first, second]);
    expect(store.getState().entries.map((e) => e.callId)).toEqual(['new']);
    expect((newer?.params as { query: { search: string } }).query.search).toBe('mu');
  });
});
