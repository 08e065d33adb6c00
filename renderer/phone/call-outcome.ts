/**
 * How a call ended for the call history (answered, missed, busy …), decided
 * from the phone's own codes and sent with the 'ended' report, so the
 * history never has to read a reason's words.
 */
import type { CallDirection, CallOutcome } from '../../electron/contract';
import type { CallEndReason, MissedReason } from './phone-reasons';

const TRANSFERS = new Set(['transferred', 'forwarded', 'replaced']);
/** Incoming calls that could not be taken at all: nobody needs to call back. */
const NOT_POSSIBLE = new Set(['no-common-codec', 'answer-failed', 'unusable-offer']);

export function callOutcome(
  call: { direction: CallDirection; answered: boolean },
  reason: CallEndReason | MissedReason,
): CallOutcome {
  if (call.answered) return TRANSFERS.has(reason.code) ? 'transferred' : 'answered';
  if (call.direction === 'incoming') {
    // Declined on purpose (also a knocking call, with 486); everything else
    // that never connected is a call someone should return.
    const status = reason.code === 'rejected' ? reason.status.statusCode : undefined;
    if (reason.code === 'declined' || reason.code === 'waiting-declined' || status === 603)
      return 'declined';
    if (NOT_POSSIBLE.has(reason.code) || status === 488) return 'failed';
    return 'missed';
  }
  switch (reason.code) {
    case 'rejected': {
      const code = reason.status.statusCode;
      if (code === 486 || code === 600) return 'busy';
      if (code === 603) return 'declined';
      if (code === 487) return 'cancelled';
      return 'failed';
    }
    // Refused with 486: busy to the other side.
    case 'waiting-declined':
    case 'do-not-disturb':
    case 'all-lines-busy':
      return 'busy';
    case 'declined':
      return 'declined';
    // The agent (or the other side) hung up before the answer.
    case 'local-hangup':
    case 'remote-hangup':
    case 'caller-gave-up':
      return 'cancelled';
    default:
      return 'failed';
  }
}
