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
import type { Locator } from '@playwright/test';
import type { TranscriptSegment } from '../../electron/contract';
import { expect, test as base, WORKER } from './support/fixtures';
import type { TranscriptPanel } from './support/transcript-panel';
import { TranscriptFeed, transcriptStream } from './support/transcript-feed';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

/** The engine socket routed through a feed, before the app loads. */
const test = base.extend<object, { feed: TranscriptFeed }>({
  feed: [async ({ appPage }, use) => use(await TranscriptFeed.attach(appPage)), WORKER],
  // Installed before the app loads.
  deskSetup: [async ({ feed: _installed }, use) => use(), WORKER],
});

test.use({
  bed: { speechModel: 'synthetic', recordLevels: false, agentMicrophone: silentMicrophone },
});
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');
test.describe.configure({ mode: 'serial' });

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

/**
 * Sends a stream and waits until the page has all of it. Playwright hands
 * each message to the page on its own (one protocol round trip each), so a
 * stream of thousands arrives long after the sending loop is done: on a
 * loaded two-core machine minutes later. The condition is the last message
 * in: the list counts `count` lines and the screen readers' announcer reads
 * the stream's last final line (it reads every final as it comes).
 */
async function feedAll(
  feed: TranscriptFeed,
  transcript: TranscriptPanel,
  segments: TranscriptSegment[],
  count: number,
  timeout: number,
): Promise<void> {
  for (const segment of segments) feed.send(segment);
  const last = segments.at(-1);
  if (!last?.final) throw new Error('a stream ends with a final line');
  await expect(transcript.announcer).toContainText(last.text, { timeout });
  await expect(transcript.list).toHaveAttribute('data-count', String(count));
}

/** The view is at the newest line: following, and scrolled to the end (its rows measured). */
async function expectAtLiveEnd(transcript: TranscriptPanel, timeout = 10_000): Promise<void> {
  await expect(transcript.list).toHaveAttribute('data-following', 'true');
  await expect(async () => {
    const state = await transcript.state();
    expect(
      state.fromEnd,
      `the list follows to its end: ${JSON.stringify(state)}`,
    ).toBeLessThanOrEqual(2);
  }).toPass({ timeout });
}

test('a partial is shown lighter and marked interim, then replaced in place by its final', async ({
  app,
  feed,
}) => {
  const { announcer } = app.transcript;
  feed.send(
    line('bot-1', 0, 'Guten Tag, Sie sprechen mit einer künstlichen Intelligenz.', {
      speaker: 'bot',
      final: true,
    }),
  );
  feed.send(line('caller-1', 4200, 'Ich habe eine'));
  const row = app.transcript.row('caller-1');
  await expect(row).toHaveAttribute('data-final', 'false');
  await expect(row).toHaveClass(/partial/);
  await expect(row).toContainText('0:04');
  await expect(row).toContainText('Anrufer/in:');
  // Screen readers hear that the line is interim; the announcer has not read it.
  await expect(app.transcript.interimNote(row)).toHaveText(/vorläufig/);
  await expect(announcer).toHaveText(
    'Bot: Guten Tag, Sie sprechen mit einer künstlichen Intelligenz.',
  );
  const colour = (l: Locator) =>
    app.transcript.text(l).evaluate((el) => getComputedStyle(el).color);
  const finalColour = await colour(app.transcript.row('bot-1'));
  const partialColour = await colour(row);
  expect(partialColour).not.toBe(finalColour);
  // The partial grows, then its final replaces it: still one row for the segment.
  feed.send(line('caller-1', 4200, 'Ich habe eine Frage zum'));
  await expect(app.transcript.text(row)).toHaveText('Ich habe eine Frage zum');
  feed.send(line('caller-1', 4200, 'Ich habe eine Frage zum Bescheid.', { final: true }));
  await expect(row).toHaveAttribute('data-final', 'true');
  await expect(row).not.toHaveClass(/partial/);
  await expect(app.transcript.interimNote(row)).toHaveCount(0);
  await expect(app.transcript.rows).toHaveCount(2);
  expect(await colour(row)).toBe(finalColour);
  await expect(announcer).toHaveText('Anrufer/in: Ich habe eine Frage zum Bescheid.');
});

