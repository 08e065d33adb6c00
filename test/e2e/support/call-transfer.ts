/**
 * Page object for transfers from the desk: the transfer field, blind
 * transfer ("Direkt vermitteln"), the consultation call ("Rückfrage") and
 * its end or completion ("Verbinden"), and the progress the NOTIFYs report.
 */
import type { Locator } from '@playwright/test';
import type { LotsePage } from './lotse-page';

export class CallTransfer {
  readonly field: Locator;
  /** data-state (ringing, failed, …), data-status-code. */
  readonly status: Locator;
  /** The badge of a consultation call. */
  readonly consultBadge: Locator;

  constructor(private readonly app: LotsePage) {
    this.field = app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)');
    this.status = app.page.getByTestId('transfer-status');
    this.consultBadge = app.page.getByTestId('call-consult');
  }

  /** Opens the transfer field with the button and types the target. */
  private async open(to: string): Promise<void> {
    await this.app.button('Vermitteln').click();
    await this.field.fill(to);
  }

  /** Blind transfer (REFER) to `to`. */
  async blind(to: string): Promise<void> {
    await this.open(to);
    await this.sendBlind();
  }

  /** Sends the blind transfer to what the open field holds. */
  async sendBlind(): Promise<void> {
    await this.app.button('Direkt vermitteln').click();
  }

  /** Starts a consultation call with `to`; the first caller is held. */
  async consult(to: string): Promise<void> {
    await this.open(to);
    await this.app.button('Rückfrage').click();
  }

  /** Completes the attended transfer (REFER with Replaces). */
  async complete(): Promise<void> {
    await this.app.button('Verbinden').click();
  }

  /** Ends the consultation and returns to the held caller. */
  async cancelConsult(): Promise<void> {
    await this.app.button('Rückfrage beenden').click();
  }
}
