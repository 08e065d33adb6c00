/**
 * The test caller: a plain sip.js user agent in a headless Chromium page.
 *
 * Why a second, independent softphone: end-to-end tests need someone on the
 * other end of the line that is *not* Lotse — it calls Lotse, answers Lotse's
 * calls, hangs up, and reports what it hears. Its microphone is Chromium's
 * fake capture device playing a known WAV, and its ears are an AnalyserNode
 * on the remote stream, so a test can assert "the tone got through" instead
 * of "the call says connected" (which WebRTC also says with no media at all).
 *
 * Settings from TESTBED.md: no STUN on loopback (iceServers: []) with a short
 * ICE gathering timeout; microphone processing off, so a tone keeps its level;
 * the remote stream also plays in a (muted) <audio> element, else WebAudio
 * gets silence from it in headless Chromium.
 */
import {
  Invitation,
  Inviter,
  Registerer,
  SessionState,
  SIPExtension,
  UserAgent,
  type Core,
  type Referral,
  type Session,
  type Web,
} from 'sip.js';
import type {
  AnswerOptions,
  CallEndReason,
  CallInfo,
  CallerState,
  OutgoingReferInfo,
  ReferralSeen,
  RegisterParams,
  RegistrationInfo,
  ReinviteSeen,
  RemoteAudioMeasurement,
  TestCallerApi,
} from './caller-api';

/** Microphone without Chrome's processing: it would weaken a steady test tone within seconds. */
const MEDIA_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  video: false,
};
const SDH_OPTIONS = { constraints: MEDIA_CONSTRAINTS };

let ua: UserAgent | undefined;
let registerer: Registerer | undefined;
let domain = '';
let currentUser: string | undefined;
let registration: RegistrationInfo = { state: 'unregistered' };
let session: Session | undefined;
let call: CallInfo = { state: 'idle', remoteHangupSeen: false };
let callStartedAt = 0;
/** Why the call is ending, decided where we know it (hangup(), BYE, reject); applied on Terminated. */
let pendingEndReason: CallEndReason | undefined;
let nextIncoming: AnswerOptions = { autoAnswer: false };
const errors: string[] = [];
let audioContext: AudioContext | undefined;
const referrals: ReferralSeen[] = [];
let replacedCalls = 0;
let reinvites: ReinviteSeen[] = [];
let remoteIceUfragAtStart: string | undefined;

function iceUfrag(sdp: string | undefined): string | undefined {
  return sdp ? /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] : undefined;
}
let outgoingRefer: OutgoingReferInfo | undefined;

function noteError(where: string, error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  errors.push(`${where}: ${message}`);
  console.error(`[test-caller] ${where}:`, error);
}

function remoteAudioElement(): HTMLAudioElement {
  let element = document.getElementById('remote-audio') as HTMLAudioElement | null;
  if (element === null) {
    element = document.createElement('audio');
    element.id = 'remote-audio';
    document.body.append(element);
  }
  return element;
}

function remoteStream(): MediaStream | undefined {
  const sdh = session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
  return sdh?.remoteMediaStream;
}

/** Pitfall 3: WebAudio hears a remote WebRTC stream only while an <audio> element plays it too. */
function attachRemoteAudio(): void {
  const stream = remoteStream();
  if (stream === undefined) return;
  const element = remoteAudioElement();
  if (element.srcObject !== stream) {
    element.srcObject = stream;
    element.muted = true;
    element.autoplay = true;
    element.play().catch((error: unknown) => noteError('remote audio play', error));
  }
}

function trackSession(
  newSession: Session,
  direction: 'outgoing' | 'incoming',
  remoteUser: string,
): void {
  session = newSession;
  pendingEndReason = undefined;
  reinvites = [];
  remoteIceUfragAtStart = undefined;
  callStartedAt = performance.now();
  call = {
    state: direction === 'outgoing' ? 'calling' : 'ringing',
    direction,
    remoteUser,
    remoteHangupSeen: false,
  };
  newSession.delegate = {
    onBye(bye) {
      // A call we left for a transfer may still get its BYE: not the current call's news.
      if (session === newSession) {
        call.remoteHangupSeen = true;
        pendingEndReason = 'remote-hangup';
      }
      // With a delegate, sip.js leaves answering the BYE to us.
      bye.accept().catch((error: unknown) => noteError('accept BYE', error));
    },
    onCancel() {
      if (session !== newSession) return;
      call.remoteHangupSeen = true;
      pendingEndReason = 'cancelled';
    },
    onInvite(request, _response, statusCode) {
      if (session !== newSession) return;
      reinvites.push({
        statusCode,
        ...(iceUfrag(request.body) ? { iceUfrag: iceUfrag(request.body) } : {}),
      });
    },
    onRefer(referral) {
      followReferral(newSession, referral).catch((error: unknown) =>
        noteError('follow REFER', error),
      );
    },
  };
  newSession.stateChange.addListener((state) => {
    if (session !== newSession) return;
    switch (state) {
      case SessionState.Established:
        call.state = 'established';
        call.setupMs = Math.round(performance.now() - callStartedAt);
        remoteIceUfragAtStart = iceUfrag(
          (newSession.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)
            ?.peerConnection?.remoteDescription?.sdp,
        );
        attachRemoteAudio();
        break;
      case SessionState.Terminated:
        call.state = 'terminated';
        call.endReason = pendingEndReason ?? 'failed';
        break;
      default:
        break;
    }
  });
}

