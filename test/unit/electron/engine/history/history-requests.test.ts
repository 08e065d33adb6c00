import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallHistoryEntry, HistoryPage } from '../../../../../electron/contract';
import { createEngine, type EngineParts } from '../../../../../electron/engine/core/bootstrap';
import { Engine } from '../../../../../electron/engine/core/engine';
import { DeferredCallHistory } from '../../../../../electron/engine/history/call-history';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import { SettingsStore } from '../../../../../electron/engine/store/settings-store';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import { FakeEngineConnection } from '../../../../fakes/fake-engine-connection';

// The real engine (createEngine, as web mode builds it) with its real
// better-sqlite3 history in a temp folder, driven through the contract.

let dir: string;
let key: Buffer;
let parts: EngineParts;

const start = () => createEngine({ mode: 'web', dataDir: dir, key, stderr: false, voice: null });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-history-engine-'));
  key = crypto.randomBytes(32);
  parts = start();
});
afterEach(async () => {
  await parts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const callReport = (callId: string, state: string, extra: Record<string, unknown> = {}) => ({
  kind: 'call',
  callId,
  state,
  direction: 'incoming',
  remote: '0301234567',
  ...extra,
});

async function list(peer: FakeEngineConnection, query: Record<string, unknown> = {}) {
  const reply = await peer.request('history.list', { query });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as HistoryPage;
}

describe('history through the engine', () => {
  it('stores calls from phone.report, tells every window, and lists them', async () => {
    const phone = new FakeEngineConnection(parts.engine);
    const otherWindow = new FakeEngineConnection(parts.engine);
    for (const report of [
      callReport('sip-1', 'ringing', { remoteName: 'Erika Mustermann' }),
      callReport('sip-1', 'connected', { remoteName: 'Erika Mustermann', handledBy: 'person' }),
      callReport('sip-1', 'ended', { reason: 'Aufgelegt / hung up' }),
    ]) {
      expect((await phone.request('phone.report', report)).ok).toBe(true);
    }
    const events = otherWindow.events('history.changed') as { callId: string; entryId: string }[];
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.callId))).toEqual(new Set(['sip-1']));

    const page = await list(otherWindow, { search: 'muster' });
    expect(page.total).toBe(1);
    const entry = page.entries[0] as CallHistoryEntry;
    expect(entry).toMatchObject({
      id: events[0]?.entryId,
      callId: 'sip-1',
      direction: 'incoming',
      number: '0301234567',
      displayName: 'Erika Mustermann',
      outcome: 'answered',
      handledBy: 'person',
      reason: 'Aufgelegt / hung up',
    });
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    expect((await list(otherWindow, { search: 'muster', outcome: 'missed' })).total).toBe(0);
    // The engine's phone log still sees the call, as before.
    const logLines = phone.events('engine.log') as { scope: string; message: string }[];
    expect(logLines.some((l) => l.scope === 'phone' && /sip-1 .* ended/.test(l.message))).toBe(
      true,
    );
  });

  it('rejects a bad query and a malformed report with clear errors, and stores nothing for them', async () => {
    const peer = new FakeEngineConnection(parts.engine);
    const bad = await peer.request('history.list', { query: { direction: 'sideways', limit: 0 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_params');
      expect(bad.error.message).toMatch(/direction/);
      expect(bad.error.message).toMatch(/limit/);
    }
    const range = await peer.request('history.list', {
      query: { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    });
    expect(range.ok).toBe(false);
    if (!range.ok) {
      expect(range.error.message).toMatch(/Zeitraums|"from" is after "to"/);
      expect(range.error).toMatchObject({
        reason: 'time_range_reversed',
        params: { field: 'query.to' },
      });
    }

    const report = await peer.request('phone.report', {
      kind: 'call',
      callId: 'x',
      state: 'ringing',
      direction: 'incoming',
      remote: 'a',
      handledBy: 'robot',
    });
    expect(report).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect((await list(peer)).total).toBe(0);
    expect(peer.events('history.changed')).toHaveLength(0);
  });

  it('keeps the history when the engine restarts on the same data folder', async () => {
    const peer = new FakeEngineConnection(parts.engine);
    await peer.request(
      'phone.report',
      callReport('before-restart', 'ended', { reason: 'Anrufer hat aufgelegt' }),
    );
    await parts.close();
    parts = start();
    const after = new FakeEngineConnection(parts.engine);
    const page = await list(after);
    expect(page.entries.map((e) => [e.callId, e.outcome])).toEqual([['before-restart', 'missed']]);
  });

  it('answers with a storage error, and keeps taking reports, when the database cannot be opened', async () => {
    const logger = new Logger({ stderr: false });
    const box = new SecretBox(key);
    // A file where the history's folder should be: the database cannot be made.
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'not a folder');
    const history = new DeferredCallHistory({ dataDir: blocked, log: logger.scope('history') });
    const engine = new Engine({
      mode: 'web',
      settings: new SettingsStore(dir, box, logger.scope('settings')),
      transcripts: new TranscriptStore(dir, box, logger.scope('transcript')),
      logger,
      history,
    });
    const peer = new FakeEngineConnection(engine);
    expect((await peer.request('phone.report', callReport('c', 'ringing'))).ok).toBe(true);
    const reply = await peer.request('history.list', { query: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'storage' } });
    if (!reply.ok) {
      expect(reply.error.reason).toBe('history_unreadable');
      expect(reply.error.message).toMatch(/call history cannot be read/);
    }
    const errors = peer.events('engine.log') as { level: string; message: string }[];
    expect(errors.some((e) => e.level === 'error' && /cannot be opened/.test(e.message))).toBe(
      true,
    );
  });
});
