import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../../renderer/sip/backoff';
import {
  callTransition,
  IllegalCallTransitionError,
} from '../../../../renderer/phone/call-machine';
import {
  IllegalTransitionError,
  isRetryable,
  transition,
  type RegistrationEvent,
} from '../../../../renderer/phone/registration-machine';

const lost: RegistrationEvent = {
  type: 'failed',
  cause: { kind: 'connection-lost', detail: 'closed' },
};

describe('registration machine', () => {
  it('walks the normal path and recovers after a lost connection', () => {
    let s = transition('unregistered', { type: 'register' });
    expect(s).toBe('registering');
    s = transition(s, { type: 'accepted', expiresSec: 300 });
    expect(s).toBe('registered');
    s = transition(s, { type: 'accepted', expiresSec: 300 });
    expect(s).toBe('registered');
    s = transition(s, lost);
    expect(s).toBe('failed');
    s = transition(s, { type: 'retry' });
    expect(s).toBe('registering');
    expect(transition(s, { type: 'unregister' })).toBe('unregistered');
  });

  it.each([
    ['registering', { type: 'register' }],
    ['registered', { type: 'register' }],
    ['unregistered', { type: 'accepted', expiresSec: 1 }],
    ['unregistered', { type: 'retry' }],
    ['registered', { type: 'retry' }],
  ] as const)('refuses %s + %o (no second REGISTER in flight)', (from, event) => {
    expect(() => transition(from, event as RegistrationEvent)).toThrow(IllegalTransitionError);
  });

  it('retries network trouble and server errors, not refusals', () => {
    expect(isRetryable({ kind: 'unreachable', detail: '' })).toBe(true);
    expect(isRetryable({ kind: 'connection-lost', detail: '' })).toBe(true);
    expect(
      isRetryable({ kind: 'rejected', statusCode: 503, reasonPhrase: 'Service Unavailable' }),
    ).toBe(true);
    expect(isRetryable({ kind: 'rejected', statusCode: 403, reasonPhrase: 'Forbidden' })).toBe(
      false,
    );
    expect(isRetryable({ kind: 'rejected', statusCode: 404, reasonPhrase: 'Not Found' })).toBe(
      false,
    );
    expect(isRetryable({ kind: 'configuration', detail: '' })).toBe(false);
  });
});

describe('call machine', () => {
  it('rings, connects, ends and resets; rejects answering an idle phone', () => {
    let s = callTransition('idle', { type: 'incoming' });
    s = callTransition(s, { type: 'answered' });
    expect(s).toBe('connected');
    s = callTransition(s, { type: 'ended', reason: { code: 'remote-hangup' } });
    expect(callTransition(s, { type: 'reset' })).toBe('idle');
    expect(() => callTransition('idle', { type: 'answered' })).toThrow(IllegalCallTransitionError);
    expect(() => callTransition('connected', { type: 'incoming' })).toThrow(
      IllegalCallTransitionError,
    );
  });
});

describe('backoff', () => {
  it('doubles up to the cap with bounded jitter', () => {
    const mid = new Backoff(500, 30_000, () => 0.5);
    expect([mid.next(), mid.next(), mid.next(), mid.next()]).toEqual([500, 1000, 2000, 4000]);
    for (let i = 0; i < 10; i++) mid.next();
    expect(mid.next()).toBe(30_000);
    const low = new Backoff(500, 30_000, () => 0);
    expect(low.next()).toBe(500); // never below the base
    const high = new Backoff(500, 30_000, () => 1);
    high.next();
    expect(high.next()).toBe(1200);
    mid.reset();
    expect(mid.next()).toBe(500);
  });
});
