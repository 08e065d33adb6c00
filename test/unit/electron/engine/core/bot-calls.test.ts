/** Bots started into a connection's audio, and ended with the connection that carried them. */
import { describe, expect, it, vi } from 'vitest';
import { BotCalls, type BotCarrier } from '../../../../../electron/engine/core/bot-calls';
import { LiveCalls } from '../../../../../electron/engine/core/live-calls';
import { BotUnavailableError, type LiveBots } from '../../../../../electron/engine/bot/live-bots';

function carrier(): BotCarrier & { legs: string[] } {
  const legs: string[] = [];
  return {
    legs,
    botCalls: new Set(),
    send: (leg, callId) => {
      legs.push(`${leg} ${callId ?? '-'}`);
      return () => undefined;
    },
  };
}

function fakeBots(start: LiveBots['start']) {
  const running = new Set<string>();
  const bots = {
    hasEnded: () => false,
    has: (callId: string) => running.has(callId),
    start: vi.fn(async (callId: string, callerId: string | undefined, send: never) => {
      const started = await start(callId, callerId, send);
      running.add(callId);
      return started;
    }),
    callEnded: vi.fn((callId: string) => running.delete(callId)),
  };
  return bots;
}

describe('BotCalls', () => {
  it('starts a bot into the connection’s outgoing leg, noting the caller ID, and ends it with the connection', async () => {
    const bots = fakeBots(() => Promise.resolve({ mode: 'day' as const }));
    const liveCalls = new LiveCalls([bots]);
    const calls = new BotCalls({ bots: bots as unknown as LiveBots, liveCalls });
    const window = carrier();
    expect(await calls.start({ callId: 'c1', callerId: '015209876543' }, window)).toEqual({
      mode: 'day',
    });
    expect(window.legs).toEqual(['outgoing c1']);
    expect([...window.botCalls]).toEqual(['c1']);
    expect(liveCalls.isLive('c1')).toBe(true);
    expect(liveCalls.callerIdOf('c1')).toBe('015209876543');

    calls.carrierGone(window);
    expect(bots.callEnded).toHaveBeenCalledWith('c1');
    // The phone never reported the call: nothing of it stays.
    expect(liveCalls.isLive('c1')).toBe(false);
    expect(liveCalls.callerIdOf('c1')).toBeUndefined();
  });

  it('answers with a reason the screen can word: no voice, no bot', async () => {
    const bots = fakeBots(() => Promise.reject(new BotUnavailableError('no voice available')));
    const calls = new BotCalls({ bots: bots as unknown as LiveBots, liveCalls: new LiveCalls() });
    const window = carrier();
    await expect(calls.start({ callId: 'c1' }, window)).rejects.toMatchObject({
      code: 'unavailable',
      reason: 'no_voice',
    });
    expect(window.botCalls.size).toBe(0);

    const none = new BotCalls({ liveCalls: new LiveCalls() });
    expect(() => none.end('c1', window)).toThrow(expect.objectContaining({ reason: 'no_bot' }));
    await expect(none.startPractice({ script: 'demo' } as never, window)).rejects.toMatchObject({
      reason: 'no_bot',
    });
    expect(none.endPractice('c1', window)).toEqual({ ended: false });
  });
});
