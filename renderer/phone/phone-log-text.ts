/**
 * Plain English developer text for the phone's codes: what `phone.report`
 * carries to the engine's log and call history, and the message of a
 * PhoneError. The words are those the engine's call history reads an
 * outcome from (busy, declined, hung up, transferred, codec …, see
 * electron/engine/history/call-outcome.ts), so the history keeps its
 * outcomes. The agent never reads these: the screen words the codes
 * itself (renderer/features/phone/phone-wording.ts).
 */
import { statusMeaning } from './call-machine';
import type { FailureCause } from './registration-machine';
import {
  PhoneError,
  type CallEndReason,
  type MissedReason,
  type PhoneFailure,
  type SipStatus,
  type TransferFailure,
} from './phone-reasons';

/** "status (code phrase)" without a dangling space when there is no phrase. */
function codeAndPhrase(status: SipStatus): string {
  return `${status.statusCode} ${status.reasonPhrase ?? ''}`.trim();
}

/** A final SIP status by what it means for the call ("busy (486)"). */
export function statusText(status: SipStatus): string {
  const code = status.statusCode;
  switch (statusMeaning(code)) {
    case 'busy':
      return `busy (${code})`;
    case 'unavailable':
      return `unavailable (${code})`;
    case 'not-found':
      return `not found (${code})`;
    case 'cancelled':
      return `cancelled (${code})`;
    case 'no-common-codec':
      return `no common codec (${codeAndPhrase(status)})`;
    case 'declined':
      return `declined (${code})`;
    case 'no-answer':
      return `no answer (${code})`;
    case 'failed':
      return `call failed (${codeAndPhrase(status)})`;
  }
}

function offeredText(offered: readonly string[]): string {
  return offered.length === 0 ? 'no audio offered' : `offered: ${offered.join(', ')}`;
}

export function endReasonText(reason: CallEndReason): string {
  switch (reason.code) {
    case 'local-hangup':
      return 'hung up';
    case 'remote-hangup':
      return 'remote hung up';
    case 'caller-gave-up':
      return 'caller hung up';
    case 'call-ended':
      return 'call ended';
    case 'declined':
      return 'declined';
    case 'waiting-declined':
      return 'busy: waiting call declined (486)';
    case 'rejected':
      return statusText(reason.status);
    case 'call-failed':
      return `call failed: ${reason.detail}`;
    case 'answer-failed':
      return `answer failed: ${reason.detail}`;
    case 'unusable-offer':
      return 'answer failed: unusable offer';
    case 'no-common-codec':
      return `no common codec (${offeredText(reason.offered)}); refused with 488`;
    case 'transferred':
    case 'forwarded':
      return `transferred to ${reason.target}`;
    case 'replaced':
      return `transferred: ${reason.by} takes over`;
    case 'consultation-ended':
      return 'consultation ended';
    case 'connection-lost':
      return `connection to the phone server lost – call ended${
        reason.statusCode ? ` (${reason.statusCode})` : ''
      }`;
    case 'reconfigured':
      return 'phone reconfigured';
  }
}

export function missedReasonText(reason: MissedReason): string {
  switch (reason.code) {
    case 'do-not-disturb':
      return 'do not disturb: refused (486)';
    case 'all-lines-busy':
      return 'busy: all lines in use (486)';
    case 'waiting-declined':
      return endReasonText(reason);
    case 'waiting-ended':
      return `call waiting: ${endReasonText(reason.reason)}`;
  }
}

export function transferFailureText(failure: TransferFailure): string {
  switch (failure.code) {
    case 'transfer-unsupported':
      return `the other side does not support transfer (${failure.statusCode})`;
    case 'transfer-refused':
      return `transfer refused (${statusText({ statusCode: failure.statusCode })})`;
    case 'target-not-reached':
      return `target not reached: ${statusText({ statusCode: failure.statusCode })}`;
    case 'transfer-timeout':
      return 'no progress report for the transfer';
  }
}

export function failureText(failure: PhoneFailure): string {
  switch (failure.code) {
    case 'not-registered':
      return 'not registered';
    case 'call-active':
      return 'a call is already active';
    case 'invalid-number':
      return `invalid number: ${failure.target}`;
    case 'finish-dialling':
      return 'finish dialling first';
    case 'reconnecting':
      return 'connection lost – wait until it is restored';
    case 'hold-failed':
    case 'resume-failed': {
      const why =
        failure.statusCode > 0
          ? codeAndPhrase(failure)
          : (failure.detail ?? 'no answer to re-INVITE');
      return `${failure.code === 'hold-failed' ? 'hold' : 'resume'} failed: ${why}`;
    }
    case 'no-connected-call':
      return 'no connected call';
    case 'transfer-under-way':
      return 'a transfer is already under way';
    case 'consultation-active':
      return 'a consultation call is already active';
    case 'all-lines-busy':
      return 'all lines in use';
    case 'call-ended':
      return 'call ended';
    case 'no-consultation':
      return 'no consultation call';
    case 'consultation-not-connected':
      return 'consultation call not connected yet';
    case 'invalid-dtmf':
      return `invalid DTMF: ${failure.tones}`;
    case 'dtmf-unavailable':
      return 'telephone-event not negotiated';
    case 'dtmf-refused':
      return `SIP INFO ${codeAndPhrase(failure.status)}`;
    case 'unexpected':
      return failure.detail;
  }
}

/** A PhoneError for `failure`, its message the developer text. */
export function phoneError(failure: PhoneFailure, options?: ErrorOptions): PhoneError {
  return new PhoneError(failure, failureText(failure), options);
}

/** A registration failure for the engine's log, with the retry that is due. */
export function causeText(
  cause: FailureCause,
  nextRetryAt: number | undefined,
  now: number,
): string {
  const retry =
    nextRetryAt !== undefined
      ? `; retry in ${Math.max(0, Math.round((nextRetryAt - now) / 1000))} s`
      : '';
  switch (cause.kind) {
    case 'unreachable':
      return `server unreachable (${cause.detail})${retry}`;
    case 'connection-lost':
      return `connection lost (${cause.detail})${retry}`;
    case 'rejected':
      return `registration refused: ${cause.statusCode} ${cause.reasonPhrase}${retry}`;
    case 'timeout':
      return `no answer from server${retry}`;
    case 'configuration':
      return `settings incomplete: ${cause.detail}`;
  }
}
