/**
 * Transfers and call waiting in a real phone network: the app (web mode,
 * real engine, Debian's Chromium) registered at Kamailio as "agent"; a
 * caller (sip.js test caller, 700 Hz tone as its microphone) and a colleague
 * (second test caller, 1300 Hz) registered as "anrufer" and "kollegin"; for
 * the attended transfer to a second agent, a second Lotse instance as
 * "agentin". The app's own microphone is silent, so what the far ends hear
 * from it is only the engine's 1000 Hz test tone.
 *
 * Checked where it counts, by frequency at the far ends:
 *   - blind transfer (REFER): the app shows the progress from the NOTIFYs,
 *     the colleague rings, answers, and caller and colleague hear each
 *     other; the app has no call left. A transfer to an unknown number
 *     fails with the reason and the call goes on.
 *   - attended transfer: the consultation call holds the caller (silence
 *     even while the app sends its tone), "Verbinden" sends REFER with
 *     Replaces, the colleague's call is replaced, both hear each other; the
 *     same to a second Lotse, which takes the INVITE with Replaces at once.
 *   - call waiting: a second call knocks (call-waiting tone, not the
 *     ringtone, never auto-answered), "Annehmen & Halten" holds the first
 *     caller (silence) and connects the second, "Wechseln" swaps, "Ablehnen"
 *     gives the caller 486 and a missed-call entry.
 *   - an incoming REFER: the app follows it and the target hears the app;
 *     with the policy off it refuses (603) and the call goes on.
 */
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import type { TestCaller } from '../testbed/test-caller';
import { registerCaller } from './support/callers';
import { expect, openDesk, test as base, type Figures, WORKER } from './support/fixtures';
import {
  expectHearsTone,
  expectSilence,
  expectTone,
  hearTogether,
  type Heard,
  type Listener,
} from './support/hearing';
import type { LotsePage } from './support/lotse-page';
import { startLotseWeb } from './support/lotse-web';
import { expectStays } from './support/stays';
import { toneMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

const CALLER_HZ = 700;
const COLLEAGUE_HZ = 1300;
/** The engine's test tone ("Testton senden"), 3 s. */
const APP_TONE_HZ = 1000;
const TOLERANCE_HZ = 60;

/**
 * `colleague`: a second test caller, "kollegin", playing 1300 Hz.
 * `secondAgent`: a second Lotse instance with its own desk, "agentin"
 * (stopped when the test ends).
 */
const test = base.extend<{ secondAgent: LotsePage }, { colleague: TestCaller }>({
  colleague: [
    async ({ callers, kamailio }, use) => {
      const colleague = await callers.start({
        name: 'colleague',
        microphone: toneMicrophone(COLLEAGUE_HZ, 30),
      });
      await registerCaller(colleague, kamailio, { user: 'kollegin' });
      await use(colleague);
    },
    WORKER,
  ],
  secondAgent: async ({ appBrowser, kamailio, bed, pageErrors, evidence }, use) => {
    const second = await startLotseWeb();
    evidence.addForTest('second lotse.log', () => second.output());
    const page = await appBrowser.newPage({ viewport: bed.viewport });
    try {
      pageErrors.watch(page, 'agentin');
      const agentB = await openDesk(page, second, bed);
      await agentB.signIn(kamailio.wsUrl, 'agentin');
      await use(agentB);
    } finally {
      await page.close().catch(() => undefined);
      await second.stop();
    }
  },
});

test.use({
  bed: {
    noPageErrors: true,
    agentMicrophone: () => makeToneSequenceWav([{ frequencyHz: null, seconds: 5 }]),
    callerMicrophone: toneMicrophone(CALLER_HZ, 30),
    viewport: { width: 1366, height: 1000 },
  },
});
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

test.afterEach(async ({ caller, colleague, agent }) => {
  // Leave no call behind for the next test, whatever this one left.
  await Promise.allSettled([caller.hangup(), colleague.hangup()]);
  await hangUpEverything(agent);
});

/**
 * Hangs up / declines every call the page shows, then closes the ended one:
 * each click ends one call and the next comes forward, until none is left.
 */
async function hangUpEverything(agent: LotsePage): Promise<void> {
  const enders = agent.callPanel.getByRole('button', {
    name: /^(Auflegen|Ablehnen|Rückfrage beenden)$/,
  });
  await expect(async () => {
    if ((await enders.count()) > 0) await enders.first().click({ timeout: 2000 });
    expect(await enders.count(), 'calls left on the desk').toBe(0);
  }).toPass({ timeout: 20_000 });
  const close = agent.callButton('Schließen');
  if (await close.isVisible().catch(() => false)) await close.click();
  await agent.expectCall('idle');
}

/** The caller calls the agent, who answers by click (unless auto-answer is on). */
async function callerCallsAgent(
  c: TestCaller,
  agent: LotsePage,
  user = 'agent',
  click = true,
): Promise<void> {
  await c.call(user);
  if (click) {
    await agent.expectCall('ringing');
    // A call to a free agent rings with the ringtone (a knocking one gets the call-waiting tone).
    await expect(agent.callPanel).toHaveAttribute('data-alert', 'ringtone');
    await agent.callButton('Annehmen').click();
  }
  await agent.expectCall('connected');
  await c.waitForCallState('established');
}

/**
 * Waits until `who`'s current call is with `remoteUser` and in `state`
 * (waitForCallState would return at once on the previous call's end).
 */
async function waitForCall(
  who: TestCaller,
  remoteUser: string,
  state: 'ringing' | 'established' = 'established',
) {
  await expect
    .poll(
      async () => {
        const { call } = await who.state();
        return call.remoteUser === remoteUser
          ? call.state
          : `${call.state} with ${call.remoteUser}`;
      },
      { timeout: 15_000 },
    )
    .toBe(state);
  return who.state();
}

/** What `who` hears, once it is `hz` (media takes a moment after a transfer): the measurement. */
function expectHears(who: Listener, hz: number, label: string): Promise<Heard> {
  return expectHearsTone(who, {
    hz,
    label,
    toleranceHz: TOLERANCE_HZ,
    minDbfs: -50,
    windowMs: 1200,
  });
}

/**
 * Starts the engine's 3 s test tone in the agent's foreground call and
 * measures what two parties hear meanwhile: side by side, in the window in
 * which the tone has arrived at one of them.
 */
async function duringAppTone(agent: LotsePage, a: Listener, b: Listener) {
  await agent.sendTestTone();
  return hearTogether(a, b, { hz: APP_TONE_HZ, toleranceHz: TOLERANCE_HZ, minDbfs: -50 });
}

/** The app's test tone reaches `who` (started just before; it lasts 3 s). */
function expectHearsAppTone(who: Listener, label: string): Promise<Heard> {
  return expectHearsTone(who, {
    hz: APP_TONE_HZ,
    label,
    toleranceHz: TOLERANCE_HZ,
    minDbfs: -50,
    windowMs: 1200,
    timeout: 2_000,
  });
}

function expectAppTone(heard: Heard, label: string) {
  expectTone(heard, { hz: APP_TONE_HZ, label, toleranceHz: TOLERANCE_HZ, minDbfs: -50 });
}

/** The agent hangs up the foreground call with `party`; both ends are done. */
async function hangUpWith(agent: LotsePage, party: TestCaller): Promise<void> {
  await agent.hangUp();
  await party.waitForCallState('terminated');
  await agent.closeEndedCall();
}

/** The caller still hears the agent's side (the app's tone); then the agent hangs up. */
async function callGoesOnThenHangUp(
  agent: LotsePage,
  c: TestCaller,
  b: TestCaller,
  label: string,
): Promise<void> {
  const { heardA } = await duringAppTone(agent, c, b);
  expectAppTone(heardA, label);
  await hangUpWith(agent, c);
}

/** The caller on the line, the agent consults the colleague (who answers at once): the caller is held. */
async function consultColleague(agent: LotsePage, c: TestCaller, b: TestCaller): Promise<void> {
  await b.answerNextIncoming({ autoAnswer: true });
  await callerCallsAgent(c, agent);
  await agent.transfer.consult('kollegin');
  await waitForCall(b, 'agent');
}

/**
 * After a transfer: caller and colleague hear each other (kept in the
 * figures as `<kind>ColleagueHears`, `<kind>CallerHears`); the agent closes
 * the ended call and the caller hangs up.
 */
async function talkAfterTransfer(
  agent: LotsePage,
  c: TestCaller,
  b: TestCaller,
  figures: Figures,
  kind: string,
): Promise<void> {
  figures[`${kind}ColleagueHears`] = await expectHears(b, CALLER_HZ, 'colleague hears the caller');
  figures[`${kind}CallerHears`] = await expectHears(c, COLLEAGUE_HZ, 'caller hears the colleague');
  await agent.closeEndedCall();
  await c.hangup();
  await b.waitForCallState('terminated');
}

test('blind transfer: REFER with progress from NOTIFY; caller and colleague hear each other', async ({
  agent: app,
  caller: c,
  colleague: b,
  figures,
}) => {
  await b.answerNextIncoming({ autoAnswer: false });
  await callerCallsAgent(c, app);

  // The keyboard shortcut opens the transfer field and puts the cursor there.
  await expect(app.button('Vermitteln')).toHaveAttribute('aria-keyshortcuts', 'Control+Alt+W');
  await app.page.keyboard.press('Control+Alt+W');
  await expect(app.transfer.field).toBeFocused();
  await app.transfer.field.fill('kollegin');
  const t0 = Date.now();
  await app.transfer.sendBlind();

  const status = app.transfer.status;
  await b.waitForCallState('ringing');
  // The caller's NOTIFY with "SIP/2.0 180 Ringing" reached the app.
  await expect(status).toHaveAttribute('data-state', 'ringing');
  await expect(status).toContainText('Vermittlung an kollegin: es klingelt');
  await b.answer();
  await b.waitForCallState('established');
  await app.expectCall('ended');
  figures.blindClickToLegEndedInclAnswerMs = Date.now() - t0;
  await expect(app.endReason).toContainText('Vermittelt an kollegin');
  await expect(app.otherCalls).toHaveCount(0);

  const callerState = await waitForCall(c, 'kollegin');
  expect(callerState.referrals.at(-1)).toEqual({
    referTo: 'sip:kollegin@127.0.0.1',
    replaces: false,
  });
  await talkAfterTransfer(app, c, b, figures, 'blind');
});

test('blind transfer to an unknown number fails with the reason; the call goes on', async ({
  agent: app,
  caller: c,
  colleague: b,
}) => {
  await callerCallsAgent(c, app);
  await app.transfer.blind('niemand');
  const status = app.transfer.status;
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status).toHaveAttribute('data-status-code', '404');
  await expect(status).toContainText('Teilnehmer unbekannt (404)');
  // Still connected, and the caller still hears the agent's side.
  await app.expectCall('connected');
  const state = await c.waitForCallState('established');
  expect(state.call.remoteUser).toBe('agent');
  await callGoesOnThenHangUp(app, c, b, 'caller after the failed transfer');
});

