/**
 * Retention in the real engine (bootstrap wiring): the data folder made the
 * user's only at start, the daily job deleting an old transcript with a row
 * in the desk's audit journal, the transcript deleted once the wrap-up note
 * is in the case system (embedded store, agent-verified demo caller), and a
 * bad setting named in the log.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineToRenderer } from '../../../../../electron/contract';
import { AuditJournal } from '../../../../../electron/engine/cases/audit-journal';
import {
  DEMO_HOUSEHOLDS,
  DEMO_SEED,
  generateDemoHouseholds,
} from '../../../../../electron/engine/cases/demo-households';
import { createEngine, type EngineParts } from '../../../../../electron/engine/core/bootstrap';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import { Logger } from '../../../../../electron/engine/log/logger';
import { FakeEngineConnection } from '../../../../fakes/fake-engine-connection';

const DAY = 86_400_000;
let dir: string;
let parts: EngineParts | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-retention-engine-'));
});
afterEach(async () => {
  await parts?.close();
  parts = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A request that may take a while (the case store opens on first use). */
async function request(peer: FakeEngineConnection, method: string, params: unknown) {
  const id = 1000 + peer.messages.length;
  peer.handle.onMessage({ t: 'req', id, method, params });
  let reply: Extract<EngineToRenderer, { t: 'res' }> | undefined;
  await vi.waitFor(
    () => {
      const found = peer.messages.find((m) => m.t === 'res' && m.id === id);
      expect(found).toBeDefined();
      reply = found as typeof reply;
    },
    { timeout: 20_000, interval: 10 },
  );
  return reply!;
}

function transcriptOf(key: Buffer, callId: string, daysAgo = 0): string {
  const store = new TranscriptStore(
    dir,
    new EngineKeys(key).box('transcripts'),
    new Logger({ stderr: false }).scope('t'),
  );
  store.add({
    callId,
    segmentId: 's1',
    speaker: 'caller',
    text: 'Wann kommt mein Geld?',
    startMs: 0,
    endMs: 1000,
    confidence: 0.9,
    final: true,
  });
  const name = store.stored().find((s) => store.callIdOf(s.name) === callId)!.name;
  const file = path.join(dir, 'transcripts', name);
  const at = new Date(Date.now() - daysAgo * DAY);
  fs.utimesSync(file, at, at);
  return file;
}

/** The desk's audit journal, read with the engine's audit key: its chain must hold. */
async function journal(key: Buffer) {
  const j = await AuditJournal.open({ dataDir: dir, key: new EngineKeys(key).key('audit') });
  try {
    expect(await j.verify()).toMatchObject({ ok: true });
    return await j.entries();
  } finally {
    await j.close();
  }
}

describe('retention in the engine', () => {
  it('makes the data folder the user’s only, deletes old transcripts daily, audited, and names a bad setting', async () => {
    const key = crypto.randomBytes(32);
    // What an older version left: a readable folder and files.
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, 'logs'), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'logs', 'engine.log'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'worklist.sqlite'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), '', { mode: 0o644 });
    const old = transcriptOf(key, 'call-old', 31);
    const fresh = transcriptOf(key, 'call-fresh', 1);
    fs.chmodSync(old, 0o644);

    parts = createEngine({
      mode: 'web',
      dataDir: dir,
      key,
      stderr: false,
      voice: null,
      env: { LOTSE_RETENTION_WORKLIST_DONE_DAYS: 'neunzig' },
      retentionTimers: null,
    });
    if (process.platform !== 'win32') {
      const mode = (p: string) => (fs.statSync(path.join(dir, p)).mode & 0o777).toString(8);
      expect([mode('.'), mode('logs'), mode('logs/engine.log'), mode('worklist.sqlite')]).toEqual([
        '700',
        '700',
        '600',
        '600',
      ]);
      // Not Lotse's: left alone (the desktop's data folder is Electron's user-data folder).
      expect(mode('unrelated.txt')).toBe('644');
    }
    const run = await parts.retention.run();
    expect(run).toMatchObject({ transcriptsDeleted: 1, failures: 0 });
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    await parts.close();
    parts = undefined;
    expect(await journal(key)).toEqual([
      expect.objectContaining({
        who: 'lotse:retention',
        what: 'delete_transcript',
        callId: 'call-old',
        outcome: 'deleted',
        why: expect.stringMatching(/^retention: last line older than 30 days \(transcripts\//),
      }),
    ]);
    const log = fs.readFileSync(path.join(dir, 'logs', 'engine.log'), 'utf8');
    expect(log).toMatch(/LOTSE_RETENTION_WORKLIST_DONE_DAYS: \\"neunzig\\" is not a whole number/);
  }, 30_000);

  it('deletes the transcript once the wrap-up note is in the case system', async () => {
    const key = crypto.randomBytes(32);
    const file = transcriptOf(key, 'call-note');
    parts = createEngine({
      mode: 'web',
      dataDir: dir,
      key,
      stderr: false,
      voice: null,
      retentionTimers: null,
    });
    const peer = new FakeEngineConnection(parts.engine);
    const member = generateDemoHouseholds({
      seed: DEMO_SEED,
      households: DEMO_HOUSEHOLDS,
      asOf: new Date(),
    })
      .flatMap((h) => h.members)
      .find((m) => m.customerNumber)!;
    // The agent's check is accepted for a call the engine knows is live only.
    const reported = await request(peer, 'phone.report', {
      kind: 'call',
      callId: 'call-note',
      state: 'connected',
      direction: 'incoming',
      remote: 'sip:+4930111222@127.0.0.1',
    });
    expect(reported).toMatchObject({ ok: true });
    const verified = await request(peer, 'case.verify', {
      callId: 'call-note',
      number: member.customerNumber,
      dateOfBirth: member.dateOfBirth,
    });
    expect(verified).toMatchObject({ ok: true, result: { verified: true } });
    expect(fs.existsSync(file)).toBe(true);
    const saved = await request(peer, 'wrapup.save', {
      callId: 'call-note',
      note: 'Zahlungstermin genannt.',
      disposition: 'information_given',
      intent: 'payment_date',
    });
    expect(saved).toMatchObject({ ok: true, result: { savedTo: 'case_system' } });
    await vi.waitFor(() => expect(fs.existsSync(file)).toBe(false), { timeout: 10_000 });
    await parts.close();
    parts = undefined;
    expect(await journal(key)).toEqual([
      expect.objectContaining({
        what: 'delete_transcript',
        callId: 'call-note',
        why: 'retention: the wrap-up note is saved in the case system (transcript)',
      }),
    ]);
  }, 30_000);
});
