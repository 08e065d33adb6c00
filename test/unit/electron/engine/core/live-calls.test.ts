/** The calls on at this desk, with the caller IDs the agent's identity check goes by. */
import { describe, expect, it } from 'vitest';
import { LiveCalls } from '../../../../../electron/engine/core/live-calls';

describe('LiveCalls', () => {
  it('knows a call from the phone’s report until it ends, with the remote party as caller ID', () => {
    const calls = new LiveCalls();
    expect(calls.isLive('c1')).toBe(false);
    calls.reported('c1', 'sip:015209876543@pbx');
    expect(calls.isLive('c1')).toBe(true);
    expect(calls.callerIdOf('c1')).toBe('sip:015209876543@pbx');
    calls.ended('c1');
    expect(calls.isLive('c1')).toBe(false);
    expect(calls.callerIdOf('c1')).toBeUndefined();
  });

  it('keeps the bot’s caller ID over the phone’s, whichever comes first', () => {
    const calls = new LiveCalls();
    calls.botCallerId('c1', '015209876543');
    // Not live on the caller ID alone: the phone has not reported the call.
    expect(calls.isLive('c1')).toBe(false);
    calls.reported('c1', 'sip:anonymous@pbx');
    expect(calls.isLive('c1')).toBe(true);
    expect(calls.callerIdOf('c1')).toBe('015209876543');

    calls.reported('c2', 'sip:anonymous@pbx');
    calls.botCallerId('c2', '030123456');
    expect(calls.isLive('c2')).toBe(true);
    expect(calls.callerIdOf('c2')).toBe('030123456');
  });

  it('forgets a bot’s caller ID with the window that carried it, unless the phone reported the call', () => {
    const calls = new LiveCalls();
    calls.botCallerId('unreported', '015209876543');
    calls.botCallerId('reported', '030123456');
    calls.reported('reported', 'sip:x@pbx');
    calls.carrierGone('unreported');
    calls.carrierGone('reported');
    expect(calls.callerIdOf('unreported')).toBeUndefined();
    expect(calls.callerIdOf('reported')).toBe('030123456');
    expect(calls.isLive('reported')).toBe(true);
  });

  it('counts a running bot or practice call as live without a report', () => {
    const bots = new Set(['bot-call']);
    const calls = new LiveCalls([undefined, bots, new Set(['practice-call'])]);
    expect(calls.isLive('bot-call')).toBe(true);
    expect(calls.isLive('practice-call')).toBe(true);
    expect(calls.isLive('other')).toBe(false);
    bots.delete('bot-call');
    expect(calls.isLive('bot-call')).toBe(false);
  });
});
