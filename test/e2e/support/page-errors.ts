/**
 * Uncaught errors in the app's pages. A desk that throws is broken even when
 * every click still seems to work, so the specs assert that none happened;
 * each error is kept with the title of the test that was running.
 */
import { expect, test, type Page } from '@playwright/test';

export class PageErrors {
  private readonly errors: string[] = [];

  /** Records the page's uncaught errors from now on; `label` names the page (a second desk). */
  watch(page: Page, label?: string): void {
    page.on('pageerror', (error) => {
      let where = label;
      if (where === undefined) {
        try {
          where = test.info().title;
        } catch {
          where = 'between tests';
        }
      }
      this.errors.push(`${where}: ${error.message}`);
    });
  }

  /** How many so far (to look only at those after a point). */
  get count(): number {
    return this.errors.length;
  }

  /** The errors after the first `from`. */
  since(from = 0): string[] {
    return this.errors.slice(from);
  }

  expectNone(message = 'uncaught errors in the app page', from = 0): void {
    expect(this.since(from), message).toEqual([]);
  }
}
