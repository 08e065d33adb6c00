/**
 * How a call ended, for the call history. The phone decides it from its own
 * reason codes and sends it with the 'ended' report
 * (renderer/phone/call-outcome.ts); that always wins. A report without one
 * (another client of the contract) is read from whether the call was ever
 * connected, its direction and the words and SIP status codes of its reason
 * ("busy (486)", "caller hung up"; German words are understood too).
 */
import type { CallDirection, CallOutcome } from '../../contract';

const TRANSFERRED = /transfer|weitergeleitet|weiterverbunden|vermittelt|übergeben|\bREFER\b/i;
const DECLINED = /abgelehnt|declined|\b603\b/i;
const BUSY = /besetzt|\bbusy\b|\b486\b|\b600\b/i;
const CANCELLED = /aufgelegt|hung up|abgebrochen|cancel|\b487\b/i;
const FAILED =
  /fehlgeschlagen|failed|nicht erreichbar|unavailable|unbekannt|not found|codec|\b4\d\d\b|\b5\d\d\b|\b6\d\d\b/i;

export function deriveOutcome(call: {
  direction: CallDirection;
  answered: boolean;
  reason: string | undefined;
  reported?: CallOutcome | undefined;
}): CallOutcome {
  if (call.reported) return call.reported;
  const reason = call.reason ?? '';
  if (call.answered) return TRANSFERRED.test(reason) ? 'transferred' : 'answered';
  if (call.direction === 'incoming') {
    // Refused on purpose by the agent; everything else that never connected
    // (the caller gave up, do not disturb, a second call while busy) is a
    // call someone should return – except when no call was technically possible.
    if (DECLINED.test(reason)) return 'declined';
    if (/codec|annehmen fehlgeschlagen|answer failed|\b488\b/i.test(reason)) return 'failed';
    return 'missed';
  }
  if (BUSY.test(reason)) return 'busy';
  if (DECLINED.test(reason)) return 'declined';
  // "Aufgelegt" before the answer: the agent gave up ringing. A 487 is the same.
  if (CANCELLED.test(reason) && !FAILED.test(reason.replace(/\b487\b/, ''))) return 'cancelled';
  return 'failed';
}
