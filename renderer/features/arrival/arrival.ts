/**
 * Which call is arriving at the desk and how urgent it is: a bot's handoff
 * first (also a practice call's), then a ringing call, then one knocking
 * while another is live.
 */
import type { BotState, Handoff } from '../../../electron/contract';
import type { CallInfo } from '../../phone/phone-store';

export type Arrival =
  | {
      kind: 'handoff';
      callId: string;
      practice: boolean;
      line?: CallInfo;
      handoff: Handoff;
      intent: string | null;
      verified: boolean;
    }
  | { kind: 'ringing'; callId: string; line: CallInfo }
  | { kind: 'waiting'; callId: string; line: CallInfo };

/** Which call is arriving now, if any: a bot's handoff first, then a ringing call, then a knocking one. */
export function currentArrival(
  bot: BotState | undefined,
  practiceCallId: string | undefined,
  call: CallInfo,
  lines: readonly CallInfo[],
): Arrival | undefined {
  if (bot?.phase === 'handoff' && bot.handoff) {
    const practice = bot.callId === practiceCallId;
    const line = lines.find((l) => l.id === bot.callId);
    if (practice || line?.state === 'connected')
      return {
        kind: 'handoff',
        callId: bot.callId,
        practice,
        ...(line ? { line } : {}),
        handoff: bot.handoff,
        intent: bot.intent,
        verified: bot.verified,
      };
  }
  if (call.state === 'ringing' && call.id && !call.waiting)
    return { kind: 'ringing', callId: call.id, line: call };
  const knocking = lines.find((l) => l.state === 'ringing' && l.waiting && l.id);
  if (knocking?.id) return { kind: 'waiting', callId: knocking.id, line: knocking };
  return undefined;
}

/** Emergency and crisis are told apart from every other call. */
export function urgency(arrival: Arrival): 'emergency' | 'crisis' | undefined {
  if (arrival.kind !== 'handoff') return undefined;
  const { reason } = arrival.handoff;
  if (reason === 'crisis' || arrival.intent === 'crisis') return 'crisis';
  if (reason === 'emergency' || arrival.intent === 'emergency') return 'emergency';
  return undefined;
}
