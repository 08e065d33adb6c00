/**
 * Call state machine, one per call ("line"). The phone holds up to
 * MAX_LINES calls at once: the foreground call the buttons act on, held
 * calls, a second incoming call that knocks (call waiting) and the
 * consultation call of an attended transfer. Hold is not a state but a flag
 * on `connected` (the phone store's held / holdPending): the call stays
 * connected, only the media direction changes, and hang-up works the same
 * held or not.
 *
 *          incoming            answer / remote-answered
 *   idle ────────────▶ ringing ──────────────────────────┐
 *     │                  │ decline / cancelled / failed  ▼
 *     │   dial           ▼                           connected
 *     └────────▶ dialing ──▶ ended ◀──── hangup / remote-bye / failed / transferred
 *                   │  remote-answered                   ▲
 *                   └────────────────────────────────────┘ (connected)
 *   ended ── reset ──▶ idle
 *
 * Also here, as pure functions: what an incoming INVITE does before it
 * rings (decideIncoming), and how a transfer (REFER) moves on with the
 * NOTIFYs the other side sends (transferStep).
 */
import type { CallState, HandledBy } from '../../electron/contract';
import type { CallEndReason, MissedReason, TransferFailure } from './phone-reasons';

export type { CallState };

export type CallEvent =
  | { type: 'incoming' }
  | { type: 'dial' }
  | { type: 'answered' }
  | { type: 'ended'; reason: CallEndReason }
  | { type: 'reset' };

const TABLE: Record<CallState, Partial<Record<CallEvent['type'], CallState>>> = {
  idle: { incoming: 'ringing', dial: 'dialing' },
  ringing: { answered: 'connected', ended: 'ended' },
  dialing: { answered: 'connected', ended: 'ended' },
  connected: { ended: 'ended' },
  ended: { reset: 'idle', ended: 'ended' },
};

export class IllegalCallTransitionError extends Error {
  override name = 'IllegalCallTransitionError';
  constructor(from: CallState, event: CallEvent['type']) {
    super(`call: "${event}" is not allowed in state "${from}"`);
  }
}

export function callTransition(from: CallState, event: CallEvent): CallState {
  const to = TABLE[from][event.type];
  if (!to) throw new IllegalCallTransitionError(from, event.type);
  return to;
}

/** True for a call that still holds a SIP session (not idle, not ended). */
export function isLive(state: CallState): boolean {
  return state === 'ringing' || state === 'dialing' || state === 'connected';
}

/**
 * How many calls the phone holds at once: the call, one held or consulted
 * call, and one that knocks. A further caller hears busy (486).
 */
export const MAX_LINES = 3;

/** What an incoming INVITE does, decided before anything rings. */
export type IncomingDecision =
  /** An INVITE with Replaces for one of our calls (attended transfer to us): taken at once. */
  | { kind: 'replace' }
  | {
      kind: 'refuse';
      statusCode: 486;
      reason: Extract<MissedReason, { code: 'do-not-disturb' | 'all-lines-busy' }>;
    }
  /**
   * Answered without ringing, by the bot (bot first) or for the person at
   * the desk (auto-answer alone): `by` is who takes the call, as the call
   * history records it.
   */
  | { kind: 'auto-answer'; by: HandledBy }
  /** Bot first, and the agent's audio path is busy: the bot takes the call on a line of its own. */
  | { kind: 'bot-line' }
  | { kind: 'ring' }
  /** Another call is live: knock with the call-waiting tone, never auto-answer. */
  | { kind: 'waiting' };

