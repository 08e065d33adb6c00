/**
 * What goes into the dialogue and what comes out of it: the events it
 * handles, the turns it answers with, the actions it asks for, the outcome it
 * keeps, and what it needs from outside (answers, verification, case facts).
 * Also the narrow view of the dialogue its sub-dialogues (verification, night
 * callback) work through, so they decide their own questions without
 * reaching into the rest.
 */
import type { BotMode, IntentName } from '../../contract';
import type { DialogueState } from './dialogue-states';
import type { HandoffReason, ListenExpectation } from './frames';
import type { Understanding } from './understanding';

export interface DialogueDeps {
  /** The spoken answer for a general question, with its source. */
  answerFor(intent: IntentName): { text: string; source: string } | undefined;
  /**
   * `locked`: no check was made, the number or line is locked after failed
   * attempts in earlier calls (cases/verification-gate.ts).
   */
  verify(input: {
    customerNumber?: string;
    bgNumber?: string;
    dateOfBirth: string;
  }): Promise<{ verified: true; caseRef: string } | { verified: false; locked?: true }>;
  /** A spoken case fact for a verified caller, e.g. the next payment. */
  caseAnswer(
    caseRef: string,
    intent: IntentName,
  ): Promise<{ text: string; facts: Record<string, string> } | undefined>;
  mode: BotMode;
  /** Below this, an understanding counts as "not understood". */
  minConfidence?: number;
}

/**
 * The call started; the caller said something (already understood: the
 * understanding processor classifies every utterance once; `held`: said
 * during the greeting, which cannot be interrupted, and heard after it;
 * `noise`: too short and unsure to be meant); the caller keyed; the caller
 * stayed silent after a question.
 */
export type DialogueEvent =
  | { type: 'start'; callerId?: string }
  | {
      type: 'utterance';
      text: string;
      understanding: Understanding;
      held?: true;
      noise?: true;
    }
  | { type: 'dtmf'; digits: string }
  | { type: 'silence' };

export type BotAction =
  | { type: 'handoff'; reason: HandoffReason; priority: boolean; summary: string }
  | {
      type: 'callback';
      urgent: boolean;
      number: string;
      window: string;
      topic: IntentName;
      summary: string;
    }
  | { type: 'message'; urgent: boolean; text: string; topic: IntentName; summary: string }
  | { type: 'hangup' };

export interface BotTurn {
  /** What the bot says (empty: nothing). */
  say: string;
  /** Speech rate for this turn (1 normal, 0.8 slower). */
  rate: number;
  /** Source of the facts said, for the transcript and the caseworker. */
  source?: string;
  /**
   * The part of `say` that answers the caller (whole sentences), for the
   * transcript and the wrap-up note; absent when the turn is only the bot's
   * fixed prompts (greeting, questions, menus).
   */
  answer?: string;
  /** How to listen next; absent after a final action. */
  listen?: ListenExpectation;
  /**
   * The caller has keyed part of a number or date and nothing is said: the
   * bot waits for the rest, a longer pause than after a question.
   */
  keying?: true;
  action?: BotAction;
}

/** What the conversation established, for the handoff summary and the simulator. */
export interface DialogueOutcome {
  intent: IntentName | null;
  verified: boolean;
  answeredFacts: Record<string, string>;
  handoff?: HandoffReason;
  callback?: { number: string; window: string; urgent: boolean };
  message?: string;
  mode: BotMode;
  ended: boolean;
}

/** The dialogue as its sub-dialogues see it. */
export interface DialogueHost {
  readonly deps: DialogueDeps;
  /** The conversation's outcome, filled in as it goes. */
  readonly outcome: DialogueOutcome;
  /** Moves to `next`; throws if the state table has no such move. */
  moveTo(next: DialogueState): void;
  /** Counts one more failure in the current state; returns the count in this state. */
  failed(): number;
  /** The caller has keyed part of an entry for the current question (and paused). */
  keying(): boolean;
  /** Says something and listens the way the current state listens. */
  ask(say: string): BotTurn;
  /** Says something and, optionally, acts; listens no more. */
  tell(say: string, action?: BotAction): BotTurn;
  /** A person takes over (day) or a callback is offered (night). */
  toPerson(reason: HandoffReason): BotTurn;
  goodbye(): BotTurn;
  /** The caseworker's first lines about this call. */
  summary(reason: HandoffReason): string;
  /** Answers a case question for a verified caller (then: anything else?). */
  answerFromCase(caseRef: string, intent: IntentName): Promise<BotTurn>;
  /** The case system failed: said plainly, then a person or a callback. */
  caseSystemDown(): BotTurn;
}
