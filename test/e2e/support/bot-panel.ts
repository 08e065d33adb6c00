/**
 * Page object for the bot on the desk: "bot first" and its day/night mode,
 * the panel of a call the bot has (speaking, listening, phase, what it
 * verified and understood), the handoff card with its take-over button, and
 * the worklist where the callbacks it promised land.
 */
import { expect, type Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class BotPanel extends testIdParts({
  /** The bot's panel during a call it has (data-speaking, data-listening, data-phase). */
  panel: 'bot-panel',
  /** The handoff card: the bot hands the call to the agent. */
  handoff: 'handoff',
  handoffReason: 'handoff-reason',
  handoffSummary: 'handoff-summary',
  takeOver: 'take-over',
  verified: 'bot-verified',
  intent: 'bot-intent',
  mode: 'bot-mode',
  first: 'bot-first',
  worklist: 'worklist',
}) {
  /** The callbacks and messages waiting in the worklist. */
  get worklistItems(): Locator {
    return this.worklist.getByTestId('worklist-item');
  }

  /**
   * The bot's mode, set by hand so a test never depends on the time of day
   * ("a person" is a handoff by day, a callback offer at night).
   */
  async setMode(mode: 'day' | 'night'): Promise<void> {
    await this.page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption(mode);
    await expect(this.mode).toHaveAttribute('data-mode', mode);
  }

  /** Whether the bot answers calls first. */
  async setFirst(on: boolean): Promise<void> {
    await this.first.setChecked(on);
  }

  /** Takes the handed-over call with the keyboard: the take-over button has the focus. */
  async takeOverByKeyboard(): Promise<void> {
    await expect(this.takeOver).toBeFocused();
    await this.page.keyboard.press('Enter');
  }
}
