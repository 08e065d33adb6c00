import { describe, expect, it } from 'vitest';
import { IllegalCallTransitionError } from '../../../../renderer/phone/call-machine';
import { createPhoneStore, pickForeground } from '../../../../renderer/phone/phone-store';

/** A store with call c1 connected in the foreground. */
function connected(t = () => 0) {
  const store = createPhoneStore(t);
  store
    .getState()
    .callEvent({ type: 'incoming' }, { id: 'c1', direction: 'incoming', remote: 'anna' });
  store.getState().callEvent({ type: 'answered' });
  return store;
}

describe('phone store with several calls', () => {
  it('a call that comes in during a call stays in the background and knocks', () => {
    const store = connected();
    store
      .getState()
      .callEvent(
        { type: 'incoming' },
        { id: 'c2', direction: 'incoming', remote: 'bert', waiting: true },
      );
    const s = store.getState();
    expect(s.activeId).toBe('c1');
    expect(s.call).toMatchObject({ id: 'c1', state: 'connected' });
    expect(s.lines.map((l) => [l.id, l.state, l.waiting ?? false])).toEqual([
      ['c1', 'connected', false],
      ['c2', 'ringing', true],
    ]);
  });

  it('answer-and-hold: c1 held, c2 answered in the foreground, no longer waiting', () => {
    const store = connected();
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'bert', waiting: true });
    store.getState().setHold({ held: true, pending: false }, 'c1');
    store.getState().setActive('c2');
    store.getState().callEvent({ type: 'answered' }, undefined, 'c2');
    const s = store.getState();
    expect(s.call).toMatchObject({ id: 'c2', state: 'connected', waiting: false, held: false });
    expect(s.lines.find((l) => l.id === 'c1')).toMatchObject({ held: true, state: 'connected' });
  });

  it('events for a background call change only that call', () => {
    const store = connected();
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'bert', waiting: true });
    store.getState().setMuted(true, 'c2');
    store.getState().addDtmf('5');
    expect(store.getState().call).toMatchObject({ id: 'c1', muted: false, dtmfSent: '5' });
    expect(store.getState().lines[1]).toMatchObject({ id: 'c2', muted: true, dtmfSent: '' });
  });

  it('a knocking caller who gives up leaves; the foreground call and its screen stay', () => {
    let t = 0;
    const store = connected(() => t);
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'bert', waiting: true });
    t = 5000;
    store
      .getState()
      .callEvent({ type: 'ended', reason: { code: 'caller-gave-up' } }, undefined, 'c2');
    const s = store.getState();
    expect(s.lines.map((l) => l.id)).toEqual(['c1']);
    expect(s.call).toMatchObject({ id: 'c1', state: 'connected' });
    expect(s.notice).toEqual({
      kind: 'call-ended',
      remote: 'bert',
      reason: { code: 'caller-gave-up' },
      at: 5000,
    });
  });

  it('when the foreground call ends, the held one comes forward (still held) and the notice says why', () => {
    const store = connected();
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'bert', waiting: true });
    store.getState().setHold({ held: true, pending: false }, 'c1');
    store.getState().setActive('c2');
    store.getState().callEvent({ type: 'answered' }, undefined, 'c2');
    store.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
    const s = store.getState();
    expect(s.activeId).toBe('c1');
    expect(s.call).toMatchObject({ id: 'c1', held: true, state: 'connected' });
    expect(s.lines).toHaveLength(1);
    expect(s.notice).toMatchObject({
      kind: 'call-ended',
      remote: 'bert',
      reason: { code: 'remote-hangup' },
    });
  });

  it('the last call ends on screen as before; reset goes back to idle', () => {
    const store = connected();
    store.getState().callEvent({ type: 'ended', reason: { code: 'local-hangup' } });
    expect(store.getState().call).toMatchObject({
      id: 'c1',
      state: 'ended',
      endReason: { code: 'local-hangup' },
    });
    expect(store.getState().notice).toBeUndefined();
    store.getState().callEvent({ type: 'reset' });
    expect(store.getState().call.state).toBe('idle');
    expect(store.getState().lines).toEqual([]);
    // reset with nothing on screen does nothing
    store.getState().callEvent({ type: 'reset' });
    expect(store.getState().call.state).toBe('idle');
  });

  it('a new call replaces an ended one on screen', () => {
    const store = connected();
    store.getState().callEvent({ type: 'ended', reason: { code: 'local-hangup' } });
    store
      .getState()
      .callEvent({ type: 'dial' }, { id: 'c3', direction: 'outgoing', remote: 'carl' });
    expect(store.getState().lines.map((l) => l.id)).toEqual(['c3']);
    expect(store.getState().call).toMatchObject({ id: 'c3', state: 'dialing', dtmfSent: '' });
  });

  it('a consultation call comes to the foreground; a background ended call leaves with a notice', () => {
    const store = connected();
    store.getState().setHold({ held: true, pending: false }, 'c1');
    store
      .getState()
      .callEvent({ type: 'dial' }, { id: 'k1', direction: 'outgoing', remote: 'kim' });
    expect(store.getState().activeId).toBe('c1');
    store.getState().updateCall('k1', { consultFor: 'c1' });
    store.getState().setActive('k1');
    store.getState().callEvent({ type: 'answered' }, undefined, 'k1');
    store.getState().updateCall('c1', {
      transfer: { kind: 'attended', target: 'kim', state: 'done', statusCode: 200 },
    });
    store
      .getState()
      .callEvent(
        { type: 'ended', reason: { code: 'transferred', target: 'kim' } },
        undefined,
        'c1',
      );
    expect(store.getState().call).toMatchObject({ id: 'k1', consultFor: 'c1', state: 'connected' });
    expect(store.getState().notice).toMatchObject({
      kind: 'call-ended',
      remote: 'anna',
      reason: { code: 'transferred', target: 'kim' },
    });
    store.getState().callEvent({ type: 'ended', reason: { code: 'transferred', target: 'kim' } });
    expect(store.getState().call).toMatchObject({ id: 'k1', state: 'ended' });
  });

  it('setActive drops an ended foreground call and ignores unknown ids', () => {
    const store = connected();
    store.getState().callEvent({ type: 'incoming' }, { id: 'c2', remote: 'bert', waiting: true });
    store.getState().setActive('nope');
    expect(store.getState().activeId).toBe('c1');
    store.getState().setActive('c2');
    expect(store.getState().call.id).toBe('c2');
  });

  it('refuses illegal moves per call and a second line with the same id', () => {
    const store = connected();
    expect(() => store.getState().callEvent({ type: 'answered' })).toThrow(
      IllegalCallTransitionError,
    );
    expect(() => store.getState().callEvent({ type: 'answered' }, undefined, 'unknown')).toThrow(
      IllegalCallTransitionError,
    );
    expect(() => store.getState().callEvent({ type: 'incoming' }, { id: 'c1' })).toThrow(
      IllegalCallTransitionError,
    );
    expect(store.getState().lines).toHaveLength(1);
  });

  it('picks the foreground: connected and not held first, then held, then ringing', () => {
    const base = { muted: false, held: false, holdPending: false, dtmfSent: '' };
    expect(
      pickForeground([
        { ...base, id: 'a', state: 'connected', held: true },
        { ...base, id: 'b', state: 'connected' },
        { ...base, id: 'c', state: 'ringing', waiting: true },
      ]),
    ).toBe('b');
    expect(
      pickForeground([
        { ...base, id: 'a', state: 'connected', held: true },
        { ...base, id: 'c', state: 'ringing', waiting: true },
      ]),
    ).toBe('a');
    expect(
      pickForeground([
        { ...base, id: 'c', state: 'ringing', waiting: true },
        { ...base, id: 'd', state: 'ended' },
      ]),
    ).toBe('c');
    expect(pickForeground([])).toBeUndefined();
  });
});
