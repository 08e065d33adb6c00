/**
 * Page object for the practice call (Übungsanruf): a scripted sample caller
 * or the agent playing the caller with the microphone and the practice
 * keypad, against the real bot, without any SIP server.
 */
import type { Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class PracticePanel extends testIdParts({
  /** data-state (idle, running), data-listening, data-phase. */
  panel: 'practice',
  /** The note that the practice runs without speech recognition. */
  noSpeech: 'practice-no-speech',
  /** The bot's handoff in the practice, with the take-over button. */
  handoff: 'practice-handoff',
}) {
  /** Starts the scripted caller who asks for the payment date. */
  get sampleCaller(): Locator {
    return this.page.getByRole('button', { name: 'Beispielanrufer: Zahlungstermin', exact: true });
  }

  /** The agent plays the caller (microphone and the practice keypad). */
  async callYourself(): Promise<void> {
    await this.page.getByRole('button', { name: 'Selbst anrufen (Mikrofon)', exact: true }).click();
  }

  /** A key of the practice keypad. */
  async press(key: string): Promise<void> {
    await this.page.getByRole('button', { name: `Taste ${key}` }).click();
  }

  /** Takes the handed-over practice call, as an agent takes a real one. */
  get takeOver(): Locator {
    return this.handoff.getByRole('button', { name: 'Gespräch übernehmen', exact: true });
  }

  async end(): Promise<void> {
    await this.page.getByRole('button', { name: 'Übung beenden', exact: true }).click();
  }
}
