/**
 * Why something happened to a call, as typed codes with their parameters:
 * how a call ended, why a caller was refused, why a transfer failed, what
 * the status line tells about a call outside the foreground, and why an
 * action of the agent failed (PhoneError). The phone store keeps these
 * codes; only the screen words them, in the agent's language
 * (renderer/features/phone/phone-wording.ts). The engine's log and call
 * history get plain English developer text made from the same codes
 * (phone-log-text.ts), so no sentence is written twice in two languages
 * and no code branches on the words of a reason.
 */

/** A final SIP response as the other side sent it (RFC 3261 21); 0: none came. */
export interface SipStatus {
  statusCode: number;
  reasonPhrase?: string;
}

/** How a call ended (CallInfo.endReason). */
export type CallEndReason =
  /** The agent hung up (or cancelled a call that was still ringing out). */
  | { code: 'local-hangup' }
  /** The other party hung up (BYE). */
  | { code: 'remote-hangup' }
  /** The caller gave up before the call was answered (CANCEL). */
  | { code: 'caller-gave-up' }
  /** The session ended and nobody told why. */
  | { code: 'call-ended' }
  /** The agent declined a ringing call (603). */
  | { code: 'declined' }
  /** The agent declined a call that knocked during another call (486). */
  | { code: 'waiting-declined' }
  /** The other side refused our INVITE with this final response. */
  | { code: 'rejected'; status: SipStatus }
  /** Our INVITE could not be sent or failed without a response. */
  | { code: 'call-failed'; detail: string }
  /** Answering failed (the answer could not be made or sent). */
  | { code: 'answer-failed'; detail: string }
  /** The session ended while it was being answered: the offer was unusable. */
  | { code: 'unusable-offer' }
  /** Refused with 488: no audio codec in the offer we can use ([] = no audio at all). */
  | { code: 'no-common-codec'; offered: string[] }
  /** Our transfer (REFER) of this call succeeded. */
  | { code: 'transferred'; target: string }
  /** We followed the other party's REFER: this call ended once the new one was up. */
  | { code: 'forwarded'; target: string }
  /** An INVITE with Replaces (RFC 3891) took this call's place: `by` talks to us now. */
  | { code: 'replaced'; by: string }
  /** The agent ended the consultation call of an attended transfer. */
  | { code: 'consultation-ended' }
  /** The server connection was lost and the call could not be restored (status of the re-INVITE). */
  | { code: 'connection-lost'; statusCode?: number }
  /** New account settings replaced the user agent. */
  | { code: 'reconfigured' };

/** Why a caller was listed as missed (MissedCall.reason). */
export type MissedReason =
  /** Do not disturb: refused with 486 before ringing. */
  | { code: 'do-not-disturb' }
  /** Every line in use: refused with 486 before ringing. */
  | { code: 'all-lines-busy' }
  /** It knocked during a call and the agent declined it (486). */
  | { code: 'waiting-declined' }
  /** It knocked during a call and ended unanswered. */
  | { code: 'waiting-ended'; reason: CallEndReason };

/** Why a transfer (REFER, RFC 3515) failed (TransferInfo.failure). */
export type TransferFailure =
  /** The REFER was refused as not supported (405, 420, 501). */
  | { code: 'transfer-unsupported'; statusCode: number }
  /** The REFER was refused. */
  | { code: 'transfer-refused'; statusCode: number }
  /** A NOTIFY said the target was not reached (a final failure in message/sipfrag). */
  | { code: 'target-not-reached'; statusCode: number }
  /** No final NOTIFY in time. */
  | { code: 'transfer-timeout' };

/** Why an action of the agent (dial, hold, transfer, keys …) failed: what PhoneError carries. */
export type PhoneFailure =
  | { code: 'not-registered' }
  | { code: 'call-active' }
  | { code: 'invalid-number'; target: string }
  | { code: 'finish-dialling' }
  /** The server connection is lost: hold and resume wait until it is back. */
  | { code: 'reconnecting' }
  /** The hold (or resume) re-INVITE failed; statusCode 0: no answer, `detail` says why. */
  | {
      code: 'hold-failed' | 'resume-failed';
      statusCode: number;
      reasonPhrase: string;
      detail?: string;
    }
  | { code: 'no-connected-call' }
  | { code: 'transfer-under-way' }
  | { code: 'consultation-active' }
  | { code: 'all-lines-busy' }
  | { code: 'call-ended' }
  | { code: 'no-consultation' }
  | { code: 'consultation-not-connected' }
  | { code: 'invalid-dtmf'; tones: string }
  /** RFC 4733 telephone-event was not negotiated in this call. */
  | { code: 'dtmf-unavailable' }
  /** The other side refused a key sent as SIP INFO. */
  | { code: 'dtmf-refused'; status: SipStatus }
  /** Anything that is not the phone's own failure (a library or audio error), as it said. */
  | { code: 'unexpected'; detail: string };

/** Why the phone refused to follow the other party's REFER. */
export type ForwardRefusal = 'policy' | 'not-registered' | 'all-lines-busy';

/** What the status line says about calls outside the foreground (PhoneNotice). */
export type PhoneNoticeContent =
  /** A call ended while another one went on, or outside the foreground. */
  | { kind: 'call-ended'; remote: string; remoteName?: string; reason: CallEndReason }
  /** We are the target of an attended transfer: `from` handed `party` to us. */
  | { kind: 'transferred-to-you'; from: string; party: string }
  /** The other party refers us to `target` and we follow (RFC 3515). */
  | { kind: 'forwarding'; from: string; target: string }
  /** We refused to follow a REFER to `target` (answered with statusCode). */
  | { kind: 'forward-refused'; target: string; why: ForwardRefusal; statusCode: number }
  /** Following a REFER failed before the new call was placed. */
  | { kind: 'forward-failed'; failure: PhoneFailure };

/** An action of the agent failed: `failure` says why, `message` in plain English for logs. */
export class PhoneError extends Error {
  override name = 'PhoneError';
  constructor(
    readonly failure: PhoneFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The failure an error stands for: a PhoneError's own, else 'unexpected' with its message. */
export function failureOf(error: unknown): PhoneFailure {
  if (error instanceof PhoneError) return error.failure;
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'unexpected', detail };
}
