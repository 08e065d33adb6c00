/**
 * What the agent does with calls: dial, answer, decline, hang up, mute,
 * hold and resume, swap between calls.
 *
 * Hold and resume go by re-INVITE (RFC 3261 14, direction sendonly /
 * inactive per RFC 3264 8.4); our sender and receiver tracks are silenced
 * as well, as sip.js's SimpleUser does, so nothing is heard either way.
 *
 * Several calls: a call that comes in while another one is live knocks;
 * "Annehmen & Halten" holds the foreground call and answers it, "Ablehnen"
 * sends 486 Busy Here (a single ringing call is declined with 603).
 */
import { Invitation, Inviter, SessionState, UserAgent, type URI } from 'sip.js';
import { phoneError } from '../phone/phone-log-text';
import type { CallEndReason } from '../phone/phone-reasons';
import type { PhoneStore } from '../phone/phone-store';
import type { AudioOwnership, PhoneAudio } from './audio-ownership';
import { callDetails, type CallLines, type Line } from './call-lines';
import type { PhoneReports } from './call-reports';
import type { CallSessions } from './call-sessions';
import type { CallTones } from './call-tones';
import { awaitingServer } from './line-state';
import type { RegistrationDriver } from './registration-driver';
import { reinvite, ReinviteError } from './reinvite';

/** Audio only; what sip.js's handler asks getUserMedia (through our stream factory) for. */
export const MEDIA = { constraints: { audio: true, video: false } };

export class CallControl {
  constructor(
    private readonly deps: {
      store: PhoneStore;
      lines: CallLines;
      sessions: CallSessions;
      audioPath: PhoneAudio;
      audio: AudioOwnership;
      tones: CallTones;
      reports: PhoneReports;
      registration: RegistrationDriver;
    },
  ) {}

  async dial(target: string): Promise<void> {
    this.requireRegistered();
    if (this.deps.lines.live().length > 0) throw phoneError({ code: 'call-active' });
    const uri = this.requireUri(target);
    await this.placeCall(uri, target);
  }

