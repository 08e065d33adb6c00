/**
 * Page object for transfers from the desk: the transfer field, blind
 * transfer ("Direkt vermitteln"), the consultation call ("Rückfrage") and
 * its end or completion ("Verbinden"), and the progress the NOTIFYs report.
 */
import type { Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class CallTransfer extends testIdParts({
  /** data-state (ringing, failed, …), data-status-code. */
  status: 'transfer-status',
  /** The badge of a consultation call. */
  consultBadge: 'call-consult',
}) {
  get field(): Locator {
    return this.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)');
  }

  private async click(name: string): Promise<void> {
    await this.page.getByRole('button', { name, exact: true }).click();
  }

  /** Opens the transfer field with the button and types the target. */
  private async open(to: string): Promise<void> {
    await this.click('Vermitteln');
    await this.field.fill(to);
  }

  /** Blind transfer (REFER) to `to`. */
  async blind(to: string): Promise<void> {
    await this.open(to);
    await this.sendBlind();
  }

  /** Sends the blind transfer to what the open field holds. */
  async sendBlind(): Promise<void> {
    await this.click('Direkt vermitteln');
  }

  /** Starts a consultation call with `to`; the first caller is held. */
  async consult(to: string): Promise<void> {
    await this.open(to);
    await this.click('Rückfrage');
  }

  /** Completes the attended transfer (REFER with Replaces). */
  async complete(): Promise<void> {
    await this.click('Verbinden');
  }

  /** Ends the consultation and returns to the held caller. */
  async cancelConsult(): Promise<void> {
    await this.click('Rückfrage beenden');
  }
}
