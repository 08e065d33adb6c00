/**
 * A clock for the bot's silence timers that only moves when told to: the
 * simulator's. A script's `wait` lets time pass, and every timer that falls
 * due in it fires in order, each after what the one before set off has been
 * decided — so a scripted pause behaves as the same pause in a call, without
 * waiting for it.
 */
import type { SilenceClock } from './bot-session';

export class VirtualClock implements SilenceClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  /** Milliseconds since the clock was made. */
  get now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /**
   * Lets `ms` pass: fires each timer due by then, earliest first, and awaits
   * `settle` after each (what the timer set off, e.g. the bot's next turn,
   * which may set the next timer).
   */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const until = this.time + Math.max(0, ms);
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await settle();
    }
    this.time = until;
  }
}