function requireUa(): UserAgent {
  if (ua === undefined) throw new Error('test caller: register() first');
  return ua;
}

function rejectFrom(response: Core.IncomingResponse): void {
  call.statusCode = response.message.statusCode;
  call.reasonPhrase = response.message.reasonPhrase;
  pendingEndReason ??= 'rejected';
}

/**
 * Follows a REFER like a desk phone does: accept (202), call the Refer-To
 * target (with its Replaces header, if any) and make that the current call.
 * sip.js reports the new call's progress to the referrer in NOTIFYs; the
 * referrer ends the old call.
 */
async function followReferral(referred: Session, referral: Referral): Promise<void> {
  const target = referral.referTo.uri.clone();
  target.clearHeaders();
  referrals.push({ referTo: target.toString(), replaces: referral.replaces !== undefined });
  await referral.accept();
  const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
  if (session !== referred) return;
  const before = { call: { ...call }, startedAt: callStartedAt };
  // An attended transfer's Refer-To is a contact (random user part); sip.js
  // names it "user@host" in the display name.
  const named = referral.referTo.displayName as string | undefined; // undefined without a name
  const who = (named ?? '').replace(/@.*$/, '') || (target.user ?? '');
  trackSession(inviter, 'outgoing', who);
  // The target did not answer: the call we were referred from goes on (the
  // referrer read the failure in our NOTIFY).
  const fallBack = (): void => {
    if (session !== inviter || referred.state !== SessionState.Established) return;
    session = referred;
    call = before.call;
    callStartedAt = before.startedAt;
    pendingEndReason = undefined;
  };
  await inviter
    .invite({
      requestDelegate: {
        onProgress: (response) => {
          const code = response.message.statusCode;
          if (session !== inviter) return;
          if ((code === 180 || code === 183) && call.state === 'calling') call.state = 'ringing';
        },
        onReject: fallBack,
      },
    })
    .catch((error: unknown) => {
      fallBack();
      throw error;
    });
}

async function handleInvite(invitation: Invitation): Promise<void> {
  if (invitation.replacee !== undefined && invitation.replacee === session) {
    // An attended transfer to us: the transferred party takes the current
    // call's place; sip.js sends the old call its BYE once this one is up.
    replacedCalls++;
    trackSession(invitation, 'incoming', invitation.remoteIdentity.uri.user ?? '');
    await invitation.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
    return;
  }
  if (session !== undefined && call.state !== 'terminated') {
    await invitation.reject({ statusCode: 486 });
    return;
  }
  trackSession(invitation, 'incoming', invitation.remoteIdentity.uri.user ?? '');
  const mode = nextIncoming;
  nextIncoming = { autoAnswer: false };
  if (mode.autoAnswer) await invitation.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
}

async function stopUserAgent(): Promise<void> {
  const old = ua;
  ua = undefined;
  registerer = undefined;
  if (old !== undefined)
    await old.stop().catch((error: unknown) => noteError('stop user agent', error));
}

