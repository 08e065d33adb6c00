/**
 * Page object for the Lotse renderer: what an agent sees and clicks, found by
 * role and accessible name (German UI), plus readers for the engine-measured
 * level meters.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type Leg = 'caller' | 'agent';

export class LotsePage {
  readonly registrationState: Locator;
  readonly callState: Locator;
  readonly engineStatus: Locator;

  constructor(readonly page: Page) {
    this.registrationState = page.getByTestId('registration-state');
    this.callState = page.getByTestId('call-state');
    this.engineStatus = page.getByTestId('engine-status');
  }

  /**
   * Opens the app. `recordLevels` (default on) keeps every level the engine
   * reports in the page for `levels()`; it grows with every frame, so a
   * memory benchmark turns it off.
   */
  async open(url: string, options: { recordLevels?: boolean } = {}): Promise<void> {
    await this.page.goto(url);
    await expect(this.engineStatus).toHaveAttribute('data-state', 'open');
    await expect(this.page.getByLabel('Server (WebSocket)')).not.toHaveValue('');
    if (options.recordLevels ?? true) await this.installLevelRecorder();
  }

  async configureAccount(account: {
    serverUrl: string;
    sipUri: string;
    password?: string;
  }): Promise<void> {
    await this.page.getByLabel('Server (WebSocket)').fill(account.serverUrl);
    await this.page.getByLabel('SIP-Adresse', { exact: true }).fill(account.sipUri);
    if (account.password !== undefined)
      await this.page.getByLabel('Passwort', { exact: true }).fill(account.password);
    await this.page.getByRole('button', { name: 'Speichern' }).click();
    await expect(this.page.getByTestId('settings-status')).toHaveText('Gespeichert.');
  }

  async register(): Promise<void> {
    await this.page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  }

  async expectRegistration(state: string, timeout = 10_000): Promise<void> {
    await expect(this.registrationState).toHaveAttribute('data-state', state, { timeout });
  }

  async expectCall(state: string, timeout = 10_000): Promise<void> {
    await expect(this.callState).toHaveAttribute('data-state', state, { timeout });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  async dial(target: string): Promise<void> {
    await this.page.getByLabel('Rufnummer oder SIP-Adresse').fill(target);
    await this.button('Anrufen').click();
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

  /**
   * Records when each final transcript line appears on screen (epoch ms) next
   * to when the engine published it, to measure endpoint → screen latency.
   */
  async installTranscriptRecorder(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as {
        __finals: { text: string; speaker: string; shownAt: number; publishedAt: number }[];
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

  async finals(): Promise<
    { text: string; speaker: string; shownAt: number; publishedAt: number }[]
  > {
    return this.page.evaluate(
      () =>
        (
          window as unknown as {
            __finals: { text: string; speaker: string; shownAt: number; publishedAt: number }[];
          }
        ).__finals,
    );
  }

  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }
}
