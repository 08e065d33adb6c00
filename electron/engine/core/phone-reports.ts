/**
 * What the phone reports (phone.report): registration and call states. Each
 * goes into the log (no caller numbers: the remote party by pseudonym, the
 * phone's words scrubbed), keeps the live calls current, starts and ends a
 * call's transcript and assistance, and is recorded in the call history.
 * The SIP library's own warnings go into the log file only, not on screen.
 */
import type { ParsedParams, Result } from '../../contract';
import type { CallAssist } from '../assist/call-assist';
import type { CallHistoryPort } from '../history/call-history';
import type { ScopedLogger } from '../log/logger';
import type { LiveTranscription } from '../transcript/live-transcription';
import type { LiveCalls } from './live-calls';

export interface PhoneReportsOptions {
  /** The phone's log scope. */
  log: ScopedLogger;
  liveCalls: LiveCalls;
  transcription?: LiveTranscription;
  assist?: CallAssist;
  history?: CallHistoryPort;
  /** A call is over: its bot stops, and so does whatever else still plays into it. */
  callAudioEnded(callId: string): void;
}

export class PhoneReports {
  constructor(private readonly options: PhoneReportsOptions) {}

  async report(report: ParsedParams<'phone.report'>): Promise<Result<'phone.report'>> {
    const { log } = this.options;
    if (report.kind === 'library') {
      log.quietly(report.level, `sip.js ${report.level}: ${log.scrub(report.text)}`);
      return {};
    }
    // No caller numbers in the log: the remote party by pseudonym, the phone's
    // words (sip.js warnings, SIP reasons) without URIs' users and digit runs.
    const reason = report.reason ? `: ${log.scrub(report.reason)}` : '';
    if (report.kind === 'registration') {
      const text = `registration ${report.state}${reason}`;
      if (report.state === 'failed') log.error(text);
      else log.info(text);
    } else {
      const remote = log.pseudonym(report.remote);
      const text = `call ${report.callId} (${report.direction}, ${remote}) ${report.state}${reason}`;
      log.info(text);
      if (report.state === 'ended' || report.state === 'idle') {
        this.options.liveCalls.ended(report.callId);
      } else {
        this.options.liveCalls.reported(report.callId, report.remote);
      }
      if (report.state === 'connected')
        this.options.transcription?.callConnected(report.callId, report.connectedAt);
      if (report.state === 'ended') {
        // Not awaited: the streams' last finals (the caller's last sentence)
        // reach the screen and the transcript on their own, shortly after.
        void this.options.transcription?.callEnded(report.callId);
        this.options.assist?.callEnded(report.callId);
        this.options.callAudioEnded(report.callId);
      }
      // Never fails the report: the history logs its own problems.
      await this.options.history?.record(report);
    }
    return {};
  }
}
