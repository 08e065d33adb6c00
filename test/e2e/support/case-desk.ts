/**
 * Page object for the caseworker's side of the desk: the caller's case (with
 * the identity check when the bot could not verify), the suggested answers,
 * and the wrap-up note that goes to the case system after the call.
 */
import type { Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class CaseDesk extends testIdParts({
  panel: 'case-panel',
  /** The case on screen (data-case). */
  context: 'case-context',
  client: 'case-client',
  error: 'case-error',
  suggestions: 'suggestion',
  suggestionsIntent: 'suggestions-intent',
  note: 'wrap-up-note',
  /** The call's outcome (no preset: the agent chooses). */
  disposition: 'wrap-up-disposition',
  dispositionError: 'wrap-up-disposition-error',
  /** The note was saved (data-saved-to). */
  saved: 'wrap-up-saved',
  saveError: 'wrap-up-error',
}) {
  /** The heading of the case or of the suggestions (a keyboard shortcut's target). */
  heading(area: 'case' | 'suggestions'): Locator {
    return this.page.locator(`#${area}-heading`);
  }

  /** The agent confirms the caller's identity by hand. */
  async confirmIdentity(customerNumber: string, dateOfBirth: string): Promise<void> {
    await this.page.getByTestId('identity-number').fill(customerNumber);
    await this.page.getByTestId('identity-dob').fill(dateOfBirth);
    await this.page.getByTestId('identity-confirm').click();
  }

  /** Reads the case again after an error. */
  async retry(): Promise<void> {
    await this.error.getByRole('button', { name: 'Erneut versuchen' }).click();
  }

  /** A suggestion's own button ('Anheften', 'Hilfreich', …). */
  suggestionButton(suggestion: Locator, name: string): Locator {
    return suggestion.getByRole('button', { name, exact: true });
  }

  /** Chooses the call's outcome by its code ('information_given', …). */
  async chooseDisposition(code: string): Promise<void> {
    await this.disposition.selectOption(code);
  }

  async saveNote(): Promise<void> {
    await this.page.getByTestId('wrap-up-save').click();
  }

  async closeWrapUp(): Promise<void> {
    await this.page.getByRole('button', { name: 'Nachbearbeitung schließen' }).click();
  }
}
