/**
 * Messages between the engine and its voice thread (voice-thread.ts ↔
 * voice-worker.ts). Structured clone over a worker_threads port; PCM moves as
 * a transferred buffer, not a copy.
 */
/** What the thread is started with (workerData): the voice's options, without callbacks. */
export interface VoiceThreadData {
  lingwareDirectory?: string;
  volume?: number;
  warmUp?: boolean;
}

export type ToVoiceThread = { type: 'speak'; id: number; sentence: string; rate: number };

export type FromVoiceThread =
  | { type: 'ready'; sampleRate: number }
  | { type: 'failed'; message: string }
  | { type: 'pcm'; id: number; pcm: Int16Array }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'log'; line: string };
