/**
 * Page object for the practice call (Übungsanruf): a scripted sample caller
 * or the agent playing the caller with the microphone and the practice
 * keypad, against the real bot, without any SIP server.
 */
import type { Locator, Page } from '@playwright/test';

export class PracticePanel {
  /** data-state (idle, running), data-listening, data-phase. */
  readonly panel: Locator;
  /** Starts the scripted caller who asks for the payment date. */
  readonly sampleCaller: Locator;

  constructor(private readonly page: Page) {
    this.panel = page.getByTestId('practice');
    this.sampleCaller = page.getByRole('button', {
      name: 'Beispielanrufer: Zahlungstermin',
      exact: true,
    });
  }

  /** The agent plays the caller (microphone and the practice keypad). */
  async callYourself(): Promise<void> {
    await this.page.getByRole('button', { name: 'Selbst anrufen (Mikrofon)', exact: true }).click();
  }

  /** A key of the practice keypad. */
  async press(key: string): Promise<void> {
    await this.page.getByRole('button', { name: `Taste ${key}` }).click();
  }

  async end(): Promise<void> {
    await this.page.getByRole('button', { name: 'Übung beenden', exact: true }).click();
  }
}
