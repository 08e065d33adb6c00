import { describe, expect, it } from 'vitest';
import {
  createPhoneStore,
  defaultBotLines,
  MAX_MISSED_CALLS,
} from '../../../../renderer/phone/phone-store';
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
    store.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
    expect(store.getState().call).toMatchObject({
      state: 'ended',
      id: 'c1',
      remote: 'caller',
      startedAt: 0,
      connectedAt: 3000,
      endedAt: 9000,
      endReason: { code: 'remote-hangup' },
      muted: true,
    });
    store.getState().callEvent({ type: 'reset' });
    expect(store.getState().call).toEqual({
      state: 'idle',
      muted: false,
      held: false,
      holdPending: false,
      dtmfSent: '',
    });
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
  it('holds only a connected call and clears hold, DTMF and pending state on a new call', () => {
    const store = createPhoneStore(() => 0);
    store.getState().setHold({ held: true, pending: false });
    expect(store.getState().call.held).toBe(false);
    store.getState().callEvent({ type: 'incoming' }, { id: 'c1', remote: 'carol' });
    store.getState().callEvent({ type: 'answered' });
    store.getState().setHold({ pending: true });
    expect(store.getState().call).toMatchObject({ held: false, holdPending: true });
    store.getState().setHold({ held: true, pending: false });
    store.getState().addDtmf('1');
    store.getState().addDtmf('#');
    expect(store.getState().call).toMatchObject({ held: true, holdPending: false, dtmfSent: '1#' });
    store.getState().callEvent({ type: 'ended', reason: { code: 'local-hangup' } });
    expect(store.getState().call.held).toBe(false);
    store.getState().callEvent({ type: 'reset' });
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'dave' });
    expect(store.getState().call).toMatchObject({ held: false, dtmfSent: '', muted: false });
  });

  it('keeps the newest missed calls first, at most MAX_MISSED_CALLS', () => {
    let t = 0;
    const store = createPhoneStore(() => t);
    for (let i = 0; i < MAX_MISSED_CALLS + 5; i++) {
      t = i;
      store
        .getState()
        .addMissed({ id: `c${i}`, remote: `r${i}`, reason: { code: 'do-not-disturb' } });
    }
    const missed = store.getState().missed;
    expect(missed).toHaveLength(MAX_MISSED_CALLS);
    expect(missed[0]).toEqual({
      id: `c${MAX_MISSED_CALLS + 4}`,
      remote: `r${MAX_MISSED_CALLS + 4}`,
      reason: { code: 'do-not-disturb' },
      at: MAX_MISSED_CALLS + 4,
    });
    store.getState().clearMissed();
    expect(store.getState().missed).toEqual([]);
  });

  it('merges call policy changes; auto-answer and do not disturb start off, following REFER on', () => {
    const store = createPhoneStore();
    expect(store.getState().policy).toEqual({
      autoAnswer: false,
      doNotDisturb: false,
      followRefer: true,
      botFirst: false,
      botLines: defaultBotLines(),
    });
    store.getState().setPolicy({ autoAnswer: true });
    store.getState().setPolicy({ doNotDisturb: true });
    store.getState().setPolicy({ followRefer: false });
    expect(store.getState().policy).toEqual({
      autoAnswer: true,
      doNotDisturb: true,
      followRefer: false,
      botFirst: false,
      botLines: defaultBotLines(),
    });
    // Four bot calls per core, at least 2, at most 16.
    expect([1, 2, 8].map((cores) => defaultBotLines(cores))).toEqual([4, 8, 16]);
    expect(store.getState().dtmfMethod).toBe('rfc4733');
    store.getState().setDtmfMethod('info');
    expect(store.getState().dtmfMethod).toBe('info');
  });
});
