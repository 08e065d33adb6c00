/**
 * A call's sip.js session from the moment the phone takes it on until it
 * ends: the session's state changes and in-dialog requests (BYE, REFER,
 * INFO) reach the line, and `end` finishes a call exactly once – store,
 * engine report, audio path, tones, and the SIP side (BYE, CANCEL or a
 * rejection, RFC 3261 15) unless the other side ended it already.
 */
import { callOutcome } from '../phone/call-outcome';
import { Invitation, Inviter, SessionState, type Info, type Referral, type Session } from 'sip.js';
import { isLive } from '../phone/call-machine';
import { endReasonText } from '../phone/phone-log-text';
import type { CallEndReason, MissedReason } from '../phone/phone-reasons';
import type { PhoneStore } from '../phone/phone-store';
import type { AudioOwnership } from './audio-ownership';
import type { CallLines, Line } from './call-lines';
import type { PhoneReports } from './call-reports';
import type { CallTones } from './call-tones';

/** In-dialog requests the phone answers elsewhere (transfers, keys). */
export interface SessionRequests {
  /** The other party refers us elsewhere (REFER, RFC 3515). */
  refer(line: Line, referral: Referral): void;
  /** An INFO in the call (RFC 6086): keys as application/dtmf-relay. */
  info(line: Line, info: Info): void;
}

export class CallSessions {
  /** Set once the transfers and keys exist: they need the sessions first. */
  requests?: SessionRequests;

  constructor(
    private readonly store: PhoneStore,
    private readonly lines: CallLines,
    private readonly audio: AudioOwnership,
    private readonly tones: CallTones,
    private readonly reports: PhoneReports,
  ) {}

  /** Takes on a new session (incoming INVITE or our own): a line, offered. */
  adopt(session: Session): Line {
    const line = this.lines.add(session);
    session.delegate = {
      // With a delegate, sip.js leaves answering the BYE to us.
      onBye: (bye) => {
        void bye.accept().catch(() => undefined);
        // The dialog is over: end it here without sending a BYE of our own.
        this.end(line, line.endReason ?? { code: 'remote-hangup' }, { remoteEnded: true });
      },
      onRefer: (referral) => this.requests?.refer(line, referral),
      onInfo: (info) => this.requests?.info(line, info),
    };
    session.stateChange.addListener((state) => {
      if (!this.lines.has(line)) return;
      if (state === SessionState.Established) this.established(line);
      else if (state === SessionState.Terminated) {
        if (session instanceof Inviter && line.state === 'offered') {
          // sip.js ends a refused INVITE before it hands the final response
          // to our request delegate (Inviter.onReject): that one names the
          // reason, a moment later.
          queueMicrotask(() => this.terminated(line));
          return;
        }
        this.terminated(line);
      }
    });
    return line;
  }

  /** The session ended before we ended the call: say why as well as we know. */
  private terminated(line: Line): void {
    if (!this.lines.has(line)) return;
    const wasRinging = this.lines.info(line)?.state === 'ringing';
    const reason: CallEndReason =
      line.endReason ??
      (line.state === 'answering'
        ? { code: 'unusable-offer' }
        : wasRinging
          ? { code: 'caller-gave-up' }
          : { code: 'call-ended' });
    this.end(line, reason, { remoteEnded: true });
  }

  private established(line: Line): void {
    line.move('established');
    this.store.getState().callEvent({ type: 'answered' }, undefined, line.id);
    this.reports.call(this.lines.info(line), 'connected');
    this.audio.attachRemote(line);
    this.tones.update();
    const old = line.referredFrom;
    if (this.lines.has(old)) {
      // We followed a transfer and the target answered: the old call is done.
      const target = this.lines.info(line)?.remote ?? '';
      old.endLocally({ code: 'forwarded', target });
      this.end(old, { code: 'forwarded', target });
    }
  }

  /** Ends call `line` (once): store, engine, audio path, and the SIP side unless it already ended. */
  end(line: Line, reason: CallEndReason, options: { remoteEnded?: boolean } = {}): void {
    if (!this.lines.remove(line)) return;
    line.move('end');
    line.listeners.abort();
    if (line.transferTimer) clearTimeout(line.transferTimer);
    this.audio.release(line);
    const call = this.lines.info(line);
    if (call && isLive(call.state)) {
      if (call.state === 'ringing' && call.waiting) {
        // A caller who knocked and was not taken: the agent should call back.
        const missed: MissedReason =
          reason.code === 'waiting-declined' ? reason : { code: 'waiting-ended', reason };
        this.store.getState().addMissed({
          id: line.id,
          remote: call.remote ?? '',
          reason: missed,
          ...(call.remoteName ? { remoteName: call.remoteName } : {}),
        });
      }
      this.store.getState().callEvent({ type: 'ended', reason }, undefined, line.id);
      this.reports.call(
        call,
        'ended',
        endReasonText(reason),
        callOutcome(
          { direction: call.direction ?? 'incoming', answered: call.state === 'connected' },
          reason,
        ),
      );
    }
    const session = line.session;
    if (
      !options.remoteEnded &&
      session.state !== SessionState.Terminated &&
      session.state !== SessionState.Terminating
    ) {
      if (session.state === SessionState.Established) void session.bye().catch(() => undefined);
      else if (session instanceof Inviter) void session.cancel().catch(() => undefined);
      else if (session instanceof Invitation) void session.reject().catch(() => undefined);
    }
    // A call that knocked and is now the only one rings like any call.
    const foreground = this.lines.foreground();
    if (foreground && this.lines.live().length === 1 && this.lines.info(foreground)?.waiting)
      this.store.getState().updateCall(foreground.id, { waiting: false });
    this.tones.update();
    // A call that comes to the foreground connected and not held (e.g. after
    // a transfer we followed failed) gets the audio path back.
    if (foreground && !this.audio.owns(foreground)) {
      const info = this.lines.info(foreground);
      if (info?.state === 'connected' && !info.held && !info.holdPending)
        void this.audio.bind(foreground).catch(() => undefined);
    }
  }
}
