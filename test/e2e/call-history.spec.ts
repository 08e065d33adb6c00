/**
 * Call history and the incoming-call notification, end to end: Lotse in web
 * mode (real engine process with its SQLite history, real renderer in
 * Debian's Chromium) registered at a real Kamailio; a test caller (sip.js in
 * a second Chromium) named "Erika Mustermann" calls and is called back.
 *
 *   - a call that rings while Lotse is in the background raises a desktop
 *     notification with the caller's name and number; clicking it brings
 *     Lotse to the front;
 *   - the answered call is in the history panel, found by searching part of
 *     the name, with direction, outcome and who took it;
 *   - "Zurückrufen" on that row starts a real outgoing call to the same
 *     number, which the caller receives;
 *   - no notification while Lotse has the focus or when switched off, and
 *     calls nobody answered are listed as missed;
 *   - the history is still there after the engine restarts.
 *
 * The page's Notification and document.hasFocus are replaced by spies
 * (support/notification-spy.ts); the notification permission itself is the
 * browser's real one, granted to the context as the desktop shell grants it.
 */
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import type { TestCaller } from '../testbed/test-caller';
import { expect, test as base, WORKER } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import { NotificationSpy } from './support/notification-spy';
import { skipWithout } from './support/test-bed-packages';

const CALLER = { user: 'erika', displayName: 'Erika Mustermann' };

/** The notification spies, in the desk's page before the app loads. */
const test = base.extend<object, { notifications: NotificationSpy }>({
  notifications: [async ({ appPage }, use) => use(await NotificationSpy.install(appPage)), WORKER],
  // Installed before the app loads.
  deskSetup: [async ({ notifications: _installed }, use) => use(), WORKER],
});

test.use({
  bed: {
    agentMicrophone: () =>
      makeToneSequenceWav([
        { frequencyHz: 440, seconds: 0.4 },
        { frequencyHz: null, seconds: 0.1 },
      ]),
    callerAccount: CALLER,
    viewport: { width: 1366, height: 900 },
    permissions: ['notifications'],
  },
});
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

/** The caller calls, the app rings; the caller gives up before anyone answers. */
async function unansweredCall(app: LotsePage, caller: TestCaller): Promise<void> {
  await caller.call('agent');
  await app.expectCall('ringing');
  await caller.hangup();
  await app.closeEndedCall();
}

test('a call rings while Lotse is in the background: a notification names the caller, a click brings Lotse up', async ({
  agent: app,
  caller: c,
  notifications,
}) => {
  await app.view('settings');
  await expect(app.history.notifySetting).toBeChecked();
  await app.view('workspace');
  await c.call('agent');
  await app.expectCall('ringing');
  await expect.poll(async () => (await notifications.shown()).length).toBe(1);
  const [shown] = await notifications.shown();
  expect(shown?.title).toBe('Lotse: Eingehender Anruf');
  expect(shown?.body).toBe(`${CALLER.displayName} (${CALLER.user}) ruft an.`);
  expect(shown?.closed).toBe(false);

  await notifications.clickFirst();
  expect(await notifications.focusCalls()).toBe(1);
  expect((await notifications.shown())[0]?.closed).toBe(true);

  await app.answer();
  await c.waitForCallState('established', 10_000);
  // Long enough to be listed with a duration (0:01 or more).
  await app.expectCallLasted(1);
  await app.hangUp();
  await c.waitForCallState('terminated', 10_000);
  await app.closeEndedCall();
  expect(await notifications.shown()).toHaveLength(1);
});

