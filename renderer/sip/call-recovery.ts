/**
 * What a call does when the connection to the phone server (the SIP
 * WebSocket) drops while it is up. The media usually keeps flowing peer to
 * peer; only signalling is gone. So an established call is not ended at
 * once: it shows "reconnecting", and once the phone is registered again it
 * sends a re-INVITE with an ICE restart (the dialog is confirmed and the
 * media path renegotiated). It ends with a clear reason if the server is
 * not back within the limit, or if the re-INVITE says the dialog is gone.
 */
import type { CallEndReason } from '../phone/phone-reasons';

/** How long an established call waits for the server to come back. */
export const DEFAULT_RECONNECT_LIMIT_MS = 30_000;
const MIN_RECONNECT_LIMIT_MS = 1_000;
const MAX_RECONNECT_LIMIT_MS = 300_000;

/**
 * Desk setting (localStorage, like the UI language): how long a call waits
 * for the server, in milliseconds. Tests set it short.
 */
export const RECONNECT_LIMIT_KEY = 'lotse.phone.reconnectLimitMs';

/** For the engine's log: the call waits for the server. */
export const RECONNECTING_TEXT = 'connection lost – reconnecting';
/** For the engine's log: the recovery re-INVITE was answered. */
export const RECONNECTED_TEXT = 'connection restored (re-INVITE, ICE restart)';

/** The limit from the stored setting: a whole number of ms within 1 s … 5 min, else the default. */
export function reconnectLimitMs(raw: string | null | undefined): number {
  if (raw === null || raw === undefined || !/^\s*\d+\s*$/.test(raw))
    return DEFAULT_RECONNECT_LIMIT_MS;
  const value = Number(raw);
  return Math.min(MAX_RECONNECT_LIMIT_MS, Math.max(MIN_RECONNECT_LIMIT_MS, value));
}

/**
 * After the recovery re-INVITE failed with `statusCode` (0: no answer at
 * all, or it could not be sent): is the dialog gone, so the call must end?
 * 408 (timeout) and 481 (call/transaction does not exist) say so; other
 * refusals (488, 491, 5xx) leave the dialog as it was, and the media that
 * kept flowing goes on.
 */
export function dialogGone(statusCode: number): boolean {
  return statusCode === 0 || statusCode === 408 || statusCode === 481;
}

/** How far apart the recovery re-INVITE is sent again when worth repeating (within the limit). */
export const RECOVERY_RETRY_MS = 1_500;

/**
 * Worth sending the recovery re-INVITE again shortly: the other party is
 * not reachable yet (480: it lost its connection too and has not
 * registered again; 503), or its own re-INVITE crossed ours (491).
 */
export function retryRecovery(statusCode: number): boolean {
  return statusCode === 480 || statusCode === 491 || statusCode === 503;
}

/** How the call ended when the recovery re-INVITE found the dialog gone (0: no answer). */
export function recoveryFailedReason(statusCode: number): CallEndReason {
  return statusCode === 0 ? { code: 'connection-lost' } : { code: 'connection-lost', statusCode };
}
