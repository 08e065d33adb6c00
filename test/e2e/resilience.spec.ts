/**
 * A call survives a short outage of the phone server (issue 3), through the
 * real UI, engine, Kamailio and a second sip.js phone (no rtpengine: the
 * media flows peer to peer while only signalling is gone).
 *
 * 1. Kamailio restarts during a call: the call stays connected and says
 *    "reconnecting", the phone registers again within 10 s, re-INVITEs with
 *    an ICE restart (the far end sees a new ice-ufrag and answers 200), and
 *    tones are heard both ways before, during and after; hanging up then
 *    reaches the far end over the new connections.
 * 2. The far end hung up while the server was down (its BYE was lost): the
 *    re-INVITE after the restart gets 481 and the call ends with the reason.
 * 3. Kamailio stays down beyond the limit (3 s via the desk setting): the
 *    call ends with "Verbindung zum Telefonserver verloren".
 */
import { chromium, expect, test, type Browser } from '@playwright/test';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { chromiumAvailable, chromiumLaunchOptions } from '../testbed/chromium';
import { kamailioAvailable, startKamailio, type Kamailio } from '../testbed/kamailio';
import { TestCaller } from '../testbed/test-caller';
import { measureAppRemoteAudio } from './support/app-remote-audio';
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

const CALLER_TONE_HZ = 1000;
/** The agent's microphone alternates two tones with pauses (Chrome's noise suppression, pitfall 11). */
const AGENT_TONES_HZ = [440, 660];

let kamailio: Kamailio;
let lotse: LotseWeb;
let appBrowser: Browser;
let caller: TestCaller;
let app: LotsePage;
const pageErrors: string[] = [];

test.beforeAll(async () => {
  const agentMic = makeToneSequenceWav([
    { frequencyHz: 440, seconds: 0.4 },
    { frequencyHz: null, seconds: 0.1 },
    { frequencyHz: 660, seconds: 0.4 },
    { frequencyHz: null, seconds: 0.1 },
  ]);
  const callerMic = makeToneSequenceWav([{ frequencyHz: CALLER_TONE_HZ, seconds: 60 }]);
  [kamailio, lotse, appBrowser, caller] = await Promise.all([
    startKamailio(),
    startLotseWeb(),
    chromium.launch(chromiumLaunchOptions({ fakeAudioFile: agentMic })),
    TestCaller.start({ fakeAudioFile: callerMic }),
  ]);
  const page = await appBrowser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  app = new LotsePage(page);
  await app.open(lotse.url);
  await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
  await app.register();
  await app.expectRegistration('registered');
  const registered = await caller.register({
    wsUrl: kamailio.wsUrl,
    user: 'anrufer',
    domain: '127.0.0.1',
  });
  expect(registered.state).toBe('registered');
});

test.afterEach(async () => {
  await attachLogsOnFailure({
    kamailio: () => kamailio?.log(),
    caller: () => caller?.consoleLog(),
    engine: () => JSON.stringify(lotse?.engineLog(), null, 1),
  });
  expect(pageErrors, 'no uncaught errors in the page').toEqual([]);
});

test.afterAll(async () => {
  await caller?.close();
  await appBrowser?.close();
  await lotse?.stop();
  await kamailio?.stop();
});

function phoneLog(): string[] {
  return lotse
    .engineLog()
    .filter((entry) => entry.scope === 'phone')
    .map((entry) => entry.message);
}

/** Tones heard both ways: the caller hears the agent's 440/660 Hz, the agent the caller's 1 kHz. */
async function expectAudioBothWays(when: string): Promise<void> {
  const [atCaller, atAgent] = await Promise.all([
    caller.measureRemoteAudio(1500),
    measureAppRemoteAudio(app.page, 1500),
  ]);
  expect(
    AGENT_TONES_HZ.some((hz) => Math.abs(atCaller.dominantFrequencyHz - hz) < 40),
    `${when}: the caller hears the agent's tone (heard ${atCaller.dominantFrequencyHz} Hz, ${atCaller.rmsDbfs} dBFS)`,
  ).toBe(true);
  expect(atCaller.rmsDbfs, `${when}: agent → caller level`).toBeGreaterThan(-50);
  expect(
    Math.abs(atAgent.dominantFrequencyHz - CALLER_TONE_HZ),
    `${when}: the agent hears the caller's tone (heard ${atAgent.dominantFrequencyHz} Hz, ${atAgent.rmsDbfs} dBFS)`,
  ).toBeLessThan(40);
  expect(atAgent.rmsDbfs, `${when}: caller → agent level`).toBeGreaterThan(-50);
}

async function connectedCall(): Promise<void> {
  await caller.call('agent');
  await app.expectCall('ringing');
  await app.button('Annehmen').click();
  await app.expectCall('connected');
  await caller.waitForCallState('established', 10_000);
}

