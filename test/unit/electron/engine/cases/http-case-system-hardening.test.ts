/**
 * The HTTP connector's hardening (issue 13, point 5): https:// required except
 * on the loopback interface, verify padded to a fixed time, answers read only
 * up to a size limit, and a contact note's Idempotency-Key derived from the
 * note, so a retried save is written once. Against the contract server of the
 * test bed (a real HTTP server on 127.0.0.1 over a real embedded store) and,
 * for oversized answers, a tiny server of its own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditJournal } from '../../../../../electron/engine/cases/audit-journal';
import { CaseApiClient } from '../../../../../electron/engine/cases/case-api-client';
import { isLoopbackHostname } from '../../../../../electron/contract';
import {
  CaseSystemError,
  type AuditContext,
  type CaseRef,
} from '../../../../../electron/engine/cases/case-system';
import {
  HttpCaseSystem,
  noteIdempotencyKey,
} from '../../../../../electron/engine/cases/http-case-system';
import {
  CaseSystemConfigError,
  caseSystemConfigFromEnv,
} from '../../../../../electron/engine/cases/open-case-system';
import { reasonOf } from '../../../../../electron/contract';
import {
  startCaseContractServer,
  type CaseContractServer,
} from '../../../../testbed/case-contract-server';

const audit: AuditContext = { who: 'bot', why: 'hardening test', callId: 'call-h13' };

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

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T | Error }> {
  const started = performance.now();
  let result: T | Error;
  try {
    result = await work();
  } catch (error) {
    result = error as Error;
  }
  return { ms: performance.now() - started, result };
}

describe('LOTSE_CASE_SYSTEM_URL: https:// except on the loopback interface', () => {
  it.each([
    'http://fachverfahren.example/lotse/v1',
    'http://10.1.2.3:8443/lotse/v1',
    'http://[fe80::1]/lotse/v1',
    'http://128.0.0.1/lotse/v1',
    'http://localhost.example/lotse/v1',
  ])('refuses %s by name, with a reason for the screen', (url) => {
    let thrown: unknown;
    try {
      caseSystemConfigFromEnv({ LOTSE_CASE_SYSTEM_URL: url });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CaseSystemConfigError);
    expect((thrown as Error).message).toMatch(/^LOTSE_CASE_SYSTEM_URL: must use https:\/\//);
    expect(reasonOf(thrown)).toEqual({
      reason: 'case_system_url_insecure',
      params: { variable: 'LOTSE_CASE_SYSTEM_URL' },
    });
  });

  it.each([
    'https://fachverfahren.example/lotse/v1',
    'http://127.0.0.1:4010/lotse/v1',
    'http://127.8.9.10/lotse/v1',
    'http://127.1/lotse/v1',
    'http://localhost:4010/lotse/v1',
    'http://[::1]:4010/lotse/v1',
  ])('accepts %s', (url) => {
    expect(caseSystemConfigFromEnv({ LOTSE_CASE_SYSTEM_URL: url })?.baseUrl).toBe(
      new URL(url).href,
    );
  });

  it('gives every other bad setting a reason naming the variable too', () => {
    let thrown: unknown;
    try {
      caseSystemConfigFromEnv({
        LOTSE_CASE_SYSTEM_URL: 'https://x.example/',
        LOTSE_CASE_SYSTEM_TIMEOUT_MS: '3s',
      });
    } catch (error) {
      thrown = error;
    }
    expect(reasonOf(thrown)).toEqual({
      reason: 'case_system_config_invalid',
      params: { variable: 'LOTSE_CASE_SYSTEM_TIMEOUT_MS' },
    });
  });

  it('knows the loopback names and nothing else', () => {
    for (const host of ['localhost', '127.0.0.1', '127.255.255.254', '[::1]', 'LOCALHOST']) {
      expect(isLoopbackHostname(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '128.0.0.1', '[::ffff:7f00:1]', 'localhost.evil', '127.0.0']) {
      expect(isLoopbackHostname(host), host).toBe(false);
    }
  });

  it('refuses plain http to another machine in the client itself', () => {
    expect(() => new CaseApiClient({ baseUrl: 'http://fachverfahren.example/v1' })).toThrow(
      /must be https:\/\//,
    );
    expect(() => new HttpCaseSystem({ baseUrl: 'http://192.168.1.5/v1' })).toThrow(
      /must be https:\/\//,
    );
    expect(() => new CaseApiClient({ baseUrl: 'http://127.0.0.1:9/v1' })).not.toThrow();
  });
});

describe('HttpCaseSystem hardening against the contract server', () => {
  let server: CaseContractServer;
  let journal: AuditJournal;
  let caller: { customerNumber: string; dateOfBirth: string };
  const systems: HttpCaseSystem[] = [];
  const connector = (options: Partial<ConstructorParameters<typeof HttpCaseSystem>[0]> = {}) => {
    const system = new HttpCaseSystem({
      baseUrl: server.url,
      timeoutMs: 2000,
      retries: 2,
      backoffMs: 20,
      random: () => 0.5,
      auditLog: journal,
      ...options,
    });
    systems.push(system);
    return system;
  };
  const verified = async (system: HttpCaseSystem): Promise<CaseRef> => {
    const result = await system.verify(caller, audit);
    if (!result.verified) throw new Error('the demo caller should verify');
    return result.caseRef;
  };
  const posts = () => server.requests.filter((r) => r.route === 'add-contact-note');

  beforeAll(async () => {
    server = await startCaseContractServer({ demoHouseholds: 3 });
    journal = await AuditJournal.open();
    const demo = await server.cases.demoCaller();
    if (!demo) throw new Error('the demo households have a caller');
    caller = demo;
  }, 30_000);
  afterEach(() => server.faults.clear());
  afterAll(async () => {
    for (const system of systems) await system.close();
    await server?.close();
    await journal?.close();
  });

  it('pads verify to a fixed 800 ms by default, whether the number exists or not', async () => {
    const system = connector();
    const unknown = await timed(() =>
      system.verify({ customerNumber: '998D99999', dateOfBirth: '1985-04-12' }, audit),
    );
    expect(unknown.result).toStrictEqual({ verified: false });
    expect(unknown.ms).toBeGreaterThanOrEqual(795);
    // A bridge that is slower for a number it knows: still the floor, not its own time.
    server.faults.set({ route: 'verify', delayMs: 300, failTimes: 1 });
    const known = await timed(() => system.verify(caller, audit));
    expect(known.result).toMatchObject({ verified: true });
    expect(known.ms).toBeGreaterThanOrEqual(795);
    expect(known.ms).toBeLessThan(800 + 700);
  });

  it('pads a failed verify as well, and a timeout is still reported as a timeout', async () => {
    const system = connector({ verifyFloorMs: 600, timeoutMs: 150 });
    server.faults.set({ route: 'verify', delayMs: 1000, failTimes: 1 });
    const slow = await timed(() => system.verify(caller, audit));
    expect(slow.result).toBeInstanceOf(CaseSystemError);
    expect((slow.result as CaseSystemError).code).toBe('timeout');
    expect((slow.result as CaseSystemError).reason).toBe('case_system_timeout');
    expect(slow.ms).toBeGreaterThanOrEqual(595);
    // A verify slower than the floor is not made slower still.
    const late = connector({ verifyFloorMs: 100 });
    server.faults.set({ route: 'verify', delayMs: 400, failTimes: 1 });
    const over = await timed(() => late.verify(caller, audit));
    expect(over.result).toMatchObject({ verified: true });
    expect(over.ms).toBeLessThan(400 + 600);
  });

  it('reads at most maxResponseBytes of an answer: larger is "bad_response"', async () => {
    const system = connector({ verifyFloorMs: 0, maxResponseBytes: 200 });
    // The verification's answer (a token and a case id) fits; the whole case does not.
    const ref = await verified(system);
    const error = await caseError(system.caseContext(ref, audit));
    expect(error.code).toBe('bad_response');
    expect(error.reason).toBe('case_system_bad_response');
    expect(error.params).toMatchObject({ what: 'case_context', maxBytes: 200 });
    expect(error.message).toContain('larger than 200 bytes');
  });

  it('sends the same Idempotency-Key for every save of the same note, and the bridge writes it once', async () => {
    const system = connector({ verifyFloorMs: 0 });
    const ref = await verified(system);
    const text = `Rückruf zugesagt ${Date.now()}`;
    const note = {
      channel: 'phone' as const,
      text,
      noteId: '6b1f3c2e-5d4a-4f7e-9c8b-0a1b2c3d4e5f',
    };
    // The first save: the bridge writes the note, but no answer comes back (three times).
    server.faults.set({ route: 'add-contact-note', drop: true, failTimes: 3 });
    const before = posts().length;
    const failed = await caseError(system.addContactNote(ref, note, audit));
    expect(failed.code).toBe('unavailable');
    // The agent saves again: the same note.
    const saved = await system.addContactNote(ref, note, audit);
    const sent = posts().slice(before);
    expect(sent).toHaveLength(4);
    // One key for the four attempts of both saves …
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
    // … so the bridge holds the note once.
    const direct = await server.cases.verify(caller, audit);
    if (!direct.verified) throw new Error('direct verify failed');
    const stored = (await server.cases.contactNotes(direct.caseRef, audit, 100)).filter(
      (n) => n.text === text,
    );
    expect(stored).toEqual([saved]);
    // The key is the one derived from the note.
    expect(sent[0]?.idempotencyKey).toBe(noteIdempotencyKey(note.noteId, audit.callId, text));
  });

  it('derives a UUID from note id, call and text: another text or call is another key', () => {
    const key = noteIdempotencyKey('n-1', 'call-1', 'Text');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(noteIdempotencyKey('n-1', 'call-1', 'Text')).toBe(key);
    expect(noteIdempotencyKey('n-1', 'call-1', 'Text.')).not.toBe(key);
    expect(noteIdempotencyKey('n-1', 'call-2', 'Text')).not.toBe(key);
    expect(noteIdempotencyKey('n-2', 'call-1', 'Text')).not.toBe(key);
    expect(noteIdempotencyKey('n-1', undefined, 'Text')).not.toBe(key);
  });

  it('without a note id, each save is its own note (one random key per save)', async () => {
    const system = connector({ verifyFloorMs: 0 });
    const ref = await verified(system);
    const before = posts().length;
    await system.addContactNote(ref, { channel: 'bot', text: 'ohne Kennung' }, audit);
    await system.addContactNote(ref, { channel: 'bot', text: 'ohne Kennung' }, audit);
    const [first, second] = posts().slice(before);
    expect(first?.idempotencyKey).toBeTruthy();
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });
});

describe('HttpCaseSystem answers larger than the default limit (1 MiB)', () => {
  let server: http.Server;
  let base: string;
  /** What the tiny bridge sends: a huge valid-looking answer, with or without Content-Length. */
  let mode: 'length' | 'chunked' | 'error-page' = 'length';
  let hits = 0;
  const big = JSON.stringify({ verified: false, padding: 'x'.repeat(2 * 1024 * 1024) });

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      hits += 1;
      request.resume();
      if (mode === 'error-page') {
        response.writeHead(503, { 'content-type': 'text/html', 'retry-after': '0' });
        response.end(`<html>${'x'.repeat(2 * 1024 * 1024)}</html>`);
      } else if (mode === 'chunked') {
        response.writeHead(200, { 'content-type': 'application/json' });
        // Written in pieces without a length: the limit must hold while reading.
        for (let at = 0; at < big.length; at += 64 * 1024)
          response.write(big.slice(at, at + 64 * 1024));
        response.end();
      } else {
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(big),
        });
        response.end(big);
      }
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lotse/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  const system = () =>
    new HttpCaseSystem({
      baseUrl: base,
      timeoutMs: 3000,
      retries: 1,
      backoffMs: 10,
      verifyFloorMs: 0,
    });

  it.each(['length', 'chunked'] as const)(
    'discards an oversized answer (%s) as "bad_response", without retrying',
    async (how) => {
      mode = how;
      const before = hits;
      const connector = system();
      const error = await caseError(connector.verify({ pin: '123456' }, audit));
      await connector.close();
      expect(error.code).toBe('bad_response');
      expect(error.reason).toBe('case_system_bad_response');
      expect(error.params).toMatchObject({ what: 'verify', maxBytes: 1024 * 1024 });
      expect(error.message).toMatch(/larger than 1048576 bytes/);
      expect(hits - before).toBe(1);
    },
  );

  it('still reads the status of an oversized error page (503: retried, "unavailable")', async () => {
    mode = 'error-page';
    const before = hits;
    const connector = system();
    const error = await caseError(connector.verify({ pin: '123456' }, audit));
    await connector.close();
    expect(error.code).toBe('unavailable');
    expect(error.params).toMatchObject({ status: 503, attempts: 2 });
    expect(hits - before).toBe(2);
  });
});
