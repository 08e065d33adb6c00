import { describe, expect, it } from 'vitest';
import { createPhoneStore } from '../../../../renderer/stores/phone-store';
import { createEngineStore } from '../../../../renderer/stores/engine-store';

describe('phone store', () => {
  it('records the failure cause and the scheduled retry', () => {
    let t = 1000;
    const store = createPhoneStore(() => t);
    store.getState().registrationEvent({ type: 'register' });
    t = 2000;
    store
      .getState()
      .registrationEvent(
        { type: 'failed', cause: { kind: 'rejected', statusCode: 403, reasonPhrase: 'Forbidden' } },
        { attempts: 1 },
      );
    expect(store.getState().registration).toEqual({
      state: 'failed',
      cause: { kind: 'rejected', statusCode: 403, reasonPhrase: 'Forbidden' },
      attempts: 1,
      since: 2000,
    });
    store.getState().registrationEvent({ type: 'retry' }, { nextRetryAt: 5000 });
    store.getState().registrationEvent({ type: 'accepted', expiresSec: 300 });
    expect(store.getState().registration.state).toBe('registered');
    expect(store.getState().registration.cause).toBeUndefined();
    expect(store.getState().registration.attempts).toBe(0);
  });

  it('refuses an illegal move and keeps the state', () => {
    const store = createPhoneStore();
    expect(() => store.getState().registrationEvent({ type: 'accepted', expiresSec: 1 })).toThrow();
    expect(store.getState().registration.state).toBe('unregistered');
  });

  it('tracks a call from ringing to ended with its reason', () => {
    let t = 0;
    const store = createPhoneStore(() => t);
    store
      .getState()
      .callEvent({ type: 'incoming' }, { id: 'c1', direction: 'incoming', remote: 'caller' });
    t = 3000;
    store.getState().callEvent({ type: 'answered' });
    store.getState().setMuted(true);
    t = 9000;
    store.getState().callEvent({ type: 'ended', reason: 'Gegenseite hat aufgelegt' });
    expect(store.getState().call).toMatchObject({
      state: 'ended',
      id: 'c1',
      remote: 'caller',
      startedAt: 0,
      connectedAt: 3000,
      endedAt: 9000,
      endReason: 'Gegenseite hat aufgelegt',
      muted: true,
    });
    store.getState().callEvent({ type: 'reset' });
    expect(store.getState().call).toEqual({ state: 'idle', muted: false });
  });
});

describe('engine store', () => {
  it('keeps the latest level per leg and a bounded log', () => {
    const store = createEngineStore(() => 42);
    store.getState().applyEvent({
      event: 'audio.level',
      data: { leg: 'caller', seq: 1, rmsDbfs: -20, speech: true },
    });
    expect(store.getState().levels.caller).toEqual({ rmsDbfs: -20, speech: true, seq: 1, at: 42 });
    for (let i = 0; i < 250; i++) store.getState().addLocalLog('info', `line ${i}`);
    expect(store.getState().log).toHaveLength(200);
    expect(store.getState().log.at(-1)?.message).toBe('line 249');
  });
});
