/**
 * A SipPhone wired to in-process fakes (test/fakes): the scripted SIP far
 * end behind a fake transport, fake media, audio, tones and engine reports.
 * Time is vitest's fake clock: `until` moves it on in small steps while a
 * condition is not met, so a backoff of seconds or a transfer timeout runs
 * in microseconds and nothing sleeps.
 */
import { vi } from 'vitest';
import type { AccountView } from '../../../../electron/contract';
import { phoneCallId } from '../../../../renderer/phone/call-id';
import { createPhoneStore, type PhoneState } from '../../../../renderer/phone/phone-store';
import { SipPhone } from '../../../../renderer/sip/sip-phone';
import { FakeEngineReports, FakePhoneAudio, FakeTone } from '../../../fakes/fake-phone-audio';
import { FakeMedia } from '../../../fakes/fake-session-description-handler';
import { FAKE_DOMAIN, FakeSipServer, type FakeCall } from '../../../fakes/fake-sip-server';

export const ACCOUNT: AccountView = {
  displayName: 'Agentin',
  sipUri: `sip:agent@${FAKE_DOMAIN}`,
  authUser: '',
  serverUrl: `ws://${FAKE_DOMAIN}:8080`,
  iceServers: [],
  autoRegister: true,
  autoAnswer: false,
  doNotDisturb: false,
  botFirst: false,
  hasPassword: true,
};

/** Moves fake time on in `step` ms steps until `check` holds (at most `withinMs`). */
export async function until(check: () => boolean, withinMs = 5_000, step = 5): Promise<void> {
  for (let waited = 0; ; waited += step) {
    if (check()) return;
    if (waited >= withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await vi.advanceTimersByTimeAsync(step);
  }
}

/** Waits for a promise while fake time moves on. */
export async function settle<T>(promise: Promise<T>, withinMs = 5_000): Promise<T> {
  let done = false;
  let value: T | undefined;
  let failure: unknown;
  let failed = false;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (error: unknown) => {
      done = true;
      failed = true;
      failure = error;
    },
  );
  await until(() => done, withinMs);
  if (failed) throw failure;
  return value as T;
}

/** Lets every message in flight arrive (fake time moves `ms`). */
export async function flush(ms = 50): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

export function phoneHarness(options: { reconnectLimitMs?: number } = {}) {
  const server = new FakeSipServer();
  const store = createPhoneStore(() => Date.now());
  const reports = new FakeEngineReports();
  const audio = new FakePhoneAudio();
  const ringtone = new FakeTone();
  const waitingTone = new FakeTone();
  const media = new FakeMedia();
  const dtmfReceived: { callId: string; tone: string }[] = [];
  /** The desk's log lines the phone wrote ("warn report of call … rejected …"). */
  const log: string[] = [];
  const phone = new SipPhone({
    store,
    client: reports,
    log: (level, message) => log.push(`${level} ${message}`),
    audio,
    remoteAudio: () => null,
    ringtone,
    waitingTone,
    onDtmfReceived: (callId, tone) => dtmfReceived.push({ callId, tone }),
    reconnectLimitMs: () => options.reconnectLimitMs ?? 30_000,
    sipStack: {
      transportConstructor: server.transportConstructor,
      sessionDescriptionHandlerFactory: media.factory,
    },
  });
  const state = (): PhoneState => store.getState();
  const line = (id: string) => state().lines.find((l) => l.id === id);
  /** The phone's id of a far end's call (its Call-ID, or the short id a long one maps to). */
  // The phone's name for a call: sip.js reads a header's value trimmed (whitespace
  // around it is not part of the Call-ID), then the contract's limit applies.
  const idOf = (call: FakeCall): string => phoneCallId(call.callId.trim());

  const h = {
    server,
    store,
    reports,
    audio,
    ringtone,
    waitingTone,
    media,
    dtmfReceived,
    log,
    phone,
    state,
    line,
    idOf,
    /** Configured with ACCOUNT (and `patch`), registered. */
    async registered(patch: Partial<AccountView> = {}): Promise<void> {
      await phone.configure({ account: { ...ACCOUNT, ...patch }, password: 'geheim' });
      phone.register();
      await until(() => state().registration.state === 'registered');
    },
    /** `user` calls; the phone rings (or knocks). */
    async incoming(user: string, extra: Parameters<FakeSipServer['call']>[1] = {}) {
      const call = server.call(user, extra);
      await until(
        () =>
          line(idOf(call)) !== undefined || call.responses.some((r) => (r.statusCode ?? 0) >= 200),
      );
      return call;
    },
    /** `user` calls and the agent answers: connected. */
    async answered(user: string): Promise<FakeCall> {
      const call = await h.incoming(user);
      await settle(phone.answer(idOf(call)));
      await until(() => line(idOf(call))?.state === 'connected' && call.state === 'confirmed');
      return call;
    },
    /** The agent dials `target` and the far end answers. */
    async dialled(target: string): Promise<FakeCall> {
      const pending = server.nextCall();
      await settle(phone.dial(target));
      const call = await settle(pending);
      call.answer();
      await until(() => line(idOf(call))?.state === 'connected');
      return call;
    },
    /** What the phone answered to the far end's INVITE (final status), once it did. */
    async finalStatus(call: FakeCall): Promise<number> {
      const final = () =>
        call.responses.find(
          (r) => (r.statusCode ?? 0) >= 200 && /INVITE$/.test(r.getHeader('CSeq') ?? ''),
        );
      await until(() => final() !== undefined);
      return final()?.statusCode ?? 0;
    },
  };
  return h;
}

export type PhoneHarness = ReturnType<typeof phoneHarness>;
