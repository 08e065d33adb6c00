/**
 * Keeps the phone registered (RFC 3261 10) over its one user agent and
 * registerer, through the registration state machine
 * (renderer/phone/registration-machine.ts).
 *
 * Any retryable failure (server unreachable, connection lost, 5xx, timeout)
 * schedules exactly one retry with exponential backoff; a retry only starts
 * from `failed`, and `registering` means a REGISTER is in flight, so two
 * REGISTERs are never outstanding. A registrar that refuses (403, 404, 401
 * with a wrong password) is not hammered: the phone waits for the agent to
 * fix the settings or press "Anmelden".
 *
 * The user agent lives until the settings change: after a lost connection
 * it reconnects the same one, so established calls keep their dialogs.
 * Whenever it is replaced, a new generation starts and callbacks from the
 * old one are ignored.
 */
import {
  Registerer,
  RegistererState,
  SIPExtension,
  UserAgent,
  UserAgentState,
  Web,
  type Invitation,
  type SessionDescriptionHandlerFactory,
  type UserAgentOptions,
} from 'sip.js';
import type { AccountView } from '../../electron/contract';
import { causeText } from '../phone/phone-log-text';
import type { PhoneStore } from '../phone/phone-store';
import {
  isRetryable,
  type FailureCause,
  type RegistrationEvent,
  type RegistrationState,
} from '../phone/registration-machine';
import { Backoff } from './backoff';
import type { PhoneReports } from './call-reports';

export const REGISTER_EXPIRES_SEC = 300;

export interface PhoneAccount {
  account: AccountView;
  password: string;
}

/**
 * How the user agent reaches the server and makes its media. Unset (the
 * app): sip.js's WebSocket transport (RFC 7118) and WebRTC handler. Unit
 * tests put in-process fakes here.
 */
export interface SipStack {
  transportConstructor: NonNullable<UserAgentOptions['transportConstructor']>;
  sessionDescriptionHandlerFactory: (
    mediaStreamFactory: OutgoingStreamFactory,
  ) => SessionDescriptionHandlerFactory;
}

/**
 * The outgoing stream for a call being answered or dialled; sip.js names the
 * session description handler asking, so the stream can be the right call's.
 */
export type OutgoingStreamFactory = (
  constraints?: MediaStreamConstraints,
  handler?: unknown,
) => Promise<MediaStream>;

export interface RegistrationEvents {
  /** An INVITE outside any dialog: a new call. */
  invite(invitation: Invitation): void;
  /** The server connection dropped. */
  connectionLost(): void;
  /** A REGISTER was accepted (again). */
  registered(): void;
}

export class RegistrationDriver {
  private config?: PhoneAccount;
  private ua?: UserAgent;
  private registerer?: Registerer;
  private readonly backoff = new Backoff(500, 30_000);
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Bumped whenever the user agent is replaced: callbacks from an old one are ignored. */
  private generation = 0;
  private wantRegistered = false;

  constructor(
    private readonly deps: {
      store: PhoneStore;
      reports: PhoneReports;
      now: () => number;
      events: RegistrationEvents;
      /** The outgoing stream for a call being answered or dialled. */
      outgoingStream: OutgoingStreamFactory;
      sipStack?: SipStack;
    },
  ) {}

  get state(): RegistrationState {
    return this.deps.store.getState().registration.state;
  }

  get account(): AccountView | undefined {
    return this.config?.account;
  }

  /** The user agent, when registered: calls can be placed. */
  get registeredAgent(): UserAgent | undefined {
    return this.state === 'registered' ? this.ua : undefined;
  }

  /** The server connection is up. */
  get connected(): boolean {
    return this.ua?.isConnected() ?? false;
  }

  /** The settings to register with from now on (after `detach` and `stop`). */
  configure(config: PhoneAccount): void {
    this.config = config;
  }

  /** Register now (agent pressed "Anmelden", or auto-register at start). */
  register(): void {
    if (!this.config) {
      this.fail({ kind: 'configuration', detail: 'no account configured' });
      return;
    }
    const state = this.state;
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
    if (this.state !== 'unregistered') this.dispatch({ type: 'unregister' });
  }

