/**
 * The live transcript on the caseworker's screen, in real Chromium at
 * 1366×768 against Lotse in web mode. Segments reach the renderer through
 * its real engine socket (see support/transcript-feed.ts): partials lighter,
 * replaced in place by their final; the view follows live, pauses when the
 * agent scrolls up and counts what came meanwhile; a long call keeps only a
 * window of rows in the DOM; the keyboard scrolls it; screen readers hear
 * finals only. Last, a practice call (real engine, real bot) shows the bot's
 * lines and its handoff summary above the list.
 */
import { chromium, expect, test, type Browser, type Locator } from '@playwright/test';
import type { TranscriptSegment } from '../../electron/contract';
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { chromiumAvailable, chromiumLaunchOptions } from '../testbed/chromium';
import { LotsePage } from './support/lotse-page';
import { startLotseWeb, type LotseWeb } from './support/lotse-web';
import { TranscriptFeed, transcriptStream } from './support/transcript-feed';

// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
test.skip(!chromiumAvailable(), 'needs the Debian package chromium');
test.describe.configure({ mode: 'serial' });

let lotse: LotseWeb;
let browser: Browser;
let app: LotsePage;
let feed: TranscriptFeed;
let list: Locator;

const CALL = 'view-call';

function line(
  segmentId: string,
  startMs: number,
  text: string,
  options: Partial<TranscriptSegment> = {},
): TranscriptSegment {
  return {
    callId: CALL,
    segmentId,
    speaker: 'caller',
    text,
    startMs,
    endMs: startMs + 1000,
    confidence: null,
    final: false,
    ...options,
  };
}

/** How far the list is from its newest line (px). */
const fromEnd = () =>
  list.evaluate((el) => Math.round(el.scrollHeight - el.scrollTop - el.clientHeight));

test.beforeAll(async () => {
  const model = await makeSyntheticVoskModel();
  lotse = await startLotseWeb({ speechModel: model });
  browser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]),
    }),
  );
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  feed = await TranscriptFeed.attach(page);
  app = new LotsePage(page);
  await app.open(lotse.url, { recordLevels: false });
  list = page.getByTestId('transcript');
});

test.afterAll(async () => {
  await browser?.close();
  await lotse?.stop();
});

test('a partial is shown lighter and marked interim, then replaced in place by its final', async () => {
  const { page } = app;
  feed.send(
    line('bot-1', 0, 'Guten Tag, Sie sprechen mit einer künstlichen Intelligenz.', {
      speaker: 'bot',
      final: true,
    }),
  );
  feed.send(line('caller-1', 4200, 'Ich habe eine'));
  const row = list.locator('li[data-segment-id="caller-1"]');
  await expect(row).toHaveAttribute('data-final', 'false');
  await expect(row).toHaveClass(/partial/);
  await expect(row).toContainText('0:04');
  await expect(row).toContainText('Anrufer/in:');
  // Screen readers hear that the line is interim; the announcer has not read it.
  await expect(row.locator('.visually-hidden')).toHaveText(/vorläufig/);
  await expect(page.getByTestId('transcript-announcer')).toHaveText(
    'Bot: Guten Tag, Sie sprechen mit einer künstlichen Intelligenz.',
  );
  const colour = (l: Locator) => l.locator('.text').evaluate((el) => getComputedStyle(el).color);
  const finalColour = await colour(list.locator('li[data-segment-id="bot-1"]'));
  const partialColour = await colour(row);
  expect(partialColour).not.toBe(finalColour);
  // The partial grows, then its final replaces it: still one row for the segment.
  feed.send(line('caller-1', 4200, 'Ich habe eine Frage zum'));
  await expect(row.locator('.text')).toHaveText('Ich habe eine Frage zum');
  feed.send(line('caller-1', 4200, 'Ich habe eine Frage zum Bescheid.', { final: true }));
  await expect(row).toHaveAttribute('data-final', 'true');
  await expect(row).not.toHaveClass(/partial/);
  await expect(row.locator('.visually-hidden')).toHaveCount(0);
  await expect(list.locator('li')).toHaveCount(2);
  expect(await colour(row)).toBe(finalColour);
  await expect(page.getByTestId('transcript-announcer')).toHaveText(
    'Anrufer/in: Ich habe eine Frage zum Bescheid.',
  );
});

