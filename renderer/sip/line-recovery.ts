/**
 * Calls through a lost server connection (the policy is in
 * call-recovery.ts). When the WebSocket drops, established calls are not
 * ended: their media usually keeps flowing peer to peer. Each waits
 * ("reconnecting") until the phone is registered again, then confirms its
 * dialog with a re-INVITE and an ICE restart over the new connection.
 * Answered: the call goes on. 408 / 481 / no answer: the dialog is gone
 * and the call ends with the reason. The server not back within the limit:
 * every waiting call ends.
 */
import { SessionState } from 'sip.js';
import type { CallLines, Line } from './call-lines';
import {
  dialogGone,
  RECONNECTED_TEXT,
  RECONNECTING_TEXT,
  RECONNECT_LIMIT_KEY,
  reconnectLimitMs,
  RECOVERY_RETRY_MS,
  recoveryFailedReason,
  retryRecovery,
} from './call-recovery';
import type { PhoneReports } from './call-reports';
import type { CallSessions } from './call-sessions';
import { awaitingServer } from './line-state';
import { reinvite, ReinviteError } from './reinvite';

export class LineRecovery {
  /** Runs from the moment the connection dropped with calls up; ends them when it fires. */
  private outageTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly deps: {
      lines: CallLines;
      sessions: CallSessions;
      reports: PhoneReports;
      now: () => number;
      /** The server connection is up (again). */
      connected: () => boolean;
      /** How long calls wait for the server; by default the desk setting, else 30 s. */
      limitMs?: () => number;
    },
  ) {}

  /** The WebSocket dropped: established calls wait for it to come back, within the limit. */
  connectionLost(): void {
    const { lines, reports, sessions } = this.deps;
    for (const line of lines.all()) {
      if (line.state !== 'up' || line.session.state !== SessionState.Established) continue;
      if (lines.info(line)?.state !== 'connected') continue;
      line.move('connection-lost');
      reports.call(lines.info(line), 'connected', RECONNECTING_TEXT);
    }
    if (this.outageTimer || !lines.all().some((line) => awaitingServer(line.state))) return;
    this.outageTimer = setTimeout(() => {
      this.outageTimer = undefined;
      for (const line of lines.all())
        if (awaitingServer(line.state)) sessions.end(line, { code: 'connection-lost' });
    }, this.limit());
  }

  /** Registered again: each waiting call sends its recovery re-INVITE. */
  registered(): void {
    const waiting = this.deps.lines.all().filter((line) => line.state === 'reconnecting');
    if (waiting.length === 0) return;
    this.clear();
    for (const line of waiting) void this.recover(line);
  }

  /** No outage to wait out any more (the phone was reconfigured). */
  clear(): void {
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.outageTimer = undefined;
  }

  private limit(): number {
    return (
      this.deps.limitMs?.() ??
      reconnectLimitMs(globalThis.localStorage?.getItem(RECONNECT_LIMIT_KEY))
    );
  }

  private async recover(line: Line, until = this.deps.now() + this.limit()): Promise<void> {
    const { lines, reports, sessions } = this.deps;
    line.move('recover');
    try {
      await reinvite(line.session, lines.info(line)?.held ?? false, { iceRestart: true });
      if (!lines.has(line)) return;
      line.move('recovered');
      reports.call(lines.info(line), 'connected', RECONNECTED_TEXT);
    } catch (error) {
      if (!lines.has(line)) return;
      const statusCode = error instanceof ReinviteError ? error.statusCode : 0;
      if (!this.deps.connected()) {
        // The connection dropped again meanwhile: still waiting; the outage
        // limit runs, and the next registration tries again.
        line.move('connection-lost');
        return;
      }
      if (retryRecovery(statusCode) && this.deps.now() + RECOVERY_RETRY_MS < until) {
        // The other party may still be reconnecting: still waiting, again
        // shortly, within the limit (a new outage meanwhile starts it anew).
        setTimeout(() => {
          if (!lines.has(line) || line.state !== 'recovering') return;
          line.move('retry-due');
          if (this.deps.connected()) void this.recover(line, until);
        }, RECOVERY_RETRY_MS);
        return;
      }
      if (dialogGone(statusCode)) {
        // 481: the other side has no such call any more, so no BYE either.
        sessions.end(line, recoveryFailedReason(statusCode), { remoteEnded: statusCode === 481 });
        return;
      }
      // Refused but the dialog lives on (e.g. 491, 488): the media that kept flowing goes on.
      line.move('recovered');
      reports.call(
        lines.info(line),
        'connected',
        `${RECONNECTED_TEXT}; re-INVITE: ${(error as Error).message}`,
      );
    }
  }
}