test('the view follows live; scrolling up pauses it and counts new lines; the button goes back', async ({
  app,
  feed,
}) => {
  const { page, transcript } = app;
  const { list, jumpToLive: jump } = transcript;
  await feedAll(
    feed,
    transcript,
    [...transcriptStream({ callId: CALL, segments: 200, startMs: 10_000 })],
    202,
    60_000,
  );
  await expectAtLiveEnd(transcript);
  // The newest line is the last one on screen.
  const lastId = await list.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid="transcript"] li')];
    return (rows.at(-1) as HTMLElement | undefined)?.dataset.segmentId;
  });
  expect(lastId).toBe(`${CALL}-${lastId?.split('-').at(-2)}-199`);
  await expect(transcript.rows.last()).toHaveAttribute('aria-posinset', '202');

  // The agent scrolls up with the mouse wheel to read.
  await list.scrollIntoViewIfNeeded();
  await list.hover();
  await page.mouse.wheel(0, -900);
  await expect(list).toHaveAttribute('data-following', 'false');
  await expect(jump).toBeVisible();
  await expect(jump).toHaveAccessibleName(/^Zum Live-Text springen/);
  const topWhilePaused = await transcript.scrollTop();
  await feedAll(
    feed,
    transcript,
    [
      ...transcriptStream({
        callId: CALL,
        segments: 7,
        firstIndex: 1000,
        startMs: 2_000_000,
        seed: 7,
      }),
    ],
    209,
    60_000,
  );
  await expect(jump).toHaveAttribute('data-new-lines', '7');
  await expect(transcript.newLines).toHaveText('7 neu');
  // Reading is not disturbed: the view stayed where the agent put it.
  expect(Math.abs((await transcript.scrollTop()) - topWhilePaused)).toBeLessThan(2);

  // A partial on the live end meanwhile, and the panel as the agent sees it now.
  feed.send(
    line('late-partial', 2_100_000, 'Und dann wollte ich noch fragen', { speaker: 'agent' }),
  );
  await expect(list).toHaveAttribute('data-count', '210');
  await expect(jump).toHaveAttribute('data-new-lines', '8');
  await app.screenshot('transcript-paused', {
    of: transcript.section,
    title: 'transcript panel, paused with new lines (1366×768)',
  });

  await jump.click();
  await expect(list).toHaveAttribute('data-following', 'true');
  await expect(jump).toBeHidden();
  await expectAtLiveEnd(transcript);
  await expect(list).toBeFocused();
});

test('a long call (3,000 segments, past an hour) keeps only a window of rows in the DOM', async ({
  app,
  feed,
}) => {
  // Handing 11,000 messages to the page one by one takes 20 s on an idle
  // machine and minutes on a loaded one: the limits are set for the latter.
  test.setTimeout(360_000);
  const { transcript } = app;
  const segments = [
    ...transcriptStream({
      callId: CALL,
      segments: 3000,
      firstIndex: 2000,
      startMs: 2_100_000,
      seed: 3,
    }),
  ];
  // Partials too, as the engine streams them.
  expect(segments.length).toBeGreaterThan(3000);
  // Nobody touches the list: it must follow all the way, never pause by
  // itself (the virtualiser's own scroll corrections are not the agent's).
  await transcript.list.evaluate((el) => {
    const seen = { paused: 0 };
    (window as unknown as { followWatch?: typeof seen }).followWatch = seen;
    new MutationObserver(() => {
      if (el.getAttribute('data-following') === 'false') seen.paused++;
    }).observe(el, { attributes: true, attributeFilter: ['data-following'] });
  });
  await feedAll(feed, transcript, segments, 3210, 300_000);
  const paused = await transcript.list.evaluate(
    () => (window as unknown as { followWatch?: { paused: number } }).followWatch?.paused,
  );
  expect(paused, 'times the list stopped following without the agent').toBe(0);
  // The view follows to the end: the newest rows rendered and measured there.
  await expectAtLiveEnd(transcript, 30_000);
  const rows = await transcript.rows.count();
  expect(rows).toBeGreaterThan(3);
  expect(rows).toBeLessThan(100);
  // Past an hour the clock shows h:mm:ss.
  await expect(transcript.rows.last().locator('time')).toHaveText(/^\d+:\d\d:\d\d$/);
  // Rows carry their place in the whole list for screen readers.
  await expect(transcript.rows.last()).toHaveAttribute('aria-setsize', '3210');
  await expect(transcript.rows.last()).toHaveAttribute('aria-posinset', '3210');
  await app.screenshot('transcript-long-call', { title: 'transcript, long call (1366×768)' });
});

