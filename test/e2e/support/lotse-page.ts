/**
 * Page object for the Lotse renderer: what an agent sees and clicks, found by
 * role, accessible name (German UI) or test id, plus readers for the
 * engine-measured level meters and the transcript. The desk's areas have
 * page objects of their own (bot, practice call, transcript, history,
 * devices, case and suggestions, transfer), reached from here.
 */
import { expect, test, type Locator } from '@playwright/test';
import { BotPanel } from './bot-panel';
import { CaseDesk } from './case-desk';
import { CallTransfer } from './call-transfer';
import { DeviceSettings } from './device-settings';
import { HistoryPanel } from './history-panel';
import { PracticePanel } from './practice-panel';
import { TranscriptPanel } from './transcript-panel';
import { testIdParts } from './test-id-parts';

export type Leg = 'caller' | 'agent';

export interface FinalLine {
  text: string;
  speaker: string;
  shownAt: number;
  publishedAt: number;
  /** A line not recognised (a practice's script text, keys): its source and its mark on screen. */
  source?: string;
  mark?: string;
}

export class LotsePage extends testIdParts({
  registrationState: 'registration-state',
  /** When the phone tries to register again (or that it will not). */
  registrationRetry: 'registration-retry',
  callState: 'call-state',
  engineStatus: 'engine-status',
  /** The call area (data-alert tells ringtone / call-waiting tone). */
  callPanel: 'call-panel',
  /** Who the foreground call is with. */
  callRemote: 'call-remote',
  /** Why the call ended. */
  endReason: 'call-end-reason',
  /** A passing notice about the call (a REFER followed or refused, a caller hung up). */
  callNotice: 'call-notice',
  /** The foreground call's "held" badge. */
  heldBadge: 'call-held',
  /** The "reconnecting" badge (the phone server is gone, the call is kept). */
  reconnectingBadge: 'call-reconnecting',
  /** The engine's log as the desk shows it. */
  engineLog: 'engine-log',
  speechStatus: 'speech-status',
  /** The warning while the speech process is down. */
  speechWarning: 'speech-warning',
  /** What became of the agent's own keyboard shortcuts (saved, or refused). */
  shortcutStatus: 'shortcut-status',
}) {
  readonly bot = new BotPanel(this.page);
  readonly practice = new PracticePanel(this.page);
  readonly transcript = new TranscriptPanel(this.page);
  readonly history = new HistoryPanel(this.page);
  readonly devices = new DeviceSettings(this.page);
  readonly caseDesk = new CaseDesk(this.page);
  readonly transfer = new CallTransfer(this.page);

  /** The other calls (held, knocking), one list item each. */
  get otherCalls(): Locator {
    return this.page.getByTestId('other-calls').getByRole('listitem');
  }

  /** A button of one of the other calls ('Annehmen & Halten', 'Wechseln', 'Ablehnen'). */
  otherCallButton(name: string): Locator {
    return this.otherCalls.getByRole('button', { name });
  }

  /** The newest missed call. */
  get latestMissedCall(): Locator {
    return this.page.getByTestId('missed-calls').getByRole('listitem').first();
  }

  /**
   * Opens the app. `recordLevels` (default on) keeps every level the engine
   * reports in the page for `levels()`; it grows with every frame, so a
   * memory benchmark turns it off.
   */
  async open(url: string, options: { recordLevels?: boolean } = {}): Promise<void> {
    await this.page.goto(url);
    await this.expectEngineOpen();
    await expect(this.page.getByLabel('Server (WebSocket)')).not.toHaveValue('');
    if (options.recordLevels ?? true) await this.installLevelRecorder();
  }

  /** The page is connected to its engine (after a load or reload). */
  async expectEngineOpen(): Promise<void> {
    await expect(this.engineStatus).toHaveAttribute('data-state', 'open');
  }

  /** The speech process has its model loaded. */
  async expectSpeechReady(options: { timeout?: number } = {}): Promise<void> {
    await expect(this.speechStatus).toHaveAttribute('data-state', 'ready', options);
  }

  /** Fills and saves the account in the settings view, then goes back to the workspace. */
  async configureAccount(account: {
    serverUrl: string;
    sipUri: string;
    password?: string;
  }): Promise<void> {
    await this.view('settings');
    await this.page.getByLabel('Server (WebSocket)').fill(account.serverUrl);
    await this.page.getByLabel('SIP-Adresse', { exact: true }).fill(account.sipUri);
    if (account.password !== undefined)
      await this.page.getByLabel('Passwort', { exact: true }).fill(account.password);
    await this.page.getByRole('button', { name: 'Speichern' }).click();
    await expect(this.page.getByTestId('settings-status')).toHaveText('Gespeichert.');
    await this.view('workspace');
  }

  async register(): Promise<void> {
    await this.view('workspace');
    await this.page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  }

  /** Account sip:`user`@127.0.0.1 at `serverUrl`, registered. */
  async signIn(serverUrl: string, user: string): Promise<void> {
    await this.configureAccount({ serverUrl, sipUri: `sip:${user}@127.0.0.1` });
    await this.register();
    await this.expectRegistration('registered');
  }

  async expectRegistration(state: string, timeout = 10_000): Promise<void> {
    await expect(this.registrationState).toHaveAttribute('data-state', state, { timeout });
  }

  async expectCall(state: string, timeout = 10_000): Promise<void> {
    await expect(this.callState).toHaveAttribute('data-state', state, { timeout });
  }

  /**
   * Waits until the connected call has lasted `seconds` by the desk's own
   * clock (its "Dauer m:ss"): a call that must be longer than a moment.
   */
  async expectCallLasted(seconds: number): Promise<void> {
    await expect
      .poll(
        async () => {
          const match = /Dauer (\d+):(\d\d)/.exec((await this.callState.textContent()) ?? '');
          return match ? Number(match[1]) * 60 + Number(match[2]) : -1;
        },
        { timeout: 10_000 + seconds * 1000, message: `the call should last ${seconds} s` },
      )
      .toBeGreaterThanOrEqual(seconds);
  }

  /** The call state now (idle, ringing, connected, ended …). */
  async callStateNow(): Promise<string> {
    return (await this.callState.getAttribute('data-state')) ?? '';
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /**
   * A button of the foreground call (not one of the other calls' rows): in
   * the call panel, or at the call's arrival on top ('Annehmen', 'Ablehnen').
   */
  callButton(name: string): Locator {
    return this.page
      .getByTestId(/^(call-buttons|call-arrival)$/)
      .getByRole('button', { name, exact: true });
  }

  /** The arrival of a ringing call on top of the screen (who, why, Annehmen). */
  get arrival(): Locator {
    return this.page.getByTestId('call-arrival');
  }

  /** What the desk said it did (a shortcut, a taken call). */
  get deskNotice(): Locator {
    return this.page.getByTestId('desk-notice');
  }

  /** Brings a view to the front by the navigation bar. */
  async view(
    name: 'workspace' | 'history' | 'worklist' | 'settings' | 'diagnostics',
  ): Promise<void> {
    const button = this.page.getByTestId(`nav-${name}`);
    if ((await button.getAttribute('aria-current')) !== 'page') await button.click();
    await expect(button).toHaveAttribute('aria-current', 'page');
  }

  async dial(target: string): Promise<void> {
    await this.page.getByLabel('Rufnummer oder SIP-Adresse').fill(target);
    await this.button('Anrufen').click();
  }

  /** The dial field (a shortcut typed there belongs to the field). */
  get dialField(): Locator {
    return this.page.getByLabel('Rufnummer oder SIP-Adresse');
  }

  /** The text the engine speaks into the call ("Ansage sprechen", in the diagnostics view). */
  get sayField(): Locator {
    return this.page.getByLabel('Text für die Sprachausgabe');
  }

  /** Speaks `text` into the call as the caseworker's announcement (diagnostics), back to the workspace. */
  async say(text: string): Promise<void> {
    await this.view('diagnostics');
    await this.sayField.fill(text);
    await this.button('Ansage sprechen').click();
    await expect(this.sayField).toHaveValue('');
    await this.view('workspace');
  }

  /** Answers the ringing call by click and waits until it is connected. */
  async answer(): Promise<void> {
    await this.callButton('Annehmen').click();
    await this.expectCall('connected');
  }

  async hangUp(): Promise<void> {
    await this.view('workspace');
    await this.callButton('Auflegen').click();
  }

  /** Sends the engine's 3 s, 1000 Hz test tone into the foreground call (diagnostics view). */
  async sendTestTone(): Promise<void> {
    await this.view('diagnostics');
    await this.button('Testton senden').click();
    await this.view('workspace');
  }

  /** Waits until the call has ended, closes it, and the desk is idle again. */
  async closeEndedCall(): Promise<void> {
    await this.expectCall('ended');
    await this.view('workspace');
    await this.callButton('Schließen').click();
    await this.expectCall('idle');
  }

  /** Closes a call a previous test left ended (each test can also run alone). */
  async closeIfEnded(): Promise<void> {
    if ((await this.callStateNow()) !== 'ended') return;
    await this.view('workspace');
    await this.callButton('Schließen').click();
  }

  /** A checkbox of the call policy (auto-answer, do not disturb, follow REFER). */
  policy(name: string): Locator {
    return this.page.getByRole('checkbox', { name });
  }

  get autoAnswer(): Locator {
    return this.policy('Anrufe automatisch annehmen');
  }

  /** Presses `keys` on the in-call keypad (DTMF), opened under "Tastenfeld". */
  async pressDtmf(keys: string): Promise<void> {
    const pad = this.page.getByRole('group', { name: 'Tonwahl (DTMF)' });
    if (!(await pad.isVisible())) await this.page.getByText('Tastenfeld', { exact: true }).click();
    for (const key of keys) await pad.getByRole('button', { name: key, exact: true }).click();
  }

  async clearMissedCalls(): Promise<void> {
    await this.button('Liste leeren').click();
  }

  /** The desk's language ('de', 'en', …). */
  async setLanguage(code: string): Promise<void> {
    await this.page.locator('label.language select').selectOption(code);
  }

  /** The caller level the meter shows now (dBFS; -100 = digital silence). */
  async callerLevelNow(): Promise<number> {
    return Number(await this.page.getByTestId('level-caller').getAttribute('data-dbfs'));
  }

  /**
   * Saves a screenshot (the page, or one area) with the running test's
   * results and attaches it to the report: views kept to be looked at.
   */
  async screenshot(
    name: string,
    options: { fullPage?: boolean; of?: Locator; title?: string } = {},
  ): Promise<void> {
    const info = test.info();
    const file = info.outputPath(`${name}.png`);
    if (options.of) await options.of.screenshot({ path: file });
    else await this.page.screenshot({ path: file, fullPage: options.fullPage ?? false });
    await info.attach(options.title ?? name, { path: file, contentType: 'image/png' });
  }

  /**
   * Records every level the engine reports for a leg (the meter's data-seq
   * attribute changes with every engine frame that reaches the screen), so a
   * test can look at a time window afterwards.
   */
  private async installLevelRecorder(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as {
        __levels: Record<string, { t: number; dbfs: number; speech: boolean }[]>;
      };
      w.__levels = { caller: [], agent: [] };
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const el = record.target as HTMLElement;
          const leg =
            el.dataset.testid === 'level-caller'
              ? 'caller'
              : el.dataset.testid === 'level-agent'
                ? 'agent'
                : null;
          // data-seq changes with every engine frame, also at a steady level.
          if (!leg || record.attributeName !== 'data-seq') continue;
          w.__levels[leg]?.push({
            t: performance.now(),
            dbfs: Number(el.dataset.dbfs),
            speech: el.dataset.speech === 'true',
          });
        }
      });
      observer.observe(document.body, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-dbfs', 'data-seq'],
      });
    });
  }

  async levels(leg: Leg, sinceMs = 0): Promise<{ t: number; dbfs: number; speech: boolean }[]> {
    return this.page.evaluate(
      ({ leg, sinceMs }) => {
        const w = window as unknown as {
          __levels: Record<string, { t: number; dbfs: number; speech: boolean }[]>;
        };
        return (w.__levels[leg] ?? []).filter((l) => l.t >= sinceMs);
      },
      { leg, sinceMs },
    );
  }

  /** The highest level the engine reported for `leg` in [from, to) (page clock, ms); -Infinity: none. */
  async maxLevel(leg: Leg, from: number, to = Infinity): Promise<number> {
    const levels = (await this.levels(leg, from)).filter((l) => l.t < to);
    return levels.length ? Math.max(...levels.map((l) => l.dbfs)) : -Infinity;
  }

  /**
   * Records when each final transcript line appears on screen (epoch ms) next
   * to when the engine published it, to measure endpoint → screen latency.
   */
  async installTranscriptRecorder(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as {
        __finals: FinalLine[];
      };
      w.__finals = [];
      // By segment: the list is virtualised, so a row scrolled away and back is a
      // new element for the same line (and an element may show another line later).
      const seen = new Set<string>();
      const scan = () => {
        for (const li of document.querySelectorAll(
          '[data-testid="transcript"] li[data-final="true"]',
        )) {
          const el = li as HTMLElement;
          const id = el.dataset.segmentId ?? '';
          if (!id || seen.has(id)) continue;
          seen.add(id);
          w.__finals.push({
            text: el.querySelector('.text')?.textContent ?? '',
            speaker: el.dataset.speaker ?? '',
            shownAt: performance.timeOrigin + performance.now(),
            publishedAt: Number(el.dataset.publishedAt),
            ...(el.dataset.source
              ? {
                  source: el.dataset.source,
                  mark: el.querySelector('.segment-source')?.textContent ?? '',
                }
              : {}),
          });
        }
      };
      new MutationObserver(scan).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-final', 'data-segment-id'],
      });
      scan();
    });
  }

  async finals(): Promise<FinalLine[]> {
    return this.page.evaluate(() => (window as unknown as { __finals: FinalLine[] }).__finals);
  }

  /** Waits until `speaker` has said something matching `pattern` (a final line on screen); returns it. */
  async says(speaker: string, pattern: RegExp, timeout = 30_000): Promise<FinalLine> {
    let found: FinalLine | undefined;
    await expect
      .poll(
        async () => {
          found = (await this.finals()).find((f) => f.speaker === speaker && pattern.test(f.text));
          return found !== undefined;
        },
        { timeout, message: `${speaker} should say ${pattern}` },
      )
      .toBe(true);
    return found!;
  }

  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }
}
