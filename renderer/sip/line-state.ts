/**
 * The lifecycle of one line (one sip.js session) as the SIP adapter drives
 * it. The screen's call state (renderer/phone/call-machine.ts: ringing,
 * dialing, connected, ended) says what the agent sees; this says what the
 * adapter is doing with the session, which the screen does not need:
 * answering it, ending it itself, or keeping it through a lost server
 * connection. One state instead of a flag per concern, so "answering while
 * recovering" or "recovering twice" cannot be expressed.
 *
 *              answer                    established
 *   offered ───────────▶ answering ─────────────────────┐
 *      │ ◀─ answer-settled ──┘                          ▼
 *      └───────────── established ──────────────────▶   up ◀─────────────┐
 *                                                        │               │ recovered
 *                                        connection-lost │               │
 *                                                        ▼               │
 *                              ┌────────────────── reconnecting ─recover─▶ recovering
 *                              │                         ▲               │
 *                              │                         └───────────────┘
 *                              │               connection-lost / retry-due
 *   any of the above ── end-locally ──▶ ending ── end ──▶ ended
 *   any of the above ───────────────── end ─────────────▶ ended
 *
 * offered       INVITE received (ringing, knocking) or sent (dialing)
 * answering     accept() is running: if the session ends now, the offer was unusable
 * up            established (RFC 3261 13): held or not, the media direction is no state here
 * reconnecting  the server connection dropped: the call waits for the phone to
 *               register again (the media usually keeps flowing peer to peer)
 * recovering    registered again: its re-INVITE with an ICE restart is under way,
 *               or due again shortly (RFC 3261 14; 480 / 491 / 503 are retried)
 * ending        we end it ourselves, with the reason in the line
 * ended         gone: no event moves it any more
 *
 * `lineTransition` is pure and throws on an illegal move, so a bug in the
 * adapter shows up as an error, not as a call that waits for a server that
 * is already back.
 */

export type LineState =
  'offered' | 'answering' | 'up' | 'reconnecting' | 'recovering' | 'ending' | 'ended';

export type LineEvent =
  | 'answer'
  | 'answer-settled'
  | 'established'
  | 'connection-lost'
  | 'recover'
  | 'recovered'
  | 'retry-due'
  | 'end-locally'
  | 'end';

const LIVE = { 'end-locally': 'ending', end: 'ended' } as const;

const TABLE: Record<LineState, Partial<Record<LineEvent, LineState>>> = {
  offered: { answer: 'answering', established: 'up', ...LIVE },
  answering: { established: 'up', 'answer-settled': 'offered', ...LIVE },
  up: { 'connection-lost': 'reconnecting', ...LIVE },
  reconnecting: { recover: 'recovering', ...LIVE },
  recovering: {
    recovered: 'up',
    'connection-lost': 'reconnecting',
    'retry-due': 'reconnecting',
    ...LIVE,
  },
  ending: { end: 'ended' },
  ended: {},
};

export class IllegalLineTransitionError extends Error {
  override name = 'IllegalLineTransitionError';
  constructor(from: LineState, event: LineEvent) {
    super(`line: "${event}" is not allowed in state "${from}"`);
  }
}

export function lineTransition(from: LineState, event: LineEvent): LineState {
  const to = TABLE[from][event];
  if (!to) throw new IllegalLineTransitionError(from, event);
  return to;
}

/** The call waits for the server connection (it shows "reconnecting"). */
export function awaitingServer(state: LineState): boolean {
  return state === 'reconnecting' || state === 'recovering';
}
