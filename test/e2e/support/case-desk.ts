/**
 * Page object for the caseworker's side of the desk: the caller's case (with
 * the identity check when the bot could not verify), the suggested answers,
 * and the wrap-up note that goes to the case system after the call.
 */
import type { Locator, Page } from '@playwright/test';

export class CaseDesk {
  readonly panel: Locator;
  /** The case on screen (data-case). */
  readonly context: Locator;
  readonly client: Locator;
  readonly error: Locator;
  readonly heading: Locator;
  readonly suggestions: Locator;
  readonly suggestionsHeading: Locator;
  readonly suggestionsIntent: Locator;
  readonly note: Locator;
  /** The note was saved (data-saved-to). */
  readonly saved: Locator;
  readonly saveError: Locator;

  constructor(private readonly page: Page) {
    this.panel = page.getByTestId('case-panel');
    this.context = page.getByTestId('case-context');
    this.client = page.getByTestId('case-client');
    this.error = page.getByTestId('case-error');
    this.heading = page.locator('#case-heading');
    this.suggestions = page.getByTestId('suggestion');
    this.suggestionsHeading = page.locator('#suggestions-heading');
    this.suggestionsIntent = page.getByTestId('suggestions-intent');
    this.note = page.getByTestId('wrap-up-note');
    this.saved = page.getByTestId('wrap-up-saved');
    this.saveError = page.getByTestId('wrap-up-error');
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

  async saveNote(): Promise<void> {
    await this.page.getByTestId('wrap-up-save').click();
  }

  async closeWrapUp(): Promise<void> {
    await this.page.getByRole('button', { name: 'Nachbearbeitung schließen' }).click();
  }
}
