/**
 * Page object for the call history: rows (data-number, data-direction,
 * data-outcome, data-handled-by), the search by number or name, the
 * filters, the range line (the view "Anrufliste"), and the notification
 * setting (in the settings view).
 */
import { expect, type Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class HistoryPanel extends testIdParts({
  rows: 'history-row',
  range: 'history-range',
}) {
  /** Brings the call history's view to the front. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-history').click();
    await expect(this.page.getByTestId('nav-history')).toHaveAttribute('aria-current', 'page');
  }

  get search(): Locator {
    return this.page.getByLabel('Suche (Nummer oder Name)');
  }

  /** Desktop notification for incoming calls (in the settings view). */
  get notifySetting(): Locator {
    return this.page.getByLabel('Desktop-Hinweis bei Anrufen');
  }

  /** "Ergebnis" filter by its label (Angenommen, Verpasst, …). */
  async filterOutcome(label: string): Promise<void> {
    await this.page.getByLabel('Ergebnis').selectOption({ label });
  }

  /** "Richtung" filter by its label (Eingehend, Ausgehend). */
  async filterDirection(label: string): Promise<void> {
    await this.page.getByLabel('Richtung').selectOption({ label });
  }

  async resetFilters(): Promise<void> {
    await this.page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
  }

  /** The call-back button of a row. */
  callBack(row: Locator, who: string): Locator {
    return row.getByRole('button', { name: `Zurückrufen: ${who}` });
  }
}
