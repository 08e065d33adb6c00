/**
 * The sip.js adapter. sip.js's delegates and state-change emitters call the
 * phone store's actions (through the state machines); nothing else in the
 * renderer touches sip.js. One user agent, one registerer, one call at a time.
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
 */
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  UserAgentState,
  Web,
  type Core,
  type Session,
} from 'sip.js';
import type { AccountView } from '../../electron/contract';
import type { AudioPath } from '../audio/audio-path';
import type { EngineClient } from '../bridge/engine-client';
import type { CallPolicy, DtmfMethod, PhoneStore } from '../stores/phone-store';
import { Backoff } from './backoff';
import { codecMismatch, supportedAudioCodecs } from './sdp-codecs';
import { isRetryable, type FailureCause, type RegistrationEvent } from './registration-machine';

export interface SipPhoneDeps {
  store: PhoneStore;
  client: EngineClient;
  audio: AudioPath;
  /** The <audio> element the agent hears the caller through. */
  remoteAudio: () => HTMLAudioElement | null;
  ringtone: { start(): void; stop(): void };
  now?: () => number;
  /** A key the other side pressed, sent as SIP INFO (the bot listens for it). */
  onDtmfReceived?: (callId: string, tone: string) => void;
}

export interface PhoneAccount {
  account: AccountView;
  password: string;
}