test('attended transfer: consult (caller held, silent), "Verbinden" sends REFER with Replaces', async ({
  agent: app,
  caller: c,
  colleague: b,
  figures,
}) => {
  await consultColleague(app, c, b);
  await app.expectCall('connected');
  await expect(app.transfer.consultBadge).toBeVisible();
  await expect(app.callRemote).toContainText('kollegin');
  await expect(app.otherCalls).toHaveCount(1);
  await expect(app.otherCalls).toHaveAttribute('data-held', 'true');
  await expect(app.otherCalls).toContainText('anrufer');

  // The held caller hears nothing while the colleague hears the app's tone.
  const { heardA: held, heardB: consulted } = await duringAppTone(app, c, b);
  figures.consultHeldCallerRmsDbfs = held.rmsDbfs;
  expectSilence(held, 'held caller');
  expectAppTone(consulted, 'consulted colleague');

  const t0 = Date.now();
  await app.transfer.complete();
  await app.expectCall('ended');
  await expect(app.endReason).toContainText('Vermittelt an kollegin');
  await expect(app.otherCalls).toHaveCount(0);
  figures.attendedVerbindenToEndedMs = Date.now() - t0;

  const callerState = await waitForCall(c, 'kollegin');
  expect(callerState.referrals.at(-1)?.replaces).toBe(true);
  await expect.poll(async () => (await b.state()).replacedCalls).toBe(1);
  await waitForCall(b, 'anrufer');
  await talkAfterTransfer(app, c, b, figures, 'attended');
});

