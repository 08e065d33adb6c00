/**
 * Node-side page object for the test caller (a sip.js phone in its own
 * headless Chromium, see caller/caller-page.ts).
 *
 * Why its own browser process per caller: Chromium's fake microphone file is
 * a command-line switch, so two callers that must sound different (speech vs.
 * a 1000 Hz tone) need two browsers. Methods just forward to
 * window.testCaller; waiting and error messages live here so specs stay short.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { buildCallerPage } from './caller/build-caller';
import { serveDirectory, type StaticServer } from './static-server';
import type {
  AnswerOptions,
  CallInfo,
  CallStateName,
  CallerState,
  RegisterParams,
  RegistrationInfo,
  RemoteAudioMeasurement,
} from './caller/caller-api';

export type {
  AnswerOptions,
  CallEndReason,
  CallInfo,
  CallStateName,
  CallerState,
  OutgoingReferInfo,
  ReferralSeen,
  RegisterParams,
  RegistrationInfo,
  ReinviteSeen,
  RemoteAudioMeasurement,
} from './caller/caller-api';

export interface TestCallerStartOptions {
  /** WAV played as this caller's microphone (looped). Silence-ish fake tone when omitted. */
  fakeAudioFile?: string;
  /** Extra Chromium switches. */
  chromiumArgs?: string[];
}

export class TestCaller {
  private readonly consoleLines: string[] = [];
  private closed = false;

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly server: StaticServer,
  ) {
    page.on('console', (message) =>
      this.consoleLines.push(`[${message.type()}] ${message.text()}`),
    );
    page.on('pageerror', (error) => this.consoleLines.push(`[pageerror] ${error.message}`));
  }

  static async start(options: TestCallerStartOptions = {}): Promise<TestCaller> {
    const [dir, browser] = await Promise.all([
      buildCallerPage(),
      chromium.launch(
        chromiumLaunchOptions({ fakeAudioFile: options.fakeAudioFile, args: options.chromiumArgs }),
      ),
    ]);
    let server: StaticServer | undefined;
    try {
      server = await serveDirectory(dir);
      const page = await browser.newPage();
      const caller = new TestCaller(browser, page, server);
      await page.goto(`${server.url}caller.html`);
      await page.waitForFunction(() => typeof window.testCaller === 'object');
      return caller;
    } catch (error) {
      await browser.close().catch(() => undefined);
      await server?.close();
      throw error;
    }
  }

  register(params: RegisterParams): Promise<RegistrationInfo> {
    return this.page.evaluate((p) => window.testCaller.register(p), params);
  }

  unregister(): Promise<void> {
    return this.page.evaluate(() => window.testCaller.unregister());
  }

  /** Reconnects the WebSocket and registers again (after a server restart); the call stays. */
  reconnect(timeoutMs?: number): Promise<RegistrationInfo> {
    return this.page.evaluate((t) => window.testCaller.reconnect(t), timeoutMs);
  }

  /** Sends the INVITE; use waitForCallState('established') to wait for the answer. */
  call(targetUser: string): Promise<CallInfo> {
    return this.page.evaluate((t) => window.testCaller.call(t), targetUser);
  }

  answerNextIncoming(options: AnswerOptions): Promise<void> {
    return this.page.evaluate((o) => window.testCaller.answerNextIncoming(o), options);
  }

  /** Accepts a ringing incoming call. */
  answer(): Promise<void> {
    return this.page.evaluate(() => window.testCaller.answer());
  }

  hangup(): Promise<void> {
    return this.page.evaluate(() => window.testCaller.hangup());
  }

  /** Sends a REFER (transfer) to `targetUser` in the established call. */
  refer(targetUser: string): Promise<void> {
    return this.page.evaluate((t) => window.testCaller.refer(t), targetUser);
  }

  state(): Promise<CallerState> {
    return this.page.evaluate(() => window.testCaller.state());
  }

  /**
   * Waits until the call reaches `state`. Fails early, with the whole caller
   * state in the message, when the call ends while waiting for another state.
   */
  async waitForCallState(state: CallStateName, timeoutMs = 10_000): Promise<CallerState> {
    const deadline = Date.now() + timeoutMs;
    let last: CallerState;
    for (;;) {
      last = await this.state();
      if (last.call.state === state) return last;
      if (last.call.state === 'terminated') break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `test caller ${last.user ?? '?'}: call state is '${last.call.state}', wanted '${state}'` +
        `${last.call.state === 'terminated' ? '' : ` within ${timeoutMs} ms`}\n` +
        `state: ${JSON.stringify(last, null, 2)}\nconsole:\n${this.consoleLog().slice(-4000)}`,
    );
  }

  /** What the caller hears during the next `ms` milliseconds. */
  /** Keys as SIP INFO (application/dtmf-relay), one request per key. */
  sendDtmf(tones: string, gapMs = 150): Promise<void> {
    return this.page.evaluate(([t, g]) => window.testCaller.sendDtmf(t, g), [
      tones,
      gapMs,
    ] as const);
  }

  measureRemoteAudio(ms: number): Promise<RemoteAudioMeasurement> {
    return this.page.evaluate((d) => window.testCaller.measureRemoteAudio(d), ms);
  }

  /** The page's console output so far, for failure messages. */
  consoleLog(): string {
    return this.consoleLines.join('\n');
  }

  /** Closes the browser and the page server. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.browser.close().catch(() => undefined);
    await this.server.close();
  }
}
