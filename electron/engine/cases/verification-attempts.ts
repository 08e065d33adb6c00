/**
 * Counts failed verification attempts per call. The limit itself belongs to
 * the dialogue (what the bot says and where it routes after the last try);
 * this only keeps the count, so the dialogue and the agent's screen agree.
 * Counts are per call, not per number: counting per number would need the
 * number to be remembered even when it does not exist.
 */
export class VerificationAttempts {
  private readonly failures = new Map<string, number>();

  constructor(readonly limit = 3) {}

  /** Records a failed attempt; returns the failures so far in this call. */
  recordFailure(callId: string): number {
    const count = (this.failures.get(callId) ?? 0) + 1;
    this.failures.set(callId, count);
    return count;
  }

  failed(callId: string): number {
    return this.failures.get(callId) ?? 0;
  }

  remaining(callId: string): number {
    return Math.max(0, this.limit - this.failed(callId));
  }

  exhausted(callId: string): boolean {
    return this.failed(callId) >= this.limit;
  }

  /** Forgets the call (hang-up, or a human verified the caller). */
  clear(callId: string): void {
    this.failures.delete(callId);
  }
}
