/**
 * What the phone tells the engine (`phone.report`): registration changes
 * and each call's steps, for the engine's log and the call history. The
 * reasons are plain English developer text (renderer/phone/phone-log-text.ts),
 * never the agent's words; an ended call carries its outcome for the history.
 *
 * What the far end chose (its user part, its display name, a reason phrase)
 * can be of any length: each field is cut to the contract's limit here, so
 * a caller's name of a thousand characters cannot make the engine refuse
 * the report – and with it never hear that the call ended (the bot would
 * go on talking). The call id is already the contract's (phone/call-id.ts).
 * A report is checked against the contract before it goes; one that is
 * still refused (here or by the engine), or fails to arrive, is written to
 * the desk's log: the phone works on without the engine's log, but not
 * silently.
 */
import {
  clampText,
  REASON_MAX_LENGTH,
  REMOTE_MAX_LENGTH,
  requestSchemas,
  type CallOutcome,
  type Params,
} from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';
import { isLive } from '../phone/call-machine';
import type { CallInfo } from '../phone/phone-store';
import type { RegistrationState } from '../phone/registration-machine';

/** A line for the desk's log (English). */
export type PhoneLog = (level: 'info' | 'warn' | 'error', message: string) => void;

type Report = Params<'phone.report'>;
/** The reason of a report sent again to a restarted engine (plain English, for its log). */
const AGAIN = 'reported again after an engine restart';

export class PhoneReports {
  constructor(
    private readonly client: Pick<EngineClient, 'request'>,
    /** Who took call `id`, sent with 'connected'. */
    private readonly handledBy: (id: string) => 'bot' | 'person',
    private readonly log: PhoneLog,
  ) {}

  registration(state: RegistrationState, reason?: string): void {
    this.send({
      kind: 'registration',
      state,
      ...(reason ? { reason: clampText(reason, REASON_MAX_LENGTH) } : {}),
    });
  }

  /** A warning or error of sip.js itself: for the engine's log file, not the screen. */
  library(level: 'warn' | 'error', text: string): void {
    this.send({ kind: 'library', level, text: clampText(text, REASON_MAX_LENGTH) });
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
      remote: clampText(call.remote ?? '', REMOTE_MAX_LENGTH),
      ...(reason ? { reason: clampText(reason, REASON_MAX_LENGTH) } : {}),
      ...(call.remoteName ? { remoteName: clampText(call.remoteName, REMOTE_MAX_LENGTH) } : {}),
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
        remote: clampText(line.remote ?? '', REMOTE_MAX_LENGTH),
        reason: AGAIN,
        ...(line.remoteName ? { remoteName: clampText(line.remoteName, REMOTE_MAX_LENGTH) } : {}),
        ...(state === 'connected' ? { handledBy: this.handledBy(line.id) } : {}),
        ...(state === 'connected' && line.connectedAt !== undefined
          ? { connectedAt: Math.round(line.connectedAt) }
          : {}),
      });
    }
  }

  private send(report: Report): void {
    const checked = requestSchemas['phone.report'].params.safeParse(report);
    if (!checked.success) {
      this.log(
        'error',
        `${describe(report)} not sent: it breaks the contract (${checked.error.issues
          .map((issue) => `${issue.path.join('.') || 'report'}: ${issue.message}`)
          .join('; ')})`,
      );
      return;
    }
    this.client
      .request('phone.report', report)
      .catch((error: unknown) =>
        this.log(
          'warn',
          `${describe(report)} rejected or lost: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }
}

/** Which report it was, for the log: never the caller's number or name. */
function describe(report: Report): string {
  if (report.kind === 'library') return `SIP library ${report.level}`;
  return report.kind === 'registration'
    ? `registration report (${report.state})`
    : `report of call ${report.callId} (${report.state})`;
}
