/**
 * The bot's voice into a live call: a continuous, paced output. Unlike a
 * one-off playback (pcm-streamer), the bot queues sentence after sentence as
 * the TTS makes them, may be interrupted at any moment (barge-in) and needs to
 * know when the caller has heard everything (to start the silence timer or to
 * hang up after the goodbye).
 *
 * Frames leave on a 20 ms schedule a fixed lead ahead of the clock, so the
 * renderer's jitter buffer neither starves nor fills up. The lead covers a
 * busy desk: with eight calls on a two-core machine the renderer's thread
 * stalls for tens of milliseconds at a time, and a 60 ms lead let the bot
 * stutter. `clear()` drops what is queued at once and tells the desk to drop
 * what it holds (a flush frame), so a barge-in silences the bot at once
 * however far ahead it was.
 */
import { FRAME_MS, FRAME_SAMPLES } from '../../contract';

export interface LiveOutputOptions {
  /**
   * How far ahead of the clock frames are sent (ms). Default: 300 with a
   * `flush`, 60 without (what the desk holds beyond that is heard even after
   * a barge-in).
   */
  leadMs?: number;
  /** Tells the desk to drop what it has queued to play (barge-in): the lead can be generous. */
  flush?: () => void;
  now?: () => number;
}

export class LiveOutput {
  private queue: Int16Array[] = [];
  private queued = 0;
  private offset = 0;
  private timer?: ReturnType<typeof setInterval>;
  /** Clock time at which the next frame is due. */
  private nextDue = 0;
  /** Clock time at which the last frame sent has been played. */
  private playedUntil = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private settleTimer?: ReturnType<typeof setTimeout>;
  private readonly lead: number;
  private readonly flush: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly send: (samples: Int16Array) => void,
    options: LiveOutputOptions = {},
  ) {
    this.flush = options.flush;
    this.lead = options.leadMs ?? (options.flush ? 300 : 60);
    this.now = options.now ?? (() => performance.now());
  }

  /** True while something is queued or still being played at the caller. */
  get busy(): boolean {
    return this.queued > 0 || this.now() < this.playedUntil;
  }

  push(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    this.queue.push(pcm);
    this.queued += pcm.length;
    if (!this.timer) {
      const t = this.now();
      this.nextDue = Math.max(t, this.playedUntil);
      this.timer = setInterval(() => this.tick(), FRAME_MS / 2);
    }
    this.tick();
  }

  /** Drops everything queued (barge-in); resolves waiters at once. */
  clear(): void {
    // Frames sent ahead of the clock wait at the desk: they go too.
    if (this.now() < this.playedUntil) this.flush?.();
    this.queue = [];
    this.queued = 0;
    this.offset = 0;
    this.playedUntil = Math.min(this.playedUntil, this.now());
    this.stopTimer();
    this.release();
  }

  /** Resolves when everything queued so far has been played at the caller. */
  drained(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    const promise = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.queued === 0) this.settleIfIdle();
    return promise;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private tick(): void {
    const t = this.now();
    while (this.queued > 0 && this.nextDue <= t + this.lead) {
      const frame = this.take();
      this.send(frame);
      this.nextDue += FRAME_MS;
      this.playedUntil = this.nextDue;
    }
    if (this.queued === 0) {
      this.stopTimer();
      this.settleIfIdle();
    }
  }

  /** Releases the waiters once the last frame has been played; checks again until then. */
  private settleIfIdle(): void {
    if (this.queued > 0) return;
    const wait = this.playedUntil - this.now();
    if (wait <= 0) {
      this.release();
      return;
    }
    if (this.waiters.length === 0 || this.settleTimer) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.settleIfIdle();
    }, wait + 1);
  }

  private take(): Int16Array {
    const frame = new Int16Array(FRAME_SAMPLES);
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = Math.min(FRAME_SAMPLES - filled, head.length - this.offset);
      frame.set(head.subarray(this.offset, this.offset + n), filled);
      filled += n;
      this.offset += n;
      if (this.offset >= head.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    this.queued = Math.max(0, this.queued - filled);
    return frame;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
