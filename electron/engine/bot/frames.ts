/**
 * The frames that flow through the bot's pipeline (the model is pipecat's):
 * data frames carry what was heard, understood, decided and spoken; control
 * frames steer the conversation. Barge-in drops queued speech frames but never
 * control frames, so a handoff decided before the caller interrupted still
 * happens.
 *
 * Who makes which: the session feeds `start`, `transcript`, `dtmf`,
 * `silence-timeout` and `user-started-speaking`; the understanding processor
 * turns a transcript into an `intent`; the dialogue answers with `answer`,
 * `listen`, `keying`, `worklist`, `handoff` and `hangup`; the voice adds `speech`; the
 * output tells when the bot started and stopped speaking; the pipeline ends
 * with `end`. Nothing else is shared between processors.
 */
import type { HandoffReason, IntentName, Listening } from '../../contract';

export interface Entities {
  customerNumber?: string;
  bgNumber?: string;
  /** ISO date (YYYY-MM-DD). */
  dateOfBirth?: string;
  /** Any ISO date mentioned. */
  date?: string;
  amount?: number;
  /** A spoken or keyed digit string. */
  digits?: string;
}

export type Frame =
  // data: what the caller did
  | {
      kind: 'transcript';
      text: string;
      confidence: number | null;
      /** Said while the bot could not be interrupted (the greeting), heard after it. */
      held?: true;
      at: number;
    }
  | { kind: 'dtmf'; digits: string; at: number }
  // data: understanding and decisions
  | {
      kind: 'intent';
      intent: IntentName;
      confidence: number;
      entities: Entities;
      text: string;
      held?: true;
      /** Too short and unsure to be meant (caller-input.ts isNoise). */
      noise?: true;
      at: number;
    }
  | {
      kind: 'answer';
      text: string;
      source?: string;
      /** The part of `text` that answers the caller (the rest: fixed prompts). */
      answered?: string;
      rate: number;
      at: number;
    }
  | { kind: 'speech'; pcm: Int16Array; utteranceId: string; at: number }
  // control
  | { kind: 'start'; callerId?: string; at: number }
  | { kind: 'user-started-speaking'; at: number }
  /** The caller hears the bot from now on (the first speech of a stretch is playing). */
  | { kind: 'bot-started-speaking'; at: number }
  /** The caller has heard everything queued, or the bot was interrupted. */
  | { kind: 'bot-stopped-speaking'; at: number }
  | { kind: 'silence-timeout'; at: number }
  | { kind: 'listen'; expect: ListenExpectation; at: number }
  /** The caller has keyed part of a number or date: the bot waits longer for the rest. */
  | { kind: 'keying'; at: number }
  | { kind: 'handoff'; reason: HandoffReason; priority: boolean; summary: string; at: number }
  /** A callback request or message for the morning worklist (night mode). */
  | { kind: 'worklist'; item: WorklistItem; at: number }
  | { kind: 'hangup'; at: number }
  /** The conversation is over for the bot: the last frame through the pipeline. */
  | { kind: 'end'; at: number };

export type WorklistItem =
  | {
      type: 'callback';
      urgent: boolean;
      number: string;
      window: string;
      topic: string;
      summary: string;
    }
  /** `urgent` absent (items kept from before it existed): not urgent. */
  | { type: 'message'; urgent?: boolean; text: string; topic: string; summary: string };

export type FrameKind = Frame['kind'];

/** Frames a barge-in may drop: speech queued for the caller. */
export function isDroppableOnBargeIn(frame: Frame): boolean {
  return frame.kind === 'speech' || frame.kind === 'answer';
}

/** What the next turn is: tunes endpointing and, with a grammar, recognition. */
export interface ListenExpectation {
  type: Listening;
  /** Silence that ends the caller's turn, ms (short after yes/no, long while dictating). */
  silenceMs: number;
  /** A shorter silence once the words sound like a finished sentence (0/absent: off). */
  completeSilenceMs?: number;
  /** Keypad accepted as well. */
  dtmf: boolean;
}

/** Why the bot hands over: the contract's list (the screen words each one). */
export type { HandoffReason };