test('attended transfer, cancelled: "Rückfrage beenden" returns to the caller with audio', async ({
  agent: app,
  caller: c,
  colleague: b,
}) => {
  await consultColleague(app, c, b);
  await expect(app.transfer.consultBadge).toBeVisible();
  await app.transfer.cancelConsult();
  await b.waitForCallState('terminated');
  await expect(app.callRemote).toContainText('anrufer');
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  await expect(app.otherCalls).toHaveCount(0);
  // The caller hears the agent's side again.
  await callGoesOnThenHangUp(app, c, b, 'caller after the consultation');
});

test('call waiting: knock tone, "Annehmen & Halten", "Wechseln"; the held caller hears silence', async ({
  agent: app,
  caller: c,
  colleague: b,
  figures,
}) => {
  await callerCallsAgent(c, app);
  await b.call('agent');
  await b.waitForCallState('ringing');
  await expect(app.callPanel).toHaveAttribute('data-alert', 'waiting');
  await expect(app.otherCalls).toHaveAttribute('data-waiting', 'true');
  await expect(app.otherCalls).toContainText('kollegin');
  // The first call is still the foreground one.
  await expect(app.callRemote).toContainText('anrufer');
  await app.expectCall('connected');

  await app.otherCallButton('Annehmen & Halten').click();
  await b.waitForCallState('established');
  await expect(app.callRemote).toContainText('kollegin');
  await expect(app.callPanel).toHaveAttribute('data-alert', 'none');
  await expect(app.otherCalls).toHaveAttribute('data-held', 'true');
  await expect(app.otherCalls).toContainText('anrufer');
  const first = await duringAppTone(app, c, b);
  expectSilence(first.heardA, 'held first caller');
  expectAppTone(first.heardB, 'second caller');
  // The app hears the second caller now (the caller leg follows the foreground call).
  const tSecond = await app.now();
  await expect
    .poll(async () => Math.max(-200, await app.maxLevel('caller', tSecond)), { timeout: 15_000 })
    .toBeGreaterThan(-40);

  await app.otherCallButton('Wechseln').click();
  await expect(app.callRemote).toContainText('anrufer');
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  await expect(app.otherCalls).toHaveAttribute('data-held', 'true');
  await expect(app.otherCalls).toContainText('kollegin');
  const swapped = await duringAppTone(app, c, b);
  expectAppTone(swapped.heardA, 'first caller after the swap');
  expectSilence(swapped.heardB, 'held second caller');
  figures.callWaiting = {
    heldFirstRmsDbfs: first.heardA.rmsDbfs,
    secondHz: first.heardB.dominantFrequencyHz,
    afterSwapFirstHz: swapped.heardA.dominantFrequencyHz,
    afterSwapHeldSecondRmsDbfs: swapped.heardB.rmsDbfs,
  };

  // The first caller is hung up: the held one comes forward, still held; resume it.
  await app.hangUp();
  await c.waitForCallState('terminated');
  await expect(app.callRemote).toContainText('kollegin');
  await expect(app.callState).toHaveAttribute('data-held', 'true');
  await expect(app.callNotice).toContainText('anrufer');
  await app.callButton('Fortsetzen').click();
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  const resumed = await duringAppTone(app, b, c);
  expectAppTone(resumed.heardA, 'second caller after resume');
  await hangUpWith(app, b);
});

