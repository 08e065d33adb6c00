/**
 * The sip.js adapter. sip.js's delegates and state-change emitters call the
 * phone store's actions (through the state machines); nothing else in the
 * renderer touches sip.js. One user agent, one registerer, up to MAX_LINES
 * calls ("lines").
 *
 * Re-registration: any retryable failure (server unreachable, connection
 * lost, 5xx, timeout) schedules exactly one retry with exponential backoff; a
 * retry only starts from `failed`, and `registering` means a REGISTER is in
 * flight, so two REGISTERs are never outstanding. A registrar that refuses
 * (403, 404, 401 with a wrong password) is not hammered: the phone waits for
 * the agent to fix the settings or press "Anmelden".
 *
 * Call control: hold / resume by re-INVITE (sip.js's `hold` option sets the
 * direction to sendonly/inactive; we also silence our sender and receiver
 * tracks, as sip.js's SimpleUser does, so nothing is heard either way), DTMF
 * by RFC 4733 or SIP INFO, one digit at a time. The call policy (auto-answer,
 * do not disturb) decides what an incoming call does before it rings.
 *
 * Several calls: a call that comes in while another one is live knocks
 * (call-waiting tone, never auto-answered); "Annehmen & Halten" holds the
 * foreground call and answers it, "Ablehnen" sends 486. One call at a time
 * owns the audio path (microphone, engine play-out, the caller tap and the
 * <audio> element): the foreground call that is not held. When a held call
 * is resumed its sender gets a fresh outgoing stream (the previous owner's
 * microphone is released), so the engine always hears the call the agent
 * talks to.
 *
 * Transfers (RFC 3515 / 5589): blind = REFER to a number; attended = a
 * consultation call while the first one is held, then REFER with Replaces.
 * Progress comes in NOTIFYs (message/sipfrag); on success our leg ends, on
 * failure the call goes on and the agent reads why. A REFER from the other
 * side is followed (accept, call the target, end the old call) unless the
 * policy says no (603). An INVITE with Replaces for one of our calls (we are
 * the target of an attended transfer) is taken at once.
 */
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  SIPExtension,
  UserAgent,
  UserAgentState,
  Web,
  type Referral,
  type Session,
  type SessionDescriptionHandlerFactory,
  type URI,
  type UserAgentOptions,
} from 'sip.js';
import type { AccountView } from '../../electron/contract';
import type { AudioPath } from '../audio/audio-path';
import type { EngineClient } from '../bridge/engine-client';
import type { CallInfo, CallPolicy, DtmfMethod, PhoneStore } from '../phone/phone-store';
import { Backoff } from './backoff';
import {
  decideIncoming,
  isLive,
  MAX_LINES,
  parseSipfrag,
  transferFailure,
  transferStep,
  type TransferEvent,
} from '../phone/call-machine';
import type { CallEndReason, ForwardRefusal, MissedReason } from '../phone/phone-reasons';
import { failureOf } from '../phone/phone-reasons';
import {
  causeText,
  endReasonText,
  missedReasonText,
  phoneError,
  transferFailureText,
} from '../phone/phone-log-text';
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
import { CallWaitingTone, type Tone } from './call-waiting-tone';
import { codecMismatch, supportedAudioCodecs } from './sdp-codecs';
import {
  isRetryable,
  type FailureCause,
  type RegistrationEvent,
} from '../phone/registration-machine';

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

export interface SipStack {
  transportConstructor: NonNullable<UserAgentOptions['transportConstructor']>;
  sessionDescriptionHandlerFactory: (
    mediaStreamFactory: () => Promise<MediaStream>,
  ) => SessionDescriptionHandlerFactory;
}

/** What the phone needs of the audio path: a call's microphone, play-out and caller tap. */
export type PhoneAudio = Pick<
  AudioPath,
  'ensure' | 'createOutgoingStream' | 'attachRemote' | 'setMuted' | 'releaseCall'
>;

export interface PhoneAccount {
  account: AccountView;
  password: string;
}

const REGISTER_EXPIRES_SEC = 300;
/** RFC 4733 tone length and gap; SIP INFO announces the same duration. */
export const DTMF_DURATION_MS = 160;
const DTMF_GAP_MS = 70;
const REINVITE_TIMEOUT_MS = 10_000;
/** A transfer without a final NOTIFY after this long counts as failed; the call goes on. */
const TRANSFER_TIMEOUT_MS = 40_000;
/** After a completed attended transfer the target ends our consultation call; else we do. */
const CONSULT_LINGER_MS = 4_000;
const DTMF_TONE = /^[0-9A-D*#]$/;
const MEDIA = { constraints: { audio: true, video: false } };

/**
 * The key in a received SIP INFO: application/dtmf-relay ("Signal=5") or
 * application/dtmf ("5"); undefined for anything else or garbage.
 */
export function parseDtmfInfo(contentType: string, body: string): string | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  let tone: string | undefined;
  if (type === 'application/dtmf-relay') {
    tone = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(body)?.[1];
  } else if (type === 'application/dtmf') {
    tone = body.trim();
  }
  if (tone === '10') tone = '*';
  if (tone === '11') tone = '#';
  tone = tone?.toUpperCase();
  return tone && DTMF_TONE.test(tone) ? tone : undefined;
}

