/**
 * SipPhone's registration against the fake SIP server: register, a
 * registrar that refuses, retries with backoff after a server error or a
 * lost connection (RFC 3261 10, RFC 7118 over a fake WebSocket).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, flush, phoneHarness, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone registration', () => {
  it('registers: one REGISTER for the account, 200 binds it for 300 s', async () => {
    const h = phoneHarness();
    await h.registered();
    expect(h.server.registers).toHaveLength(1);
    const register = h.server.registers[0]!.request;
    expect(register.getHeader('Contact')).toMatch(/;expires=300$/);
    expect(register.getHeader('From')).toContain('sip:agent@127.0.0.1');
    expect(h.state().registration).toMatchObject({ state: 'registered', attempts: 0 });
    expect(h.reports.lines()).toContain('registration registered');
    await h.phone.unregister();
    expect(h.state().registration.state).toBe('unregistered');
    expect(h.server.registers.at(-1)?.request.getHeader('Contact')).toMatch(/;expires=0$/);
  });

  it('a registrar that refuses (403) is not asked again by itself', async () => {
    const h = phoneHarness();
    h.server.registerAnswer = 403;
    await h.phone.configure({ account: ACCOUNT, password: 'falsch' });
    h.phone.register();
    await until(() => h.state().registration.state === 'failed');
    expect(h.state().registration.cause).toEqual({
      kind: 'rejected',
      statusCode: 403,
      reasonPhrase: 'Forbidden',
    });
    expect(h.state().registration.nextRetryAt).toBeUndefined();
    await flush(60_000);
    expect(h.server.registers).toHaveLength(1);
    expect(h.reports.lines().at(-1)).toBe(
      'registration failed: registration refused: 403 Forbidden',
    );
  });

  it('retries with growing delays after server errors, then registers', async () => {
    const h = phoneHarness();
    h.server.registerAnswer = 503;
    await h.phone.configure({ account: ACCOUNT, password: 'geheim' });
    h.phone.register();
    await until(() => h.state().registration.state === 'failed');
    const first = h.state().registration;
    expect(first.cause).toMatchObject({ kind: 'rejected', statusCode: 503 });
    expect(first.nextRetryAt).toBeGreaterThan(Date.now());
    const startedAt = Date.now();
    await until(() => h.server.registers.length === 3, 10_000);
    // 500 ms, then about 1 s (±20 % jitter): backoff, not a tight loop.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_200);
    expect(h.state().registration.attempts).toBeGreaterThanOrEqual(2);
    h.server.registerAnswer = 200;
    await until(() => h.state().registration.state === 'registered', 10_000);
    expect(h.state().registration.attempts).toBe(0);
  });

  it('an unreachable server: failed, retried, registered once it is up', async () => {
    const h = phoneHarness();
    h.server.reachable = false;
    await h.phone.configure({ account: ACCOUNT, password: 'geheim' });
    h.phone.register();
    await until(() => h.state().registration.state === 'failed');
    expect(h.state().registration.cause).toMatchObject({ kind: 'unreachable' });
    expect(h.reports.lines().at(-1)).toMatch(
      /^registration failed: server unreachable \(ws:\/\/127\.0\.0\.1:8080: connection refused\); retry in 1 s$/,
    );
    h.server.reachable = true;
    await until(() => h.state().registration.state === 'registered', 10_000);
    expect(h.server.registers).toHaveLength(1);
  });

  it('the connection drops while registered: failed (connection lost), re-registers when back', async () => {
    const h = phoneHarness();
    await h.registered();
    h.server.drop(false);
    await until(() => h.state().registration.state === 'failed');
    expect(h.state().registration.cause).toMatchObject({ kind: 'connection-lost' });
    expect(h.reports.lines()).toContain(
      'registration failed: connection lost (WebSocket closed); retry in 1 s',
    );
    await flush(3_000);
    h.server.reachable = true;
    await until(() => h.state().registration.state === 'registered', 40_000);
    expect(h.server.registers).toHaveLength(2);
  });
});
