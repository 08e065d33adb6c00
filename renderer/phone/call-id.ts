/**
 * The phone's id of a call: the SIP Call-ID, unless the contract cannot
 * take it. SIP puts no bound on a Call-ID (RFC 3261 8.1.1.4) and a far end
 * may send an empty one or one of thousands of characters; the contract
 * takes ids of 1 to CALL_ID_MAX_LENGTH characters everywhere
 * (electron/contract/limits.ts). Such a Call-ID is mapped here, in this one
 * place, to a stable short id: its first characters (so logs still show
 * where it came from) and a 64-bit hash of all of it (so two long Call-IDs
 * that begin alike stay two calls). The mapped id is the call's name in the
 * phone store, the engine's reports, the bot, the transcript and the audio
 * frames; only sip.js keeps the Call-ID itself, for the dialog.
 */
import { CALL_ID_MAX_LENGTH, clampText, stableHash } from '../../electron/contract';

/** How much of an over-long Call-ID stays readable in its mapped id. */
const KEPT_PREFIX = 64;

export function phoneCallId(sipCallId: string): string {
  if (sipCallId.length >= 1 && sipCallId.length <= CALL_ID_MAX_LENGTH) return sipCallId;
  return `${clampText(sipCallId, KEPT_PREFIX)}~${stableHash(sipCallId)}`;
}