  /** Answers the foreground call (or call `id`) that rings. */
  async answer(id?: string): Promise<void> {
    const { lines, audio, store, tones } = this.deps;
    const line = lines.lineFor(id);
    const session = line?.session;
    if (!line || !(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    await this.deps.audioPath.ensure();
    if (!lines.has(line) || session.state !== SessionState.Initial) return;
    line.move('answer');
    // The answer's media stream factory takes the audio path from any other call.
    audio.take(line);
    store.getState().setActive(line.id);
    tones.update();
    await this.accept(line, session);
  }

  /** Sends the answer (200 OK); a failed one ends the call with the reason. */
  private accept(line: Line, session: Invitation): Promise<void> {
    const { lines, sessions } = this.deps;
    return session
      .accept({ sessionDescriptionHandlerOptions: MEDIA })
      .catch((error: unknown) =>
        sessions.end(
          line,
          { code: 'answer-failed', detail: (error as Error).message || 'SDP' },
          { remoteEnded: true },
        ),
      )
      .finally(() => {
        if (lines.has(line) && line.state === 'answering') line.move('answer-settled');
      });
  }

  /**
   * The bot answers call `id` on a line of its own (the agent's audio path
   * is busy): the answer's media stream factory gives it the line's audio,
   * not the agent's microphone, and nothing of the foreground call changes.
   */
  async answerBotLine(id: string): Promise<void> {
    const line = this.deps.lines.get(id);
    const session = line?.session;
    if (!line || !(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    line.move('answer');
    await this.accept(line, session);
  }

  /** See SipPhone.promoteBotLine. */
  promoteBotLine(id: string): boolean {
    const { lines, store, audio } = this.deps;
    const line = lines.get(id);
    if (!line || !lines.info(line)?.botLine || lines.live().length > 0) return false;
    store.getState().updateCall(id, { botLine: false });
    store.getState().setActive(id);
    void audio.bindHandoff(line).catch(() => undefined);
    return true;
  }

  /**
   * "Annehmen & Halten": holds the foreground call (re-INVITE) and answers
   * the call that knocks. If the hold is refused, the knocking call keeps
   * ringing and the agent reads why.
   */
  async answerWaiting(id?: string): Promise<void> {
    const { lines, store } = this.deps;
    const line = id ? lines.get(id) : lines.waiting();
    if (!line || !(line.session instanceof Invitation)) return;
    if (line.session.state !== SessionState.Initial) return;
    const foreground = lines.foreground();
    if (foreground && foreground !== line) {
      const info = lines.info(foreground);
      if (info?.state === 'dialing') throw phoneError({ code: 'finish-dialling' });
      if (info?.state === 'connected' && !info.held) await this.setHold(true, foreground.id);
      else if (info?.state === 'ringing')
        store.getState().updateCall(foreground.id, { waiting: true });
    }
    if (!lines.has(line)) return; // the knocking caller gave up meanwhile
    store.getState().updateCall(line.id, { waiting: false });
    await this.answer(line.id);
  }

  /**
   * Declines a ringing call: the foreground one, or call `id`. While another
   * call is live the caller hears busy (486 Busy Here), else 603 Decline.
   */
  decline(id?: string): void {
    const { lines, sessions } = this.deps;
    const line = id ? lines.get(id) : (lines.ringingForeground() ?? lines.waiting());
    const session = line?.session;
    if (!line || !(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    const busy = lines.live().some((other) => other !== line);
    const reason: CallEndReason = { code: busy ? 'waiting-declined' : 'declined' };
    // reject() ends the session at once; its termination then reads this reason.
    line.endLocally(reason);
    void session
      .reject(
        busy
          ? { statusCode: 486, reasonPhrase: 'Busy Here' }
          : { statusCode: 603, reasonPhrase: 'Decline' },
      )
      .catch(() => undefined);
    sessions.end(line, reason, { remoteEnded: true });
  }

  /** Hangs up the foreground call, or call `id`. */
  hangup(id?: string): void {
    const line = this.deps.lines.lineFor(id);
    if (!line) return;
    const session = line.session;
    if (session instanceof Invitation && session.state === SessionState.Initial) {
      this.decline(line.id);
      return;
    }
    const reason: CallEndReason = { code: 'local-hangup' };
    line.endLocally(reason);
    this.deps.sessions.end(line, reason);
  }

  setMuted(muted: boolean): void {
    const line = this.deps.lines.foreground();
    if (!line) return;
    this.deps.audio.setMuted(line, muted);
    this.deps.store.getState().setMuted(muted, line.id);
  }

  /**
   * Hold (true) or resume (false) the foreground call (or call `id`) by
   * re-INVITE. On hold our microphone (and the bot's voice) is silenced at
   * once and the caller is not heard; on resume both come back once the
   * other side accepted (and the call takes the audio path back if another
   * call had it meanwhile).
   */
  async setHold(hold: boolean, id?: string): Promise<void> {
    const { lines, audio, reports } = this.deps;
    const line = lines.lineFor(id);
    if (!line) return;
    const session = line.session;
    const call = lines.info(line);
    if (session.state !== SessionState.Established || !call) return;
    if (call.state !== 'connected' || call.holdPending || call.held === hold) return;
    if (awaitingServer(line.state)) throw phoneError({ code: 'reconnecting' });
    const store = () => this.deps.store.getState();
    store().setHold({ pending: true }, line.id);
    if (hold) audio.enableTracks(line, false);
    try {
      await reinvite(session, hold);
      if (!lines.has(line)) return;
      if (!hold) {
        await audio.bind(line);
        audio.enableTracks(line, true);
      }
      store().setHold({ held: hold, pending: false }, line.id);
      reports.call(lines.info(line), 'connected', hold ? 'on hold' : 'resumed');
    } catch (error) {
      if (!lines.has(line)) return;
      // The other side refused: the call stays as it was.
      audio.enableTracks(line, !lines.info(line)?.held);
      store().setHold({ pending: false }, line.id);
      const failed = phoneError(
        {
          code: hold ? 'hold-failed' : 'resume-failed',
          statusCode: error instanceof ReinviteError ? error.statusCode : 0,
          reasonPhrase: error instanceof ReinviteError ? error.reasonPhrase : '',
          detail: (error as Error).message,
        },
        { cause: error },
      );
      reports.call(lines.info(line), 'connected', failed.message);
      throw failed;
    }
  }

  /**
   * Brings call `id` to the foreground ("Wechseln"): the foreground call is
   * held first, then call `id` is resumed.
   */
  async swap(id: string): Promise<void> {
    const { lines } = this.deps;
    const target = lines.get(id);
    const info = target && lines.info(target);
    if (!target || info?.state !== 'connected') return;
    const foreground = lines.foreground();
    if (foreground && foreground !== target) {
      const current = lines.info(foreground);
      if (current?.state === 'connected' && !current.held) await this.setHold(true, foreground.id);
    }
    if (!lines.has(target)) return;
    this.deps.store.getState().setActive(target.id);
    if (lines.info(target)?.held) await this.setHold(false, target.id);
    else await this.deps.audio.bind(target);
  }

  /** Back to idle (or to the next call) once the agent has seen how the call ended. */
  clearEndedCall(): void {
    const store = this.deps.store.getState();
    if (store.call.state === 'ended') store.callEvent({ type: 'reset' });
  }

  /** Sends the INVITE of a new call that comes to the foreground. */
  async placeCall(
    target: URI | Inviter,
    remote: string,
    extra: { consultFor?: string; referredFrom?: Line } = {},
  ): Promise<Line> {
    const { lines, sessions, audio, reports } = this.deps;
    const ua = this.requireRegistered();
    await this.deps.audioPath.ensure();
    const inviter =
      target instanceof Inviter
        ? target
        : new Inviter(ua, target, { sessionDescriptionHandlerOptions: MEDIA });
    const line = sessions.adopt(inviter);
    line.referredFrom = extra.referredFrom;
    const store = this.deps.store.getState();
    store.callEvent({ type: 'dial' }, callDetails(inviter, 'outgoing', remote));
    if (extra.consultFor) store.updateCall(line.id, { consultFor: extra.consultFor });
    const referredBy = extra.referredFrom && lines.info(extra.referredFrom)?.remote;
    if (referredBy) store.updateCall(line.id, { referredBy });
    this.deps.store.getState().setActive(line.id);
    // The INVITE's media stream factory takes the audio path from any other call.
    audio.take(line);
    reports.call(lines.info(line), 'dialing');
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) =>
            sessions.end(line, {
              code: 'rejected',
              status: {
                statusCode: response.message.statusCode ?? 0,
                reasonPhrase: response.message.reasonPhrase ?? '',
              },
            }),
        },
      })
      .catch((error: unknown) =>
        sessions.end(line, { code: 'call-failed', detail: (error as Error).message }),
      );
    return line;
  }

  requireRegistered(): UserAgent {
    const ua = this.deps.registration.registeredAgent;
    if (!ua) throw phoneError({ code: 'not-registered' });
    return ua;
  }

  /** A number, user@host or a SIP URI as the agent typed it; a bare number in our domain. */
  requireUri(target: string): URI {
    const uri = this.targetUri(target);
    if (!uri) throw phoneError({ code: 'invalid-number', target });
    return uri;
  }

  private targetUri(target: string): URI | undefined {
    const trimmed = target.trim();
    if (!trimmed) return undefined;
    if (/^sips?:/i.test(trimmed)) return UserAgent.makeURI(trimmed);
    const domain = UserAgent.makeURI(this.deps.registration.account?.sipUri ?? '')?.host;
    if (trimmed.includes('@')) return UserAgent.makeURI(`sip:${trimmed}`);
    if (!domain || !/^[\w.+*#-]+$/.test(trimmed)) return undefined;
    return UserAgent.makeURI(`sip:${trimmed}@${domain}`);
  }
}
