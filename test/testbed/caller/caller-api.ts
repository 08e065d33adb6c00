/**
 * The contract between the test caller page (browser, caller-page.ts) and its
 * Node-side page object (test-caller.ts). Only types live here, so both sides
 * can import it without pulling browser code into Node or the reverse.
 */

export interface RegisterParams {
  /** Kamailio's WebSocket URL, ws://127.0.0.1:PORT */
  wsUrl: string;
  user: string;
  domain: string;
  /** The display name the caller's From header carries (call history, notifications). */
  displayName?: string;
  /** Give up waiting for the registrar's answer after this long (default 10 s). */
  timeoutMs?: number;
}

export type RegistrationStateName = 'unregistered' | 'registering' | 'registered' | 'failed';

export interface RegistrationInfo {
  state: RegistrationStateName;
  /** Final response status of the last REGISTER (200, 403, …) if one arrived. */
  statusCode?: number;
  reasonPhrase?: string;
  /** Milliseconds from register() to the final answer. */
  elapsedMs?: number;
}

/**
 * idle        no call yet
 * calling     outgoing INVITE sent, no ringing yet
 * ringing     outgoing call got a 18x — or incoming call waiting for answer()
 * established media may flow
 * terminated  call over (see endReason)
 */
export type CallStateName = 'idle' | 'calling' | 'ringing' | 'established' | 'terminated';

/**
 * local-hangup   we sent BYE (hangup() while established)
 * remote-hangup  the other side sent BYE
 * cancelled      we cancelled our outgoing call, or the caller cancelled ours
 * rejected       final non-2xx to our INVITE (see statusCode), or we declined
 * failed         anything else (transport error, exception)
 */
export type CallEndReason = 'local-hangup' | 'remote-hangup' | 'cancelled' | 'rejected' | 'failed';

export interface CallInfo {
  state: CallStateName;
  direction?: 'outgoing' | 'incoming';
  /** The other party's SIP user. */
  remoteUser?: string;
  /** True once the other side sent BYE (or CANCEL) for the current/last call. */
  remoteHangupSeen: boolean;
  endReason?: CallEndReason;
  /** Final status of the INVITE transaction when the call did not connect. */
  statusCode?: number;
  reasonPhrase?: string;
  /** Milliseconds from call() / incoming INVITE until established. */
  setupMs?: number;
}

/** A REFER this caller received (it follows them: accept, call the target). */
export interface ReferralSeen {
  /** The Refer-To URI without its headers. */
  referTo: string;
  /** The Refer-To carried Replaces (attended transfer). */
  replaces: boolean;
}

/** A REFER this caller sent (refer()) and what the other side reported. */
export interface OutgoingReferInfo {
  target: string;
  /** Final response to the REFER (202 when accepted). */
  statusCode?: number;
  /** Status lines of the NOTIFYs (message/sipfrag), in order: "SIP/2.0 200 OK". */
  notifications: string[];
}

export interface CallerState {
  user?: string;
  registration: RegistrationInfo;
  call: CallInfo;
  /** Errors caught in the page (sip.js exceptions, media failures), newest last. */
  errors: string[];
  /** REFERs received, oldest first. */
  referrals: ReferralSeen[];
  /** Incoming INVITEs with Replaces that took over the current call. */
  replacedCalls: number;
  /** The last REFER sent with refer(). */
  outgoingRefer?: OutgoingReferInfo;
  /** In-dialog INVITEs (re-INVITEs) received in the current call, oldest first. */
  reinvites: ReinviteSeen[];
  /** ICE ufrag of the other side's SDP when the current call was established. */
  remoteIceUfragAtStart?: string;
}

export interface ReinviteSeen {
  /** Our final answer to it (200, 488 …). */
  statusCode: number;
  /** a=ice-ufrag of its offer: a new one means the other side restarted ICE. */
  iceUfrag?: string;
}

export interface AnswerOptions {
  /** true: accept the next incoming call at once. false: let it ring until answer(). */
  autoAnswer: boolean;
}

export interface RemoteAudioMeasurement {
  /** Frequency with the most energy over the window (FFT peak, interpolated). */
  dominantFrequencyHz: number;
  /** Highest absolute sample seen, in dBFS (−Infinity is reported as -200). */
  peakDbfs: number;
  /** RMS level over the window, in dBFS. */
  rmsDbfs: number;
}

/** What the page exposes as `window.testCaller`. */
export interface TestCallerApi {
  register(params: RegisterParams): Promise<RegistrationInfo>;
  /** Sends an INVITE to sip:targetUser@domain; resolves once it is sent. */
  call(targetUser: string): Promise<CallInfo>;
  /** Arms how the next incoming INVITE is handled; resolves at once. */
  answerNextIncoming(options: AnswerOptions): Promise<void>;
  /** Accepts a ringing incoming call (after answerNextIncoming({ autoAnswer: false })). */
  answer(): Promise<void>;
  /** BYE, CANCEL or 486/603 depending on the call's state. */
  hangup(): Promise<void>;
  unregister(): Promise<void>;
  /**
   * After the server restarted (connection lost, registration forgotten):
   * reconnect the WebSocket and register again, keeping the call.
   */
  reconnect(timeoutMs?: number): Promise<RegistrationInfo>;
  /** Sends a REFER to sip:targetUser@domain in the established call; resolves once sent. */
  refer(targetUser: string): Promise<void>;
  state(): CallerState;
  measureRemoteAudio(ms: number): Promise<RemoteAudioMeasurement>;
  /** Keys as SIP INFO (application/dtmf-relay), one INFO per key, `gapMs` apart. */
  sendDtmf(tones: string, gapMs?: number): Promise<void>;
}

declare global {
  interface Window {
    testCaller: TestCallerApi;
  }
}
