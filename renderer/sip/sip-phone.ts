/**
 * The sip.js adapter: the one object the app and the features talk to
 * about the phone. sip.js's delegates and state-change emitters call the
 * phone store's actions (through the state machines in renderer/phone);
 * nothing else in the renderer touches sip.js. One user agent, one
 * registerer, up to MAX_LINES calls ("lines").
 *
 * This class only wires the parts together, each along one seam:
 *   registration-driver  REGISTER, backoff and retries, the user agent
 *   line-recovery        calls through a lost server connection
 *   call-control         dial, answer, decline, hang up, hold, swap
 *   incoming-calls       what an INVITE does before it rings
 *   transfers            REFER both ways, consultation calls
 *   dtmf                 keys by RFC 4733 or SIP INFO
 *   audio-ownership      which call has the microphone and the caller tap
 *   call-tones           ringtone and call-waiting tone
 *   call-sessions        a session's events, and ending a call once
 *   call-lines           the lines, each with its lifecycle (line-state)
 * Failed actions throw a PhoneError (renderer/phone/phone-reasons.ts)
 * whose code the screen words.
 */
import type { EngineClient } from '../bridge/engine-client';
import {
  defaultBotLines,
  type CallPolicy,
  type DtmfMethod,
  type PhoneStore,
} from '../phone/phone-store';
import type { RegistrationState } from '../phone/registration-machine';
import { AudioOwnership, type PhoneAudio } from './audio-ownership';
import { CallControl } from './call-control';
import { CallLines } from './call-lines';
import { PhoneReports, type PhoneLog } from './call-reports';
import { CallSessions } from './call-sessions';
import { CallTones } from './call-tones';
import { CallWaitingTone, type Tone } from './call-waiting-tone';
import { DtmfKeys } from './dtmf';
import { IncomingCalls } from './incoming-calls';
import { LineRecovery } from './line-recovery';
import { RegistrationDriver, type PhoneAccount, type SipStack } from './registration-driver';
import { Transfers } from './transfers';

export type { PhoneAudio } from './audio-ownership';
export type { PhoneAccount, SipStack } from './registration-driver';
export type { PhoneLog } from './call-reports';
export { DTMF_DURATION_MS, dtmfRelayBody, parseDtmfInfo } from './dtmf';

export interface SipPhoneDeps {
  store: PhoneStore;
  /** Where call and registration reports go (the engine's log and call history). */
  client: Pick<EngineClient, 'request'>;
  audio: PhoneAudio;
  /** The <audio> element the agent hears the caller through. */
  remoteAudio: () => HTMLAudioElement | null;
  ringtone: Tone;
  /** Played while a second call knocks; a WebAudio Anklopfton when omitted. */
  waitingTone?: Tone;
  now?: () => number;
  /**
   * The desk's log (English): reports the engine refused or never got.
   * Unset: the browser console.
   */
  log?: PhoneLog;
  /** A key the other side pressed, sent as SIP INFO (the bot listens for it). */
  onDtmfReceived?: (callId: string, tone: string) => void;
  /**
   * How long established calls wait for the lost server connection to come
   * back; by default the desk setting RECONNECT_LIMIT_KEY, else 30 s.
   */
  reconnectLimitMs?: () => number;
  /**
   * How the user agent reaches the server and makes its media. Unset (the
   * app): sip.js's WebSocket transport (RFC 7118) and WebRTC handler. Unit
   * tests put in-process fakes here.
   */
  sipStack?: SipStack;
}

export class SipPhone {
  private readonly registration: RegistrationDriver;
  private readonly lines: CallLines;
  private readonly sessions: CallSessions;
  private readonly recovery: LineRecovery;
  private readonly control: CallControl;
  private readonly transfers: Transfers;
  private readonly keys: DtmfKeys;
  private readonly reports: PhoneReports;

  constructor(private readonly deps: SipPhoneDeps) {
    const { store } = deps;
    const now = deps.now ?? Date.now;
    const lines = new CallLines(store);
    const reports = new PhoneReports(
      deps.client,
      (id) => lines.get(id)?.handledBy ?? 'person',
      deps.log ?? ((level, message) => console[level](`[phone] ${message}`)),
    );
    const audio = new AudioOwnership(store, lines, deps.audio, deps.remoteAudio);
    const tones = new CallTones(
      store,
      lines,
      deps.ringtone,
      deps.waitingTone ?? new CallWaitingTone(),
    );
    const sessions = new CallSessions(store, lines, audio, tones, reports);
    const registration = new RegistrationDriver({
      store,
      reports,
      now,
      // The parts below exist by the time the user agent calls these.
      events: {
        invite: (invitation) => incoming.receive(invitation),
        connectionLost: () => recovery.connectionLost(),
        registered: () => recovery.registered(),
      },
      outgoingStream: audio.outgoingStream,
      ...(deps.sipStack ? { sipStack: deps.sipStack } : {}),
    });
    const recovery = new LineRecovery({
      lines,
      sessions,
      reports,
      now,
      connected: () => registration.connected,
      ...(deps.reconnectLimitMs ? { limitMs: deps.reconnectLimitMs } : {}),
    });
    const parts = { store, lines, sessions, audio, tones, reports, registration };
    const control = new CallControl({ ...parts, audioPath: deps.audio });
    const incoming = new IncomingCalls({ ...parts, control });
    const transfers = new Transfers({ ...parts, control });
    const keys = new DtmfKeys(store, lines, deps.onDtmfReceived);
    sessions.requests = {
      refer: (line, referral) => transfers.referred(line, referral),
      info: (line, info) => keys.received(line, info),
    };
    this.registration = registration;
    this.lines = lines;
    this.sessions = sessions;
    this.recovery = recovery;
    this.control = control;
    this.transfers = transfers;
    this.keys = keys;
    this.reports = reports;
  }

