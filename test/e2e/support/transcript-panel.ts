/**
 * Page object for the live transcript: the virtualised list of lines (only
 * a window of rows is in the DOM), the jump-to-live button with its count of
 * new lines, the screen readers' announcer and the bot's handoff summary
 * pinned above the list.
 */
import type { Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class TranscriptPanel extends testIdParts({
  /** The scrolling list (data-count, data-following). */
  list: 'transcript',
  jumpToLive: 'jump-to-live',
  newLines: 'new-lines',
  announcer: 'transcript-announcer',
  /** The bot's handoff summary above the list. */
  handoff: 'transcript-handoff',
}) {
  /** The rows in the DOM now (a window, not every line). */
  readonly rows = this.list.locator('li');
  /** The whole panel (for a screenshot). */
  readonly section = this.page.locator('section.transcript');

  /** A row's text (without time and speaker). */
  text(row: Locator): Locator {
    return row.locator('.text');
  }

  /** A partial row's "interim" note for screen readers. */
  interimNote(row: Locator): Locator {
    return row.locator('.visually-hidden');
  }

  row(segmentId: string): Locator {
    return this.list.locator(`li[data-segment-id="${segmentId}"]`);
  }

  /** Rows of one speaker; `final` only final lines, `partial` only lines still partial. */
  lines(speaker: string, options: { final?: boolean; partial?: boolean } = {}): Locator {
    const final = options.final
      ? '[data-final="true"]'
      : options.partial
        ? '[data-final="false"]'
        : '';
    return this.list.locator(`li[data-speaker="${speaker}"]${final}`);
  }

  /** How far the list is from its newest line (px). */
  fromEnd(): Promise<number> {
    return this.list.evaluate((el) => Math.round(el.scrollHeight - el.scrollTop - el.clientHeight));
  }

  scrollTop(): Promise<number> {
    return this.list.evaluate((el) => el.scrollTop);
  }

  /** What the list shows now, for a failure message. */
  state(): Promise<Record<string, string | number | undefined>> {
    return this.list.evaluate((el) => ({
      count: el.dataset.count,
      following: el.dataset.following,
      scrollTop: Math.round(el.scrollTop),
      scrollHeight: el.scrollHeight,
      fromEnd: Math.round(el.scrollHeight - el.scrollTop - el.clientHeight),
      rows: el.querySelectorAll('li').length,
    }));
  }
}