test('the call is in the history, found by searching the name; call back dials that number', async ({
  agent: app,
  caller: c,
}) => {
  const { history } = app;
  const rows = history.rows;
  await history.open();
  await history.search.fill('muster');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toHaveAttribute('data-number', CALLER.user);
  await expect(row).toHaveAttribute('data-direction', 'incoming');
  await expect(row).toHaveAttribute('data-outcome', 'answered');
  await expect(row).toHaveAttribute('data-handled-by', 'person');
  await expect(row).toContainText('Erika Mustermann');
  await expect(row).toContainText('Eingehend');
  await expect(row).toContainText('Angenommen');
  await expect(row).toContainText('Mitarbeiter/in');
  await expect(row.locator('.history-duration')).toHaveText(/^0:0[1-9]$/);
  await expect(history.range).toHaveText('1–1 von 1');

  // A search that matches nothing, and a filter that excludes the call.
  await history.search.fill('niemand');
  await expect(rows).toHaveCount(0);
  await expect(history.range).toHaveText('Keine Anrufe gefunden.');
  await history.search.fill('ERIKA');
  await history.filterOutcome('Verpasst');
  await expect(rows).toHaveCount(0);
  await history.filterOutcome('Angenommen');
  await expect(rows).toHaveCount(1);

  // Call back: one click on the row starts an outgoing call to that number.
  await c.answerNextIncoming({ autoAnswer: true });
  const callBack = history.callBack(rows.first(), `${CALLER.displayName} (${CALLER.user})`);
  await expect(callBack).toBeEnabled();
  await callBack.click();
  // The call is on the workspace, which comes to the front by itself.
  await expect(app.page.getByTestId('view-workspace')).toBeVisible();
  await app.expectCall('connected');
  const callee = await c.waitForCallState('established', 10_000);
  expect(callee.call.direction).toBe('incoming');
  expect(callee.call.remoteUser).toBe('agent');
  await expect(app.callRemote).toContainText(CALLER.user);
  // While the call is on, call back is not offered.
  await history.open();
  await expect(callBack).toBeDisabled();

  // The new call is listed at once, as outgoing and still on.
  await history.resetFilters();
  await history.search.fill(CALLER.user);
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-direction', 'outgoing');
  await expect(rows.first()).toHaveAttribute('data-outcome', /^(ongoing|answered)$/);
  await app.expectCallLasted(1);
  await c.hangup();
  await app.view('workspace');
  await app.closeEndedCall();
  await expect(rows.first()).toHaveAttribute('data-outcome', 'answered');
  await expect(rows.first()).toHaveAttribute('data-handled-by', 'person');
  await expect(rows.first()).toContainText('Ausgehend');
});

test('no notification while Lotse has the focus or when switched off; unanswered calls are missed', async ({
  agent: app,
  caller,
  notifications,
  pageErrors,
}) => {
  const { history } = app;
  const before = (await notifications.shown()).length;
  await notifications.setAppFocused(true);
  await unansweredCall(app, caller);
  await notifications.setAppFocused(false);
  await app.view('settings');
  await history.notifySetting.uncheck();
  await unansweredCall(app, caller);
  await app.view('settings');
  await history.notifySetting.check();
  expect(await notifications.shown()).toHaveLength(before);

  await history.open();
  await history.resetFilters();
  await history.filterOutcome('Verpasst');
  await expect(history.rows).toHaveCount(2);
  await expect(history.rows.first()).toHaveAttribute('data-handled-by', '');
  await expect(history.rows.first()).toContainText('Verpasst');
  await history.filterDirection('Ausgehend');
  await expect(history.rows).toHaveCount(0);
  pageErrors.expectNone('uncaught errors in the app page');
});

test('the history is still there after the engine restarts', async ({ app, lotse }) => {
  const { history } = app;
  await lotse.restart();
  await app.open(lotse.url);
  await history.open();
  await history.search.fill(CALLER.user);
  await expect(history.rows).toHaveCount(4);
  await expect(history.range).toHaveText('1–4 von 4');
  const outcomes = await history.rows.evaluateAll((elements) =>
    elements.map((e) => `${e.getAttribute('data-direction')} ${e.getAttribute('data-outcome')}`),
  );
  expect(outcomes).toEqual([
    'incoming missed',
    'incoming missed',
    'outgoing answered',
    'incoming answered',
  ]);
});
