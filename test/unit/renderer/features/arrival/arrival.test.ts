import { describe, expect, it } from 'vitest';
import { botState } from '../../../../support/bot-state';
import { currentArrival, urgency } from '../../../../../renderer/features/arrival/arrival';
import type { CallInfo } from '../../../../../renderer/phone/phone-store';

const idle: CallInfo = {
  state: 'idle',
  muted: false,
  held: false,
  holdPending: false,
  dtmfSent: '',
};
const line = (over: Partial<CallInfo>): CallInfo => ({ ...idle, ...over });

describe('currentArrival', () => {
  it('is nothing when no call rings and no bot hands over', () => {
    expect(currentArrival(undefined, undefined, idle, [])).toBeUndefined();
    const talking = line({ state: 'connected', id: 'c1', remote: '1001' });
    expect(currentArrival(botState({}), undefined, talking, [talking])).toBeUndefined();
  });

  it('a ringing call arrives with its line', () => {
    const ringing = line({ state: 'ringing', id: 'c2', remote: '0691234567' });
    const arrival = currentArrival(undefined, undefined, ringing, [ringing]);
    expect(arrival).toMatchObject({
      kind: 'ringing',
      callId: 'c2',
      line: { remote: '0691234567' },
    });
  });

  it('a bot handoff on the connected call comes first, with intent, verification and summary', () => {
    const talking = line({ state: 'connected', id: 'c1', remote: '1001' });
    const knocking = line({ state: 'ringing', id: 'c9', waiting: true });
    const bot = botState({
      phase: 'handoff',
      intent: 'payment_date',
      verified: true,
      handoff: { reason: 'human_request', priority: false, summary: 'Anliegen: Zahlungstermin' },
    });
    const arrival = currentArrival(bot, undefined, talking, [talking, knocking]);
    expect(arrival).toMatchObject({
      kind: 'handoff',
      callId: 'c1',
      practice: false,
      intent: 'payment_date',
      verified: true,
      line: { remote: '1001' },
    });
  });

  it('a handoff of a call that is no longer connected does not arrive', () => {
    const ended = line({ state: 'ended', id: 'c1' });
    const bot = botState({
      phase: 'handoff',
      handoff: { reason: 'human_request', priority: false, summary: '' },
    });
    expect(currentArrival(bot, undefined, ended, [ended])).toBeUndefined();
  });

  it('a practice handoff arrives without any SIP line', () => {
    const bot = botState({
      callId: 'practice-1',
      phase: 'handoff',
      handoff: { reason: 'human_request', priority: false, summary: '' },
    });
    expect(currentArrival(bot, 'practice-1', idle, [])).toMatchObject({
      kind: 'handoff',
      practice: true,
    });
  });

  it('a second call knocking while busy arrives as waiting', () => {
    const talking = line({ state: 'connected', id: 'c1' });
    const knocking = line({ state: 'ringing', id: 'c2', waiting: true, remote: '1002' });
    expect(currentArrival(undefined, undefined, talking, [talking, knocking])).toMatchObject({
      kind: 'waiting',
      callId: 'c2',
    });
  });
});

describe('urgency', () => {
  const talking = line({ state: 'connected', id: 'c1' });
  const handoff = (reason: 'crisis' | 'emergency' | 'human_request', intent: string | null) =>
    currentArrival(
      botState({
        phase: 'handoff',
        intent,
        handoff: { reason, priority: reason !== 'human_request', summary: '' },
      }),
      undefined,
      talking,
      [talking],
    )!;

  it('tells crisis and emergency apart from other handoffs, by reason or by intent', () => {
    expect(urgency(handoff('crisis', null))).toBe('crisis');
    expect(urgency(handoff('emergency', null))).toBe('emergency');
    expect(urgency(handoff('human_request', 'crisis'))).toBe('crisis');
    expect(urgency(handoff('human_request', 'payment_date'))).toBeUndefined();
  });

  it('a plain ringing call has none', () => {
    const ringing = line({ state: 'ringing', id: 'c2' });
    expect(urgency(currentArrival(undefined, undefined, ringing, [ringing])!)).toBeUndefined();
  });
});