test('call waiting, declined: 486 at the caller, listed as missed; auto-answer does not take it', async ({
  agent: app,
  caller: c,
  colleague: b,
}) => {
  await app.autoAnswer.check();
  try {
    await callerCallsAgent(c, app, 'agent', false);
    await b.call('agent');
    await b.waitForCallState('ringing');
    await expect(app.otherCalls).toHaveAttribute('data-waiting', 'true');
    // Auto-answer is on, yet the knocking call is not taken: auto-answer
    // would take it at once, so it is watched for 1.5 s.
    await expectStays(
      async () => (await b.state()).call.state,
      'ringing',
      1500,
      'the knocking call keeps ringing',
    );
    await expect(app.callRemote).toContainText('anrufer');

    await app.otherCallButton('Ablehnen').click();
    const declined = await b.waitForCallState('terminated').catch(async () => b.state());
    expect(declined.call.state).toBe('terminated');
    expect(declined.call.statusCode).toBe(486);
    await expect(app.latestMissedCall).toContainText('kollegin');
    await expect(app.latestMissedCall).toContainText('Besetzt');
    await app.expectCall('connected');
    expect((await c.state()).call.state).toBe('established');
  } finally {
    await app.autoAnswer.uncheck();
  }
  await hangUpWith(app, c);
  await app.clearMissedCalls();
});

