/**
 * Streams PCM frames to the renderer in real time. The renderer's play-out
 * worklet holds only a small jitter buffer, so the engine must neither dump a
 * whole utterance at once nor starve it: frames are released on a 20 ms
 * schedule, a fixed lead ahead of the clock. This is the path the bot's voice
 * will take into the call; `stop()` drops whatever is still queued
 * (barge-in).
 */
import { FRAME_MS, FRAME_SAMPLES } from '../../contract';

export interface PcmSource {
  /** Total frames, known up front. */
  readonly frames: number;
  /** Fill `out` with frame number `index`. */
  render(index: number, out: Int16Array): void;
}

export class ToneSource implements PcmSource {
  readonly frames: number;
  private readonly amplitude: number;
  private readonly step: number;

  constructor(frequencyHz: number, durationMs: number, levelDbfs: number, sampleRate = 16_000) {
    this.frames = Math.max(1, Math.round(durationMs / FRAME_MS));
    this.amplitude = 32767 * Math.pow(10, levelDbfs / 20);
    this.step = (2 * Math.PI * frequencyHz) / sampleRate;
  }

  render(index: number, out: Int16Array): void {
    const base = index * out.length;
    // Short fades at both ends avoid clicks.
    const fade = 80;
    const total = this.frames * out.length;
    for (let i = 0; i < out.length; i++) {
      const n = base + i;
      const envelope = Math.min(1, n / fade, (total - n) / fade);
      out[i] = Math.round(this.amplitude * Math.max(0, envelope) * Math.sin(this.step * n));
    }
  }
}

export interface StreamHandle {
  readonly id: string;
  stop(): void;
  readonly done: Promise<'finished' | 'stopped'>;
}

export function streamPcm(
  id: string,
  source: PcmSource,
  send: (samples: Int16Array, index: number) => void,
  options: { leadMs?: number; now?: () => number } = {},
): StreamHandle {
  const lead = options.leadMs ?? 60;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let next = 0;
  let settle!: (how: 'finished' | 'stopped') => void;
  const done = new Promise<'finished' | 'stopped'>((resolve) => (settle = resolve));
  const tick = (): void => {
    const due = Math.floor((now() - start + lead) / FRAME_MS);
    while (next < source.frames && next <= due) {
      const samples = new Int16Array(FRAME_SAMPLES);
      source.render(next, samples);
      send(samples, next);
      next++;
    }
    if (next >= source.frames) {
      clearInterval(timer);
      settle('finished');
    }
  };
  const timer = setInterval(tick, FRAME_MS / 2);
  tick();
  return {
    id,
    done,
    stop() {
      if (next >= source.frames) return;
      next = source.frames;
      clearInterval(timer);
      settle('stopped');
    },
  };
}
