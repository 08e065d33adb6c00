/**
 * The test callers a spec starts (sip.js phones, each in its own headless
 * Chromium: the fake microphone is a command-line switch, so callers that
 * must sound different need browsers of their own). The pool closes every
 * one it started, also when a test failed, and hands each caller's console
 * to the failure evidence.
 */
import { expect } from '@playwright/test';
import type { Kamailio } from '../../testbed/kamailio';
import { TestCaller, type RegistrationInfo } from '../../testbed/test-caller';
import type { Evidence } from './evidence';

/** Makes a WAV file (path) for a fake microphone; called once, when the browser starts. */
export type Microphone = () => string | Promise<string>;

/** A SIP account on the test bed's registrar (domain 127.0.0.1). */
export interface CallerAccount {
  user: string;
  displayName?: string;
}

export class Callers {
  private readonly started: TestCaller[] = [];

  constructor(private readonly evidence: Evidence) {}

  /** Starts a caller; `name` labels its console in the failure evidence. */
  async start(options: { name?: string; microphone?: Microphone } = {}): Promise<TestCaller> {
    const fakeAudioFile = await options.microphone?.();
    const caller = await TestCaller.start(fakeAudioFile ? { fakeAudioFile } : {});
    this.started.push(caller);
    const name = options.name ?? `caller ${this.started.length}`;
    this.evidence.add(`${name} console`, () => caller.consoleLog());
    return caller;
  }

  /** Closes every caller this pool started (each on its own: one failing close keeps none open). */
  async closeAll(): Promise<void> {
    await Promise.allSettled(this.started.map((caller) => caller.close()));
  }
}

/** Registers `caller` at the bed's Kamailio and expects the registrar's 200. */
export async function registerCaller(
  caller: TestCaller,
  kamailio: Kamailio,
  account: CallerAccount,
): Promise<RegistrationInfo> {
  const registered = await caller.register({
    wsUrl: kamailio.wsUrl,
    domain: kamailio.domain,
    ...account,
  });
  expect(registered.state, `${account.user} registers at Kamailio`).toBe('registered');
  return registered;
}