test('incoming REFER: the app follows it and the target hears the app; a failed one keeps the call; off: 603', async ({
  agent: app,
  caller: c,
  colleague: b,
}) => {
  await b.answerNextIncoming({ autoAnswer: true });
  await callerCallsAgent(c, app);
  await c.refer('kollegin');
  await waitForCall(b, 'agent');
  await expect(app.callRemote).toContainText('kollegin');
  await expect(app.page.getByTestId('call-referred-by')).toContainText('anrufer');
  await app.expectCall('connected');
  const referrer = await c.waitForCallState('terminated');
  expect(referrer.call.endReason).toBe('remote-hangup');
  expect(referrer.outgoingRefer?.statusCode).toBe(202);
  expect(referrer.outgoingRefer?.notifications).toContain('SIP/2.0 200 OK');
  await expect(app.otherCalls).toHaveCount(0);
  await app.sendTestTone();
  await expectHearsAppTone(b, 'transfer target hears the app');
  await hangUpWith(app, b);

  // A REFER to nobody: the app tries, the target is unknown, the call with the caller goes on.
  await callerCallsAgent(c, app);
  await c.refer('niemand');
  await expect
    .poll(async () => (await c.state()).outgoingRefer?.notifications ?? [])
    .toContain('SIP/2.0 404 Not Found');
  await expect(app.callNotice).toContainText('niemand');
  await expect(app.callRemote).toContainText('anrufer');
  await app.expectCall('connected');
  await expect(app.otherCalls).toHaveCount(0);
  expect((await c.state()).call.state).toBe('established');
  await app.sendTestTone();
  await expectHearsAppTone(c, 'caller after a REFER that failed');
  await hangUpWith(app, c);

  const follow = app.policy('Weiterleitungen der Gegenseite folgen (REFER)');
  await follow.uncheck();
  try {
    await callerCallsAgent(c, app);
    await c.refer('kollegin');
    await expect.poll(async () => (await c.state()).outgoingRefer?.statusCode).toBe(603);
    await expect(app.callNotice).toContainText('abgelehnt');
    await app.expectCall('connected');
    expect((await c.state()).call.state).toBe('established');
    expect((await b.state()).call.state).toBe('terminated');
  } finally {
    await follow.check();
  }
  await hangUpWith(app, c);
});

test('attended transfer to a second Lotse agent: it takes the INVITE with Replaces at once', async ({
  agent: app,
  caller: c,
  secondAgent: b,
}) => {
  await callerCallsAgent(c, app);
  await app.transfer.consult('agentin');
  await b.expectCall('ringing');
  await b.callButton('Annehmen').click();
  await b.expectCall('connected');
  await app.expectCall('connected');
  await expect(app.transfer.consultBadge).toBeVisible();
  const consultId = await b.callState.getAttribute('data-call-id');

  await app.transfer.complete();
  await app.expectCall('ended');
  await expect(app.endReason).toContainText('Vermittelt an agentin');
  // The second agent's call is now the caller, without ringing.
  await expect(b.callRemote).toContainText('anrufer');
  await b.expectCall('connected');
  expect(await b.callState.getAttribute('data-call-id')).not.toBe(consultId);
  await expect(b.otherCalls).toHaveCount(0);
  await waitForCall(c, 'agentin');
  // Both ways: the second agent's engine hears the caller's tone, the caller hears its test tone.
  const tB = await b.now();
  await expect
    .poll(async () => Math.max(-200, await b.maxLevel('caller', tB)), { timeout: 15_000 })
    .toBeGreaterThan(-40);
  await b.sendTestTone();
  await expectHearsAppTone(c, 'caller hears the second agent');
  await app.closeEndedCall();
  await b.hangUp();
  await c.waitForCallState('terminated');
  await b.closeEndedCall();
});
