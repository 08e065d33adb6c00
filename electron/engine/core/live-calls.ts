/**
 * The calls on at this desk now, with their caller IDs: what the agent's
 * identity check (case.verify) and its limits go by. A call is live once the
 * phone reports it ringing, dialling or connected (until it reports it
 * ended), or while a bot or practice call runs it; the bot's caller ID
 * (bot.start) may come before the phone's report.
 */

/** Calls known elsewhere (the live bots, the practice calls). */
export interface CallSource {
  has(callId: string): boolean;
}

export class LiveCalls {
  private readonly calls = new Map<string, { callerId?: string; reported: boolean }>();

  /** `sources`: the bot and practice calls, which are live while they run. */
  constructor(private readonly sources: readonly (CallSource | undefined)[] = []) {}

  /** The phone reports the call on: live, with the remote party as caller ID unless one is known. */
  reported(callId: string, remote: string): void {
    const known = this.calls.get(callId);
    this.calls.set(callId, { callerId: known?.callerId ?? remote, reported: true });
  }

  /** The phone reports the call ended (or idle): forgotten. */
  ended(callId: string): void {
    this.calls.delete(callId);
  }

  /** The bot's caller ID (bot.start): kept, whether or not the phone has reported the call yet. */
  botCallerId(callId: string, callerId: string): void {
    this.calls.set(callId, { reported: false, ...this.calls.get(callId), callerId });
  }

  /** The window that carried a bot's call is gone: its caller ID too, unless the phone reported the call. */
  carrierGone(callId: string): void {
    if (!this.calls.get(callId)?.reported) this.calls.delete(callId);
  }

  /** Whether a call is on at this desk now: reported by the phone, or a bot or practice call. */
  isLive(callId: string): boolean {
    return (
      (this.calls.get(callId)?.reported ?? false) ||
      this.sources.some((source) => source?.has(callId) ?? false)
    );
  }

  /** The caller ID of a live call (the bot's, else the phone's remote party). */
  callerIdOf(callId: string): string | undefined {
    return this.calls.get(callId)?.callerId;
  }
}
