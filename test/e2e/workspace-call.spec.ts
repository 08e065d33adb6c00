/**
 * The moment the workspace exists for, at 1366×768 through the test bed: a
 * caller phones in, the bot answers ("bot first", real speech process on the
 * synthetic model) and hands over when the caller asks for a person.
 *
 *   1. The handed-over call arrives on top of the screen — who, why,
 *      verified or not — with "Gespräch übernehmen" in view and focused:
 *      Enter takes it, without any scrolling or clicking. The desk says so
 *      and the focus is in the transcript; the newest transcript line stays
 *      inside the window after each new line (bounding boxes), also with
 *      the wrap-up shown after the call.
 *
 * Crisis and emergency arrivals, and a second call while busy:
 * workspace-crisis.spec.ts. Screenshots go with the results: the incoming
 * handoff, the call taken, the wrap-up (German and English).
 */
import type { Locator, Page } from '@playwright/test';
import { makeSpeechWav } from '../fixtures/speech-wav';
import { callTheBot, expect, test as botTest } from './support/bot-call';
import type { LotsePage } from './support/lotse-page';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { expectAccessible } from './support/accessibility';

const test = botTest;

test.use({
  bed: {
    speechModel: 'synthetic',
    recordTranscript: true,
    recordLevels: false,
    // The agent speaks once they have the call: new transcript lines keep coming.
    agentMicrophone: makeSpeechWav,
    callerMicrophone: silentMicrophone,
  },
});
// Skipped only where the test bed's Debian packages are missing; .ci/run installs them.
skipWithout('kamailio', 'chromium');
// Each test is a bot call in real time (the greeting alone is ~24 s).
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const VIEWPORT = { width: 1366, height: 768 };

/** True when `box` lies wholly inside the window. */
function inWindow(box: { x: number; y: number; width: number; height: number } | null): boolean {
  return (
    box !== null &&
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= VIEWPORT.height &&
    box.x + box.width <= VIEWPORT.width
  );
}

/** The newest transcript line on screen: inside the list's box and inside the window. */
async function newestLineInView(page: Page): Promise<{ ok: boolean; detail: string }> {
  return page.evaluate(() => {
    const list = document.querySelector<HTMLElement>('[data-testid="transcript"]');
    if (!list) return { ok: false, detail: 'no list' };
    const rows = [...list.querySelectorAll<HTMLElement>('li[data-index]')];
    const count = Number(list.dataset.count ?? 0);
    const newest = rows.find((r) => Number(r.dataset.index) === count - 1);
    if (!newest) return { ok: false, detail: `row ${count - 1} not rendered` };
    const row = newest.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    const ok =
      row.top >= box.top - 1 &&
      row.bottom <= box.bottom + 1 &&
      row.top >= 0 &&
      row.bottom <= window.innerHeight;
    return {
      ok,
      detail: `row ${Math.round(row.top)}–${Math.round(row.bottom)}, list ${Math.round(box.top)}–${Math.round(box.bottom)}, window ${window.innerHeight}`,
    };
  });
}

/** Waits for `n` more transcript lines; after each one the newest line is in view. */
async function newestLineStaysInView(app: LotsePage, n: number, what: string): Promise<void> {
  const list = app.transcript.list;
  for (let i = 0; i < n; i++) {
    const before = Number(await list.getAttribute('data-count'));
    await expect
      .poll(async () => Number(await list.getAttribute('data-count')), {
        timeout: 30_000,
        message: `${what}: a new transcript line`,
      })
      .toBeGreaterThan(before);
    let last = '';
    await expect
      .poll(
        async () => {
          const seen = await newestLineInView(app.page);
          last = seen.detail;
          return seen.ok;
        },
        { message: `${what}: the newest line is in view (${last})` },
      )
      .toBe(true);
  }
}

/** The arrival's take button is wholly in the window and has the keyboard focus. */
async function expectReadyForEnter(take: Locator): Promise<void> {
  await expect(take).toBeFocused();
  expect(inWindow(await take.boundingBox()), 'the take button is in the window').toBe(true);
}

test('a handed-over call is taken with Enter as it rings; the screen says so, the transcript has the focus and its newest line stays in view', async ({
  agent: app,
  caller,
}) => {
  const { page } = app;
  await callTheBot(app, caller);
  // 0 in the keypad menu: a person (after the greeting, which is never cut short).
  await caller.sendDtmf('0');
  const arrival = app.bot.handoff;
  await expect(arrival).toBeVisible({ timeout: 45_000 });
  // Who, why and whether verified, at the top of the window.
  expect(inWindow(await arrival.boundingBox()), 'the arrival is in the window').toBe(true);
  await expect(arrival.getByTestId('arrival-who')).toContainText('anrufer');
  await expect(app.bot.handoffReason).toHaveText('Wunsch nach einer Person');
  await expect(arrival.getByTestId('arrival-verified')).toHaveText('Identität nicht geprüft');
  await expect(app.bot.handoffSummary).not.toBeEmpty();
  await expectReadyForEnter(app.bot.takeOver);
  await expectAccessible(page, 'incoming handoff');
  const scrolled = () =>
    page.evaluate(() => [
      window.scrollY,
      ...[...document.querySelectorAll('.ws-column, .view')].map((e) => e.scrollTop),
    ]);
  const scrollBefore = await scrolled();
  await app.screenshot('arrival-handoff-de', { title: 'incoming handed-over call (normal, de)' });

  // Enter, nothing else.
  await page.keyboard.press('Enter');
  await expect(app.bot.panel).toHaveAttribute('data-phase', 'taken-over');
  await expect(app.deskNotice).toContainText('Gespräch übernommen. Sie sprechen mit');
  await expect(arrival).toHaveCount(0);
  const focus = await page.evaluate(() => document.activeElement?.id);
  expect(focus, 'the focus is in the transcript').toBe('transcript-focus');
  expect(await scrolled(), 'nothing scrolled on the way').toEqual(scrollBefore);
  await app.screenshot('call-taken-de', { title: 'call taken (de)' });
  await expectAccessible(page, 'call taken');
  await app.setLanguage('en');
  await app.screenshot('call-taken-en', { title: 'call taken (en)' });
  await app.setLanguage('de');

  // The agent speaks: each new line is in view as it comes.
  await newestLineStaysInView(app, 3, 'in the call');

  // After the call: the wrap-up above the transcript, the newest line still in view.
  await app.hangUp();
  await app.expectCall('ended');
  await expect(page.locator('section.wrap-up')).toBeVisible({ timeout: 15_000 });
  expect((await newestLineInView(page)).ok, 'newest line in view beside the wrap-up').toBe(true);
  await app.screenshot('wrap-up-de', { title: 'wrap-up (de)' });
  await expectAccessible(page, 'wrap-up');
  await app.setLanguage('en');
  await app.screenshot('wrap-up-en', { title: 'wrap-up (en)' });
  await app.setLanguage('de');
});