  /** Lets go of the user agent (a new generation); `stop` it once its calls are ended. */
  detach(): UserAgent | undefined {
    this.generation++;
    this.wantRegistered = false;
    this.clearRetry();
    const ua = this.ua;
    this.ua = undefined;
    this.registerer = undefined;
    return ua;
  }

  async stop(ua: UserAgent | undefined): Promise<void> {
    if (ua) await ua.stop().catch(() => undefined);
    if (this.state !== 'unregistered') this.dispatch({ type: 'unregister' });
    this.backoff.reset();
  }

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
            if (generation !== this.generation || this.state !== 'registering') return;
            this.accepted();
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

  private accepted(): void {
    this.backoff.reset();
    this.dispatch({ type: 'accepted', expiresSec: REGISTER_EXPIRES_SEC });
    this.deps.events.registered();
  }

  private createUserAgent(config: PhoneAccount): UserAgent {
    const { account, password } = config;
    const uri = UserAgent.makeURI(account.sipUri);
    if (!uri) throw new Error(`invalid SIP URI ${account.sipUri}`);
    const generation = this.generation;
    const stack = this.deps.sipStack;
    return new UserAgent({
      uri,
      displayName: account.displayName || undefined,
      authorizationUsername: account.authUser || uri.user || undefined,
      authorizationPassword: password || undefined,
      transportOptions: { server: account.serverUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      ...(stack ? { transportConstructor: stack.transportConstructor } : {}),
      // We reconnect ourselves (with backoff and the registration machine).
      reconnectionAttempts: 0,
      // An INVITE with Replaces (we are the target of an attended transfer)
      // is matched to our call (RFC 3891); without this sip.js ignores the header.
      sipExtensionReplaces: SIPExtension.Supported,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      // The library's own warnings (deprecations, unknown dialogs) are for IT:
      // the engine's log file, not the desk's log panel.
      logConnector: (level, category, _label, content) => {
        if (level === 'error' || level === 'warn')
          this.deps.reports.library(level, `[${category}] ${content.slice(0, 400)}`);
      },
      sessionDescriptionHandlerFactory: (
        stack?.sessionDescriptionHandlerFactory ?? Web.defaultSessionDescriptionHandlerFactory
      )(this.deps.outgoingStream),
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: account.iceServers },
        iceGatheringTimeout: 500,
      },
      delegate: {
        onDisconnect: (error?: Error) => {
          if (generation !== this.generation) return;
          const state = this.state;
          if (state === 'registered' || state === 'registering') {
            this.fail({ kind: 'connection-lost', detail: error?.message || 'WebSocket closed' });
          }
          this.deps.events.connectionLost();
        },
        onInvite: (invitation) => {
          if (generation !== this.generation) return;
          this.deps.events.invite(invitation);
        },
      },
    });
  }

  private createRegisterer(ua: UserAgent): Registerer {
    const generation = this.generation;
    const registerer = new Registerer(ua, { expires: REGISTER_EXPIRES_SEC });
    registerer.stateChange.addListener((state) => {
      if (generation !== this.generation) return;
      const current = this.state;
      if (
        state === RegistererState.Registered &&
        (current === 'registering' || current === 'registered')
      ) {
        this.accepted();
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
    const state = this.state;
    if (state === 'unregistered' && cause.kind !== 'configuration') return;
    if (state === 'unregistered') this.dispatch({ type: 'register' });
    this.clearRetry();
    const retry = this.wantRegistered && isRetryable(cause);
    const delay = retry ? this.backoff.next() : undefined;
    const extra: { nextRetryAt?: number; attempts: number } = { attempts: this.backoff.attempts };
    if (delay !== undefined) extra.nextRetryAt = this.deps.now() + delay;
    this.dispatch({ type: 'failed', cause }, extra);
    if (delay !== undefined) {
      const generation = this.generation;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (generation !== this.generation || this.state !== 'failed') return;
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
    if (event.type === 'retry') return;
    const registration = this.deps.store.getState().registration;
    this.deps.reports.registration(
      registration.state,
      registration.cause && registration.state === 'failed'
        ? causeText(registration.cause, registration.nextRetryAt, this.deps.now())
        : undefined,
    );
  }
}
