/**
 * Exponential backoff with jitter for re-registration: 1 s, 2 s, 4 s … up to
 * 30 s. Jitter keeps a room full of phones from re-registering in lockstep
 * after the registrar comes back.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt; each call counts as one attempt. */
  next(): number {
    const raw = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt++;
    // ±20 % jitter, never below the base.
    return Math.max(this.baseMs, Math.round(raw * (0.8 + 0.4 * this.random())));
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
