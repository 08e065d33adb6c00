import { describe, expect, it } from 'vitest';
import {
  awaitingServer,
  IllegalLineTransitionError,
  lineTransition,
  type LineEvent,
  type LineState,
} from '../../../../renderer/sip/line-state';

const run = (events: LineEvent[], from: LineState = 'offered') =>
  events.reduce<LineState>((state, event) => lineTransition(state, event), from);

describe('line lifecycle', () => {
  it('an incoming call is answered and established; an outgoing one just established', () => {
    expect(run(['answer', 'established'])).toBe('up');
    expect(run(['established'])).toBe('up');
    expect(run(['answer', 'answer-settled'])).toBe('offered');
  });

  it('waits through a lost connection, recovers, and can lose it again while recovering', () => {
    expect(run(['established', 'connection-lost'])).toBe('reconnecting');
    expect(run(['established', 'connection-lost', 'recover', 'recovered'])).toBe('up');
    expect(run(['established', 'connection-lost', 'recover', 'connection-lost'])).toBe(
      'reconnecting',
    );
    expect(run(['established', 'connection-lost', 'recover', 'retry-due', 'recover'])).toBe(
      'recovering',
    );
    expect(['reconnecting', 'recovering'].map((s) => awaitingServer(s as LineState))).toEqual([
      true,
      true,
    ]);
    expect(
      ['offered', 'answering', 'up', 'ending', 'ended'].map((s) => awaitingServer(s as LineState)),
    ).toEqual([false, false, false, false, false]);
  });

  it('ends from any live state, locally through ending', () => {
    for (const from of ['offered', 'answering', 'up', 'reconnecting', 'recovering'] as const) {
      expect(lineTransition(from, 'end')).toBe('ended');
      expect(run(['end-locally', 'end'], from)).toBe('ended');
    }
  });

  it('refuses moves that make no sense', () => {
    const illegal: [LineState, LineEvent][] = [
      ['offered', 'recover'],
      ['up', 'answer'],
      ['up', 'recover'],
      ['reconnecting', 'connection-lost'],
      ['reconnecting', 'recovered'],
      ['answering', 'answer'],
      ['recovering', 'recover'],
      ['ending', 'established'],
      ['ending', 'end-locally'],
      ['ended', 'end'],
      ['ended', 'established'],
    ];
    for (const [from, event] of illegal)
      expect(() => lineTransition(from, event), `${event} in ${from}`).toThrow(
        IllegalLineTransitionError,
      );
  });
});