test('the view follows live; scrolling up pauses it and counts new lines; the button goes back', async () => {
  const { page } = app;
  for (const segment of transcriptStream({ callId: CALL, segments: 200, startMs: 10_000 }))
    feed.send(segment);
  await expect(list).toHaveAttribute('data-count', '202');
  await expect(list).toHaveAttribute('data-following', 'true');
  await expect.poll(fromEnd).toBeLessThanOrEqual(2);
  // The newest line is the last one on screen.
  const lastId = await list.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid="transcript"] li')];
    return (rows.at(-1) as HTMLElement | undefined)?.dataset.segmentId;
  });
  expect(lastId).toBe(`${CALL}-${lastId?.split('-').at(-2)}-199`);
  await expect(list.locator('li').last()).toHaveAttribute('aria-posinset', '202');

  // The agent scrolls up with the mouse wheel to read.
  await list.scrollIntoViewIfNeeded();
  await list.hover();
  await page.mouse.wheel(0, -900);
  await expect(list).toHaveAttribute('data-following', 'false');
  const jump = page.getByTestId('jump-to-live');
  await expect(jump).toBeVisible();
  await expect(jump).toHaveAccessibleName(/^Zum Live-Text springen/);
  const topWhilePaused = await list.evaluate((el) => el.scrollTop);
  for (const segment of transcriptStream({
    callId: CALL,
    segments: 7,
    firstIndex: 1000,
    startMs: 2_000_000,
    seed: 7,
  }))
    feed.send(segment);
  await expect(list).toHaveAttribute('data-count', '209');
  await expect(jump).toHaveAttribute('data-new-lines', '7');
  await expect(page.getByTestId('new-lines')).toHaveText('7 neu');
  // Reading is not disturbed: the view stayed where the agent put it.
  expect(Math.abs((await list.evaluate((el) => el.scrollTop)) - topWhilePaused)).toBeLessThan(2);

  // A partial on the live end meanwhile, and the panel as the agent sees it now.
  feed.send(
    line('late-partial', 2_100_000, 'Und dann wollte ich noch fragen', { speaker: 'agent' }),
  );
  await expect(list).toHaveAttribute('data-count', '210');
  await expect(jump).toHaveAttribute('data-new-lines', '8');
  const shot = test.info().outputPath('transcript-paused.png');
  await page.locator('section.transcript').screenshot({ path: shot });
  await test.info().attach('transcript panel, paused with new lines (1366×768)', {
    path: shot,
    contentType: 'image/png',
  });

  await jump.click();
  await expect(list).toHaveAttribute('data-following', 'true');
  await expect(jump).toBeHidden();
  await expect.poll(fromEnd).toBeLessThanOrEqual(2);
  await expect(list).toBeFocused();
});

test('a long call (3,000 segments, past an hour) keeps only a window of rows in the DOM', async () => {
  const { page } = app;
  let sent = 0;
  for (const segment of transcriptStream({
    callId: CALL,
    segments: 3000,
    firstIndex: 2000,
    startMs: 2_100_000,
    seed: 3,
  })) {
    feed.send(segment);
    sent++;
  }
  expect(sent).toBeGreaterThan(3000);
  await expect(list).toHaveAttribute('data-count', '3210', { timeout: 30_000 });
  await expect.poll(fromEnd).toBeLessThanOrEqual(2);
  const rows = await list.locator('li').count();
  expect(rows).toBeGreaterThan(3);
  expect(rows).toBeLessThan(100);
  // Past an hour the clock shows h:mm:ss.
  await expect(list.locator('li').last().locator('time')).toHaveText(/^\d+:\d\d:\d\d$/);
  // Rows carry their place in the whole list for screen readers.
  await expect(list.locator('li').last()).toHaveAttribute('aria-setsize', '3210');
  await expect(list.locator('li').last()).toHaveAttribute('aria-posinset', '3210');
  const shot = test.info().outputPath('transcript-long-call.png');
  await page.screenshot({ path: shot });
  await test.info().attach('transcript, long call (1366×768)', {
    path: shot,
    contentType: 'image/png',
  });
});

test('keyboard: the list takes the focus, Home/Page keys scroll it, End jumps to live', async () => {
  const { page } = app;
  await list.focus();
  await expect(list).toBeFocused();
  await expect(list).toHaveAccessibleName(/Gesprächszeilen/);
  await page.keyboard.press('Home');
  await expect(list).toHaveAttribute('data-following', 'false');
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(list.locator('li').first()).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('PageDown');
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
  await page.keyboard.press('PageUp');
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(page.getByTestId('jump-to-live')).toBeVisible();
  await page.keyboard.press('End');
  await expect(list).toHaveAttribute('data-following', 'true');
  await expect.poll(fromEnd).toBeLessThanOrEqual(2);
  await expect(page.getByTestId('jump-to-live')).toBeHidden();
});

test('a practice call: the bot’s lines in the list, its handoff summary pinned above', async () => {
  test.setTimeout(90_000);
  const { page } = app;
  const panel = page.getByTestId('practice');
  await page.getByLabel('Betriebsart des Bots', { exact: true }).selectOption('day');
  await app.button('Selbst anrufen (Mikrofon)').click();
  await expect(panel).toHaveAttribute('data-state', 'running');
  // The practice call's transcript replaces the long call's lines.
  await expect(list.locator('li[data-speaker="bot"][data-final="true"]').first()).toContainText(
    'künstliche Intelligenz',
    { timeout: 20_000 },
  );
  await expect(list.locator(`li[data-segment-id^="${CALL}"]`)).toHaveCount(0);
  await expect(panel).toHaveAttribute('data-listening', 'open', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Taste 0' }).click();
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 30_000 });
  const card = page.getByTestId('transcript-handoff');
  await expect(card).toBeVisible();
  await expect(card.locator('.transcript-handoff-title')).toHaveText(
    'Übergabe durch den Bot: Wunsch nach einer Person',
  );
  await expect(card.locator('li').first()).toHaveText(/^Grund: /);
  await expect(card.locator('li', { hasText: /^Identität: / })).toHaveCount(1);
  const shot = test.info().outputPath('transcript-handoff.png');
  await page.screenshot({ path: shot });
  await test.info().attach('transcript with handoff summary (1366×768)', {
    path: shot,
    contentType: 'image/png',
  });
  await app.button('Übung beenden').click();
  await expect(panel).toHaveAttribute('data-state', 'idle');
  await expect(card).toBeHidden();
});