test('keyboard: the list takes the focus, Home/Page keys scroll it, End jumps to live', async ({
  app,
}) => {
  const { page, transcript } = app;
  const { list } = transcript;
  await list.focus();
  await expect(list).toBeFocused();
  await expect(list).toHaveAccessibleName(/Gesprächszeilen/);
  await page.keyboard.press('Home');
  await expect(list).toHaveAttribute('data-following', 'false');
  await expect.poll(() => transcript.scrollTop()).toBe(0);
  await expect(transcript.rows.first()).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('PageDown');
  await expect.poll(() => transcript.scrollTop()).toBeGreaterThan(100);
  await page.keyboard.press('PageUp');
  await expect.poll(() => transcript.scrollTop()).toBe(0);
  await expect(transcript.jumpToLive).toBeVisible();
  await page.keyboard.press('End');
  await expectAtLiveEnd(transcript);
  await expect(transcript.jumpToLive).toBeHidden();
});

test('an announcement the caseworker typed is labelled as theirs, not as the bot', async ({
  app,
  feed,
}) => {
  const text = 'Ich schicke Ihnen das Formular heute noch zu.';
  // After every line of the long call: the newest line, at the live end.
  feed.send(
    line('announcement-1', 10 * 3_600_000, text, {
      speaker: 'agent',
      announcement: true,
      final: true,
      confidence: 1,
    }),
  );
  await expect(app.transcript.announcer).toHaveText(`Ansage (Mitarbeiter/in): ${text}`);
  await expectAtLiveEnd(app.transcript);
  const row = app.transcript.row('announcement-1');
  await expect(row).toContainText(`Ansage (Mitarbeiter/in): ${text}`);
  await expect(row).not.toContainText('Bot:');
  await expect(row).toHaveAttribute('data-announcement', 'true');
  await app.setLanguage('en');
  await expect(row).toContainText(`Announcement (staff): ${text}`);
  await app.setLanguage('de');
});

test('a practice call: the bot’s lines in the list, its handoff summary pinned above', async ({
  app,
}) => {
  // The bot speaks in real time; on a loaded machine a turn takes longer.
  test.setTimeout(180_000);
  const { panel } = app.practice;
  const { list } = app.transcript;
  await app.bot.setMode('day');
  await app.practice.callYourself();
  await expect(panel).toHaveAttribute('data-state', 'running');
  // The practice call's transcript replaces the long call's lines.
  await expect(app.transcript.lines('bot', { final: true }).first()).toContainText(
    'künstliche Intelligenz',
    { timeout: 20_000 },
  );
  await expect(list.locator(`li[data-segment-id^="${CALL}"]`)).toHaveCount(0);
  await expect(panel).toHaveAttribute('data-listening', 'open', { timeout: 20_000 });
  await app.practice.press('0');
  // After the whole greeting (~24 s with the privacy sentence) and "Ich verbinde Sie …".
  await expect(panel).toHaveAttribute('data-phase', 'handoff', { timeout: 60_000 });
  const card = app.transcript.handoff;
  await expect(card).toBeVisible();
  await expect(card.locator('.transcript-handoff-title')).toHaveText(
    'Übergabe durch den Bot: Wunsch nach einer Person',
  );
  await expect(card.locator('li').first()).toHaveText(/^Grund: /);
  await expect(card.locator('li', { hasText: /^Identität: / })).toHaveCount(1);
  await app.screenshot('transcript-handoff', {
    title: 'transcript with handoff summary (1366×768)',
  });
  await app.practice.end();
  await expect(panel).toHaveAttribute('data-state', 'idle');
  await expect(card).toBeHidden();
});
