/**
 * What the phone tells the engine (`phone.report`): registration changes
 * and each call's steps, for the engine's log and the call history. The
 * reasons are plain English developer text (renderer/phone/phone-log-text.ts),
 * never the agent's words; an ended call carries its outcome for the history. A report that fails is dropped: the phone
 * works without the engine's log.
 */
import type { CallOutcome, Params } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';
import { isLive } from '../phone/call-machine';
import type { CallInfo } from '../phone/phone-store';
import type { RegistrationState } from '../phone/registration-machine';

/** Longest reason the contract takes. */
const MAX_REASON = 500;
/** The reason of a report sent again to a restarted engine (plain English, for its log). */
const AGAIN = 'reported again after an engine restart';

export class PhoneReports {
  constructor(
    private readonly client: Pick<EngineClient, 'request'>,
    /** Who took call `id`, sent with 'connected'. */
    private readonly handledBy: (id: string) => 'bot' | 'person',
  ) {}

  registration(state: RegistrationState, reason?: string): void {
    this.send({
      kind: 'registration',
      state,
      ...(reason ? { reason: reason.slice(0, MAX_REASON) } : {}),
    });
  }

  call(
    call: CallInfo | undefined,
    state: 'ringing' | 'dialing' | 'connected' | 'ended',
    reason?: string,
    /** With 'ended': how it ended for the call history (phone/call-outcome.ts). */
    outcome?: CallOutcome,
  ): void {
    if (!call) return;
    this.send({
      kind: 'call',
      callId: call.id ?? 'unknown',
      state,
      direction: call.direction ?? 'incoming',
      remote: call.remote ?? '',
      ...(reason ? { reason: reason.slice(0, MAX_REASON) } : {}),
      ...(call.remoteName ? { remoteName: call.remoteName } : {}),
      ...(state === 'connected' && call.id ? { handledBy: this.handledBy(call.id) } : {}),
      ...(state === 'ended' && outcome ? { outcome } : {}),
    });
  }

  /**
   * Everything live again, for an engine that has just (re)started and knows
   * none of it: the registration and each live call in its state, a
   * connected one with the time it was answered (so the new engine's
   * transcript goes on at the right time, and its history keeps the call).
   */
  again(lines: readonly CallInfo[], registration: RegistrationState): void {
    this.registration(registration, AGAIN);
    for (const line of lines) {
      if (!isLive(line.state) || !line.id) continue;
      const { state } = line;
      this.send({
        kind: 'call',
        callId: line.id,
        state,
        direction: line.direction ?? 'incoming',
        remote: line.remote ?? '',
        reason: AGAIN,
        ...(line.remoteName ? { remoteName: line.remoteName } : {}),
        ...(state === 'connected' ? { handledBy: this.handledBy(line.id) } : {}),
        ...(state === 'connected' && line.connectedAt !== undefined
          ? { connectedAt: Math.round(line.connectedAt) }
          : {}),
      });
    }
  }

  private send(report: Params<'phone.report'>): void {
    this.client.request('phone.report', report).catch(() => undefined);
  }
}