/** The SIP INFO body for one DTMF digit (application/dtmf-relay). */
export function dtmfRelayBody(tone: string, durationMs = DTMF_DURATION_MS): string {
  return `Signal=${tone}\r\nDuration=${durationMs}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call: its sip.js session and what the adapter knows beyond the store. */
interface Line {
  readonly id: string;
  readonly session: Session;
  /** We hung up / declined: the termination that follows is ours. */
  endedLocally: boolean;
  /** The end reason to show when we know better than "hung up" (transferred, replaced). */
  endReason?: CallEndReason;
  /** accept() is running: a termination now means the answer failed. */
  answering: boolean;
  /** Removes the listeners this call put on media objects (at its end). */
  listeners: AbortController;
  /** The consultation call of an attended transfer of this call. */
  consult?: Line;
  /** Placed to follow a REFER received in that call: ends it once connected. */
  referredFrom?: Line;
  transferTimer?: ReturnType<typeof setTimeout>;
  /** Who took the call, for the call history: auto-answer means the bot. */
  handledBy: 'bot' | 'person';
  /** The server connection dropped while this call was up: waiting for it to come back. */
  reconnecting?: boolean;
  /** Its recovery re-INVITE is under way (or due again shortly): never two at once. */
  recovering?: boolean;
}

/** A re-INVITE that failed; statusCode 0 when no final answer came (timeout, not sent). */
class ReinviteError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly reasonPhrase = '',
  ) {
    super(message);
  }
}

export class SipPhone {
  private ua?: UserAgent;
  private registerer?: Registerer;
  /** Every call with a session, by Call-ID. */
  private readonly lines = new Map<string, Line>();
  /** The call that has the microphone, the play-out and the caller tap. */
  private audioOwner?: Line;
  private readonly waitingTone: Tone;
  private playing: 'none' | 'ringtone' | 'waiting' = 'none';
  private config?: PhoneAccount;
  private readonly backoff = new Backoff(500, 30_000);
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Bumped whenever the UA is replaced: callbacks from an old one are ignored. */
  private generation = 0;
  private wantRegistered = false;
  private readonly now: () => number;
  /** DTMF digits go out one after another, never overlapping. */
  private dtmfQueue: Promise<void> = Promise.resolve();
  /** Runs from the moment the server connection dropped with calls up; ends them when it fires. */
  private outageTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly deps: SipPhoneDeps) {
    this.now = deps.now ?? Date.now;
    this.waitingTone = deps.waitingTone ?? new CallWaitingTone();
  }

  get registrationState() {
    return this.deps.store.getState().registration.state;
  }

  /** New settings: drop the old user agent and start over with these. */
  async configure(config: PhoneAccount): Promise<void> {
    await this.dispose();
    this.config = config;
    this.setPolicy({
      autoAnswer: config.account.autoAnswer,
      botFirst: config.account.botFirst,
      doNotDisturb: config.account.doNotDisturb,
    });
  }

  /** Auto-answer / do not disturb / follow transfers from now on (the caller persists them). */
  setPolicy(policy: Partial<CallPolicy>): void {
    this.deps.store.getState().setPolicy(policy);
  }

  /** Register now (agent pressed "Anmelden", or auto-register at start). */
  register(): void {
    if (!this.config) {
      this.fail({ kind: 'configuration', detail: 'no account configured' });
      return;
    }
    const state = this.registrationState;
    if (state === 'registering' || state === 'registered') return;
    this.clearRetry();
    this.wantRegistered = true;
    this.dispatch({ type: 'register' });
    void this.attempt();
  }

  async unregister(): Promise<void> {
    this.wantRegistered = false;
    this.clearRetry();
    const registerer = this.registerer;
    if (registerer && registerer.state === RegistererState.Registered) {
      await registerer.unregister().catch(() => undefined);
    }
    if (this.registrationState !== 'unregistered') this.dispatch({ type: 'unregister' });
  }

  async dispose(): Promise<void> {
    this.generation++;
    this.wantRegistered = false;
    this.clearRetry();
    this.clearOutage();
    const ua = this.ua;
    this.ua = undefined;
    this.registerer = undefined;
    for (const line of [...this.lines.values()]) this.endCall(line, { code: 'reconfigured' });
    if (ua) await ua.stop().catch(() => undefined);
    if (this.registrationState !== 'unregistered') this.dispatch({ type: 'unregister' });
    this.backoff.reset();
  }

  // ── calls ──────────────────────────────────────────────────────────────

  async dial(target: string): Promise<void> {
    this.requireRegistered();
    if (this.liveLines().length > 0) throw phoneError({ code: 'call-active' });
    const uri = this.requireUri(target);
    await this.placeCall(uri, target);
  }

  /** Answers the foreground call (or call `id`) that rings. */
  async answer(id?: string): Promise<void> {
    const line = this.lineFor(id);
    const session = line?.session;
    if (!line || !(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    await this.deps.audio.ensure();
    if (!this.lines.has(line.id) || session.state !== SessionState.Initial) return;
    line.answering = true;
    // The answer's media stream factory takes the audio path from any other call.
    this.audioOwner = line;
    this.deps.store.getState().setActive(line.id);
    this.updateAlert();
    await session
      .accept({ sessionDescriptionHandlerOptions: MEDIA })
      .catch((error: unknown) =>
        this.endCall(
          line,
          { code: 'answer-failed', detail: (error as Error).message || 'SDP' },
          { remoteEnded: true },
        ),
      )
      .finally(() => (line.answering = false));
  }

  /**
   * "Annehmen & Halten": holds the foreground call (re-INVITE) and answers
   * the call that knocks. If the hold is refused, the knocking call keeps
   * ringing and the agent reads why.
   */
  async answerWaiting(id?: string): Promise<void> {
    const line = id ? this.lines.get(id) : this.waitingLine();
    if (!line || !(line.session instanceof Invitation)) return;
    if (line.session.state !== SessionState.Initial) return;
    const foreground = this.foreground();
    if (foreground && foreground !== line) {
      const info = this.info(foreground);
      if (info?.state === 'dialing') throw phoneError({ code: 'finish-dialling' });
      if (info?.state === 'connected' && !info.held) await this.setHold(true, foreground.id);
      else if (info?.state === 'ringing')
        this.deps.store.getState().updateCall(foreground.id, { waiting: true });
    }
    if (!this.lines.has(line.id)) return; // the knocking caller gave up meanwhile
    this.deps.store.getState().updateCall(line.id, { waiting: false });
    await this.answer(line.id);
  }

  /**
   * Declines a ringing call: the foreground one, or call `id`. While another
   * call is live the caller hears busy (486 Busy Here), else 603 Decline.
   */
  decline(id?: string): void {
    const line = id ? this.lines.get(id) : (this.ringingForeground() ?? this.waitingLine());
    const session = line?.session;
    if (!line || !(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    line.endedLocally = true;
    const busy = this.liveLines().some((other) => other !== line);
    const reason: CallEndReason = { code: busy ? 'waiting-declined' : 'declined' };
    // reject() ends the session at once; its termination then reads this reason.
    line.endReason = reason;
    void session
      .reject(
        busy
          ? { statusCode: 486, reasonPhrase: 'Busy Here' }
          : { statusCode: 603, reasonPhrase: 'Decline' },
      )
      .catch(() => undefined);
    this.endCall(line, reason, { remoteEnded: true });
  }

  /** Hangs up the foreground call, or call `id`. */
  hangup(id?: string): void {
    const line = this.lineFor(id);
    if (!line) return;
    const session = line.session;
    if (session instanceof Invitation && session.state === SessionState.Initial) {
      this.decline(line.id);
      return;
    }
    line.endedLocally = true;
    this.endCall(line, { code: 'local-hangup' });
  }

  setMuted(muted: boolean): void {
    const line = this.foreground();
    if (!line) return;
    if (this.audioOwner === line) this.deps.audio.setMuted(muted);
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
    const line = this.lineFor(id);
    if (!line) return;
    const session = line.session;
    const call = this.info(line);
    if (session.state !== SessionState.Established || !call) return;
    if (call.state !== 'connected' || call.holdPending || call.held === hold) return;
    if (line.reconnecting) throw phoneError({ code: 'reconnecting' });
    const store = () => this.deps.store.getState();
    store().setHold({ pending: true }, line.id);
    const tracks = (enabled: boolean) => {
      const sdh = session.sessionDescriptionHandler;
      if (!(sdh instanceof Web.SessionDescriptionHandler) || !sdh.peerConnection) return;
      sdh.enableSenderTracks(enabled);
      sdh.enableReceiverTracks(enabled);
    };
    if (hold) tracks(false);
    try {
      await this.reinvite(session, hold);
      if (!this.lines.has(line.id)) return;
      if (!hold) {
        await this.bindAudio(line);
        tracks(true);
      }
      store().setHold({ held: hold, pending: false }, line.id);
      this.reportCall(this.info(line), 'connected', hold ? 'on hold' : 'resumed');
    } catch (error) {
      if (!this.lines.has(line.id)) return;
      // The other side refused: the call stays as it was.
      tracks(!this.info(line)?.held);
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
      this.reportCall(this.info(line), 'connected', failed.message);
      throw failed;
    }
  }

  /**
   * Brings call `id` to the foreground ("Wechseln"): the foreground call is
   * held first, then call `id` is resumed.
   */
  async swap(id: string): Promise<void> {
    const target = this.lines.get(id);
    const info = target && this.info(target);
    if (!target || info?.state !== 'connected') return;
    const foreground = this.foreground();
    if (foreground && foreground !== target) {
      const current = this.info(foreground);
      if (current?.state === 'connected' && !current.held) await this.setHold(true, foreground.id);
    }
    if (!this.lines.has(target.id)) return;
    this.deps.store.getState().setActive(target.id);
    if (this.info(target)?.held) await this.setHold(false, target.id);
    else await this.bindAudio(target);
  }

  /**
   * Blind transfer: REFER the other party of the foreground call to
   * `target`. Progress shows on the call; on success our leg ends, on
   * failure the call goes on.
   */
  transferBlind(target: string): void {
    const line = this.foreground();
    const info = line && this.info(line);
    if (!line || info?.state !== 'connected' || line.session.state !== SessionState.Established)
      throw phoneError({ code: 'no-connected-call' });
    if (info.transfer && !isFinal(info.transfer.state))
      throw phoneError({ code: 'transfer-under-way' });
    const uri = this.requireUri(target);
    this.refer(line, uri, { kind: 'blind', target: target.trim() });
  }

  /**
   * Attended transfer, step 1: holds the foreground call and calls `target`
   * (the consultation call), which comes to the foreground.
   */
  async startConsult(target: string): Promise<void> {
    this.requireRegistered();
    const original = this.foreground();
    const info = original && this.info(original);
    if (!original || info?.state !== 'connected') throw phoneError({ code: 'no-connected-call' });
    if (original.consult && this.lines.has(original.consult.id))
      throw phoneError({ code: 'consultation-active' });
    if (this.liveLines().length >= MAX_LINES) throw phoneError({ code: 'all-lines-busy' });
    const uri = this.requireUri(target);
    if (!info.held) await this.setHold(true, original.id);
    if (!this.lines.has(original.id)) throw phoneError({ code: 'call-ended' });
    const consult = await this.placeCall(uri, target, { consultFor: original.id });
    original.consult = consult;
  }

  /**
   * Attended transfer, step 2 ("Verbinden"): REFER the held call's party to
   * the consulted party, with Replaces, so they talk to each other.
   */
  completeTransfer(): void {
    const pair = this.consultPair();
    if (!pair) throw phoneError({ code: 'no-consultation' });
    const { original, consult } = pair;
    if (
      original.session.state !== SessionState.Established ||
      consult.session.state !== SessionState.Established
    )
      throw phoneError({ code: 'consultation-not-connected' });
    const target = this.info(consult)?.remote ?? '';
    this.refer(original, consult.session, { kind: 'attended', target });
  }

  /** Ends the consultation call and resumes the held call ("Rückfrage beenden"). */
  async cancelConsult(): Promise<void> {
    const pair = this.consultPair();
    if (!pair) return;
    const { original, consult } = pair;
    consult.endedLocally = true;
    this.endCall(consult, { code: 'consultation-ended' });
    if (!this.lines.has(original.id)) return;
    this.deps.store.getState().setActive(original.id);
    await this.setHold(false, original.id);
  }

  /**
   * Sends DTMF digits in the foreground call, one after another: RFC 4733
   * events in the RTP stream or SIP INFO (application/dtmf-relay). Resolves
   * when the last one is out (INFO: answered with 2xx).
   */
  sendDtmf(
    tones: string,
    method: DtmfMethod = this.deps.store.getState().dtmfMethod,
  ): Promise<void> {
    const digits = [...tones.toUpperCase()];
    if (digits.length === 0 || !digits.every((d) => DTMF_TONE.test(d)))
      return Promise.reject(phoneError({ code: 'invalid-dtmf', tones }));
    const line = this.foreground();
    const session = line?.session;
    if (!line || !session || session.state !== SessionState.Established)
      return Promise.reject(phoneError({ code: 'no-connected-call' }));
    const run = async () => {
      for (const tone of digits) {
        if (!this.lines.has(line.id) || session.state !== SessionState.Established)
          throw phoneError({ code: 'call-ended' });
        if (method === 'rfc4733') {
          const sdh = session.sessionDescriptionHandler;
          const sent =
            sdh instanceof Web.SessionDescriptionHandler &&
            sdh.sendDtmf(tone, { duration: DTMF_DURATION_MS, interToneGap: DTMF_GAP_MS });
          if (!sent) throw phoneError({ code: 'dtmf-unavailable' });
          this.deps.store.getState().addDtmf(tone, line.id);
          // insertDTMF replaces what is still queued: wait until this tone is out.
          await sleep(DTMF_DURATION_MS + DTMF_GAP_MS + 10);
        } else {
          await new Promise<void>((resolve, reject) => {
            session
              .info({
                requestDelegate: {
                  onAccept: () => resolve(),
                  onReject: (response) =>
                    reject(
                      phoneError({
                        code: 'dtmf-refused',
                        status: {
                          statusCode: response.message.statusCode ?? 0,
                          reasonPhrase: response.message.reasonPhrase ?? '',
                        },
                      }),
                    ),
                },
                requestOptions: {
                  body: {
                    contentDisposition: 'render',
                    contentType: 'application/dtmf-relay',
                    content: dtmfRelayBody(tone),
                  },
                },
              })
              .catch(reject);
          });
          this.deps.store.getState().addDtmf(tone, line.id);
        }
      }
    };
    const next = this.dtmfQueue.then(run);
    this.dtmfQueue = next.catch(() => undefined);
    return next;
  }

  /** Back to idle (or to the next call) once the agent has seen how the call ended. */
  clearEndedCall(): void {
    if (this.deps.store.getState().call.state === 'ended')
      this.deps.store.getState().callEvent({ type: 'reset' });
  }

  // ── registration internals ─────────────────────────────────────────────

  private async attempt(): Promise<void> {
    const generation = this.generation;
    const config = this.config;
    if (!config) return;
    let ua = this.ua;
    try {
      if (!ua) {
        ua = this.createUserAgent(config);
        this.ua = ua;
      }
      if (!ua.isConnected()) {
        // start() once per user agent; afterwards reconnect() reuses it (and its calls).
        if (ua.state === UserAgentState.Stopped) await ua.start();
        else await ua.reconnect();
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.fail({
        kind: 'unreachable',
        detail: `${config.account.serverUrl}: ${(error as Error).message || 'connection refused'}`,
      });
      return;
    }
    if (generation !== this.generation) return;
    if (!this.registerer) this.registerer = this.createRegisterer(ua);
    try {
      await this.registerer.register({
        requestDelegate: {
          // The registerer's state may not change (it can still say
          // "Registered" from before a lost connection), so the 2xx itself
          // is what completes this attempt.
          onAccept: () => {
            if (generation !== this.generation || this.registrationState !== 'registering') return;
            this.backoff.reset();
            this.dispatch({ type: 'accepted', expiresSec: REGISTER_EXPIRES_SEC });
            this.transportBack();
          },
          onReject: (response) => {
            if (generation !== this.generation) return;
            this.fail({
              kind: 'rejected',
              statusCode: response.message.statusCode ?? 0,
              reasonPhrase: response.message.reasonPhrase ?? '',
            });
          },
        },
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.fail({ kind: 'connection-lost', detail: (error as Error).message });
    }
  }

  private createUserAgent(config: PhoneAccount): UserAgent {
    const { account, password } = config;
    const uri = UserAgent.makeURI(account.sipUri);
    if (!uri) throw new Error(`invalid SIP URI ${account.sipUri}`);
    const generation = this.generation;
    // An incoming call the bot answers first starts with the agent's microphone
    // off: the caller must not hear the office before the bot greets them.
    const mediaStreamFactory = (): Promise<MediaStream> =>
      this.deps.audio.createOutgoingStream({
        muted:
          this.audioOwner?.session instanceof Invitation &&
          this.deps.store.getState().policy.botFirst,
      });
    return new UserAgent({
      uri,
      displayName: account.displayName || undefined,
      authorizationUsername: account.authUser || uri.user || undefined,
      authorizationPassword: password || undefined,
      transportOptions: { server: account.serverUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      // We reconnect ourselves (with backoff and the registration machine).
      reconnectionAttempts: 0,
      // An INVITE with Replaces (we are the target of an attended transfer)
      // is matched to our call; without this sip.js ignores the header.
      sipExtensionReplaces: SIPExtension.Supported,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'error' || level === 'warn') {
          this.deps.client
            .request('phone.report', {
              kind: 'registration',
              state: this.registrationState,
              reason: `sip.js ${level} [${category}]: ${content.slice(0, 400)}`,
            })
            .catch(() => undefined);
        }
      },
      ...(this.deps.sipStack
        ? { transportConstructor: this.deps.sipStack.transportConstructor }
        : {}),
      sessionDescriptionHandlerFactory: (
        this.deps.sipStack?.sessionDescriptionHandlerFactory ??
        Web.defaultSessionDescriptionHandlerFactory
      )(mediaStreamFactory),
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: account.iceServers },
        iceGatheringTimeout: 500,
      },
      delegate: {
        onDisconnect: (error?: Error) => {
          if (generation !== this.generation) return;
          const state = this.registrationState;
          if (state === 'registered' || state === 'registering') {
            this.fail({ kind: 'connection-lost', detail: error?.message || 'WebSocket closed' });
          }
          this.transportLost();
        },
        onInvite: (invitation) => {
          if (generation !== this.generation) return;
          this.incoming(invitation);
        },
      },
    });
  }

  private createRegisterer(ua: UserAgent): Registerer {
    const generation = this.generation;
    const registerer = new Registerer(ua, { expires: REGISTER_EXPIRES_SEC });
    registerer.stateChange.addListener((state) => {
      if (generation !== this.generation) return;
      const current = this.registrationState;
      if (
        state === RegistererState.Registered &&
        (current === 'registering' || current === 'registered')
      ) {
        this.backoff.reset();
        this.dispatch({ type: 'accepted', expiresSec: REGISTER_EXPIRES_SEC });
        this.transportBack();
      } else if (
        state === RegistererState.Unregistered &&
        current === 'registered' &&
        this.wantRegistered
      ) {
        // A refresh failed or the binding expired without us asking.
        this.fail({ kind: 'connection-lost', detail: 'registration expired or refresh failed' });
      }
    });
    return registerer;
  }

  private fail(cause: FailureCause): void {
    const state = this.registrationState;
    if (state === 'unregistered' && cause.kind !== 'configuration') return;
    if (state === 'unregistered') this.dispatch({ type: 'register' });
    this.clearRetry();
    const retry = this.wantRegistered && isRetryable(cause);
    const delay = retry ? this.backoff.next() : undefined;
    const extra: { nextRetryAt?: number; attempts: number } = { attempts: this.backoff.attempts };
    if (delay !== undefined) extra.nextRetryAt = this.now() + delay;
    this.dispatch({ type: 'failed', cause }, extra);
    if (delay !== undefined) {
      const generation = this.generation;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (generation !== this.generation || this.registrationState !== 'failed') return;
        this.dispatch({ type: 'retry' });
        void this.attempt();
      }, delay);
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private dispatch(
    event: RegistrationEvent,
    extra?: { nextRetryAt?: number; attempts?: number },
  ): void {
    this.deps.store.getState().registrationEvent(event, extra);
    const registration = this.deps.store.getState().registration;
    if (event.type === 'retry') return;
    this.deps.client
      .request('phone.report', {
        kind: 'registration',
        state: registration.state,
        ...(registration.cause && registration.state === 'failed'
          ? { reason: causeText(registration.cause, registration.nextRetryAt, this.now()) }
          : {}),
      })
      .catch(() => undefined);
  }

  // ── server connection lost while calls are up ──────────────────────────

  /**
   * The WebSocket dropped. Established calls are not ended: their media
   * usually keeps flowing peer to peer. They show "reconnecting" until the
   * phone is registered again (then transportBack) or the limit runs out.
   */
  private transportLost(): void {
    const store = this.deps.store.getState();
    for (const line of this.lines.values()) {
      if (line.reconnecting || line.session.state !== SessionState.Established) continue;
      if (this.info(line)?.state !== 'connected') continue;
      line.reconnecting = true;
      store.updateCall(line.id, { reconnecting: true });
      this.reportCall(this.info(line), 'connected', RECONNECTING_TEXT);
    }
    if (this.outageTimer || ![...this.lines.values()].some((line) => line.reconnecting)) return;
    const limit = this.reconnectLimit();
    const generation = this.generation;
    this.outageTimer = setTimeout(() => {
      this.outageTimer = undefined;
      if (generation !== this.generation) return;
      for (const line of [...this.lines.values()]) {
        if (line.reconnecting) this.endCall(line, { code: 'connection-lost' });
      }
    }, limit);
  }

  /**
   * Registered again after a lost connection: each waiting call sends a
   * re-INVITE with an ICE restart over the new connection. Answered: the
   * call goes on. 408 / 481 / no answer: the dialog is gone, the call ends
   * with the reason.
   */
  private transportBack(): void {
    const waiting = [...this.lines.values()].filter(
      (line) => line.reconnecting && !line.recovering,
    );
    if (waiting.length === 0) return;
    this.clearOutage();
    for (const line of waiting) void this.recover(line);
  }

  private async recover(line: Line, until = this.now() + this.reconnectLimit()): Promise<void> {
    const store = () => this.deps.store.getState();
    line.recovering = true;
    try {
      await this.reinvite(line.session, this.info(line)?.held ?? false, { iceRestart: true });
      line.recovering = false;
      if (this.lines.get(line.id) !== line) return;
      line.reconnecting = false;
      store().updateCall(line.id, { reconnecting: false });
      this.reportCall(this.info(line), 'connected', RECONNECTED_TEXT);
    } catch (error) {
      if (this.lines.get(line.id) !== line) return;
      const statusCode = error instanceof ReinviteError ? error.statusCode : 0;
      if (!this.ua?.isConnected()) {
        // The connection dropped again meanwhile: still "reconnecting"; the
        // outage limit runs, and the next registration tries again.
        line.recovering = false;
        return;
      }
      if (retryRecovery(statusCode) && this.now() + RECOVERY_RETRY_MS < until) {
        // The other party may still be reconnecting: still "reconnecting",
        // again shortly, within the limit (a new outage meanwhile starts it anew).
        setTimeout(() => {
          line.recovering = false;
          if (this.lines.get(line.id) === line && line.reconnecting && this.ua?.isConnected())
            void this.recover(line, until);
        }, RECOVERY_RETRY_MS);
        return;
      }
      line.recovering = false;
      line.reconnecting = false;
      if (dialogGone(statusCode)) {
        // 481: the other side has no such call any more, so no BYE either.
        this.endCall(line, recoveryFailedReason(statusCode), { remoteEnded: statusCode === 481 });
        return;
      }
      // Refused but the dialog lives on (e.g. 491, 488): the media that kept flowing goes on.
      store().updateCall(line.id, { reconnecting: false });
      this.reportCall(
        this.info(line),
        'connected',
        `${RECONNECTED_TEXT}; re-INVITE: ${(error as Error).message}`,
      );
    }
  }

  private reconnectLimit(): number {
    return (
      this.deps.reconnectLimitMs?.() ??
      reconnectLimitMs(globalThis.localStorage?.getItem(RECONNECT_LIMIT_KEY))
    );
  }

  private clearOutage(): void {
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.outageTimer = undefined;
  }

  // ── call internals ─────────────────────────────────────────────────────

  private requireRegistered(): UserAgent {
    const ua = this.ua;
    if (!ua || this.registrationState !== 'registered')
      throw phoneError({ code: 'not-registered' });
    return ua;
  }

  private requireUri(target: string): URI {
    const uri = this.targetUri(target);
    if (!uri) throw phoneError({ code: 'invalid-number', target });
    return uri;
  }

  /** Sends the INVITE of a new call that comes to the foreground. */
  private async placeCall(
    target: URI | Inviter,
    remote: string,
    extra: { consultFor?: string; referredFrom?: Line } = {},
  ): Promise<Line> {
    const ua = this.requireRegistered();
    await this.deps.audio.ensure();
    const inviter =
      target instanceof Inviter
        ? target
        : new Inviter(ua, target, { sessionDescriptionHandlerOptions: MEDIA });
    const line = this.adoptSession(inviter);
    line.referredFrom = extra.referredFrom;
    const store = this.deps.store.getState();
    store.callEvent({ type: 'dial' }, this.callDetails(inviter, 'outgoing', remote));
    if (extra.consultFor) store.updateCall(line.id, { consultFor: extra.consultFor });
    const referredBy = extra.referredFrom && this.info(extra.referredFrom)?.remote;
    if (referredBy) store.updateCall(line.id, { referredBy });
    this.deps.store.getState().setActive(line.id);
    // The INVITE's media stream factory takes the audio path from any other call.
    this.audioOwner = line;
    this.reportCall(this.info(line), 'dialing');
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) =>
            this.endCall(line, {
              code: 'rejected',
              status: {
                statusCode: response.message.statusCode ?? 0,
                reasonPhrase: response.message.reasonPhrase ?? '',
              },
            }),
        },
      })
      .catch((error: unknown) =>
        this.endCall(line, { code: 'call-failed', detail: (error as Error).message }),
      );
    return line;
  }

  private reinvite(
    session: Session,
    hold: boolean,
    { iceRestart = false }: { iceRestart?: boolean } = {},
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ReinviteError('no answer to re-INVITE', 0)),
        REINVITE_TIMEOUT_MS,
      );
      const done = (error?: Error) => {
        clearTimeout(timer);
        // Later re-INVITEs (hold, or answering one from the other side) need no restart.
        if (iceRestart) {
          const plain: Web.SessionDescriptionHandlerOptions = { hold };
          session.sessionDescriptionHandlerOptionsReInvite = plain;
        }
        if (error) reject(error);
        else resolve();
      };
      // sip.js 0.21: the options for the next re-INVITE's offer; Web's
      // handler turns `hold` into a sendonly / inactive direction.
      // An ICE restart (new ufrag/pwd, fresh candidates) renegotiates the
      // media path; Web's handler passes offerOptions to createOffer and then
      // waits for the new gathering.
      const options: Web.SessionDescriptionHandlerOptions = iceRestart
        ? { hold, offerOptions: { iceRestart: true } }
        : { hold };
      session.sessionDescriptionHandlerOptionsReInvite = options;
      session
        .invite({
          requestDelegate: {
            onAccept: () => done(),
            onReject: (response) =>
              done(
                new ReinviteError(
                  `${response.message.statusCode} ${response.message.reasonPhrase ?? ''}`.trim(),
                  response.message.statusCode ?? 0,
                  response.message.reasonPhrase ?? '',
                ),
              ),
          },
        })
        .catch((error: Error) => done(new ReinviteError(error.message, 0)));
    });
  }

  /**
   * Gives call `line` the audio path: a fresh outgoing stream (microphone +
   * engine play-out) on its sender, its remote stream on the <audio>
   * element and the caller tap. The previous owner's microphone and audio
   * context are released.
   */
  private async bindAudio(line: Line): Promise<void> {
    if (this.audioOwner === line) return;
    const sdh = line.session.sessionDescriptionHandler;
    if (!(sdh instanceof Web.SessionDescriptionHandler) || !sdh.peerConnection) return;
    this.audioOwner = line;
    const stream = await this.deps.audio.createOutgoingStream();
    if (this.audioOwner !== line || !this.lines.has(line.id)) return;
    // What sip.js's (protected) setLocalMediaStream does: the new track on
    // the audio sender, and in the handler's local stream instead of the old.
    const track = stream.getAudioTracks()[0];
    const sender = sdh.peerConnection
      ?.getTransceivers()
      .find((t) => t.receiver.track.kind === 'audio')?.sender;
    if (!track || !sender) return;
    await sender.replaceTrack(track);
    const local = sdh.localMediaStream;
    for (const old of local.getAudioTracks()) {
      old.stop();
      local.removeTrack(old);
    }
    local.addTrack(track);
    this.deps.audio.setMuted(this.info(line)?.muted ?? false);
    this.attachRemote(line);
  }

  /** The agent hears this call, and the engine taps it as the caller leg. */
  private attachRemote(line: Line): void {
    const sdh = line.session.sessionDescriptionHandler;
    if (!(sdh instanceof Web.SessionDescriptionHandler)) return;
    const stream = sdh.remoteMediaStream;
    const element = this.deps.remoteAudio();
    if (element && element.srcObject !== stream) {
      // The element plays whatever tracks this stream holds, also a track
      // sip.js swaps in later. (Do not re-assign the same stream: headless
      // Chromium then feeds WebAudio silence, TESTBED pitfall 3.)
      element.srcObject = stream;
      void element.play().catch(() => undefined);
    }
    void this.deps.audio.attachRemote(stream);
    // sip.js replaces the remote track in this same stream when a
    // renegotiation (re-INVITE) brings a new one, and fires addtrack; a
    // MediaStreamSource keeps the track it was made with: remake it.
    stream.addEventListener(
      'addtrack',
      () => {
        if (this.audioOwner === line) void this.deps.audio.attachRemote(stream);
      },
      { signal: line.listeners.signal },
    );
  }

  /** Refused before ringing: listed as missed, told to the engine. */
  private refuse(invitation: Invitation, statusCode: 480 | 486, reason: MissedReason): void {
    void invitation
      .reject({
        statusCode,
        reasonPhrase: statusCode === 486 ? 'Busy Here' : 'Temporarily Unavailable',
      })
      .catch(() => undefined);
    const remote = invitation.remoteIdentity.uri.user ?? invitation.remoteIdentity.uri.toString();
    const remoteName = invitation.remoteIdentity.displayName;
    const id = invitation.request.callId;
    this.deps.store
      .getState()
      .addMissed({ id, remote, reason, ...(remoteName ? { remoteName } : {}) });
    this.deps.client
      .request('phone.report', {
        kind: 'call',
        callId: id,
        state: 'ended',
        direction: 'incoming',
        remote,
        reason: missedReasonText(reason),
        ...(remoteName ? { remoteName } : {}),
      })
      .catch(() => undefined);
  }

  private incoming(invitation: Invitation): void {
    const replaced = [...this.lines.values()].find(
      (line) => line.session === invitation.replacee && isLive(this.info(line)?.state ?? 'idle'),
    );
    const decision = decideIncoming({
      policy: this.deps.store.getState().policy,
      liveLines: this.liveLines().length,
      replacesOurCall: replaced !== undefined,
    });
    if (decision.kind === 'refuse') {
      this.refuse(invitation, decision.statusCode, decision.reason);
      return;
    }
    const remote = invitation.remoteIdentity.uri.toString();
    const details = this.callDetails(
      invitation,
      'incoming',
      invitation.remoteIdentity.uri.user ?? remote,
    );
    const mismatch = codecMismatch(
      invitation.body ?? '',
      supportedAudioCodecs(globalThis.RTCRtpReceiver?.getCapabilities?.('audio')),
    );
    if (mismatch) {
      // No audio is possible: refuse with 488 instead of a silent "connected" call.
      void invitation
        .reject({ statusCode: 488, reasonPhrase: 'Not Acceptable Here' })
        .catch(() => undefined);
      const reason: CallEndReason = { code: 'no-common-codec', offered: mismatch };
      this.deps.store.getState().callEvent({ type: 'incoming' }, details);
      this.deps.store.getState().callEvent({ type: 'ended', reason }, undefined, details.id);
      this.reportCall({ ...details, state: 'ended' } as CallInfo, 'ended', endReasonText(reason));
      return;
    }
    const line = this.adoptSession(invitation);
    const store = this.deps.store.getState();
    store.callEvent(
      { type: 'incoming' },
      { ...details, ...(decision.kind === 'waiting' ? { waiting: true } : {}) },
    );
    this.reportCall(this.info(line), 'ringing');
    switch (decision.kind) {
      case 'replace': {
        // We are the target of an attended transfer: the transferred party
        // takes the place of the call we had with the transferring agent.
        const old = replaced as Line;
        const oldRemote = this.info(old)?.remote ?? '';
        old.endReason = { code: 'replaced', by: details.remote };
        if (this.deps.store.getState().activeId === old.id) store.setActive(line.id);
        store.setNotice({ kind: 'transferred-to-you', from: oldRemote, party: details.remote });
        void this.answer(line.id);
        return;
      }
      case 'auto-answer':
        // The bot takes the call: no ringing, answered at once.
        line.handledBy = 'bot';
        void this.answer(line.id);
        return;
      case 'ring':
      case 'waiting':
        this.updateAlert();
        return;
    }
  }

  private callDetails(session: Session, direction: 'incoming' | 'outgoing', remote: string) {
    const remoteName = session.remoteIdentity.displayName;
    // The SIP Call-ID: unique, and the same one the engine, the logs and the
    // other side see.
    const request = session instanceof Inviter ? session.request : (session as Invitation).request;
    return {
      id: request.callId,
      direction,
      remote,
      ...(remoteName ? { remoteName } : {}),
    };
  }

  private adoptSession(session: Session): Line {
    const request = session instanceof Inviter ? session.request : (session as Invitation).request;
    const line: Line = {
      id: request.callId,
      session,
      endedLocally: false,
      answering: false,
      listeners: new AbortController(),
      handledBy: 'person',
    };
    this.lines.set(line.id, line);
    session.delegate = {
      // With a delegate, sip.js leaves answering the BYE to us.
      onBye: (bye) => {
        void bye.accept().catch(() => undefined);
        // The dialog is over: end it here without sending a BYE of our own.
        this.endCall(line, line.endReason ?? { code: 'remote-hangup' }, {
          remoteEnded: true,
        });
      },
      onRefer: (referral) => this.referred(line, referral),
      // Keys from the other side as SIP INFO; other INFO packages are refused.
      onInfo: (info) => {
        const message = info.request;
        const tone = parseDtmfInfo(
          message.getHeader('Content-Type') ?? '',
          typeof message.body === 'string' ? message.body : '',
        );
        if (!tone) {
          void info.reject({ statusCode: 415, reasonPhrase: 'Unsupported Media Type' });
          return;
        }
        void info.accept().catch(() => undefined);
        if (this.lines.has(line.id)) this.deps.onDtmfReceived?.(line.id, tone);
      },
    };
    session.stateChange.addListener((state) => {
      if (!this.lines.has(line.id)) return;
      if (state === SessionState.Established) {
        this.deps.store.getState().callEvent({ type: 'answered' }, undefined, line.id);
        this.reportCall(this.info(line), 'connected');
        if (this.audioOwner === line) this.attachRemote(line);
        this.updateAlert();
        const old = line.referredFrom;
        if (old && this.lines.has(old.id)) {
          // We followed a transfer and the target answered: the old call is done.
          old.endedLocally = true;
          this.endCall(old, { code: 'forwarded', target: this.info(line)?.remote ?? '' });
        }
      } else if (state === SessionState.Terminated) {
        const wasRinging = this.info(line)?.state === 'ringing';
        this.endCall(
          line,
          line.endReason ??
            (line.endedLocally
              ? { code: 'local-hangup' }
              : line.answering
                ? { code: 'unusable-offer' }
                : wasRinging
                  ? { code: 'caller-gave-up' }
                  : { code: 'call-ended' }),
          { remoteEnded: true },
        );
      }
    });
    return line;
  }

  /** Ends call `line` (once): store, engine, audio path, and the SIP side unless it already ended. */
  private endCall(
    line: Line,
    reason: CallEndReason,
    options: { remoteEnded?: boolean } = {},
  ): void {
    if (this.lines.get(line.id) !== line) return;
    this.lines.delete(line.id);
    line.listeners.abort();
    if (line.transferTimer) clearTimeout(line.transferTimer);
    if (this.audioOwner === line) {
      this.audioOwner = undefined;
      // Stops the microphone and closes the call's audio context, which frees
      // the call's audio nodes and the streams they hold.
      this.deps.audio.releaseCall();
      const element = this.deps.remoteAudio();
      if (element) element.srcObject = null;
    }
    const call = this.info(line);
    if (call && isLive(call.state)) {
      if (call.state === 'ringing' && call.waiting) {
        // A caller who knocked and was not taken: the agent should call back.
        const remote = call.remote ?? '';
        const missed: MissedReason =
          reason.code === 'waiting-declined' ? reason : { code: 'waiting-ended', reason };
        this.deps.store.getState().addMissed({
          id: line.id,
          remote,
          reason: missed,
          ...(call.remoteName ? { remoteName: call.remoteName } : {}),
        });
      }
      this.deps.store.getState().callEvent({ type: 'ended', reason }, undefined, line.id);
      this.reportCall(call, 'ended', endReasonText(reason));
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
    const foreground = this.foreground();
    if (foreground && this.liveLines().length === 1 && this.info(foreground)?.waiting)
      this.deps.store.getState().updateCall(foreground.id, { waiting: false });
    this.updateAlert();
    // A call that comes to the foreground connected and not held (e.g. after
    // a transfer we followed failed) gets the audio path back.
    if (foreground && foreground !== this.audioOwner) {
      const info = this.info(foreground);
      if (info?.state === 'connected' && !info.held && !info.holdPending)
        void this.bindAudio(foreground).catch(() => undefined);
    }
  }

  // ── transfer internals ─────────────────────────────────────────────────

  /** Sends the REFER for call `line` and follows its progress. */
  private refer(
    line: Line,
    referTo: URI | Session,
    what: { kind: 'blind' | 'attended'; target: string },
  ): void {
    const store = () => this.deps.store.getState();
    store().updateCall(line.id, { transfer: { ...what, state: 'requested' } });
    this.reportCall(this.info(line), 'connected', `transfer to ${what.target}`);
    const step = (event: TransferEvent) => {
      const current = this.info(line)?.transfer;
      if (!this.lines.has(line.id) || !current) return;
      const state = transferStep(current.state, event);
      if (state === current.state && event.type !== 'notify') return;
      const statusCode =
        event.type === 'notify' || event.type === 'rejected'
          ? event.statusCode
          : current.statusCode;
      const failure = state === 'failed' ? transferFailure(event) : undefined;
      store().updateCall(line.id, {
        transfer: {
          ...current,
          state,
          ...(statusCode !== undefined ? { statusCode } : {}),
          ...(failure ? { failure } : {}),
        },
      });
      if (state === current.state) return;
      if (state === 'done') this.transferred(line, what.target);
      else if (state === 'failed') {
        if (line.transferTimer) clearTimeout(line.transferTimer);
        this.reportCall(
          this.info(line),
          'connected',
          failure ? transferFailureText(failure) : undefined,
        );
      }
    };
    line.transferTimer = setTimeout(() => step({ type: 'timeout' }), TRANSFER_TIMEOUT_MS);
    line.session
      .refer(referTo, {
        requestDelegate: {
          onAccept: () => step({ type: 'accepted' }),
          onReject: (response) =>
            step({ type: 'rejected', statusCode: response.message.statusCode ?? 0 }),
        },
        onNotify: (notification) => {
          void notification.accept().catch(() => undefined);
          const frag = parseSipfrag(notification.request.body);
          if (frag) step({ type: 'notify', statusCode: frag.statusCode });
        },
      })
      .catch(() => step({ type: 'rejected', statusCode: 0 }));
  }

  /** The transfer of `line` succeeded: our leg (and a consultation call) end. */
  private transferred(line: Line, target: string): void {
    const reason: CallEndReason = { code: 'transferred', target };
    const consult = line.consult;
    line.endedLocally = true;
    line.endReason = reason;
    this.endCall(line, reason);
    if (consult && this.lines.has(consult.id)) {
      // The target replaces this call with the transferred one and ends it; if not, we do.
      consult.endReason = reason;
      setTimeout(() => {
        if (!this.lines.has(consult.id)) return;
        consult.endedLocally = true;
        this.endCall(consult, reason);
      }, CONSULT_LINGER_MS);
    }
  }

  /**
   * The other party refers us elsewhere (incoming REFER): follow it unless
   * the policy says no; the old call ends once the new one is connected.
   */
  private referred(line: Line, referral: Referral): void {
    const store = this.deps.store.getState();
    const from = this.info(line)?.remote ?? '';
    let target: string;
    try {
      // An attended transfer's Refer-To is a contact (random user part);
      // sip.js puts who it is ("user@host") into the display name.
      const referTo = referral.referTo;
      const named = referTo.displayName as string | undefined; // undefined without a name
      target = (named ?? '').replace(/@.*$/, '') || referTo.uri.user || referTo.uri.toString();
    } catch {
      void referral.reject({ statusCode: 400, reasonPhrase: 'Bad Refer-To' });
      return;
    }
    const refuse = (statusCode: number, reasonPhrase: string, why: ForwardRefusal) => {
      void referral.reject({ statusCode, reasonPhrase }).catch(() => undefined);
      store.setNotice({ kind: 'forward-refused', target, why, statusCode });
      this.reportCall(this.info(line), 'connected', `REFER to ${target} refused (${statusCode})`);
    };
    if (!store.policy.followRefer) {
      refuse(603, 'Decline', 'policy');
      return;
    }
    if (this.registrationState !== 'registered' || !this.ua) {
      refuse(503, 'Service Unavailable', 'not-registered');
      return;
    }
    if (this.liveLines().length >= MAX_LINES) {
      refuse(486, 'Busy Here', 'all-lines-busy');
      return;
    }
    void referral.accept().catch(() => undefined);
    store.setNotice({ kind: 'forwarding', from, target });
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: MEDIA });
    this.placeCall(inviter, target, { referredFrom: line }).catch((error: unknown) =>
      store.setNotice({ kind: 'forward-failed', failure: failureOf(error) }),
    );
  }

  /** The consultation call and the call it is for, whichever is in the foreground. */
  private consultPair(): { original: Line; consult: Line } | undefined {
    for (const original of this.lines.values()) {
      const consult = original.consult;
      if (consult && this.lines.has(consult.id)) return { original, consult };
    }
    return undefined;
  }

  // ── lines and alerts ───────────────────────────────────────────────────

  private info(line: Line): CallInfo | undefined {
    return this.deps.store.getState().lines.find((l) => l.id === line.id);
  }

  private liveLines(): Line[] {
    return [...this.lines.values()].filter((line) => isLive(this.info(line)?.state ?? 'idle'));
  }

  /** The foreground call, if it still has a session. */
  private foreground(): Line | undefined {
    const id = this.deps.store.getState().activeId;
    return id === undefined ? undefined : this.lines.get(id);
  }

  /** Call `id`, or the foreground call. */
  private lineFor(id?: string): Line | undefined {
    return id === undefined ? this.foreground() : this.lines.get(id);
  }

  private ringingForeground(): Line | undefined {
    const line = this.foreground();
    return line && this.info(line)?.state === 'ringing' ? line : undefined;
  }

  /** The oldest call that knocks. */
  private waitingLine(): Line | undefined {
    return [...this.lines.values()].find((line) => {
      const info = this.info(line);
      return info?.state === 'ringing' && info.waiting === true;
    });
  }

  /** Ringtone for a call that rings in the foreground, the knock for one that waits. */
  private updateAlert(): void {
    const { lines, activeId } = this.deps.store.getState();
    const ringing = lines.filter((l) => l.state === 'ringing' && this.lines.has(l.id ?? ''));
    const answering = (id?: string) => (id ? this.lines.get(id)?.answering === true : false);
    const wanted = ringing.some((l) => l.id === activeId && !l.waiting && !answering(l.id))
      ? 'ringtone'
      : ringing.some((l) => !answering(l.id))
        ? 'waiting'
        : 'none';
    if (wanted === this.playing) return;
    if (this.playing === 'ringtone') this.deps.ringtone.stop();
    if (this.playing === 'waiting') this.waitingTone.stop();
    this.playing = wanted;
    if (wanted === 'ringtone') this.deps.ringtone.start();
    if (wanted === 'waiting') this.waitingTone.start();
    this.deps.store.getState().setAlert(wanted);
  }

  private reportCall(
    call: CallInfo | undefined,
    state: 'ringing' | 'dialing' | 'connected' | 'ended',
    reason?: string,
  ): void {
    if (!call) return;
    this.deps.client
      .request('phone.report', {
        kind: 'call',
        callId: call.id ?? 'unknown',
        state,
        direction: call.direction ?? 'incoming',
        remote: call.remote ?? '',
        ...(reason ? { reason: reason.slice(0, 500) } : {}),
        ...(call.remoteName ? { remoteName: call.remoteName } : {}),
        ...(state === 'connected' && call.id
          ? { handledBy: this.lines.get(call.id)?.handledBy ?? 'person' }
          : {}),
      })
      .catch(() => undefined);
  }

  private targetUri(target: string) {
    const trimmed = target.trim();
    if (!trimmed) return undefined;
    if (/^sips?:/i.test(trimmed)) return UserAgent.makeURI(trimmed);
    const domain = UserAgent.makeURI(this.config?.account.sipUri ?? '')?.host;
    if (trimmed.includes('@')) return UserAgent.makeURI(`sip:${trimmed}`);
    if (!domain || !/^[\w.+*#-]+$/.test(trimmed)) return undefined;
    return UserAgent.makeURI(`sip:${trimmed}@${domain}`);
  }
}

function isFinal(state: string): boolean {
  return state === 'done' || state === 'failed';
}