const REGISTER_EXPIRES_SEC = 300;
/** RFC 4733 tone length and gap; SIP INFO announces the same duration. */
export const DTMF_DURATION_MS = 160;
const DTMF_GAP_MS = 70;
const REINVITE_TIMEOUT_MS = 10_000;
const DTMF_TONE = /^[0-9A-D*#]$/;

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

export class SipPhone {
  private ua?: UserAgent;
  private registerer?: Registerer;
  private session?: Session;
  private sessionEndedLocally = false;
  /** accept() is running: a termination now means the answer failed. */
  private answering = false;
  private config?: PhoneAccount;
  private readonly backoff = new Backoff(500, 30_000);
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Bumped whenever the UA is replaced: callbacks from an old one are ignored. */
  private generation = 0;
  private wantRegistered = false;
  private readonly now: () => number;
  /** DTMF digits go out one after another, never overlapping. */
  private dtmfQueue: Promise<void> = Promise.resolve();
  /** Removes the listeners this call put on media objects (at endCall). */
  private callListeners?: AbortController;
  /** Who took the current call, for the call history: auto-answer means the bot. */
  private handledBy: 'bot' | 'person' = 'person';

  constructor(private readonly deps: SipPhoneDeps) {
    this.now = deps.now ?? Date.now;
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
      doNotDisturb: config.account.doNotDisturb,
      botFirst: config.account.botFirst,
    });
  }

  /** Auto-answer / do not disturb from now on (the caller persists them). */
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
    const ua = this.ua;
    this.ua = undefined;
    this.registerer = undefined;
    if (this.session) this.endCall('Telefon neu konfiguriert / phone reconfigured');
    if (ua) await ua.stop().catch(() => undefined);
    if (this.registrationState !== 'unregistered') this.dispatch({ type: 'unregister' });
    this.backoff.reset();
  }

  // ── calls ──────────────────────────────────────────────────────────────

  async dial(target: string): Promise<void> {
    const ua = this.ua;
    if (!ua || this.registrationState !== 'registered')
      throw new Error('Nicht angemeldet / not registered');
    if (this.session) throw new Error('Es läuft bereits ein Gespräch / a call is already active');
    const uri = this.targetUri(target);
    if (!uri) throw new Error(`Ungültige Rufnummer / invalid number: ${target}`);
    await this.deps.audio.ensure();
    const inviter = new Inviter(ua, uri, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    });
    this.adoptSession(inviter);
    this.deps.store
      .getState()
      .callEvent({ type: 'dial' }, this.callDetails(inviter, 'outgoing', target));
    this.reportCall('dialing');
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) => this.endCall(describeRejection(response.message)),
        },
      })
      .catch((error: unknown) =>
        this.endCall(`Anruf fehlgeschlagen / call failed: ${(error as Error).message}`),
      );
  }

  async answer(): Promise<void> {
    const session = this.session;
    if (!(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    this.deps.ringtone.stop();
    await this.deps.audio.ensure();
    this.answering = true;
    await session
      .accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } })
      .catch((error: unknown) =>
        this.endCall(
          `Annehmen fehlgeschlagen / answer failed: ${(error as Error).message || 'SDP'}`,
          { remoteEnded: true },
        ),
      )
      .finally(() => (this.answering = false));
  }

  decline(): void {
    const session = this.session;
    if (!(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    this.sessionEndedLocally = true;
    void session.reject({ statusCode: 603, reasonPhrase: 'Decline' }).catch(() => undefined);
    this.endCall('Abgelehnt / declined');
  }

  hangup(): void {
    const session = this.session;
    if (!session) return;
    this.sessionEndedLocally = true;
    if (session instanceof Invitation && session.state === SessionState.Initial) {
      this.decline();
      return;
    }
    if (session instanceof Inviter && session.state !== SessionState.Established) {
      void session.cancel().catch(() => undefined);
    } else if (session.state === SessionState.Established) {
      void session.bye().catch(() => undefined);
    }
    this.endCall('Aufgelegt / hung up');
  }

  setMuted(muted: boolean): void {
    if (!this.session) return;
    this.deps.audio.setMuted(muted);
    this.deps.store.getState().setMuted(muted);
  }

  /**
   * Hold (true) or resume (false) by re-INVITE. On hold our microphone (and
   * the bot's voice) is silenced at once and the caller is not heard; on
   * resume both come back once the other side accepted.
   */
  async setHold(hold: boolean): Promise<void> {
    const session = this.session;
    const call = this.call();
    if (!session || session.state !== SessionState.Established) return;
    if (call.state !== 'connected' || call.holdPending || call.held === hold) return;
    const store = this.deps.store.getState();
    store.setHold({ pending: true });
    const sdh = session.sessionDescriptionHandler;
    const tracks = (enabled: boolean) => {
      if (!(sdh instanceof Web.SessionDescriptionHandler) || !sdh.peerConnection) return;
      sdh.enableSenderTracks(enabled);
      sdh.enableReceiverTracks(enabled);
    };
    if (hold) tracks(false);
    try {
      await this.reinvite(session, hold);
      if (this.session !== session) return;
      if (!hold) tracks(true);
      this.deps.store.getState().setHold({ held: hold, pending: false });
      this.reportCall('connected', hold ? 'gehalten / on hold' : 'fortgesetzt / resumed');
    } catch (error) {
      if (this.session !== session) return;
      // The other side refused: the call stays as it was.
      tracks(!this.call().held);
      this.deps.store.getState().setHold({ pending: false });
      const message = `${hold ? 'Halten' : 'Fortsetzen'} fehlgeschlagen / ${hold ? 'hold' : 'resume'} failed: ${(error as Error).message}`;
      this.reportCall('connected', message);
      throw new Error(message, { cause: error });
    }
  }

  /**
   * Sends DTMF digits, one after another: RFC 4733 events in the RTP stream
   * or SIP INFO (application/dtmf-relay). Resolves when the last one is out
   * (INFO: answered with 2xx).
   */
  sendDtmf(
    tones: string,
    method: DtmfMethod = this.deps.store.getState().dtmfMethod,
  ): Promise<void> {
    const digits = [...tones.toUpperCase()];
    if (digits.length === 0 || !digits.every((d) => DTMF_TONE.test(d)))
      return Promise.reject(new Error(`Ungültige Tonwahl / invalid DTMF: ${tones}`));
    const session = this.session;
    if (!session || session.state !== SessionState.Established)
      return Promise.reject(new Error('Kein verbundenes Gespräch / no connected call'));
    const run = async () => {
      for (const tone of digits) {
        if (this.session !== session || session.state !== SessionState.Established)
          throw new Error('Gespräch beendet / call ended');
        if (method === 'rfc4733') {
          const sdh = session.sessionDescriptionHandler;
          const sent =
            sdh instanceof Web.SessionDescriptionHandler &&
            sdh.sendDtmf(tone, { duration: DTMF_DURATION_MS, interToneGap: DTMF_GAP_MS });
          if (!sent) throw new Error('RFC 4733 nicht verfügbar / telephone-event not negotiated');
          this.deps.store.getState().addDtmf(tone);
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
                      new Error(
                        `SIP INFO ${response.message.statusCode} ${response.message.reasonPhrase}`,
                      ),
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
          this.deps.store.getState().addDtmf(tone);
        }
      }
    };
    const next = this.dtmfQueue.then(run);
    this.dtmfQueue = next.catch(() => undefined);
    return next;
  }

  /** Back to idle once the agent has seen how the call ended. */
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
    const mediaStreamFactory = (): Promise<MediaStream> => this.deps.audio.createOutgoingStream();
    return new UserAgent({
      uri,
      displayName: account.displayName || undefined,
      authorizationUsername: account.authUser || uri.user || undefined,
      authorizationPassword: password || undefined,
      transportOptions: { server: account.serverUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      // We reconnect ourselves (with backoff and the registration machine).
      reconnectionAttempts: 0,
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
      sessionDescriptionHandlerFactory:
        Web.defaultSessionDescriptionHandlerFactory(mediaStreamFactory),
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
          ? { reason: describeCause(registration.cause, registration.nextRetryAt, this.now()) }
          : {}),
      })
      .catch(() => undefined);
  }

  // ── call internals ─────────────────────────────────────────────────────

  private reinvite(session: Session, hold: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('keine Antwort / no answer to re-INVITE')),
        REINVITE_TIMEOUT_MS,
      );
      const done = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      // sip.js 0.21: the options for the next re-INVITE's offer; Web's
      // handler turns `hold` into a sendonly / inactive direction.
      const options: Web.SessionDescriptionHandlerOptions = { hold };
      session.sessionDescriptionHandlerOptionsReInvite = options;
      session
        .invite({
          requestDelegate: {
            onAccept: () => done(),
            onReject: (response) =>
              done(
                new Error(`${response.message.statusCode} ${response.message.reasonPhrase ?? ''}`),
              ),
          },
        })
        .catch((error: Error) => done(error));
    });
  }

  /** Refused before ringing: listed as missed, told to the engine. */
  private refuse(invitation: Invitation, statusCode: 480 | 486, reason: string): void {
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
        reason,
        ...(remoteName ? { remoteName } : {}),
      })
      .catch(() => undefined);
  }

  private incoming(invitation: Invitation): void {
    if (this.session) {
      // One call at a time: a second caller hears busy and shows up as missed.
      this.refuse(
        invitation,
        486,
        'Besetzt: zweiter Anruf abgewiesen / busy: second call refused (486)',
      );
      return;
    }
    if (this.deps.store.getState().policy.doNotDisturb) {
      this.refuse(invitation, 486, 'Nicht stören: abgewiesen / do not disturb: refused (486)');
      return;
    }
    const remote = invitation.remoteIdentity.uri.toString();
    const mismatch = codecMismatch(
      invitation.body ?? '',
      supportedAudioCodecs(globalThis.RTCRtpReceiver?.getCapabilities?.('audio')),
    );
    if (mismatch) {
      // No audio is possible: refuse with 488 instead of a silent "connected" call.
      void invitation
        .reject({ statusCode: 488, reasonPhrase: 'Not Acceptable Here' })
        .catch(() => undefined);
      if (this.call().state === 'ended') this.deps.store.getState().callEvent({ type: 'reset' });
      const details = this.callDetails(
        invitation,
        'incoming',
        invitation.remoteIdentity.uri.user ?? remote,
      );
      const reason = `Kein gemeinsamer Audio-Codec / no common codec (${mismatch}); abgewiesen mit 488`;
      this.deps.store.getState().callEvent({ type: 'incoming' }, details);
      this.deps.store.getState().callEvent({ type: 'ended', reason });
      this.reportCall('ended', reason);
      return;
    }
    this.adoptSession(invitation);
    this.deps.store
      .getState()
      .callEvent(
        { type: 'incoming' },
        this.callDetails(invitation, 'incoming', invitation.remoteIdentity.uri.user ?? remote),
      );
    this.reportCall('ringing');
    const policy = this.deps.store.getState().policy;
    if (policy.autoAnswer || policy.botFirst) {
      // The bot takes the call: no ringing, answered at once.
      this.handledBy = 'bot';
      void this.answer();
      return;
    }
    this.deps.ringtone.start();
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

  private adoptSession(session: Session): void {
    if (this.call().state === 'ended') this.deps.store.getState().callEvent({ type: 'reset' });
    this.session = session;
    this.sessionEndedLocally = false;
    this.handledBy = 'person';
    this.callListeners?.abort();
    const listeners = new AbortController();
    this.callListeners = listeners;
    session.delegate = {
      // With a delegate, sip.js leaves answering the BYE to us.
      onBye: (bye) => {
        void bye.accept().catch(() => undefined);
        // The dialog is over: end it here without sending a BYE of our own.
        if (this.session === session) {
          this.endCall('Gegenseite hat aufgelegt / remote hung up', { remoteEnded: true });
        }
      },
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
        const id = this.call().id;
        if (this.session === session && id) this.deps.onDtmfReceived?.(id, tone);
      },
    };
    session.stateChange.addListener((state) => {
      if (this.session !== session) return;
      if (state === SessionState.Established) {
        this.deps.ringtone.stop();
        this.deps.store.getState().callEvent({ type: 'answered' });
        this.reportCall('connected');
        const sdh = session.sessionDescriptionHandler;
        if (sdh instanceof Web.SessionDescriptionHandler) {
          const stream = sdh.remoteMediaStream;
          const element = this.deps.remoteAudio();
          if (element) {
            // The element plays whatever tracks this stream holds, also a
            // track sip.js swaps in later. (Do not re-assign srcObject: headless
            // Chromium then feeds WebAudio silence, TESTBED pitfall 3.)
            element.srcObject = stream;
            void element.play().catch(() => undefined);
          }
          void this.deps.audio.attachRemote(stream);
          // sip.js replaces the remote track in this same stream when a
          // renegotiation (re-INVITE) brings a new one, and fires addtrack;
          // a MediaStreamSource keeps the track it was made with: remake it.
          stream.addEventListener(
            'addtrack',
            () => {
              if (this.session === session) void this.deps.audio.attachRemote(stream);
            },
            { signal: listeners.signal },
          );
        }
      } else if (state === SessionState.Terminated) {
        const wasRinging = this.call().state === 'ringing';
        this.endCall(
          this.sessionEndedLocally
            ? 'Aufgelegt / hung up'
            : this.answering
              ? 'Annehmen fehlgeschlagen: Angebot der Gegenseite unbrauchbar / answer failed: unusable offer'
              : wasRinging
                ? 'Anrufer hat aufgelegt / caller hung up'
                : 'Gespräch beendet / call ended',
          { remoteEnded: true },
        );
      }
    });
  }

  private endCall(reason: string, options: { remoteEnded?: boolean } = {}): void {
    const session = this.session;
    this.session = undefined;
    this.callListeners?.abort();
    this.callListeners = undefined;
    this.deps.ringtone.stop();
    // Stops the microphone and closes the call's audio context, which frees
    // the call's audio nodes and the streams they hold.
    this.deps.audio.releaseCall();
    const element = this.deps.remoteAudio();
    if (element) element.srcObject = null;
    const call = this.call();
    if (call.state !== 'idle' && call.state !== 'ended') {
      this.deps.store.getState().callEvent({ type: 'ended', reason });
      this.reportCall('ended', reason);
    }
    if (
      !options.remoteEnded &&
      session &&
      session.state !== SessionState.Terminated &&
      session.state !== SessionState.Terminating
    ) {
      if (session.state === SessionState.Established) void session.bye().catch(() => undefined);
      else if (session instanceof Inviter) void session.cancel().catch(() => undefined);
      else if (session instanceof Invitation) void session.reject().catch(() => undefined);
    }
  }

  private call() {
    return this.deps.store.getState().call;
  }

  private reportCall(state: 'ringing' | 'dialing' | 'connected' | 'ended', reason?: string): void {
    const call = this.call();
    this.deps.client
      .request('phone.report', {
        kind: 'call',
        callId: call.id ?? 'unknown',
        state,
        direction: call.direction ?? 'incoming',
        remote: call.remote ?? '',
        ...(reason ? { reason } : {}),
        ...(call.remoteName ? { remoteName: call.remoteName } : {}),
        ...(state === 'connected' ? { handledBy: this.handledBy } : {}),
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

/** Human-readable reason for a failed INVITE; 488 means no common codec. */
export function describeRejection(response: Core.IncomingResponseMessage): string {
  const code = response.statusCode ?? 0;
  const phrase = response.reasonPhrase ?? '';
  switch (code) {
    case 486:
    case 600:
      return `Besetzt / busy (${code})`;
    case 480:
      return `Nicht erreichbar / unavailable (${code})`;
    case 404:
      return `Teilnehmer unbekannt / not found (${code})`;
    case 487:
      return `Anruf abgebrochen / cancelled (${code})`;
    case 488:
    case 606:
      return `Kein gemeinsamer Audio-Codec / no common codec (${code} ${phrase})`;
    case 603:
      return `Abgelehnt / declined (${code})`;
    default:
      return `Anruf fehlgeschlagen / call failed (${code} ${phrase})`;
  }
}

/** One line for the log and the status bar. */
export function describeCause(
  cause: FailureCause,
  nextRetryAt: number | undefined,
  now: number,
): string {
  const retry =
    nextRetryAt !== undefined
      ? `; neuer Versuch in ${Math.max(0, Math.round((nextRetryAt - now) / 1000))} s`
      : '';
  switch (cause.kind) {
    case 'unreachable':
      return `Server nicht erreichbar / server unreachable (${cause.detail})${retry}`;
    case 'connection-lost':
      return `Verbindung zum Server verloren / connection lost (${cause.detail})${retry}`;
    case 'rejected':
      return `Anmeldung abgelehnt / registration refused: ${cause.statusCode} ${cause.reasonPhrase}${retry}`;
    case 'timeout':
      return `Server antwortet nicht / no answer from server${retry}`;
    case 'configuration':
      return `Einstellungen unvollständig / settings incomplete: ${cause.detail}`;
  }
}