async function register(params: RegisterParams): Promise<RegistrationInfo> {
  await stopUserAgent();
  domain = params.domain;
  currentUser = params.user;
  const uri = UserAgent.makeURI(`sip:${params.user}@${params.domain}`);
  if (uri === undefined)
    throw new Error(`test caller: bad user/domain ${params.user}@${params.domain}`);
  const agent = new UserAgent({
    uri,
    ...(params.displayName ? { displayName: params.displayName } : {}),
    transportOptions: { server: params.wsUrl },
    // No public STUN on loopback; a short gathering timeout keeps call setup fast.
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: [] },
      iceGatheringTimeout: 500,
    },
    logLevel: 'warn',
    // Match an INVITE with Replaces to our call (target of an attended transfer).
    sipExtensionReplaces: SIPExtension.Supported,
    delegate: {
      onInvite: (invitation) => {
        handleInvite(invitation).catch((error: unknown) => noteError('incoming call', error));
      },
    },
  });
  ua = agent;
  const started = performance.now();
  registration = { state: 'registering' };
  await agent.start();
  const reg = new Registerer(agent, { expires: 300 });
  registerer = reg;

  const timeoutMs = params.timeoutMs ?? 10_000;
  return new Promise<RegistrationInfo>((resolve) => {
    const finish = (info: RegistrationInfo): void => {
      clearTimeout(timer);
      registration = { ...info, elapsedMs: Math.round(performance.now() - started) };
      resolve(registration);
    };
    const timer = setTimeout(
      () => finish({ state: 'failed', reasonPhrase: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    reg
      .register({
        requestDelegate: {
          onAccept: (response) =>
            finish({
              state: 'registered',
              statusCode: response.message.statusCode,
              reasonPhrase: response.message.reasonPhrase,
            }),
          onReject: (response) =>
            finish({
              state: 'failed',
              statusCode: response.message.statusCode,
              reasonPhrase: response.message.reasonPhrase,
            }),
        },
      })
      .catch((error: unknown) => {
        noteError('register', error);
        finish({ state: 'failed', reasonPhrase: String(error) });
      });
  });
}

async function unregister(): Promise<void> {
  if (registerer !== undefined && registration.state === 'registered') {
    await registerer.unregister().catch((error: unknown) => noteError('unregister', error));
  }
  registration = { state: 'unregistered' };
  await stopUserAgent();
}

async function reconnect(timeoutMs = 10_000): Promise<RegistrationInfo> {
  const agent = requireUa();
  const reg = registerer;
  if (reg === undefined) throw new Error('test caller: register() first');
  const deadline = performance.now() + timeoutMs;
  // sip.js may already be reconnecting by itself (its default attempts).
  while (!agent.isConnected()) {
    await agent.reconnect().catch(() => undefined);
    if (agent.isConnected()) break;
    if (performance.now() > deadline)
      return (registration = { state: 'failed', reasonPhrase: 'could not reconnect' });
    await new Promise((r) => setTimeout(r, 200));
  }
  const started = performance.now();
  registration = { state: 'registering' };
  return new Promise<RegistrationInfo>((resolve) => {
    const finish = (info: RegistrationInfo): void => {
      registration = { ...info, elapsedMs: Math.round(performance.now() - started) };
      resolve(registration);
    };
    reg
      .register({
        requestDelegate: {
          onAccept: (response) =>
            finish({ state: 'registered', statusCode: response.message.statusCode }),
          onReject: (response) =>
            finish({ state: 'failed', statusCode: response.message.statusCode }),
        },
      })
      .catch((error: unknown) => finish({ state: 'failed', reasonPhrase: String(error) }));
  });
}

async function startCall(targetUser: string): Promise<CallInfo> {
  const agent = requireUa();
  if (session !== undefined && call.state !== 'terminated')
    throw new Error('test caller: a call is already active');
  const target = UserAgent.makeURI(`sip:${targetUser}@${domain}`);
  if (target === undefined) throw new Error(`test caller: bad target ${targetUser}`);
  const inviter = new Inviter(agent, target, { sessionDescriptionHandlerOptions: SDH_OPTIONS });
  trackSession(inviter, 'outgoing', targetUser);
  await inviter.invite({
    requestDelegate: {
      onProgress: (response) => {
        const code = response.message.statusCode;
        if ((code === 180 || code === 183) && call.state === 'calling') call.state = 'ringing';
      },
      onReject: rejectFrom,
    },
  });
  return { ...call };
}

async function answer(): Promise<void> {
  if (!(session instanceof Invitation) || session.state !== SessionState.Initial) {
    throw new Error('test caller: no ringing incoming call to answer');
  }
  await session.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
}

async function hangup(): Promise<void> {
  const current = session;
  if (current === undefined) return;
  switch (current.state) {
    case SessionState.Established:
      pendingEndReason = 'local-hangup';
      await current.bye();
      break;
    case SessionState.Initial:
    case SessionState.Establishing:
      if (current instanceof Inviter) {
        pendingEndReason = 'cancelled';
        await current.cancel();
      } else if (current instanceof Invitation) {
        pendingEndReason = 'rejected';
        await current.reject({ statusCode: 486 });
      }
      break;
    default:
      break;
  }
}

async function refer(targetUser: string): Promise<void> {
  const current = session;
  if (current === undefined || current.state !== SessionState.Established)
    throw new Error('test caller: no established call to transfer');
  const target = UserAgent.makeURI(`sip:${targetUser}@${domain}`);
  if (target === undefined) throw new Error(`test caller: bad target ${targetUser}`);
  const info: OutgoingReferInfo = { target: targetUser, notifications: [] };
  outgoingRefer = info;
  await current.refer(target, {
    requestDelegate: {
      onAccept: (response) => (info.statusCode = response.message.statusCode),
      onReject: (response) => (info.statusCode = response.message.statusCode),
    },
    onNotify: (notification) => {
      info.notifications.push((notification.request.body ?? '').split(/\r?\n/)[0] ?? '');
      notification.accept().catch((error: unknown) => noteError('accept NOTIFY', error));
    },
  });
}

function getAudioContext(): AudioContext {
  audioContext ??= new AudioContext();
  return audioContext;
}

/**
 * Listens to the remote stream for `ms` and reports the strongest frequency
 * and the levels. Power spectra are averaged over the window, so a steady tone
 * wins over short noises; levels are approximate (Chrome's gain control and
 * the codec change them), frequency is what tests should assert.
 */
async function measureRemoteAudio(ms: number): Promise<RemoteAudioMeasurement> {
  attachRemoteAudio();
  const stream = remoteStream();
  if (stream === undefined || stream.getAudioTracks().length === 0) {
    throw new Error('test caller: no remote audio stream (call not established?)');
  }
  const ctx = getAudioContext();
  await ctx.resume();
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  analyser.smoothingTimeConstant = 0;
  // Keep the graph pulled by the destination, silently.
  const sink = ctx.createGain();
  sink.gain.value = 0;
  source.connect(analyser);
  analyser.connect(sink);
  sink.connect(ctx.destination);

  const bins = analyser.frequencyBinCount;
  const spectrumDb = new Float32Array(bins);
  const power = new Float64Array(bins);
  const samples = new Float32Array(analyser.fftSize);
  let frames = 0;
  let peak = 0;
  let sumSquares = 0;
  let sampleCount = 0;
  const end = performance.now() + ms;
  try {
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatFrequencyData(spectrumDb);
      analyser.getFloatTimeDomainData(samples);
      for (let i = 0; i < bins; i++) {
        const db = spectrumDb[i] ?? -Infinity;
        if (Number.isFinite(db)) power[i] = (power[i] ?? 0) + 10 ** (db / 10);
      }
      for (const s of samples) {
        const a = Math.abs(s);
        if (a > peak) peak = a;
        sumSquares += s * s;
      }
      sampleCount += samples.length;
      frames++;
    }
  } finally {
    source.disconnect();
    analyser.disconnect();
    sink.disconnect();
  }

  const binHz = ctx.sampleRate / analyser.fftSize;
  // Ignore DC and mains hum region.
  const first = Math.max(1, Math.ceil(60 / binHz));
  let best = first;
  for (let i = first; i < bins; i++) if ((power[i] ?? 0) > (power[best] ?? 0)) best = i;
  let dominantFrequencyHz = 0;
  if (frames > 0 && (power[best] ?? 0) > 0) {
    // Parabolic interpolation on the log spectrum around the peak bin.
    const l = Math.log(power[best - 1] || 1e-30);
    const c = Math.log(power[best] || 1e-30);
    const r = Math.log(power[best + 1] || 1e-30);
    const denom = l - 2 * c + r;
    const offset = denom === 0 ? 0 : (0.5 * (l - r)) / denom;
    dominantFrequencyHz =
      (best + (Number.isFinite(offset) ? Math.max(-0.5, Math.min(0.5, offset)) : 0)) * binHz;
  }
  const toDb = (v: number): number => (v > 0 ? 20 * Math.log10(v) : -200);
  return {
    dominantFrequencyHz: Math.round(dominantFrequencyHz * 10) / 10,
    peakDbfs: Math.round(toDb(peak) * 10) / 10,
    rmsDbfs: Math.round(toDb(sampleCount > 0 ? Math.sqrt(sumSquares / sampleCount) : 0) * 10) / 10,
  };
}

async function sendDtmf(tones: string, gapMs = 150): Promise<void> {
  const current = session;
  if (current === undefined || current.state !== SessionState.Established) {
    throw new Error('test caller: no established call to send DTMF in');
  }
  for (const tone of tones) {
    await current.info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${tone}\r\nDuration=160`,
        },
      },
    });
    await new Promise((r) => setTimeout(r, gapMs));
  }
}

function state(): CallerState {
  return {
    user: currentUser,
    registration: { ...registration },
    call: { ...call },
    errors: [...errors],
    referrals: referrals.map((r) => ({ ...r })),
    replacedCalls,
    reinvites: reinvites.map((r) => ({ ...r })),
    ...(remoteIceUfragAtStart ? { remoteIceUfragAtStart } : {}),
    ...(outgoingRefer
      ? {
          outgoingRefer: {
            ...outgoingRefer,
            notifications: [...outgoingRefer.notifications],
          },
        }
      : {}),
  };
}

const api: TestCallerApi = {
  register,
  call: startCall,
  async answerNextIncoming(options) {
    nextIncoming = { ...options };
  },
  answer,
  hangup,
  unregister,
  reconnect,
  refer,
  state,
  measureRemoteAudio,
  sendDtmf,
};
window.testCaller = api;
document.title = 'test caller ready';