/** Kamailio back on the same ports; the far end reconnects like any phone would. */
async function restartKamailio(): Promise<number> {
  const restartedAt = Date.now();
  await kamailio.restart();
  const [again] = await Promise.all([
    caller.reconnect(10_000),
    app.expectRegistration('registered', 15_000),
  ]);
  expect(again.state, 'the far end registered again').toBe('registered');
  return restartedAt;
}

test('Kamailio restarts during a call: it stays up, re-INVITE with ICE restart, audio both ways', async () => {
  await connectedCall();
  await expectAudioBothWays('before the outage');
  const ufragAtStart = (await caller.state()).remoteIceUfragAtStart;
  expect(ufragAtStart, 'the app offered ICE credentials').toBeTruthy();

  await kamailio.stop();
  const reconnecting = app.page.getByTestId('call-reconnecting');
  await expect(reconnecting).toBeVisible({ timeout: 10_000 });
  await expect(reconnecting).toHaveText('Verbindung unterbrochen – wird wiederhergestellt');
  await app.expectCall('connected');
  await app.expectRegistration('failed');
  // Only signalling is gone: the media keeps flowing peer to peer.
  await expectAudioBothWays('while the server is down');

  const restartedAt = await restartKamailio();
  const reregisteredMs = Date.now() - restartedAt;
  expect(reregisteredMs, 're-registered within 10 s of the restart').toBeLessThan(10_000);

  await expect(reconnecting).toBeHidden({ timeout: 15_000 });
  const recoveredMs = Date.now() - restartedAt;
  await app.expectCall('connected');
  const seen = await caller.state();
  expect(seen.call.state).toBe('established');
  expect(seen.reinvites.length, 'the far end received the re-INVITE').toBeGreaterThanOrEqual(1);
  const reinvite = seen.reinvites.at(-1);
  expect(reinvite?.statusCode, 'and answered it').toBe(200);
  expect(reinvite?.iceUfrag, 'with new ICE credentials (ICE restart)').toBeTruthy();
  expect(reinvite?.iceUfrag).not.toBe(ufragAtStart);
  expect(
    phoneLog().some((m) => m.includes('Verbindung wiederhergestellt')),
    'the engine log says the call was restored',
  ).toBe(true);

  await expectAudioBothWays('after the re-INVITE');
  test.info().annotations.push({
    type: 'recovery',
    description: `re-registered ${reregisteredMs} ms, call restored ${recoveredMs} ms after the restart`,
  });

  // In-dialog requests find both phones on their new connections.
  await app.button('Auflegen').click();
  await app.expectCall('ended');
  await caller.waitForCallState('terminated', 10_000);
  expect((await caller.state()).call.endReason).toBe('remote-hangup');
  await app.button('Schließen').click();
  await app.expectCall('idle');
});

test('the far end hung up while the server was down: the re-INVITE gets 481, the call ends with the reason', async () => {
  await connectedCall();
  await kamailio.stop();
  await expect(app.page.getByTestId('call-reconnecting')).toBeVisible({ timeout: 10_000 });
  // Its BYE cannot reach anyone: sip.js ends the call on its side anyway.
  await caller.hangup();
  await caller.waitForCallState('terminated', 5_000);
  await restartKamailio();
  await app.expectCall('ended', 15_000);
  await expect(app.page.getByTestId('call-end-reason')).toContainText(
    'Verbindung zum Telefonserver verloren – Gespräch beendet',
  );
  await expect(app.page.getByTestId('call-end-reason')).toContainText('481');
  await app.button('Schließen').click();
  await app.expectCall('idle');
});

test('the server stays down beyond the limit: the call ends with the reason', async () => {
  // The desk setting: wait 3 s (not the default 30 s) for the server.
  await app.page.evaluate(() => localStorage.setItem('lotse.phone.reconnectLimitMs', '3000'));
  try {
    await connectedCall();
    await kamailio.stop();
    const lostAt = Date.now();
    await expect(app.page.getByTestId('call-reconnecting')).toBeVisible({ timeout: 10_000 });
    await app.expectCall('ended', 10_000);
    const endedAfterMs = Date.now() - lostAt;
    await expect(app.page.getByTestId('call-end-reason')).toHaveText(
      'Verbindung zum Telefonserver verloren – Gespräch beendet / connection to the phone server lost – call ended',
    );
    expect(endedAfterMs, 'ended at the limit, not at once').toBeGreaterThan(2_000);
    expect(
      phoneLog().some((m) => /ended: Verbindung zum Telefonserver verloren/.test(m)),
      'the engine log has the reason',
    ).toBe(true);
    await app.button('Schließen').click();
    await app.expectCall('idle');
  } finally {
    await app.page.evaluate(() => localStorage.removeItem('lotse.phone.reconnectLimitMs'));
    await caller.hangup().catch(() => undefined);
    await restartKamailio();
  }
});
