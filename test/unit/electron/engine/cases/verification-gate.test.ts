/**
 * The verification limits across calls (cases/verification-attempts.ts and
 * verification-gate.ts) with the real embedded case store and a clock the
 * test moves: the growing lock, forgetting, what a success forgives, that a
 * failing store is never counted against the caller, and the lockout
 * journal for the data-protection officer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CaseSystemError,
  type AuditContext,
  type CaseSystem,
} from '../../../../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import {
  LOCKOUT_RULE,
  VerificationAttempts,
  lockDuration,
  type Lockout,
} from '../../../../../electron/engine/cases/verification-attempts';
import {
  VerificationGate,
  normalizeCallerId,
  numberSubject,
} from '../../../../../electron/engine/cases/verification-gate';
import { verifierFrom } from '../../../../../electron/engine/bot/case-answers';
import { Logger } from '../../../../../electron/engine/log/logger';
import { openDatabase } from '../../../../../electron/engine/store/db/open-database';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';
import { openBreakingCaseStore } from '../../../../support/breaking-case-store';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
const RIGHT = { customerNumber: '998D00001', dateOfBirth: '1985-04-12' };
const WRONG = { customerNumber: '998D00001', dateOfBirth: '1985-04-13' };
const MINUTE = 60_000;

let cases: EmbeddedCaseSystem;
const keys = new EngineKeys(crypto.randomBytes(32));
const hmac = (value: string) => keys.hmac('verification', value);

beforeAll(async () => {
  cases = await EmbeddedCaseSystem.open({ driver: 'sqlite', demo: false, verifyFloorMs: 0 });
  await cases.importCaseFile(fixture);
}, 30_000);
afterAll(() => cases?.close());

let clock: Date;
let attempts: VerificationAttempts;
let lockouts: Lockout[];
const lines: string[] = [];
const callers = new Map<string, string>();

beforeEach(async () => {
  clock = new Date('2026-03-02T09:00:00Z');
  attempts = await VerificationAttempts.open({ driver: 'sqlite', now: () => clock });
  lockouts = [];
  lines.length = 0;
  callers.clear();
});
afterEach(() => attempts.close());

function gate(
  inner: CaseSystem = cases,
  store: () => Promise<VerificationAttempts> = async () => attempts,
) {
  const logger = new Logger({ stderr: false });
  logger.addSink((entry) => lines.push(`${entry.level} ${entry.message}`));
  const g = new VerificationGate(inner, {
    attempts: store,
    hmac,
    callerIdOf: (callId) => callers.get(callId),
    log: logger.scope('cases'),
    now: () => clock,
  });
  g.onLockout((lockout) => lockouts.push(lockout));
  return g;
}

/** One call: its id, from a line. */
function inCall(callId: string, line?: string): AuditContext {
  if (line) callers.set(callId, line);
  return { who: 'bot', why: 'caller verification', callId };
}

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

describe('the lockout rule', () => {
  it('locks from the third failure for 15 minutes, doubling each further failure, up to 24 hours', () => {
    expect([0, 1, 2].map((n) => lockDuration(n))).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map((n) => lockDuration(n) / MINUTE)).toEqual([15, 30, 60, 120]);
    expect(lockDuration(30)).toBe(24 * 60 * MINUTE);
    expect(LOCKOUT_RULE.forgetMs).toBe(24 * 60 * MINUTE);
  });

  it('hashes numbers by their digits (a keypad has no letters) and lines by their user part', () => {
    expect(numberSubject({ customerNumber: '998 d 00001', dateOfBirth: 'x' })).toBe(
      'customer:99800001',
    );
    expect(numberSubject({ customerNumber: '99800001', dateOfBirth: 'x' })).toBe(
      'customer:99800001',
    );
    expect(numberSubject({ bgNumber: '99998BG0000001', dateOfBirth: 'x' })).toBe('bg:999980000001');
    expect(numberSubject({ pin: '246 810' })).toBe('pin:246810');
    expect(normalizeCallerId('"Frau B" <sip:+49 30 1234@pbx.example;user=phone>')).toBe(
      '+49301234',
    );
    expect(normalizeCallerId('tel:030/1234-5')).toBe('03012345');
    expect(normalizeCallerId('sip:anonymous@anonymous.invalid')).toBeUndefined();
    expect(normalizeCallerId('')).toBeUndefined();
  });
});

