/**
 * The renderer's play-out by call: a frame the engine tagged for one call
 * is never played into another; it is dropped and counted.
 */
import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, callTagOf, type AudioFrame, type Leg } from '../../../../electron/contract';
import { PlayoutRouter, type DropReason } from '../../../../renderer/audio/playout-router';

function frame(leg: Leg, callId?: string): AudioFrame {
  return {
    leg,
    seq: 0,
    sentAt: 0,
    samples: new Int16Array(FRAME_SAMPLES),
    ...(callId === undefined ? {} : { callTag: callTagOf(callId) }),
  };
}

describe('PlayoutRouter', () => {
  it('plays a frame for call A into call A only: in call B it is dropped and counted', () => {
    const drops: DropReason[] = [];
    const router = new PlayoutRouter((reason) => drops.push(reason));
    router.callStarted('call-A');
    expect(router.route(frame('outgoing', 'call-A'))).toBe('call');
    router.callReleased();
    router.callStarted('call-B');
    expect(router.route(frame('outgoing', 'call-A'))).toBeUndefined();
    expect(router.route(frame('outgoing', 'call-B'))).toBe('call');
    expect(drops).toEqual(['other-call']);
    expect(router.dropped).toMatchObject({ total: 1, 'other-call': 1 });
  });

  it('queues nothing for the next call while no call has the audio path', () => {
    const router = new PlayoutRouter();
    expect(router.route(frame('outgoing', 'call-A'))).toBeUndefined();
    expect(router.route(frame('outgoing'))).toBeUndefined();
    expect(router.dropped).toMatchObject({ total: 2, 'no-call': 2 });
  });

  it('plays untagged frames (an older engine, a playback for no call) into the current call', () => {
    const router = new PlayoutRouter();
    router.callStarted('call-A');
    expect(router.route(frame('outgoing'))).toBe('call');
    expect(router.route(frame('caller'))).toBeUndefined();
    expect(router.dropped).toMatchObject({ leg: 1 });
  });

  it('a call without an id takes only untagged frames', () => {
    const router = new PlayoutRouter();
    router.callStarted(undefined);
    expect(router.route(frame('outgoing', 'call-A'))).toBeUndefined();
    expect(router.route(frame('outgoing'))).toBe('call');
  });

  it('a practice call takes its bot and scripted caller; once named, only its own', () => {
    const router = new PlayoutRouter();
    router.practiceStarted();
    expect(router.route(frame('outgoing', 'practice-1'))).toBe('practice-bot');
    expect(router.route(frame('caller', 'practice-1'))).toBe('practice-caller');
    router.practiceCall('practice-1');
    expect(router.route(frame('outgoing', 'call-A'))).toBeUndefined();
    expect(router.route(frame('outgoing', 'practice-1'))).toBe('practice-bot');
    expect(router.route(frame('agent'))).toBeUndefined();
    router.practiceStopped();
    expect(router.route(frame('outgoing', 'practice-1'))).toBeUndefined();
    expect(router.dropped).toMatchObject({ 'other-call': 1, leg: 1, 'no-call': 1 });
  });
});
