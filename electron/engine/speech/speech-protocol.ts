/**
 * Messages between SpeechService (engine process) and the speech worker
 * (child process). They travel over the child_process IPC channel with
 * serialization 'advanced' (structured clone), so Int16Array audio passes as
 * bytes, not as JSON number lists.
 *
 * All times are stream time: milliseconds of audio of that stream, counted
 * from the stream's start. The service gives a restarted worker the stream
 * time to continue from (`startMs`), so times never jump back after a crash.
 */
import type { RecognizedWord } from '../../contract';
import type { EndpointSettings, TurnEndReason } from './endpointer';

/** The only sample rate the speech path uses: what the small Vosk models are trained on. */
export const SAMPLE_RATE = 16_000;

export interface StreamSettings {
  /**
   * Phrases the recognizer may hear, e.g. ["ja", "nein"]; "[unk]" is added
   * for everything else. null = the model's whole vocabulary.
   */
  grammar: string[] | null;
  endpoint: EndpointSettings;
  /** How often a partial is sent while a turn goes on. */
  partialIntervalMs: number;
  /** Alternatives in a final (0 = only the best; costs CPU). */
  maxAlternatives: number;
}

export interface PartialEvent {
  streamId: string;
  text: string;
  /** Start of the turn (or utterance) this partial belongs to. */
  startMs: number;
  /** Audio heard so far. */
  endMs: number;
  /** Stream time the partial was read at (= endMs; kept for clarity). */
  atMs: number;
}

export interface FinalEvent {
  streamId: string;
  text: string;
  words: RecognizedWord[];
  /** Only when maxAlternatives > 0: the n best texts, best first. */
  alternatives?: { text: string; confidence: number }[];
  startMs: number;
  endMs: number;
  /** Stream time the turn end was decided at (endMs + the pause it took to be sure). */
  atMs: number;
  reason: TurnEndReason;
}

export type ToWorker =
  | { type: 'load'; modelPath: string; logLevel: number }
  | { type: 'open'; streamId: string; startMs: number; settings: StreamSettings }
  | { type: 'audio'; streamId: string; samples: Int16Array }
  | {
      type: 'configure';
      streamId: string;
      grammar?: string[] | null;
      endpoint?: Partial<EndpointSettings>;
      partialIntervalMs?: number;
      maxAlternatives?: number;
    }
  | { type: 'close'; streamId: string }
  | { type: 'stats' };

export interface WorkerStats {
  /** process.cpuUsage() of the worker since it started, in ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Audio each open stream has been fed in this worker. */
  audioMs: Record<string, number>;
  /** Time spent inside libvosk + VAD per stream (wall clock, ms). */
  processingMs: Record<string, number>;
}

export type FromWorker =
  | {
      type: 'ready';
      modelLoadMs: number;
      libraryPath: string;
      grammarSupported: boolean;
    }
  | ({ type: 'partial' } & PartialEvent)
  | ({ type: 'final' } & FinalEvent)
  | { type: 'closed'; streamId: string }
  | ({ type: 'stats' } & WorkerStats)
  | {
      type: 'error';
      message: string;
      streamId?: string;
      /** The worker cannot go on (model unusable): do not restart it. */
      fatal: boolean;
      code?: 'invalid_model' | 'wrong_sample_rate' | 'library' | 'stream';
    }
  | { type: 'log'; level: 'info' | 'warn'; message: string };