describe('VerificationGate', () => {
  it('counts failures across calls per number and locks with a growing delay, even for the right date', async () => {
    const g = gate();
    for (const i of [1, 2, 3]) {
      expect(await g.verify(WRONG, inCall(`call-${i}`, `sip:+4930${i}@pbx`))).toEqual({
        verified: false,
      });
    }
    const first = await g.verify(RIGHT, inCall('call-4', 'sip:+49304@pbx'));
    expect(first).toEqual({ verified: false, lockedUntil: '2026-03-02T09:15:00.000Z' });
    // The lock ends; the next failure locks for twice as long.
    later(16 * MINUTE);
    expect(await g.verify(WRONG, inCall('call-5', 'sip:+49305@pbx'))).toEqual({ verified: false });
    expect(await g.verify(RIGHT, inCall('call-6'))).toMatchObject({
      lockedUntil: '2026-03-02T09:46:00.000Z',
    });
    later(31 * MINUTE);
    expect(await g.verify(WRONG, inCall('call-7'))).toEqual({ verified: false });
    expect(await g.verify(RIGHT, inCall('call-8'))).toMatchObject({
      lockedUntil: '2026-03-02T10:47:00.000Z',
    });
    // Every lock that started went to the listeners, with hashes only.
    const number = hmac('customer:99800001');
    expect(lockouts.filter((l) => l.kind === 'number').map((l) => l.failures)).toEqual([3, 4, 5]);
    expect(lockouts.every((l) => l.key === number || l.kind !== 'number')).toBe(true);
    expect(lines.filter((l) => /verification locked: number/.test(l))).toHaveLength(3);
    expect(lines.join('\n')).not.toMatch(/998D00001|99800001|1985-04/);
  });

  it('forgets failures after a quiet day, and a success forgives the number but not the line', async () => {
    const g = gate();
    const line = 'sip:+4930777@pbx';
    await g.verify(WRONG, inCall('a', line));
    await g.verify(WRONG, inCall('b', line));
    const number = { kind: 'number' as const, key: hmac('customer:99800001') };
    const caller = { kind: 'caller' as const, key: hmac('caller:+4930777') };
    expect(await attempts.failures(number, clock)).toBe(2);
    expect((await g.verify(RIGHT, inCall('c', line))).verified).toBe(true);
    expect(await attempts.failures(number, clock)).toBe(0);
    // The line keeps its count: verifying oneself between guesses gains nothing.
    expect(await attempts.failures(caller, clock)).toBe(2);
    later(24 * 60 * MINUTE + MINUTE);
    expect(await attempts.failures(caller, clock)).toBe(0);
    // A day later, one more failure from that line does not lock.
    expect(await g.verify(WRONG, inCall('d', line))).toEqual({ verified: false });
    expect(await g.verify(RIGHT, inCall('e', line))).toMatchObject({ verified: true });
  });

  it('answers parallel requests one at a time per number: the third failure locks the rest', async () => {
    const g = gate();
    const guesses = Array.from({ length: 12 }, (_, i) => ({
      customerNumber: '998D00001',
      dateOfBirth: `1985-05-${String(i + 1).padStart(2, '0')}`,
    }));
    guesses.push(RIGHT);
    const results = await Promise.all(
      guesses.map((input, i) => g.verify(input, inCall(`p-${i}`, `sip:+4931${i}@pbx`))),
    );
    expect(results.filter((r) => !r.verified && !r.lockedUntil)).toHaveLength(3);
    expect(results.filter((r) => r.verified)).toHaveLength(0);
    expect(results.filter((r) => !r.verified && r.lockedUntil)).toHaveLength(10);
  });

  it('gives the bot\'s verify a plain "locked" (no time, no reason to say)', async () => {
    const verify = verifierFrom(gate(), 'bot-call');
    callers.set('bot-call', 'sip:+4930666@pbx');
    for (const dob of ['1985-01-01', '1985-01-02', '1985-01-03']) {
      expect(await verify({ customerNumber: '998D00001', dateOfBirth: dob })).toEqual({
        verified: false,
      });
    }
    expect(await verify(RIGHT)).toEqual({ verified: false, locked: true });
  });

  it('does not count a case system that fails, and reports it', async () => {
    let calls = 0;
    const down = Object.assign(Object.create(cases) as CaseSystem, {
      verify: async () => {
        calls++;
        throw new CaseSystemError('unavailable', 'case system down');
      },
    });
    const g = gate(down);
    for (const i of [1, 2, 3, 4]) {
      await expect(g.verify(WRONG, inCall(`down-${i}`, 'sip:+4930888@pbx'))).rejects.toMatchObject({
        reason: 'case_system_unavailable',
      });
    }
    expect(calls).toBe(4);
    expect(await attempts.failures({ kind: 'number', key: hmac('customer:99800001') }, clock)).toBe(
      0,
    );
    // Back up: the caller verifies at once.
    expect((await gate().verify(RIGHT, inCall('up', 'sip:+4930888@pbx'))).verified).toBe(true);
  });

  it('stops verification, with a reason, when the attempts cannot be counted', async () => {
    let calls = 0;
    const counting = Object.assign(Object.create(cases) as CaseSystem, {
      verify: async () => {
        calls++;
        return { verified: true as const, caseRef: 'x' as never };
      },
    });
    const g = gate(counting, () => Promise.reject(new Error('disk gone')));
    await expect(g.verify(RIGHT, inCall('nocount'))).rejects.toMatchObject({
      reason: 'verification_store_unavailable',
      message: expect.stringMatching(/disk gone/),
    });
    expect(calls).toBe(0);
  });

  it('writes every lock and every refusal to an append-only, chained lockout journal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-lockouts-'));
    try {
      const stored = await VerificationAttempts.open({ dataDir: dir, driver: 'sqlite' });
      const g = gate(cases, async () => stored);
      for (const i of [1, 2, 3]) await g.verify(WRONG, inCall(`j-${i}`));
      await g.verify(RIGHT, inCall('j-4'));
      const journal = await stored.lockouts();
      expect(journal.map((e) => e.event)).toEqual(['refused', 'locked']);
      expect(journal[1]).toMatchObject({ callId: 'j-3', who: 'bot' });
      expect(journal[1]?.locks).toEqual([
        {
          kind: 'number',
          key: hmac('customer:99800001'),
          failures: 3,
          until: '2026-03-02T09:15:00.000Z',
        },
      ]);
      expect(await stored.verifyJournal()).toMatchObject({ ok: true, chained: 2 });
      await stored.close();
      const { db } = await openDatabase({ dataDir: dir, name: 'verification', driver: 'sqlite' });
      try {
        await expect(db.query('DELETE FROM verification_lockouts')).rejects.toThrow(/append-only/);
        await expect(db.query("UPDATE verification_lockouts SET who = 'nobody'")).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a store error during verification', () => {
  it('is not counted as a failed attempt by the limits', async () => {
    const broken = await openBreakingCaseStore();
    const { store, errors } = broken;
    try {
      await broken.breakMembers();
      const g = gate(store);
      for (const i of [1, 2, 3, 4]) {
        await expect(g.verify(WRONG, inCall(`broken-${i}`, 'sip:+4930444@pbx'))).rejects.toThrow();
      }
      expect(
        await attempts.failures({ kind: 'number', key: hmac('customer:99800001') }, clock),
      ).toBe(0);
      expect(lockouts).toEqual([]);
      expect(errors.some((m) => /verify: the case store failed/.test(m))).toBe(true);
    } finally {
      await broken.dispose();
    }
  });
});
