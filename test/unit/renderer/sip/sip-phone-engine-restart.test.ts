/**
 * The engine restarted while the phone went on: SipPhone tells the new
 * engine what is live – the registration and every call in its state, the
 * connected one with the time it was answered – so its call history, its
 * transcription and its log know them again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { phoneHarness, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone: reports its live calls again to a restarted engine', () => {
  it('the registration, a connected call with its answer time, a call that knocks', async () => {
    const h = phoneHarness();
    await h.registered();
    const first = await h.answered('anna');
    const second = await h.incoming('bert');
    await until(() => h.line(second.callId)?.state === 'ringing');
    const connectedAt = h.line(first.callId)?.connectedAt;
    expect(connectedAt).toBeDefined();
    const before = h.reports.reports.length;

    h.phone.reportAgain();

    const again = h.reports.reports.slice(before);
    expect(again).toEqual([
      {
        kind: 'registration',
        state: 'registered',
        reason: 'reported again after an engine restart',
      },
      expect.objectContaining({
        kind: 'call',
        callId: first.callId,
        state: 'connected',
        direction: 'incoming',
        remote: expect.stringContaining('anna'),
        handledBy: 'person',
        connectedAt,
        reason: 'reported again after an engine restart',
      }),
      expect.objectContaining({ kind: 'call', callId: second.callId, state: 'ringing' }),
    ]);
  });

  it('nothing but the registration when no call is live', async () => {
    const h = phoneHarness();
    await h.registered();
    const before = h.reports.reports.length;
    h.phone.reportAgain();
    expect(h.reports.reports.slice(before).map((r) => r.kind)).toEqual(['registration']);
  });
});