  /**
   * Tells a (re)started engine what the phone has live: the registration
   * and every call (see PhoneReports.again). The engine keeps none of it
   * across a restart; the phone and its calls went on meanwhile.
   */
  reportAgain(): void {
    const { lines } = this.deps.store.getState();
    this.reports.again(lines, this.registration.state);
  }

  get registrationState(): RegistrationState {
    return this.registration.state;
  }

  // ── registration ───────────────────────────────────────────────────────

  /** New settings: drop the old user agent and start over with these. */
  async configure(config: PhoneAccount): Promise<void> {
    await this.dispose();
    this.registration.configure(config);
    this.setPolicy({
      autoAnswer: config.account.autoAnswer,
      botFirst: config.account.botFirst,
      doNotDisturb: config.account.doNotDisturb,
      botLines: config.account.botLines ?? defaultBotLines(),
    });
  }

  /** Auto-answer / do not disturb / follow transfers from now on (the caller persists them). */
  setPolicy(policy: Partial<CallPolicy>): void {
    this.deps.store.getState().setPolicy(policy);
  }

  /** Register now (agent pressed "Anmelden", or auto-register at start). */
  register(): void {
    this.registration.register();
  }

  unregister(): Promise<void> {
    return this.registration.unregister();
  }

  /** Ends every call and lets the user agent go. */
  async dispose(): Promise<void> {
    const ua = this.registration.detach();
    this.recovery.clear();
    for (const line of this.lines.all()) this.sessions.end(line, { code: 'reconfigured' });
    await this.registration.stop(ua);
  }

  // ── calls ──────────────────────────────────────────────────────────────

  dial(target: string): Promise<void> {
    return this.control.dial(target);
  }

  /** Answers the foreground call (or call `id`) that rings. */
  answer(id?: string): Promise<void> {
    return this.control.answer(id);
  }

  /** "Annehmen & Halten": holds the foreground call and answers the one that knocks. */
  answerWaiting(id?: string): Promise<void> {
    return this.control.answerWaiting(id);
  }

  /** Declines a ringing call (603; 486 while another call is live). */
  decline(id?: string): void {
    this.control.decline(id);
  }

  /** Hangs up the foreground call, or call `id`. */
  hangup(id?: string): void {
    this.control.hangup(id);
  }

  setMuted(muted: boolean): void {
    this.control.setMuted(muted);
  }

  /** Hold (true) or resume (false) the foreground call (or call `id`) by re-INVITE. */
  setHold(hold: boolean, id?: string): Promise<void> {
    return this.control.setHold(hold, id);
  }

  /** Brings call `id` to the foreground ("Wechseln"), holding the current one. */
  swap(id: string): Promise<void> {
    return this.control.swap(id);
  }

  /**
   * The bot hands bot line `id` over and the agent is free: the call comes
   * to the foreground with the agent's audio path, microphone off until the
   * agent takes it. False if there is no such line or the agent is busy.
   */
  promoteBotLine(id: string): boolean {
    return this.control.promoteBotLine(id);
  }

  /** Back to idle (or to the next call) once the agent has seen how the call ended. */
  clearEndedCall(): void {
    this.control.clearEndedCall();
  }

  // ── transfers ──────────────────────────────────────────────────────────

  /** Blind transfer of the foreground call to `target` (REFER). */
  transferBlind(target: string): void {
    this.transfers.blind(target);
  }

  /** Attended transfer, step 1: hold the call, call `target` (the consultation call). */
  startConsult(target: string): Promise<void> {
    return this.transfers.startConsult(target);
  }

  /** Attended transfer, step 2 ("Verbinden"): REFER with Replaces. */
  completeTransfer(): void {
    this.transfers.complete();
  }

  /** Ends the consultation call and resumes the held call ("Rückfrage beenden"). */
  cancelConsult(): Promise<void> {
    return this.transfers.cancelConsult();
  }

  // ── keys ───────────────────────────────────────────────────────────────

  /**
   * Sends DTMF digits in the foreground call, one after another: RFC 4733
   * events in the RTP stream or SIP INFO (application/dtmf-relay). Resolves
   * when the last one is out (INFO: answered with 2xx).
   */
  sendDtmf(tones: string, method?: DtmfMethod): Promise<void> {
    return this.keys.send(tones, method);
  }
}
