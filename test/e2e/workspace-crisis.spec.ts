/**
 * Crisis and emergency handoffs look different from every other call, at
 * 1366×768 in German and English, axe-core clean. A caller phones in and the
 * bot answers (real test bed, engine and bot); then the bot's own state of
 * that call is held back at the engine socket and a crisis (then an
 * emergency, then a normal) handoff is put in its place: the synthetic
 * speech model cannot say a crisis sentence. Then, bot first off, a second caller knocks:
 * the arrival offers "Annehmen, aktuelles Gespräch halten" with the focus,
 * Enter takes it. The socket is routed through
 * the test from the start, which slows the call's audio: nothing here
 * depends on audio timing.
 */
import type { BotState } from '../../electron/contract';
import { callTheBot, expect, test as botTest } from './support/bot-call';
import { registerCaller } from './support/callers';
import { WORKER } from './support/fixtures';
import { silentMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { expectAccessible } from './support/accessibility';
import { TranscriptFeed } from './support/transcript-feed';

/** The engine socket routed through a feed, before the app loads. */
const test = botTest.extend<object, { feed: TranscriptFeed }>({
  feed: [async ({ appPage }, use) => use(await TranscriptFeed.attach(appPage)), WORKER],
  deskSetup: [async ({ feed: _installed }, use) => use(), WORKER],
});

test.use({
  bed: {
    speechModel: 'synthetic',
    recordTranscript: true,
    recordLevels: false,
    agentMicrophone: silentMicrophone,
    callerMicrophone: silentMicrophone,
  },
});
// Skipped only where the test bed's Debian packages are missing; .ci/run installs them.
skipWithout('kamailio', 'chromium');
test.describe.configure({ mode: 'serial', timeout: 180_000 });

test('crisis and emergency handoffs look different from every other call, in German and English; a second call while busy arrives the same way', async ({
  agent: app,
  caller,
  callers,
  kamailio,
  feed,
}) => {
  const { page } = app;
  await app.closeIfEnded();
  await callTheBot(app, caller);
  const callId = (await app.callState.getAttribute('data-call-id')) ?? '';
  expect(callId).not.toBe('');
  // The bot's own state of this call stays at the socket; the test sets it.
  feed.dropFromEngine((m) => m.event === 'bot.state' && (m.data as BotState).callId === callId);
  const handoff = (reason: 'crisis' | 'emergency', summary: string): BotState => ({
    callId,
    phase: 'handoff',
    mode: 'day',
    speaking: false,
    listening: null,
    intent: reason,
    verified: false,
    handoff: { reason, priority: true, summary },
  });
  feed.sendEvent(
    'bot.state',
    handoff('crisis', 'Anliegen: Krise. Krisennummern genannt. Anrufer/in: „Ich kann nicht mehr.“'),
  );
  const arrival = app.bot.handoff;
  await expect(arrival).toHaveAttribute('data-urgency', 'crisis');
  await expect(arrival).toContainText('Krise');
  await expect(app.bot.takeOver).toBeFocused();
  const box = await app.bot.takeOver.boundingBox();
  expect(box && box.y >= 0 && box.y + box.height <= 768, 'the take button is in the window').toBe(
    true,
  );
  // Told apart by more than colour: its own badge and words; and by colour too.
  const look = async () =>
    arrival.evaluate((el) => {
      const style = getComputedStyle(el);
      return `${style.backgroundColor} ${style.borderBottomColor} ${style.borderBottomWidth}`;
    });
  const crisisLook = await look();
  await app.screenshot('arrival-crisis-de', { title: 'incoming crisis handoff (de)' });
  await expectAccessible(page, 'crisis arrival (de)');
  await app.setLanguage('en');
  await expect(arrival).toContainText('Crisis');
  await expect(app.bot.takeOver).toHaveText('Take over the call');
  await app.screenshot('arrival-crisis-en', { title: 'incoming crisis handoff (en)' });
  await expectAccessible(page, 'crisis arrival (en)');
  await app.setLanguage('de');

  feed.sendEvent('bot.state', handoff('emergency', 'Anliegen: Notlage. Notrufnummern genannt.'));
  await expect(arrival).toHaveAttribute('data-urgency', 'emergency');
  await expect(arrival.locator('.arrival-badge')).toHaveText('Notfall');
  await app.screenshot('arrival-emergency-de', { title: 'incoming emergency handoff (de)' });

  // A normal handoff looks different from both.
  feed.sendEvent('bot.state', {
    ...handoff('crisis', 'Anliegen: Zahlungstermin.'),
    intent: 'payment_date',
    handoff: { reason: 'human_request', priority: false, summary: 'Anliegen: Zahlungstermin.' },
  });
  await expect(arrival).toHaveAttribute('data-urgency', '');
  expect(await look(), 'a normal handoff does not look like a crisis').not.toBe(crisisLook);
  await app.setLanguage('en');
  await app.screenshot('arrival-handoff-en', { title: 'incoming handed-over call (normal, en)' });
  await app.setLanguage('de');

  // Taken like any other.
  await app.bot.takeOver.focus();
  await page.keyboard.press('Enter');
  await expect(app.deskNotice).toContainText('Gespräch übernommen');
  feed.dropFromEngine(() => false);

  // A second caller while busy arrives the same way. (With bot first on, the
  // bot would take them on a line of its own: bot-lines.spec.ts. Off, they knock.)
  await app.bot.setFirst(false);
  const second = await callers.start({ name: 'second', microphone: silentMicrophone });
  await registerCaller(second, kamailio, { user: 'zweiter' });
  await second.call('agent');
  const waiting = app.arrival;
  await expect(waiting).toHaveAttribute('data-kind', 'waiting', { timeout: 15_000 });
  await expect(waiting).toContainText('Zweiter Anruf (Anklopfen)');
  await expect(waiting).toContainText('zweiter');
  const answerAndHold = waiting.getByRole('button', {
    name: 'Annehmen, aktuelles Gespräch halten',
  });
  await expect(answerAndHold).toBeFocused();
  const secondBox = await answerAndHold.boundingBox();
  expect(secondBox && secondBox.y >= 0 && secondBox.y + secondBox.height <= 768).toBe(true);
  await app.screenshot('arrival-second-call-de', { title: 'second call while busy (de)' });
  await page.keyboard.press('Enter');
  await second.waitForCallState('established', 10_000);
  await expect(app.otherCalls).toHaveCount(1);
  await expect(app.deskNotice).toContainText('Anruf angenommen');
  // The second caller hangs up: the first comes forward, still held; resumed.
  await second.hangup();
  await expect(app.callRemote).toContainText('anrufer', { timeout: 10_000 });
  await expect(app.callState).toHaveAttribute('data-held', 'true');

  await caller.hangup();
  await app.expectCall('ended');
});
