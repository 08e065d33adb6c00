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
import { chromium, expect, test, type Browser, type Locator } from '@playwright/test';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { chromiumAvailable, chromiumLaunchOptions } from '../testbed/chromium';
import { kamailioAvailable, startKamailio, type Kamailio } from '../testbed/kamailio';
import { TestCaller } from '../testbed/test-caller';
import { attachLogsOnFailure } from './support/attach-logs';
import { LotsePage } from './support/lotse-page';
import { startLotseWeb, type LotseWeb } from './support/lotse-web';

test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
test.skip(
  !kamailioAvailable() || !chromiumAvailable(),
  'needs Debian packages kamailio and chromium',
);

const CALLER_HZ = 700;
const COLLEAGUE_HZ = 1300;
/** The engine's test tone ("Testton senden"), 3 s. */
const APP_TONE_HZ = 1000;
const TOLERANCE_HZ = 60;

let kamailio: Kamailio | undefined;
let lotse: LotseWeb | undefined;
let appBrowser: Browser | undefined;
let caller: TestCaller | undefined;
let colleague: TestCaller | undefined;
let app: LotsePage;
const pageErrors: string[] = [];
/** What the specs measured, printed at the end. */
const figures: Record<string, unknown> = {};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} was not started`);
  return value;
}

async function openAgent(
  browser: Browser,
  web: LotseWeb,
  k: Kamailio,
  user: string,
): Promise<LotsePage> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(`${user}: ${error.message}`));
  const agent = new LotsePage(page);
  await agent.open(web.url);
  await agent.configureAccount({ serverUrl: k.wsUrl, sipUri: `sip:${user}@127.0.0.1` });
  await agent.register();
  await agent.expectRegistration('registered');
  return agent;
}

test.beforeAll(async () => {
  const silence = makeToneSequenceWav([{ frequencyHz: null, seconds: 5 }]);
  [kamailio, lotse] = await Promise.all([startKamailio(), startLotseWeb()]);
  [appBrowser, caller, colleague] = await Promise.all([
    chromium.launch(chromiumLaunchOptions({ fakeAudioFile: silence })),
    TestCaller.start({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: CALLER_HZ, seconds: 30 }]),
    }),
    TestCaller.start({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: COLLEAGUE_HZ, seconds: 30 }]),
    }),
  ]);
  const k = kamailio;
  app = await openAgent(appBrowser, lotse, k, 'agent');
  const [c, b] = await Promise.all([
    caller.register({ wsUrl: k.wsUrl, user: 'anrufer', domain: k.domain }),
    colleague.register({ wsUrl: k.wsUrl, user: 'kollegin', domain: k.domain }),
  ]);
  expect(c.state).toBe('registered');
  expect(b.state).toBe('registered');
});

test.afterEach(async () => {
  await attachLogsOnFailure({
    'kamailio.log': () => kamailio?.log(),
    'engine.log': () => (lotse ? JSON.stringify(lotse.engineLog(), null, 1) : undefined),
    'caller-console.log': () => caller?.consoleLog(),
    'colleague-console.log': () => colleague?.consoleLog(),
  });
  // Leave no call behind for the next test, whatever this one left.
  await Promise.allSettled([caller?.hangup(), colleague?.hangup()]);
  await hangUpEverything(app);
});

test.afterAll(async () => {
  console.log(`[transfer] figures ${JSON.stringify(figures)}`);
  await Promise.allSettled([caller?.close(), colleague?.close(), appBrowser?.close()]);
  await Promise.allSettled([lotse?.stop(), kamailio?.stop()]);
});

/** Hangs up / declines every call the page shows, then closes the ended one. */
async function hangUpEverything(agent: LotsePage | undefined): Promise<void> {
  if (!agent) return;
  for (let i = 0; i < 6; i++) {
    const button = agent.page
      .getByTestId('call-panel')
      .getByRole('button', { name: /^(Auflegen|Ablehnen|Rückfrage beenden)$/ })
      .first();
    if ((await button.count()) === 0) break;
    await button.click().catch(() => undefined);
    await agent.page.waitForTimeout(300);
  }
  const close = agent.button('Schließen');
  if (await close.isVisible().catch(() => false)) await close.click();
  await agent.expectCall('idle');
}

function expectNoPageErrors(): void {
  expect(pageErrors, 'uncaught errors in the app pages').toEqual([]);
}

/** The foreground call's own buttons (not those of the other calls). */
function mainButton(agent: LotsePage, name: string): Locator {
  return agent.page.getByTestId('call-buttons').getByRole('button', { name, exact: true });
}

function otherCalls(agent: LotsePage): Locator {
  return agent.page.getByTestId('other-calls').getByRole('listitem');
}

async function closeEndedCall(agent: LotsePage): Promise<void> {
  await agent.expectCall('ended');
  await agent.button('Schließen').click();
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
    await expect(agent.page.getByTestId('call-panel')).toHaveAttribute('data-alert', 'ringtone');
    await mainButton(agent, 'Annehmen').click();
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
    .poll(async () => {
      const { call } = await who.state();
      return call.remoteUser === remoteUser ? call.state : `${call.state} with ${call.remoteUser}`;
    })
    .toBe(state);
  return who.state();
}

/** What `who` hears for about a second: asserts the frequency, returns the measurement. */
async function expectHears(who: TestCaller, hz: number, label: string) {
  const heard = await who.measureRemoteAudio(1200);
  expect(
    Math.abs(heard.dominantFrequencyHz - hz),
    `${label}: heard ${heard.dominantFrequencyHz} Hz at ${heard.rmsDbfs} dBFS, wanted ${hz} Hz`,
  ).toBeLessThan(TOLERANCE_HZ);
  expect(heard.rmsDbfs, `${label}: level`).toBeGreaterThan(-50);
  return heard;
}

/**
 * Starts the engine's 3 s test tone in the agent's foreground call and
 * measures what two parties hear meanwhile.
 */
async function duringAppTone(agent: LotsePage, a: TestCaller, b: TestCaller) {
  await mainButton(agent, 'Testton senden').click();
  // Network and jitter buffer: the tone needs a moment to arrive.
  await agent.page.waitForTimeout(400);
  const [heardA, heardB] = await Promise.all([
    a.measureRemoteAudio(1200),
    b.measureRemoteAudio(1200),
  ]);
  return { heardA, heardB };
}

function expectTone(heard: { dominantFrequencyHz: number; rmsDbfs: number }, label: string) {
  expect(
    Math.abs(heard.dominantFrequencyHz - APP_TONE_HZ),
    `${label}: heard ${heard.dominantFrequencyHz} Hz at ${heard.rmsDbfs} dBFS`,
  ).toBeLessThan(TOLERANCE_HZ);
  expect(heard.rmsDbfs, `${label}: level`).toBeGreaterThan(-50);
}

function expectSilence(heard: { dominantFrequencyHz: number; rmsDbfs: number }, label: string) {
  expect(
    heard.rmsDbfs,
    `${label}: should hear nothing, heard ${heard.dominantFrequencyHz} Hz`,
  ).toBeLessThan(-60);
}

test('blind transfer: REFER with progress from NOTIFY; caller and colleague hear each other', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  await b.answerNextIncoming({ autoAnswer: false });
  await callerCallsAgent(c, app);

  // The keyboard shortcut opens the transfer field and puts the cursor there.
  await expect(app.button('Vermitteln')).toHaveAttribute('aria-keyshortcuts', 'Control+Alt+W');
  await app.page.keyboard.press('Control+Alt+W');
  const field = app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)');
  await expect(field).toBeFocused();
  await field.fill('kollegin');
  const t0 = Date.now();
  await app.button('Direkt vermitteln').click();

  const status = app.page.getByTestId('transfer-status');
  await b.waitForCallState('ringing');
  // The caller's NOTIFY with "SIP/2.0 180 Ringing" reached the app.
  await expect(status).toHaveAttribute('data-state', 'ringing');
  await expect(status).toContainText('Vermittlung an kollegin: es klingelt');
  await b.answer();
  await b.waitForCallState('established');
  await app.expectCall('ended');
  figures.blindClickToLegEndedInclAnswerMs = Date.now() - t0;
  await expect(app.page.getByTestId('call-end-reason')).toContainText(
    'Vermittelt an kollegin / transferred to kollegin',
  );
  await expect(otherCalls(app)).toHaveCount(0);

  const callerState = await waitForCall(c, 'kollegin');
  expect(callerState.referrals.at(-1)).toEqual({
    referTo: 'sip:kollegin@127.0.0.1',
    replaces: false,
  });
  figures.blindColleagueHears = await expectHears(b, CALLER_HZ, 'colleague hears the caller');
  figures.blindCallerHears = await expectHears(c, COLLEAGUE_HZ, 'caller hears the colleague');

  await closeEndedCall(app);
  await c.hangup();
  await b.waitForCallState('terminated');
  expectNoPageErrors();
});

test('blind transfer to an unknown number fails with the reason; the call goes on', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  await callerCallsAgent(c, app);
  await app.button('Vermitteln').click();
  await app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)').fill('niemand');
  await app.button('Direkt vermitteln').click();
  const status = app.page.getByTestId('transfer-status');
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status).toHaveAttribute('data-status-code', '404');
  await expect(status).toContainText('Teilnehmer unbekannt / not found (404)');
  // Still connected, and the caller still hears the agent's side.
  await app.expectCall('connected');
  const state = await c.waitForCallState('established');
  expect(state.call.remoteUser).toBe('agent');
  const { heardA } = await duringAppTone(app, c, b);
  expectTone(heardA, 'caller after the failed transfer');
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await closeEndedCall(app);
  expectNoPageErrors();
});

test('attended transfer: consult (caller held, silent), "Verbinden" sends REFER with Replaces', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  await b.answerNextIncoming({ autoAnswer: true });
  await callerCallsAgent(c, app);

  await app.button('Vermitteln').click();
  await app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)').fill('kollegin');
  await app.button('Rückfrage').click();
  await waitForCall(b, 'agent');
  await app.expectCall('connected');
  await expect(app.page.getByTestId('call-consult')).toBeVisible();
  await expect(app.page.getByTestId('call-remote')).toContainText('kollegin');
  await expect(otherCalls(app)).toHaveCount(1);
  await expect(otherCalls(app)).toHaveAttribute('data-held', 'true');
  await expect(otherCalls(app)).toContainText('anrufer');

  // The held caller hears nothing while the colleague hears the app's tone.
  const { heardA: held, heardB: consulted } = await duringAppTone(app, c, b);
  figures.consultHeldCallerRmsDbfs = held.rmsDbfs;
  expectSilence(held, 'held caller');
  expectTone(consulted, 'consulted colleague');

  const t0 = Date.now();
  await app.button('Verbinden').click();
  await app.expectCall('ended');
  await expect(app.page.getByTestId('call-end-reason')).toContainText('Vermittelt an kollegin');
  await expect(otherCalls(app)).toHaveCount(0);
  figures.attendedVerbindenToEndedMs = Date.now() - t0;

  const callerState = await waitForCall(c, 'kollegin');
  expect(callerState.referrals.at(-1)?.replaces).toBe(true);
  await expect.poll(async () => (await b.state()).replacedCalls).toBe(1);
  await waitForCall(b, 'anrufer');
  figures.attendedColleagueHears = await expectHears(b, CALLER_HZ, 'colleague hears the caller');
  figures.attendedCallerHears = await expectHears(c, COLLEAGUE_HZ, 'caller hears the colleague');

  await closeEndedCall(app);
  await c.hangup();
  await b.waitForCallState('terminated');
  expectNoPageErrors();
});

test('attended transfer, cancelled: "Rückfrage beenden" returns to the caller with audio', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  await b.answerNextIncoming({ autoAnswer: true });
  await callerCallsAgent(c, app);
  await app.button('Vermitteln').click();
  await app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)').fill('kollegin');
  await app.button('Rückfrage').click();
  await waitForCall(b, 'agent');
  await expect(app.page.getByTestId('call-consult')).toBeVisible();
  await app.button('Rückfrage beenden').click();
  await b.waitForCallState('terminated');
  await expect(app.page.getByTestId('call-remote')).toContainText('anrufer');
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  await expect(otherCalls(app)).toHaveCount(0);
  // The caller hears the agent's side again.
  const { heardA } = await duringAppTone(app, c, b);
  expectTone(heardA, 'caller after the consultation');
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await closeEndedCall(app);
  expectNoPageErrors();
});

test('call waiting: knock tone, "Annehmen & Halten", "Wechseln"; the held caller hears silence', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  const panel = app.page.getByTestId('call-panel');
  await callerCallsAgent(c, app);
  await b.call('agent');
  await b.waitForCallState('ringing');
  await expect(panel).toHaveAttribute('data-alert', 'waiting');
  await expect(otherCalls(app)).toHaveAttribute('data-waiting', 'true');
  await expect(otherCalls(app)).toContainText('kollegin');
  // The first call is still the foreground one.
  await expect(app.page.getByTestId('call-remote')).toContainText('anrufer');
  await app.expectCall('connected');

  await otherCalls(app).getByRole('button', { name: 'Annehmen & Halten' }).click();
  await b.waitForCallState('established');
  await expect(app.page.getByTestId('call-remote')).toContainText('kollegin');
  await expect(panel).toHaveAttribute('data-alert', 'none');
  await expect(otherCalls(app)).toHaveAttribute('data-held', 'true');
  await expect(otherCalls(app)).toContainText('anrufer');
  const first = await duringAppTone(app, c, b);
  expectSilence(first.heardA, 'held first caller');
  expectTone(first.heardB, 'second caller');
  // The app hears the second caller now (the caller leg follows the foreground call).
  const tSecond = await app.now();
  await expect
    .poll(async () => Math.max(-200, ...(await app.levels('caller', tSecond)).map((l) => l.dbfs)))
    .toBeGreaterThan(-40);

  await otherCalls(app).getByRole('button', { name: 'Wechseln' }).click();
  await expect(app.page.getByTestId('call-remote')).toContainText('anrufer');
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  await expect(otherCalls(app)).toHaveAttribute('data-held', 'true');
  await expect(otherCalls(app)).toContainText('kollegin');
  const swapped = await duringAppTone(app, c, b);
  expectTone(swapped.heardA, 'first caller after the swap');
  expectSilence(swapped.heardB, 'held second caller');
  figures.callWaiting = {
    heldFirstRmsDbfs: first.heardA.rmsDbfs,
    secondHz: first.heardB.dominantFrequencyHz,
    afterSwapFirstHz: swapped.heardA.dominantFrequencyHz,
    afterSwapHeldSecondRmsDbfs: swapped.heardB.rmsDbfs,
  };

  // The first caller is hung up: the held one comes forward, still held; resume it.
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await expect(app.page.getByTestId('call-remote')).toContainText('kollegin');
  await expect(app.callState).toHaveAttribute('data-held', 'true');
  await expect(app.page.getByTestId('call-notice')).toContainText('anrufer');
  await mainButton(app, 'Fortsetzen').click();
  await expect(app.callState).toHaveAttribute('data-held', 'false');
  const resumed = await duringAppTone(app, b, c);
  expectTone(resumed.heardA, 'second caller after resume');
  await mainButton(app, 'Auflegen').click();
  await b.waitForCallState('terminated');
  await closeEndedCall(app);
  expectNoPageErrors();
});

test('call waiting, declined: 486 at the caller, listed as missed; auto-answer does not take it', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  const autoAnswer = app.page.getByRole('checkbox', { name: 'Anrufe automatisch annehmen' });
  await autoAnswer.check();
  try {
    await callerCallsAgent(c, app, 'agent', false);
    await b.call('agent');
    await b.waitForCallState('ringing');
    await expect(otherCalls(app)).toHaveAttribute('data-waiting', 'true');
    // Auto-answer is on, yet the knocking call is not taken.
    await app.page.waitForTimeout(1500);
    expect((await b.state()).call.state).toBe('ringing');
    await expect(app.page.getByTestId('call-remote')).toContainText('anrufer');

    await otherCalls(app).getByRole('button', { name: 'Ablehnen' }).click();
    const declined = await b.waitForCallState('terminated').catch(async () => b.state());
    expect(declined.call.state).toBe('terminated');
    expect(declined.call.statusCode).toBe(486);
    const missed = app.page.getByTestId('missed-calls').getByRole('listitem').first();
    await expect(missed).toContainText('kollegin');
    await expect(missed).toContainText('Besetzt');
    await app.expectCall('connected');
    expect((await c.state()).call.state).toBe('established');
  } finally {
    await autoAnswer.uncheck();
  }
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await closeEndedCall(app);
  await app.button('Liste leeren').click();
  expectNoPageErrors();
});

test('incoming REFER: the app follows it and the target hears the app; a failed one keeps the call; off: 603', async () => {
  const c = need(caller, 'caller');
  const b = need(colleague, 'colleague');
  await b.answerNextIncoming({ autoAnswer: true });
  await callerCallsAgent(c, app);
  await c.refer('kollegin');
  await waitForCall(b, 'agent');
  await expect(app.page.getByTestId('call-remote')).toContainText('kollegin');
  await expect(app.page.getByTestId('call-referred-by')).toContainText('anrufer');
  await app.expectCall('connected');
  const referrer = await c.waitForCallState('terminated');
  expect(referrer.call.endReason).toBe('remote-hangup');
  expect(referrer.outgoingRefer?.statusCode).toBe(202);
  expect(referrer.outgoingRefer?.notifications).toContain('SIP/2.0 200 OK');
  await expect(otherCalls(app)).toHaveCount(0);
  await mainButton(app, 'Testton senden').click();
  await app.page.waitForTimeout(400);
  expectTone(await b.measureRemoteAudio(1200), 'transfer target hears the app');
  await mainButton(app, 'Auflegen').click();
  await b.waitForCallState('terminated');
  await closeEndedCall(app);

  // A REFER to nobody: the app tries, the target is unknown, the call with the caller goes on.
  await callerCallsAgent(c, app);
  await c.refer('niemand');
  await expect
    .poll(async () => (await c.state()).outgoingRefer?.notifications ?? [])
    .toContain('SIP/2.0 404 Not Found');
  await expect(app.page.getByTestId('call-notice')).toContainText('niemand');
  await expect(app.page.getByTestId('call-remote')).toContainText('anrufer');
  await app.expectCall('connected');
  await expect(otherCalls(app)).toHaveCount(0);
  expect((await c.state()).call.state).toBe('established');
  await mainButton(app, 'Testton senden').click();
  await app.page.waitForTimeout(400);
  expectTone(await c.measureRemoteAudio(1200), 'caller after a REFER that failed');
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await closeEndedCall(app);

  const follow = app.page.getByRole('checkbox', {
    name: 'Weiterleitungen der Gegenseite folgen (REFER)',
  });
  await follow.uncheck();
  try {
    await callerCallsAgent(c, app);
    await c.refer('kollegin');
    await expect.poll(async () => (await c.state()).outgoingRefer?.statusCode).toBe(603);
    await expect(app.page.getByTestId('call-notice')).toContainText('abgelehnt');
    await app.expectCall('connected');
    expect((await c.state()).call.state).toBe('established');
    expect((await b.state()).call.state).toBe('terminated');
  } finally {
    await follow.check();
  }
  await mainButton(app, 'Auflegen').click();
  await c.waitForCallState('terminated');
  await closeEndedCall(app);
  expectNoPageErrors();
});

test('attended transfer to a second Lotse agent: it takes the INVITE with Replaces at once', async () => {
  const c = need(caller, 'caller');
  const k = need(kamailio, 'Kamailio');
  const browser = need(appBrowser, 'app browser');
  const second = await startLotseWeb();
  let agentB: LotsePage | undefined;
  try {
    agentB = await openAgent(browser, second, k, 'agentin');
    const b = agentB;
    await callerCallsAgent(c, app);
    await app.button('Vermitteln').click();
    await app.page.getByLabel('Vermitteln an (Rufnummer oder SIP-Adresse)').fill('agentin');
    await app.button('Rückfrage').click();
    await b.expectCall('ringing');
    await mainButton(b, 'Annehmen').click();
    await b.expectCall('connected');
    await app.expectCall('connected');
    await expect(app.page.getByTestId('call-consult')).toBeVisible();
    const consultId = await b.callState.getAttribute('data-call-id');

    await app.button('Verbinden').click();
    await app.expectCall('ended');
    await expect(app.page.getByTestId('call-end-reason')).toContainText('Vermittelt an agentin');
    // The second agent's call is now the caller, without ringing.
    await expect(b.page.getByTestId('call-remote')).toContainText('anrufer');
    await b.expectCall('connected');
    expect(await b.callState.getAttribute('data-call-id')).not.toBe(consultId);
    await expect(otherCalls(b)).toHaveCount(0);
    await waitForCall(c, 'agentin');
    // Both ways: the second agent's engine hears the caller's tone, the caller hears its test tone.
    const tB = await b.now();
    await expect
      .poll(async () => Math.max(-200, ...(await b.levels('caller', tB)).map((l) => l.dbfs)))
      .toBeGreaterThan(-40);
    await mainButton(b, 'Testton senden').click();
    await b.page.waitForTimeout(400);
    expectTone(await c.measureRemoteAudio(1200), 'caller hears the second agent');
    await closeEndedCall(app);
    await mainButton(b, 'Auflegen').click();
    await c.waitForCallState('terminated');
    await closeEndedCall(b);
  } finally {
    await agentB?.page.close().catch(() => undefined);
    await second.stop();
  }
  expectNoPageErrors();
});
