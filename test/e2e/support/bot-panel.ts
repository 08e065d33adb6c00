/**
 * Page object for the bot on the desk: "bot first" and its day/night mode,
 * the panel of a call the bot has (speaking, listening, phase, what it
 * verified and understood), the handoff card with its take-over button, and
 * the worklist where the callbacks it promised land.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class BotPanel {
  /** The bot's panel during a call it has (data-speaking, data-listening, data-phase). */
  readonly panel: Locator;
  /** The handoff card: the bot hands the call to the agent. */
  readonly handoff: Locator;
  readonly handoffReason: Locator;
  readonly handoffSummary: Locator;
  readonly takeOver: Locator;
  readonly verified: Locator;
  readonly intent: Locator;
  readonly worklistItems: Locator;

  constructor(private readonly page: Page) {
    this.panel = page.getByTestId('bot-panel');
    this.handoff = page.getByTestId('handoff');
    this.handoffReason = page.getByTestId('handoff-reason');
    this.handoffSummary = page.getByTestId('handoff-summary');
    this.takeOver = page.getByTestId('take-over');
    this.verified = page.getByTestId('bot-verified');
    this.intent = page.getByTestId('bot-intent');
    this.worklistItems = page.getByTestId('worklist').getByTestId('worklist-item');
  }

  /**
   * The bot's mode, set by hand so a test never depends on the time of day
   * ("a person" is a handoff by day, a callback offer at night).
   */
  async setMode(mode: 'day' | 'night'): Promise<void> {
    await this.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption(mode);
    await expect(this.page.getByTestId('bot-mode')).toHaveAttribute('data-mode', mode);
  }

  /** Whether the bot answers calls first. */
  async setFirst(on: boolean): Promise<void> {
    await this.page.getByTestId('bot-first').setChecked(on);
  }

  /** Takes the handed-over call with the keyboard: the take-over button has the focus. */
  async takeOverByKeyboard(): Promise<void> {
    await expect(this.takeOver).toBeFocused();
    await this.page.keyboard.press('Enter');
  }
}
