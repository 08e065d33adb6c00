/**
 * Streams PCM to the renderer in real time. The renderer's play-out worklet
 * holds only a small jitter buffer, so the engine must neither dump a whole
 * utterance at once nor starve it: frames are released on a 20 ms schedule, a
 * fixed lead ahead of the clock. The source is any async sequence of 16 kHz
 * chunks (the TTS yields one per sentence), so the first sentence plays while
 * later ones are still being synthesised; if the source falls behind, the
 * schedule waits for it instead of sending a burst afterwards.
 *
 * This is the path the bot's voice takes into the call; `stop()` drops
 * whatever is still queued (barge-in).
 */
import { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE } from '../../contract';

/** A sine tone with short fades, as 20 ms chunks. */
export async function* toneChunks(
  frequencyHz: number,
  durationMs: number,
  levelDbfs: number,
): AsyncGenerator<Int16Array> {
  const total = Math.max(1, Math.round(durationMs / FRAME_MS)) * FRAME_SAMPLES;
  const amplitude = 32767 * Math.pow(10, levelDbfs / 20);
  const step = (2 * Math.PI * frequencyHz) / SAMPLE_RATE;
  const fade = 80;
  for (let base = 0; base < total; base += FRAME_SAMPLES) {
    const chunk = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < chunk.length; i++) {
      const n = base + i;
      const envelope = Math.max(0, Math.min(1, n / fade, (total - n) / fade));
      chunk[i] = Math.round(amplitude * envelope * Math.sin(step * n));
    }
    yield chunk;
  }
}

export interface StreamHandle {
  readonly id: string;
  stop(): void;
  /** Resolves with how it ended and how many frames were sent. */
  readonly done: Promise<{ how: 'finished' | 'stopped' | 'failed'; frames: number; error?: Error }>;
}

export interface StreamOptions {
  leadMs?: number;
  now?: () => number;
}

export function streamPcm(
  id: string,
  source: AsyncIterable<Int16Array>,
  send: (samples: Int16Array, index: number) => void,
  options: StreamOptions = {},
): StreamHandle {
  const lead = options.leadMs ?? 60;
  const now = options.now ?? (() => performance.now());
  let queue = new Int16Array(0);
  let sourceDone = false;
  let stopped = false;
  let sent = 0;
  /** Clock time at which frame `sent` is due; re-anchored after a starve. */
  let anchor = now();
  let anchorIndex = 0;
  let settle!: (result: Awaited<StreamHandle['done']>) => void;
  const done = new Promise<Awaited<StreamHandle['done']>>((resolve) => (settle = resolve));
  let timer: ReturnType<typeof setInterval> | undefined;

  const finish = (how: 'finished' | 'stopped' | 'failed', error?: Error): void => {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = undefined;
    settle({ how, frames: sent, ...(error ? { error } : {}) });
  };

  const tick = (): void => {
    if (stopped) return;
    const t = now();
    const due = anchorIndex + Math.floor((t - anchor + lead) / FRAME_MS);
    while (sent <= due) {
      if (queue.length < FRAME_SAMPLES) {
        if (!sourceDone) {
          // Waiting for the source. If this frame is already late, restart
          // the schedule from now, so the next chunk is not sent as a burst.
          if (anchor + (sent - anchorIndex) * FRAME_MS < t) {
            anchor = t;
            anchorIndex = sent;
          }
          return;
        }
        if (queue.length === 0) {
          finish('finished');
          return;
        }
        const padded = new Int16Array(FRAME_SAMPLES);
        padded.set(queue);
        queue = new Int16Array(0);
        send(padded, sent++);
        continue;
      }
      send(queue.slice(0, FRAME_SAMPLES), sent++);
      queue = queue.subarray(FRAME_SAMPLES);
    }
  };

  void (async () => {
    try {
      for await (const chunk of source) {
        if (stopped) return;
        const merged = new Int16Array(queue.length + chunk.length);
        merged.set(queue);
        merged.set(chunk, queue.length);
        queue = merged;
        tick();
      }
      sourceDone = true;
      tick();
    } catch (error) {
      stopped = true;
      finish('failed', error instanceof Error ? error : new Error(String(error)));
    }
  })();
  timer = setInterval(tick, FRAME_MS / 2);

  return {
    id,
    done,
    stop() {
      if (stopped) return;
      queue = new Int16Array(0);
      finish('stopped');
    },
  };
}
