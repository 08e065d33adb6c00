/**
 * The speech service's record of one open stream: its settings (checked and
 * merged here), its stream time across worker restarts, and the audio kept
 * while no worker takes it (the newest maxBufferMs; older audio is dropped
 * and counted, and still counts as stream time).
 */
import {
  DEFAULT_ENDPOINT_SETTINGS,
  endpointSettingsProblem,
  type EndpointSettings,
} from './endpointer';
import { SAMPLE_RATE, type StreamSettings } from './speech-protocol';

export interface OpenStreamOptions {
  /** Stream time the stream starts at (default 0): a call taken up again after a restart. */
  startMs?: number;
  grammar?: string[] | null;
  endpoint?: Partial<EndpointSettings>;
  partialIntervalMs?: number;
  maxAlternatives?: number;
}

/** A new stream's settings: the defaults with the options on top. */
export function newStreamSettings(options: OpenStreamOptions): StreamSettings {
  return streamSettingsFrom(
    {
      grammar: null,
      endpoint: { ...DEFAULT_ENDPOINT_SETTINGS },
      partialIntervalMs: 200,
      maxAlternatives: 0,
    },
    options,
  );
}

/** base with the options that are given on top; throws on an option out of range. */
export function streamSettingsFrom(
  base: StreamSettings,
  options: OpenStreamOptions,
): StreamSettings {
  if (options.grammar !== undefined && options.grammar !== null) {
    if (
      !Array.isArray(options.grammar) ||
      options.grammar.length === 0 ||
      options.grammar.some((p) => typeof p !== 'string' || p.trim() === '')
    )
      throw new TypeError('grammar must be null or a non-empty list of non-empty phrases');
  }
  if (options.endpoint) {
    const problem = endpointSettingsProblem(options.endpoint);
    if (problem) throw new RangeError(problem);
  }
  const interval = options.partialIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 30 || interval > 5_000))
    throw new RangeError('partialIntervalMs must be from 30 to 5000');
  const alternatives = options.maxAlternatives;
  if (
    alternatives !== undefined &&
    (!Number.isInteger(alternatives) || alternatives < 0 || alternatives > 20)
  )
    throw new RangeError('maxAlternatives must be an integer from 0 to 20');
  return {
    grammar:
      options.grammar === undefined
        ? base.grammar
        : options.grammar && options.grammar.map((p) => p.trim().toLowerCase()),
    endpoint: { ...base.endpoint, ...options.endpoint },
    partialIntervalMs: interval ?? base.partialIntervalMs,
    maxAlternatives: alternatives ?? base.maxAlternatives,
  };
}

export class OpenStream {
  /** Whether the current worker has this stream open. */
  inWorker = false;
  /** Samples handed to a worker (any incarnation). */
  private sentSamples = 0;
  /** Samples dropped from the buffer (count as stream time all the same). */
  private droppedSamples = 0;
  /** Stream time before the first sample (OpenStreamOptions.startMs), in samples. */
  private readonly startSamples: number;
  private buffer: Int16Array[] = [];
  private bufferedSamples = 0;

  constructor(
    public settings: StreamSettings,
    startMs: number,
  ) {
    if (!Number.isFinite(startMs) || startMs < 0)
      throw new RangeError('startMs must be a stream time of 0 or more');
    this.startSamples = Math.round((startMs * SAMPLE_RATE) / 1000);
  }

  /** The stream time a worker that opens the stream now continues from. */
  get resumeAtMs(): number {
    return ((this.startSamples + this.sentSamples + this.droppedSamples) * 1000) / SAMPLE_RATE;
  }

  /** Audio dropped because no worker took it in time. */
  get droppedMs(): number {
    return (this.droppedSamples * 1000) / SAMPLE_RATE;
  }

  /** Samples handed to the worker. */
  sent(samples: number): void {
    this.sentSamples += samples;
  }

  /**
   * Keeps a copy of the chunk until a worker takes it: the newest maxBufferMs
   * stay, the oldest goes first. True when audio was dropped.
   */
  keep(samples: Int16Array, maxBufferMs: number): boolean {
    let dropped = false;
    this.buffer.push(samples.slice());
    this.bufferedSamples += samples.length;
    const limit = (maxBufferMs * SAMPLE_RATE) / 1000;
    while (this.bufferedSamples > limit) {
      const first = this.buffer[0];
      if (!first) break;
      const excess = this.bufferedSamples - limit;
      const drop = Math.min(excess, first.length);
      if (drop === first.length) this.buffer.shift();
      else this.buffer[0] = first.subarray(drop);
      this.bufferedSamples -= drop;
      this.droppedSamples += drop;
      dropped = true;
    }
    return dropped;
  }

  /** The kept audio, oldest first, for the worker (counted as sent); the buffer is empty after. */
  takeKept(): Int16Array[] {
    const kept = this.buffer;
    this.buffer = [];
    this.bufferedSamples = 0;
    for (const samples of kept) this.sentSamples += samples.length;
    return kept;
  }
}
