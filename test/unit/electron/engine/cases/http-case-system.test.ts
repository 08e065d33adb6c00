import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditJournal,
  AuditJournalError,
} from '../../../../../electron/engine/cases/audit-journal';
import {
  CaseAccessError,
  CaseSystemError,
  type AuditContext,
  type CaseRef,
} from '../../../../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { HttpCaseSystem } from '../../../../../electron/engine/cases/http-case-system';
import {
  caseSystemConfigFromEnv,
  openCaseSystem,
} from '../../../../../electron/engine/cases/open-case-system';
import { Logger } from '../../../../../electron/engine/log/logger';
import {
  startCaseContractServer,
  type CaseContractServer,
} from '../../../../testbed/case-contract-server';

// A real HTTP server on 127.0.0.1 (the contract server of the test bed) over a
// real embedded store; the connector talks to it with the global fetch.

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
const TOKEN = 'test-token-0123456789';
const audit: AuditContext = { who: 'bot', why: 'caller asked: payment_date', callId: 'call-7' };
const customer = { customerNumber: '998D00001', dateOfBirth: '1985-04-12' };

/** The CaseSystemError a promise rejects with (fails the test if it resolves). */
async function caseError(promise: Promise<unknown>): Promise<CaseSystemError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CaseSystemError);
    return error as CaseSystemError;
  }
  throw new Error('expected a CaseSystemError, got an answer');
}

