/**
 * Rejected input from the engine's peers (malformed or invalid requests,
 * undecodable audio frames): counted for engine.stats and logged, never
 * thrown. A flood gets one line a second: the first of each second on its
 * own, the rest counted and summed up in a line of their own a second later,
 * so none goes unlogged.
 */
import type { ScopedLogger } from '../log/logger';

/** At most one line a second about rejected input. */
export const REJECT_LOG_INTERVAL_MS = 1000;

export class RejectLog {
  private messageCount = 0;
  private frameCount = 0;
  private lastRejectLog = -Infinity;
  /** Rejections not logged on their own line (at most one line a second): summed up later. */
  private unloggedRejects = 0;
  private lastUnlogged = '';
  private rejectSummary?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly log: ScopedLogger,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Messages rejected so far (malformed, unknown method, invalid parameters). */
  get messagesRejected(): number {
    return this.messageCount;
  }

  /** Audio frames rejected so far (could not be decoded). */
  get framesRejected(): number {
    return this.frameCount;
  }

  /** A message rejected: counted and logged (or summed up in the log). */
  message(text: string): void {
    this.messageCount++;
    this.write(text);
  }

  /** An audio frame rejected: counted and logged (or summed up in the log). */
  frame(text: string): void {
    this.frameCount++;
    this.write(text);
  }

  private write(message: string): void {
    const t = this.clock();
    if (t - this.lastRejectLog > REJECT_LOG_INTERVAL_MS) {
      this.lastRejectLog = t;
      this.log.warn(message);
      return;
    }
    this.unloggedRejects++;
    this.lastUnlogged = message;
    this.rejectSummary ??= setTimeout(() => {
      this.rejectSummary = undefined;
      const count = this.unloggedRejects;
      this.unloggedRejects = 0;
      this.lastRejectLog = this.clock();
      this.log.warn(
        `${count} more rejected (bad messages or audio frames, one line a second); the last: ${this.lastUnlogged}`,
      );
    }, REJECT_LOG_INTERVAL_MS);
    this.rejectSummary.unref?.();
  }
}

/** A text from outside, cut for the log. */
export function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
