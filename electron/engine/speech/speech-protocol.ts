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
import { z } from 'zod';
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
  | { type: 'stats' }
  /** Heartbeat: the worker answers 'pong' with the same seq once it gets to it. */
  | { type: 'ping'; seq: number };

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
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'pong'; seq: number };

/*
 * What the engine accepts from the worker. The worker runs native code
 * (libvosk) on untrusted input (model files, audio), so whatever arrives over
 * the channel is checked before anything in the engine sees it: a message
 * that does not fit is a worker fault (SpeechService logs it, kills the
 * worker and starts a new one), never a crash or a garbled transcript.
 */
const streamIdSchema = z.string().min(1).max(200);
/** Stream times and durations: finite and not negative (zod 4 rejects NaN and ±Infinity). */
const msSchema = z.number().min(0);
/** Recognised text: a turn ends after maxTurnMs, so its text stays well below this. */
const textSchema = z.string().max(20_000);
const wordSchema = z.object({
  word: z.string().max(1_000),
  startMs: z.number(),
  endMs: z.number(),
  conf: z.number(),
});
const turnEndReasonSchema = z.enum(['vad', 'stable', 'endpoint', 'max-turn', 'flush']);
const perStreamSchema = z.record(streamIdSchema, msSchema);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    modelLoadMs: msSchema,
    libraryPath: z.string().max(4_096),
    grammarSupported: z.boolean(),
  }),
  z.object({
    type: z.literal('partial'),
    streamId: streamIdSchema,
    text: textSchema,
    startMs: msSchema,
    endMs: msSchema,
    atMs: msSchema,
  }),
  z.object({
    type: z.literal('final'),
    streamId: streamIdSchema,
    text: textSchema,
    words: z.array(wordSchema).max(5_000),
    alternatives: z
      .array(z.object({ text: textSchema, confidence: z.number() }))
      .max(21)
      .optional(),
    startMs: msSchema,
    endMs: msSchema,
    atMs: msSchema,
    reason: turnEndReasonSchema,
  }),
  z.object({ type: z.literal('closed'), streamId: streamIdSchema }),
  z.object({
    type: z.literal('stats'),
    cpuUserMs: msSchema,
    cpuSystemMs: msSchema,
    audioMs: perStreamSchema,
    processingMs: perStreamSchema,
  }),
  z.object({
    type: z.literal('error'),
    message: z.string().max(10_000),
    streamId: streamIdSchema.optional(),
    fatal: z.boolean(),
    code: z.enum(['invalid_model', 'wrong_sample_rate', 'library', 'stream']).optional(),
  }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn']),
    message: z.string().max(10_000),
  }),
  z.object({ type: z.literal('pong'), seq: z.number().int().min(0) }),
]);

/** What fromWorkerSchema lets through is a FromWorker (checked by the compiler). */
export type CheckedFromWorker = z.output<typeof fromWorkerSchema>;
const _schemaFitsProtocol = (message: CheckedFromWorker): FromWorker => message;
void _schemaFitsProtocol;

/** A message from the worker, checked; undefined with the problem when it does not fit. */
export function parseFromWorker(
  message: unknown,
): { ok: true; message: FromWorker } | { ok: false; problem: string } {
  const result = fromWorkerSchema.safeParse(message);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, problem: `${issue?.message ?? 'malformed'}${where}` };
}
