/**
 * What the desk showed about recognition, and when: a recorder in the page
 * that notes every change of the speech status (`speech-status`'s
 * data-state) and of the warning above the transcript, with its time (epoch
 * ms). A restart of the speech process can take 200 ms; a warning shown that
 * briefly falls between two polls of an `expect`, so a test that must know
 * the warning was there reads it from this record instead.
 */
import { expect, type Page } from '@playwright/test';

export interface SpeechShown {
  /** speech-status's data-state ('' while it is not on the page). */
  state: string;
  /** The warning's data-state, '' while no warning is shown. */
  warning: string;
  /** Epoch ms (page clock: performance.timeOrigin + performance.now()). */
  at: number;
}

interface RecorderWindow {
  __speechShown?: SpeechShown[];
}

/** Runs in the page (serialised): self-contained. */
function installRecorder(): void {
  const w = window as unknown as RecorderWindow;
  if (w.__speechShown) return;
  const shown: SpeechShown[] = [];
  w.__speechShown = shown;
  const read = (): void => {
    const state =
      document.querySelector<HTMLElement>('[data-testid="speech-status"]')?.dataset.state ?? '';
    const warning =
      document.querySelector<HTMLElement>('[data-testid="speech-warning"]')?.dataset.state ?? '';
    const last = shown.at(-1);
    if (last && last.state === state && last.warning === warning) return;
    shown.push({ state, warning, at: performance.timeOrigin + performance.now() });
  };
  new MutationObserver(read).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state'],
  });
  read();
}

export class SpeechStates {
  private constructor(private readonly page: Page) {}

  /** Starts recording in the page as it is now (the app must be loaded). */
  static async record(page: Page): Promise<SpeechStates> {
    await page.evaluate(installRecorder);
    return new SpeechStates(page);
  }

  /** Everything recorded so far, oldest first. */
  shown(): Promise<SpeechShown[]> {
    return this.page.evaluate(() => (window as unknown as RecorderWindow).__speechShown ?? []);
  }

  /**
   * The first time at or after `since` (epoch ms) that `match` held, waiting
   * for it up to `timeout` ms; fails with the whole record when it never did.
   */
  async when(
    match: (shown: SpeechShown) => boolean,
    since: number,
    options: { timeout: number; message: string },
  ): Promise<number> {
    let at: number | undefined;
    await expect
      .poll(
        async () => {
          at = (await this.shown()).find((s) => s.at >= since && match(s))?.at;
          return at !== undefined;
        },
        { timeout: options.timeout, message: options.message },
      )
      .toBe(true);
    return at ?? NaN;
  }
}