/** Polls `check` until it holds; the limit is generous (a loaded two-core machine). */
async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('HttpCaseSystem against the contract server', () => {
  let store: EmbeddedCaseSystem;
  let server: CaseContractServer;
  let journal: AuditJournal;
  let system: HttpCaseSystem;
  const logLines: string[] = [];
  const logger = new Logger({ stderr: false });
  logger.addSink((entry) => logLines.push(`${entry.level} ${entry.message}`));
  const connector = (options: Partial<ConstructorParameters<typeof HttpCaseSystem>[0]> = {}) =>
    new HttpCaseSystem({
      baseUrl: server.url,
      token: TOKEN,
      // Generous for a busy machine; the timeout itself is tested with 400 ms.
      timeoutMs: 3000,
      retries: 2,
      backoffMs: 20,
      random: () => 0.5,
      // The verify floor has its own tests (http-case-system-hardening.test.ts).
      verifyFloorMs: 0,
      auditLog: journal,
      log: logger.scope('cases'),
      ...options,
    });
  const verified = async (target = system): Promise<CaseRef> => {
    const result = await target.verify(customer, audit);
    if (!result.verified) throw new Error('the fixture customer should verify');
    return result.caseRef;
  };
  const requestsTo = (route: string) => server.requests.filter((r) => r.route === route);

  beforeAll(async () => {
    store = await EmbeddedCaseSystem.open({
      demo: false,
      now: () => new Date('2026-02-20T10:00:00Z'),
      verifyFloorMs: 30,
    });
    await store.importCaseFile(fixture);
    server = await startCaseContractServer({ cases: store, token: TOKEN });
    journal = await AuditJournal.open();
    system = connector();
  }, 30_000);
  afterEach(() => server.faults.clear());
  afterAll(async () => {
    await system?.close();
    await server?.close();
    await journal?.close();
    await store?.close();
  });

  it('verifies, then answers every read as the embedded store does', async () => {
    const ref = await verified();
    const direct = await store.verify(customer, audit);
    if (!direct.verified) throw new Error('direct verify failed');
    const d = direct.caseRef;
    expect(await system.nextPayment(ref, audit)).toEqual(await store.nextPayment(d, audit));
    expect(await system.nextPayment(ref, audit)).toEqual({
      date: '2026-02-27',
      amountCents: 101300,
      forMonth: '2026-03',
    });
    expect(await system.applications(ref, audit)).toEqual(await store.applications(d, audit));
    expect(await system.nextAppointment(ref, audit)).toEqual(await store.nextAppointment(d, audit));
    expect(await system.caseworker(ref, audit)).toEqual(await store.caseworker(d, audit));
    expect(await system.householdMembers(ref, audit)).toEqual(
      await store.householdMembers(d, audit),
    );
    expect(await system.benefitPeriod(ref, audit)).toEqual(await store.benefitPeriod(d, audit));
    expect(await system.contactNotes(ref, audit, 5)).toEqual(await store.contactNotes(d, audit, 5));
    const context = await system.caseContext(ref, audit);
    expect(context).toEqual(await store.caseContext(d, audit));
    expect(context.caseId).toBe('FIX-0001');
    expect(context.client).toMatchObject({ firstName: 'Anna', customerNumber: '998D00001' });

    const note = await system.addContactNote(
      ref,
      { channel: 'bot', text: '  Zahltermin über HTTP genannt. ' },
      audit,
    );
    expect(note).toMatchObject({
      channel: 'bot',
      text: 'Zahltermin über HTTP genannt.',
      author: 'bot',
    });
    expect((await store.contactNotes(d, audit))[0]).toEqual(note);
    expect(await system.contactNotes(ref, audit, 1)).toEqual([note]);
  });

  it('sends the token and the audit context (UTF-8) with every request', async () => {
    const ref = await verified();
    const reader = { who: 'agent:k.müller', why: 'Fallansicht nach Übergabe', callId: 'call/ä 1' };
    await system.caseworker(ref, reader);
    const last = requestsTo('caseworker').at(-1)!;
    expect(last).toMatchObject({
      who: 'agent:k.müller',
      why: 'Fallansicht nach Übergabe',
      callId: 'call/ä 1',
      authorization: `Bearer ${TOKEN}`,
    });
    // The store's clock stands still: every row has the same time, so look at all of them.
    const rows = await store.auditLog({ householdId: 'FIX-0001', limit: 10_000 });
    expect(rows.some((r) => r.who === 'agent:k.müller' && r.what === 'caseworker')).toBe(true);
  });

  it('answers a wrong date of birth, an unknown number and a malformed input alike', async () => {
    const answers = [
      await system.verify({ customerNumber: '998D00001', dateOfBirth: '1985-04-13' }, audit),
      await system.verify({ customerNumber: '998D99999', dateOfBirth: '1985-04-12' }, audit),
      await system.verify({ customerNumber: 'x', dateOfBirth: 'gestern' }, audit),
      await system.verify({ pin: '111111' }, audit),
    ];
    for (const answer of answers) expect(answer).toStrictEqual({ verified: false });
    expect(await system.verify({ pin: '246810' }, audit)).toMatchObject({ verified: true });
  });

  it('treats a bridge that answers 404 to a verification as "not verified", not as an error', async () => {
    server.faults.set({ route: 'verify', status: 404 });
    expect(await system.verify(customer, audit)).toStrictEqual({ verified: false });
    expect(logLines.some((l) => l.includes('contract answers 200'))).toBe(true);
  });

  it('throws "unavailable" for a verification the server cannot answer (not "not verified")', async () => {
    server.faults.set({ route: 'verify', status: 503 });
    const before = requestsTo('verify').length;
    const error = await caseError(system.verify(customer, audit));
    expect(error.code).toBe('unavailable');
    expect(error.reason).toBe('case_system_unavailable');
    expect(error.params).toMatchObject({ status: 503, attempts: 3 });
    expect(error.message).toMatch(/^case system unavailable/);
    expect(requestsTo('verify').length - before).toBe(3);
  });

  it('times out per attempt at timeoutMs, without retrying', async () => {
    const quick = connector({ timeoutMs: 400 });
    const ref = await verified(quick);
    server.faults.set({ route: 'next-payment', delayMs: 1500 });
    const before = requestsTo('next-payment').length;
    const started = performance.now();
    const error = await caseError(quick.nextPayment(ref, audit));
    await quick.close();
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(error.reason).toBe('case_system_timeout');
    expect(error.params).toEqual({ timeoutMs: 400 });
    expect(error.message).toContain('case system timed out after 400 ms');
    expect(elapsed).toBeGreaterThanOrEqual(395);
    // Gave up at its own limit, not when the slow server (1.5 s) would have answered.
    expect(elapsed).toBeLessThan(1400);
    expect(requestsTo('next-payment').length - before).toBe(1);
  });

  it('retries 503 with backoff and succeeds on the third attempt', async () => {
    const ref = await verified();
    server.faults.set({ route: 'applications', status: 503, failTimes: 2 });
    const before = requestsTo('applications').length;
    const started = performance.now();
    const applications = await system.applications(ref, audit);
    const elapsed = performance.now() - started;
    expect(applications[0]).toMatchObject({ type: 'continuation_application' });
    expect(requestsTo('applications').length - before).toBe(3);
    // backoff 20 ms doubling, jitter 0.5: waits of 15 and 30 ms.
    expect(elapsed).toBeGreaterThanOrEqual(44);
    // Short backoff: tens of ms, not seconds (generous for a busy machine).
    expect(elapsed).toBeLessThan(3000);
  });

  it('gives up on a server that answers 500 every time after 1 + retries attempts', async () => {
    const ref = await verified();
    server.faults.set({ route: 'caseworker', status: 500 });
    const before = requestsTo('caseworker').length;
    const error = await caseError(system.caseworker(ref, audit));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('3 attempts');
    expect(error.params).toEqual({ status: 500, attempts: 3 });
    expect(requestsTo('caseworker').length - before).toBe(3);
  });

  it('does not retry a 4xx: 400 is "rejected" at once', async () => {
    const ref = await verified();
    server.faults.set({ route: 'benefit-period', status: 400 });
    const before = requestsTo('benefit-period').length;
    const error = await caseError(system.benefitPeriod(ref, audit));
    expect(error.code).toBe('rejected');
    expect(requestsTo('benefit-period').length - before).toBe(1);
  });

  it('retries 429 and 408 like a busy server', async () => {
    const ref = await verified();
    server.faults.set({ route: 'benefit-period', status: 429, failTimes: 1 });
    expect(await system.benefitPeriod(ref, audit)).toEqual({
      start: '2025-11-01',
      end: '2026-10-31',
    });
    server.faults.set({ route: 'benefit-period', status: 408 });
    expect((await caseError(system.benefitPeriod(ref, audit))).code).toBe('timeout');
  });

  it('rejects a wrong token by name and does not retry', async () => {
    const wrong = connector({ token: 'wrong-token' });
    const before = requestsTo('verify').length;
    const error = await caseError(wrong.verify(customer, audit));
    expect(error.code).toBe('rejected');
    expect(error.message).toContain('LOTSE_CASE_SYSTEM_TOKEN');
    expect(error.message).toContain('HTTP 401');
    expect(error.reason).toBe('case_system_token_rejected');
    expect(requestsTo('verify').length - before).toBe(1);
    const none = connector({ token: undefined });
    const unset = await caseError(none.verify(customer, audit));
    expect(unset.reason).toBe('case_system_token_missing');
    expect(unset.message).toContain('LOTSE_CASE_SYSTEM_TOKEN is not set');
    await wrong.close();
    await none.close();
  });

  it('turns malformed JSON into "bad_response"', async () => {
    const ref = await verified();
    server.faults.set({ route: 'household-members', malformed: true });
    const error = await caseError(system.householdMembers(ref, audit));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('not JSON');
  });

  it('turns a wrong shape into "bad_response", naming the field', async () => {
    const ref = await verified();
    server.faults.set({ route: 'next-payment', wrongShape: true });
    const error = await caseError(system.nextPayment(ref, audit));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('next_payment (nextPayment:');
    server.faults.set({ route: 'verify', wrongShape: true });
    expect((await caseError(system.verify(customer, audit))).code).toBe('bad_response');
  });

  it('refuses reads after a verification that named another case than the bridge knows', async () => {
    server.faults.set({ route: 'verify', wrongCase: true, failTimes: 1 });
    const ref = await verified();
    // The bridge refuses the token for that case id: nothing is read.
    expect((await caseError(system.nextPayment(ref, audit))).code).toBe('rejected');
  });

  it('discards an answer for another case ("mismatch") and journals the failure', async () => {
    const ref = await verified();
    server.faults.set({ route: 'context', wrongCase: true });
    const error = await caseError(system.caseContext(ref, audit));
    expect(error.code).toBe('mismatch');
    expect(error.reason).toBe('case_system_mismatch');
    expect(error.message).toContain('different case');
    expect(error.message).not.toContain('Anna');
    const rows = await journal.entries({ caseId: 'FIX-0001', limit: 10_000 });
    expect(rows.filter((r) => r.what === 'case_context').map((r) => r.outcome)).toContain(
      'failed:mismatch',
    );
    server.faults.set({ route: 'add-contact-note', wrongCase: true });
    expect(
      (await caseError(system.addContactNote(ref, { channel: 'bot', text: 'x' }, audit))).code,
    ).toBe('mismatch');
  });

  it('says "unavailable" when nothing listens (connection refused)', async () => {
    const gone = await startCaseContractServer({ cases: store });
    const url = gone.url;
    await gone.close();
    const down = connector({ baseUrl: url });
    const started = performance.now();
    const error = await caseError(down.verify(customer, audit));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('unavailable');
    expect(error.reason).toBe('case_system_unreachable');
    expect(error.message).toMatch(/^case system unreachable \(ECONNREFUSED\)/);
    // A refused connection fails fast (generous for a busy machine).
    expect(elapsed).toBeLessThan(3000);
    await down.close();
  });

  it('writes a retried note once (same Idempotency-Key after a dropped response)', async () => {
    const ref = await verified();
    const direct = await store.verify(customer, audit);
    if (!direct.verified) throw new Error('direct verify failed');
    const text = `Rückruf zugesagt ${Date.now()}`;
    server.faults.set({ route: 'add-contact-note', drop: true, failTimes: 1 });
    const before = requestsTo('add-contact-note').length;
    const note = await system.addContactNote(ref, { channel: 'phone', text }, audit);
    const posts = requestsTo('add-contact-note').slice(before);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.idempotencyKey).toBeTruthy();
    expect(posts[1]!.idempotencyKey).toBe(posts[0]!.idempotencyKey);
    const stored = (await store.contactNotes(direct.caseRef, audit, 100)).filter(
      (n) => n.text === text,
    );
    expect(stored).toEqual([note]);
  });

  it('throws CaseAccessError for an invented, released or expired CaseRef', async () => {
    await expect(system.nextPayment('invented' as CaseRef, audit)).rejects.toThrow(CaseAccessError);
    const ref = await verified();
    const open = server.sessionCount();
    system.release(ref);
    await expect(system.caseworker(ref, audit)).rejects.toThrow(CaseAccessError);
    await until(() => server.sessionCount() === open - 1);
    expect(requestsTo('release').at(-1)).toMatchObject({ method: 'DELETE' });

    let offset = 0;
    const clock = connector({ now: () => new Date(Date.now() + offset), caseRefTtlMs: 60_000 });
    const short = await verified(clock);
    expect(await clock.benefitPeriod(short, audit)).not.toBeNull();
    offset = 61_000;
    await expect(clock.benefitPeriod(short, audit)).rejects.toThrow(/expired/);
    await clock.close();
  });

  it('forgets a CaseRef the server no longer knows (410)', async () => {
    const ref = await verified();
    server.faults.set({ route: 'next-appointment', status: 410, failTimes: 1 });
    await expect(system.nextAppointment(ref, audit)).rejects.toThrow(CaseAccessError);
    await expect(system.nextAppointment(ref, audit)).rejects.toThrow(CaseAccessError);
  });

  it('journals every read on the desk before returning it', async () => {
    const ref = await verified();
    const reader = { who: 'agent:journal', why: 'case view', callId: 'call-j' };
    await system.nextPayment(ref, reader);
    await system.applications(ref, reader);
    await system.nextAppointment(ref, reader);
    await system.caseworker(ref, reader);
    await system.householdMembers(ref, reader);
    await system.benefitPeriod(ref, reader);
    await system.contactNotes(ref, reader);
    await system.caseContext(ref, reader);
    await system.addContactNote(ref, { channel: 'phone', text: 'Journal' }, reader);
    const rows = (await journal.entries({ caseId: 'FIX-0001', limit: 100 })).filter(
      (r) => r.who === 'agent:journal',
    );
    expect(rows.map((r) => r.what).sort()).toEqual([
      'add_contact_note',
      'applications',
      'benefit_period',
      'case_context',
      'caseworker',
      'contact_notes',
      'household_members',
      'next_appointment',
      'next_payment',
    ]);
    expect(rows.every((r) => r.callId === 'call-j' && r.why === 'case view')).toBe(true);
    expect(rows.find((r) => r.what === 'add_contact_note')?.outcome).toBe('written');
    expect(rows.filter((r) => r.outcome === 'read')).toHaveLength(8);
    expect(rows.every((r) => r.system === `${server.url}/`)).toBe(true);
    const verifies = (await journal.entries({ limit: 1000 })).filter((r) => r.what === 'verify');
    expect(verifies.some((r) => r.outcome === 'not_verified' && r.caseId === null)).toBe(true);
    expect(verifies.some((r) => r.outcome === 'verified' && r.caseId === 'FIX-0001')).toBe(true);
  });

  it('returns no data when the desk journal cannot be written', async () => {
    const broken = await AuditJournal.open();
    const strict = connector({ auditLog: broken });
    const ref = await verified(strict);
    await broken.close();
    const before = requestsTo('next-payment').length;
    await expect(strict.nextPayment(ref, audit)).rejects.toThrow(AuditJournalError);
    await expect(strict.nextPayment(ref, audit)).rejects.toMatchObject({
      reason: 'audit_journal_unwritable',
      message: expect.stringMatching(/audit journal/),
    });
    // The server was asked (and logged it), but nothing reached the caller.
    expect(requestsTo('next-payment').length - before).toBe(2);
    await strict.close();
  });

  it('refuses a read without who and why, before asking the server', async () => {
    const ref = await verified();
    const before = server.requests.length;
    await expect(system.nextPayment(ref, { who: '', why: 'x' })).rejects.toThrow(/audit\.who/);
    await expect(system.verify(customer, { who: 'bot', why: ' ' })).rejects.toThrow(/audit\.why/);
    expect(server.requests.length).toBe(before);
  });

  it('gives a caller-ID hint without naming anyone', async () => {
    expect(await system.findByCallerId('+493023125990', audit)).toEqual({ known: true });
    expect(await system.findByCallerId('+493023125991', audit)).toEqual({ known: false });
  });
});

