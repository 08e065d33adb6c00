/**
 * Page objects whose parts are found by test id: a class lists its parts
 * once, name → data-testid, and gets a typed locator for each
 * (`this.panel`, `this.handoff`, …), so no locator is written twice:
 *
 *   class BotPanel extends testIdParts({ panel: 'bot-panel', … }) { … }
 *
 * Parts found otherwise (by role, label, or within another part) are plain
 * fields or methods of the class.
 */
import type { Locator, Page } from '@playwright/test';

/** What every such page object has: the page it reads. */
export interface DeskArea {
  readonly page: Page;
}

export type TestIdParts<T extends Record<string, string>> = { readonly [K in keyof T]: Locator };

export function testIdParts<T extends Record<string, string>>(
  ids: T,
): new (page: Page) => DeskArea & TestIdParts<T> {
  return class {
    constructor(readonly page: Page) {
      for (const [name, id] of Object.entries(ids))
        Object.defineProperty(this, name, { value: page.getByTestId(id), enumerable: true });
    }
  } as unknown as new (page: Page) => DeskArea & TestIdParts<T>;
}
