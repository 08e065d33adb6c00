/**
 * The agent's identity check (`case.verify`) through the whole engine: only
 * for a live call, limited across calls per number and per caller ID (kept
 * on disk), not enumerable by parallel requests, audited with the keyed hash
 * of the number and the operating-system account — never the SIP settings.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineToRenderer } from '../../../../electron/contract';
import { EmbeddedCaseSystem } from '../../../../electron/engine/cases/embedded-case-system';
import { createEngine, type EngineParts } from '../../../../electron/engine/core/bootstrap';
import { EngineKeys } from '../../../../electron/engine/store/engine-keys';
import { FakeEngineConnection } from '../../../fakes/fake-engine-connection';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
/** The fixture's first household: customer number, date of birth, PIN. */
const CALLER = { number: '998D00001', dateOfBirth: '1985-04-12', pin: '246810' };

let dir: string;
let key: Buffer;
let parts: EngineParts | undefined;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-case-verify-'));
  key = crypto.randomBytes(32);
  // The desk's case store with the fixture households (PINs hashed with the engine's key).
  const store = await EmbeddedCaseSystem.open({ dataDir: dir, demo: false, pinKey: key });
  await store.importCaseFile(fixture);
  await store.close();
}, 30_000);

afterEach(async () => {
  await parts?.close();
  parts = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(): { peer: FakeEngineConnection; parts: EngineParts } {
  parts = createEngine({ mode: 'web', dataDir: dir, key, stderr: false, voice: null });
  return { peer: new FakeEngineConnection(parts.engine), parts };
}

type Reply = Extract<EngineToRenderer, { t: 'res' }>;

/** A request and its reply, waiting on the reply itself (the case store opens on first use). */
async function ask(peer: FakeEngineConnection, method: string, params: unknown): Promise<Reply> {
  const id = crypto.randomInt(1e9);
  peer.handle.onMessage({ t: 'req', id, method, params });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = peer.messages.find((m): m is Reply => m.t === 'res' && m.id === id);
    if (reply) return reply;
    if (Date.now() > deadline) throw new Error(`no reply to ${method}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function call(
  peer: FakeEngineConnection,
  callId: string,
  state: 'ringing' | 'connected' | 'ended',
  remote = 'sip:+4930111222@127.0.0.1',
): Promise<void> {
  const reply = await ask(peer, 'phone.report', {
    kind: 'call',
    callId,
    state,
    direction: 'incoming',
    remote,
  });
  expect(reply.ok).toBe(true);
}

const verify = (peer: FakeEngineConnection, callId: string, number: string, dateOfBirth?: string) =>
  ask(peer, 'case.verify', { callId, number, ...(dateOfBirth ? { dateOfBirth } : {}) });

/** The engine's audit log, read from its store after the engine is closed. */
async function auditRows() {
  await parts?.close();
  parts = undefined;
  const store = await EmbeddedCaseSystem.open({ dataDir: dir, demo: false, pinKey: key });
  try {
    return await store.auditLog({ limit: 10_000 });
  } finally {
    await store.close();
  }
}

describe('case.verify', () => {
  it('refuses a call id the engine does not know as live, and a call that has ended', async () => {
    const { peer } = start();
    expect(await verify(peer, 'invented', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: false,
      error: { code: 'bad_request', reason: 'call_not_live' },
    });
    await call(peer, 'c1', 'ringing');
    await call(peer, 'c1', 'connected');
    expect(await verify(peer, 'c1', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: true,
      result: { verified: true },
    });
    await call(peer, 'c1', 'ended');
    expect(await verify(peer, 'c1', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: false,
      error: { reason: 'call_not_live' },
    });
  }, 60_000);

  it('locks a number after three failures across calls, says so to the agent, and keeps the lock over a restart', async () => {
    let { peer } = start();
    const wrong = ['1985-04-13', '1985-04-14', '1985-04-15'];
    for (const [i, dateOfBirth] of wrong.entries()) {
      // A new call each time, from a new line: only the number is the same.
      const remote = `sip:+49301000${i}@127.0.0.1`;
      await call(peer, `guess-${i}`, 'connected', remote);
      expect(await verify(peer, `guess-${i}`, CALLER.number, dateOfBirth)).toMatchObject({
        ok: true,
        result: { verified: false },
      });
      await call(peer, `guess-${i}`, 'ended', remote);
    }
    // The right date of birth, in a fresh call from a fresh line: not checked while locked.
    await call(peer, 'after', 'connected', 'sip:+4930999@127.0.0.1');
    const locked = await verify(peer, 'after', CALLER.number, CALLER.dateOfBirth);
    expect(locked).toMatchObject({
      ok: false,
      error: { code: 'not_verified', reason: 'verification_locked' },
    });
    const until = !locked.ok ? String(locked.error.params?.until) : '';
    const minutes = (Date.parse(until) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // The keypad form of the same number (no letter) is the same number.
    expect(await verify(peer, 'after', '99800001', CALLER.dateOfBirth)).toMatchObject({
      ok: false,
      error: { reason: 'verification_locked' },
    });
    // Kept on disk: a restarted engine still refuses.
    await parts?.close();
    ({ peer } = start());
    await call(peer, 'restarted', 'connected', 'sip:+4930888@127.0.0.1');
    expect(await verify(peer, 'restarted', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: false,
      error: { reason: 'verification_locked' },
    });
  }, 90_000);

  it('locks a caller ID that failed on three different numbers', async () => {
    const { peer } = start();
    const line = 'sip:+4930555666@127.0.0.1';
    const numbers = ['998D00004', '998D00005', '998D00077'];
    for (const [i, number] of numbers.entries()) {
      await call(peer, `line-${i}`, 'connected', line);
      expect(await verify(peer, `line-${i}`, number, '1950-01-01')).toMatchObject({
        result: { verified: false },
      });
      await call(peer, `line-${i}`, 'ended', line);
    }
    await call(peer, 'line-3', 'connected', line);
    expect(await verify(peer, 'line-3', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: false,
      error: { reason: 'verification_locked' },
    });
    // Another line may still verify that caller.
    await call(peer, 'other-line', 'connected', 'sip:+4930777888@127.0.0.1');
    expect(await verify(peer, 'other-line', CALLER.number, CALLER.dateOfBirth)).toMatchObject({
      ok: true,
      result: { verified: true },
    });
  }, 90_000);

  it('checks at most three PINs of a burst of parallel requests in one call; the right one among the rest does not verify', async () => {
    const { peer } = start();
    await call(peer, 'burst', 'connected', 'sip:anonymous@anonymous.invalid');
    const pins = Array.from({ length: 20 }, (_, i) => String(100000 + i * 7919));
    pins.splice(10, 0, CALLER.pin);
    const replies = await Promise.all(pins.map((pin) => verify(peer, 'burst', pin)));
    const checked = replies.filter((r) => r.ok);
    expect(checked).toHaveLength(3);
    expect(checked.every((r) => r.ok && !(r.result as { verified: boolean }).verified)).toBe(true);
    expect(replies.filter((r) => !r.ok && r.error.reason === 'verification_locked')).toHaveLength(
      pins.length - 3,
    );
    const rows = (await auditRows()).filter((r) => r.what === 'verify');
    // Only the three checked PINs reached the case store.
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.outcome === 'not_verified')).toBe(true);
  }, 90_000);

  it('audits with the keyed hash of the number and the operating-system account, not the SIP settings', async () => {
    const { peer } = start();
    expect(
      await ask(peer, 'settings.saveAccount', {
        account: {
          serverUrl: 'ws://127.0.0.1:8080',
          sipUri: 'sip:impostor@127.0.0.1',
          authUser: 'impostor',
          displayName: 'Chefin',
          iceServers: [],
          autoRegister: false,
        },
      }),
    ).toMatchObject({ ok: true });
    await call(peer, 'audited', 'connected');
    expect(await verify(peer, 'audited', '998 D 00001', '1985-04-13')).toMatchObject({
      result: { verified: false },
    });
    const rows = (await auditRows()).filter((r) => r.callId === 'audited');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.who).toBe(`agent:${os.userInfo().username}`);
    expect(JSON.stringify(row)).not.toMatch(/impostor|Chefin|998D?00001|998 D 00001/);
    const hmac = new EngineKeys(key).hmac('verification', 'customer:99800001');
    expect(row.subject).toBe(hmac);
  }, 60_000);

  it('reports a lock that starts in the engine log, in English, with the hash only', async () => {
    const { peer } = start();
    for (const i of [1, 2, 3]) {
      await call(peer, `alert-${i}`, 'connected', `sip:+49302000${i}@127.0.0.1`);
      await verify(peer, `alert-${i}`, CALLER.number, `1985-04-2${i}`);
    }
    const lines = peer
      .events('engine.log')
      .map((e) => (e as { message: string }).message)
      .filter((m) => /verification locked/.test(m));
    const hmac = new EngineKeys(key).hmac('verification', 'customer:99800001');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`number ${hmac}`);
    expect(lines[0]).toMatch(/after 3 failed attempts, until \d{4}-\d\d-\d\dT/);
    expect(lines.join(' ')).not.toMatch(/998D00001|99800001|1985-04/);
  }, 60_000);
});
