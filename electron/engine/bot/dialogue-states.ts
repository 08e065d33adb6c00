/**
 * The dialogue's states and the moves between them: the table the dialogue
 * is checked against. A move that is not listed here is a bug, so it throws
 * instead of leaving a caller somewhere no question leads out of.
 *
 *   idle ─start─▶ open
 *   open ─general question: answer from the knowledge base───────────▶ more
 *   open ─case question, caller already verified: answer from the case─▶ more
 *   open ─case question─▶ verify-number ─number─▶ verify-dob ─verified: answer─▶ more
 *                              ▲                       │
 *                              └──── not verified ─────┘ (third time: to a person)
 *   open ─human_request, emergency, crisis, the same question a third time,
 *         a third failure (not understood or silent)─▶ to a person
 *   open ─a fourth failure─▶ ended
 *   more ─yes, key 1─▶ open;  the next question itself (words, another key)─▶ open ─▶ …
 *   more ─no, key 2, a second silence─▶ ended
 *
 *   to a person  (also from verify-number and verify-dob: asking for a person,
 *                 three failures, three refused verifications, the case system down)
 *     day   ─▶ handed-off
 *     night ─▶ callback-confirm-number (the caller ID can be called back) or callback-number
 *
 *   callback-confirm-number ─yes, key 1, silence (the number offered)─▶ callback-window
 *                           ─"Nachricht"─▶ message
 *                           ─no, another key─▶ callback-number ─number─▶ callback-window
 *                                                               └─ third failure ─▶ ended
 *   callback-window ─morning, afternoon, keys 1/2; anything else or silence: any time─▶ ended
 *   message         ─the message; a key or a third silence: no words─▶ ended, filed
 *
 * An emergency or a crisis in anything the caller says comes first, in every
 * state, before the state's own question is looked at (yes/no, number, date,
 * "nochmal", "langsamer"): open, verify-number, verify-dob and more go to a
 * person (day) or an urgent callback (night); a callback being taken is made
 * urgent and its question asked again; a message is filed at once, urgent,
 * with the caller's words. Keys are not speech and are not checked.
 *
 * Silence and keys are events of every state. A question with a default
 * takes it on silence (this number? yes; when to call back? any time;
 * anything else? no, after inviting the caller once more); the others ask
 * their own question again. A pause in the middle of keying a number or a
 * date keeps the digits already keyed: the bot waits longer for the rest,
 * then asks for it once without counting a failure; only a silence after
 * that counts. Failures are counted per state and start at zero in each new
 * state. Words held through the greeting (said while it could not be
 * interrupted) are never a failure: a request at the open question is
 * answered, an emergency or a crisis is acted on as above, the rest is let
 * go.
 */
import type { ListenExpectation } from './frames';
import type { KeyAnswer } from './keypad-entry';

export const DIALOGUE_STATES = [
  'idle',
  'open',
  'verify-number',
  'verify-dob',
  'more',
  'callback-confirm-number',
  'callback-number',
  'callback-window',
  'message',
  'handed-off',
  'ended',
] as const;

export type DialogueState = (typeof DIALOGUE_STATES)[number];

/** What can happen to the dialogue: the call starts, the caller speaks, keys or stays silent. */
export type DialogueEventType = 'start' | 'utterance' | 'dtmf' | 'silence';

const CALLER = ['utterance', 'dtmf', 'silence'] as const;

/**
 * The events each state handles. After the bot's part is over (handed-off,
 * ended) the caller may still speak or key: heard, and left alone.
 */
export const ACCEPTS = {
  idle: ['start'],
  open: CALLER,
  'verify-number': CALLER,
  'verify-dob': CALLER,
  more: CALLER,
  'callback-confirm-number': CALLER,
  'callback-number': CALLER,
  'callback-window': CALLER,
  message: CALLER,
  'handed-off': CALLER,
  ended: CALLER,
} as const satisfies Record<DialogueState, readonly DialogueEventType[]>;

/** Where each state may go next (staying is always allowed). */
export const MOVES = {
  idle: ['open'],
  open: [
    'verify-number',
    'more',
    'handed-off',
    'callback-confirm-number',
    'callback-number',
    'ended',
  ],
  'verify-number': ['verify-dob', 'handed-off', 'callback-confirm-number', 'callback-number'],
  'verify-dob': [
    'more',
    'open',
    'verify-number',
    'handed-off',
    'callback-confirm-number',
    'callback-number',
  ],
  more: ['open', 'ended'],
  'callback-confirm-number': ['callback-window', 'callback-number', 'message'],
  'callback-number': ['callback-window', 'ended'],
  'callback-window': ['ended'],
  message: ['ended'],
  'handed-off': [],
  ended: [],
} as const satisfies Record<DialogueState, readonly DialogueState[]>;

export class IllegalMoveError extends Error {
  override name = 'IllegalMoveError';
}

/** Throws unless `from` may go to `to`. */
export function checkMove(from: DialogueState, to: DialogueState): void {
  if (from === to) return;
  if (!(MOVES[from] as readonly DialogueState[]).includes(to)) {
    throw new IllegalMoveError(`dialogue: no move from ${from} to ${to}`);
  }
}

/** Throws unless `state` handles `event`. */
export function checkEvent(state: DialogueState, event: DialogueEventType): void {
  if (!(ACCEPTS[state] as readonly DialogueEventType[]).includes(event)) {
    throw new IllegalMoveError(`dialogue: ${event} is not an event of ${state}`);
  }
}

/** A typed change event: every move, with the event that caused it. */
export interface DialogueChange {
  from: DialogueState;
  to: DialogueState;
  on: DialogueEventType;
}

/**
 * Turn-taking per question (bench `turn`): a finished-sounding answer ends
 * after 200 ms of silence, an unfinished one ("Ich möchte meinen …") waits
 * the full silence; numbers and dates are dictated with pauses.
 */
export const LISTEN_OPEN: ListenExpectation = {
  type: 'open',
  silenceMs: 800,
  completeSilenceMs: 200,
  dtmf: true,
};
export const LISTEN_YES_NO: ListenExpectation = {
  type: 'yes-no',
  silenceMs: 500,
  completeSilenceMs: 200,
  dtmf: true,
};
export const LISTEN_DIGITS: ListenExpectation = { type: 'digits', silenceMs: 1200, dtmf: true };
export const LISTEN_DATE: ListenExpectation = { type: 'date', silenceMs: 1000, dtmf: true };

/** How the bot listens while it waits in each state (none once its part is over). */
export const LISTEN: Record<DialogueState, ListenExpectation | undefined> = {
  idle: undefined,
  open: LISTEN_OPEN,
  'verify-number': LISTEN_DIGITS,
  'verify-dob': LISTEN_DATE,
  more: LISTEN_YES_NO,
  'callback-confirm-number': LISTEN_YES_NO,
  'callback-number': LISTEN_DIGITS,
  'callback-window': LISTEN_OPEN,
  message: LISTEN_OPEN,
  'handed-off': undefined,
  ended: undefined,
};

/** How each state takes keys: an entry (number, date) or one key as the answer. */
export const KEY_ANSWER: Record<DialogueState, KeyAnswer> = {
  idle: 'single',
  open: 'single',
  'verify-number': 'number',
  'verify-dob': 'date',
  more: 'single',
  'callback-confirm-number': 'single',
  'callback-number': 'number',
  'callback-window': 'single',
  message: 'single',
  'handed-off': 'single',
  ended: 'single',
};