export function decideIncoming(input: {
  policy: { autoAnswer: boolean; doNotDisturb: boolean; botFirst?: boolean };
  /** The agent's calls that are ringing, dialing or connected (held or not). */
  liveLines: number;
  /** Bot calls on the desk now (in the agent's path or on bot lines), and how many it takes. */
  botCalls?: { inUse: number; max: number };
  /** The INVITE replaces one of our live calls (RFC 3891). */
  replacesOurCall: boolean;
}): IncomingDecision {
  // The replaced call is a conversation that goes on with another party:
  // neither do-not-disturb nor the line limit applies.
  if (input.replacesOurCall) return { kind: 'replace' };
  if (input.policy.doNotDisturb)
    return { kind: 'refuse', statusCode: 486, reason: { code: 'do-not-disturb' } };
  if (input.policy.botFirst && input.liveLines > 0) {
    // The bot answers while the agent talks, on a line of its own; with every
    // bot line in use the caller hears busy, so the server tries the next station.
    const { inUse, max } = input.botCalls ?? { inUse: 0, max: 0 };
    if (inUse >= max)
      return { kind: 'refuse', statusCode: 486, reason: { code: 'all-lines-busy' } };
    return { kind: 'bot-line' };
  }
  if (input.liveLines >= MAX_LINES)
    return { kind: 'refuse', statusCode: 486, reason: { code: 'all-lines-busy' } };
  if (input.liveLines > 0) return { kind: 'waiting' };
  // Bot first wins over plain auto-answer: the bot takes the call, the person
  // only when it hands over. Auto-answer alone puts the caller through to the person.
  if (input.policy.botFirst) return { kind: 'auto-answer', by: 'bot' };
  return input.policy.autoAnswer ? { kind: 'auto-answer', by: 'person' } : { kind: 'ring' };
}

// ── transfer (REFER, RFC 3515 / 5589) ─────────────────────────────────────

/**
 * requested  REFER sent, no answer yet
 * trying     the other side accepted the REFER (202) or reports 100 Trying
 * ringing    the transfer target rings (NOTIFY 180/183)
 * done       the target answered (NOTIFY 2xx): our leg ends
 * failed     REFER refused, NOTIFY with a final failure, or no news in time:
 *            our call goes on
 */
export type TransferState = 'requested' | 'trying' | 'ringing' | 'done' | 'failed';

export type TransferEvent =
  | { type: 'accepted' }
  | { type: 'rejected'; statusCode: number }
  | { type: 'notify'; statusCode: number }
  | { type: 'timeout' };

/** Moves a transfer on; done and failed are final (late NOTIFYs change nothing). */
export function transferStep(from: TransferState, event: TransferEvent): TransferState {
  if (from === 'done' || from === 'failed') return from;
  switch (event.type) {
    case 'accepted':
      return from === 'requested' ? 'trying' : from;
    case 'rejected':
    case 'timeout':
      return 'failed';
    case 'notify': {
      const code = event.statusCode;
      if (code >= 200 && code < 300) return 'done';
      if (code >= 300) return 'failed';
      if (code === 180 || code === 183) return 'ringing';
      return from === 'ringing' ? 'ringing' : 'trying';
    }
  }
}

/** The status line of a message/sipfrag body ("SIP/2.0 180 Ringing"). */
export function parseSipfrag(
  body: string | undefined,
): { statusCode: number; reasonPhrase: string } | undefined {
  const match = /^\s*SIP\/2\.0[ \t]+(\d{3})(?:[ \t]+([^\r\n]*))?(?:\r?\n|$)/.exec(body ?? '');
  if (!match?.[1]) return undefined;
  return { statusCode: Number(match[1]), reasonPhrase: (match[2] ?? '').trim() };
}

/** What a final SIP status means for the call, as the agent is told it. */
export type StatusMeaning =
  | 'busy'
  | 'unavailable'
  | 'not-found'
  | 'cancelled'
  | 'no-common-codec'
  | 'declined'
  | 'no-answer'
  | 'failed';

/** 486 / 600 busy, 488 / 606 no common codec (RFC 3261 21.4.26) … anything else: failed. */
export function statusMeaning(code: number): StatusMeaning {
  switch (code) {
    case 486:
    case 600:
      return 'busy';
    case 480:
      return 'unavailable';
    case 404:
      return 'not-found';
    case 487:
      return 'cancelled';
    case 488:
    case 606:
      return 'no-common-codec';
    case 603:
      return 'declined';
    case 408:
      return 'no-answer';
    default:
      return 'failed';
  }
}

/** Why a transfer failed, for the event that failed it (undefined: it did not fail). */
export function transferFailure(event: TransferEvent): TransferFailure | undefined {
  switch (event.type) {
    case 'rejected':
      if (event.statusCode === 405 || event.statusCode === 501 || event.statusCode === 420)
        return { code: 'transfer-unsupported', statusCode: event.statusCode };
      return { code: 'transfer-refused', statusCode: event.statusCode };
    case 'notify':
      return { code: 'target-not-reached', statusCode: event.statusCode };
    case 'timeout':
      return { code: 'transfer-timeout' };
    case 'accepted':
      return undefined;
  }
}