describe('case system configuration from the environment', () => {
  it('uses the embedded store when nothing is set', () => {
    expect(caseSystemConfigFromEnv({})).toBeUndefined();
  });

  it('reads URL, token and timeout', () => {
    expect(
      caseSystemConfigFromEnv({
        LOTSE_CASE_SYSTEM_URL: ' https://fachverfahren.example/lotse/v1 ',
        LOTSE_CASE_SYSTEM_TOKEN: 'abc',
        LOTSE_CASE_SYSTEM_TIMEOUT_MS: '2500',
      }),
    ).toEqual({
      baseUrl: 'https://fachverfahren.example/lotse/v1',
      token: 'abc',
      timeoutMs: 2500,
    });
  });

  it.each([
    [
      { LOTSE_CASE_SYSTEM_URL: 'fachverfahren' },
      /^LOTSE_CASE_SYSTEM_URL: "fachverfahren" is not a URL/,
    ],
    [{ LOTSE_CASE_SYSTEM_URL: 'ftp://127.0.0.1/x' }, /^LOTSE_CASE_SYSTEM_URL: scheme "ftp"/],
    [
      { LOTSE_CASE_SYSTEM_URL: 'https://u:p@127.0.0.1/' },
      /^LOTSE_CASE_SYSTEM_URL: must not contain a user/,
    ],
    [
      { LOTSE_CASE_SYSTEM_URL: 'http://127.0.0.1:5060/lotse/v1' },
      /^LOTSE_CASE_SYSTEM_URL: port 5060 is blocked/,
    ],
    [
      { LOTSE_CASE_SYSTEM_URL: 'https://127.0.0.1/', LOTSE_CASE_SYSTEM_TIMEOUT_MS: '3s' },
      /^LOTSE_CASE_SYSTEM_TIMEOUT_MS: "3s" is not a whole number/,
    ],
    [
      { LOTSE_CASE_SYSTEM_URL: 'https://127.0.0.1/', LOTSE_CASE_SYSTEM_TIMEOUT_MS: '10' },
      /^LOTSE_CASE_SYSTEM_TIMEOUT_MS: "10" is not a whole number of milliseconds between 100/,
    ],
    [
      { LOTSE_CASE_SYSTEM_URL: 'https://127.0.0.1/', LOTSE_CASE_SYSTEM_TOKEN: 'a b' },
      /^LOTSE_CASE_SYSTEM_TOKEN: must be printable ASCII/,
    ],
    [
      { LOTSE_CASE_SYSTEM_TOKEN: 'abc' },
      /^LOTSE_CASE_SYSTEM_TOKEN: is set, but LOTSE_CASE_SYSTEM_URL is not/,
    ],
  ])('names the variable for a bad setting %#', (env, message) => {
    expect(() => caseSystemConfigFromEnv(env)).toThrow(message);
  });

  it('opens the embedded store or the HTTP connector with a journal in the data folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-open-cases-'));
    try {
      const key = Buffer.alloc(32, 7);
      const embedded = await openCaseSystem({ dataDir: dir, key, env: {} });
      expect(embedded).toBeInstanceOf(EmbeddedCaseSystem);
      await embedded.close();
      const server = await startCaseContractServer({ demoHouseholds: 3 });
      try {
        const http = await openCaseSystem({
          dataDir: dir,
          key,
          env: { LOTSE_CASE_SYSTEM_URL: server.url, LOTSE_CASE_SYSTEM_TIMEOUT_MS: '1500' },
        });
        expect(http).toBeInstanceOf(HttpCaseSystem);
        const caller = await server.cases.demoCaller();
        if (!caller) throw new Error('the demo households have a caller');
        const result = await http.verify(caller, audit);
        expect(result.verified).toBe(true);
        await http.close();
        const files = fs.readdirSync(dir);
        expect(files.some((f) => f.startsWith('audit.'))).toBe(true);
        const reopened = await AuditJournal.open({ dataDir: dir });
        expect((await reopened.entries())[0]).toMatchObject({
          what: 'verify',
          outcome: 'verified',
        });
        await reopened.close();
      } finally {
        await server.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
