/**
 * Audio devices in real Chromium with a real call through Kamailio:
 *   - the settings section lists the microphones and speakers (Chromium's
 *     fake devices plus a test "headset", see support/fake-devices.ts) and
 *     can be worked with the keyboard;
 *   - the call speaker and the ring device are set with setSinkId on the
 *     remote <audio> element and the ringtone;
 *   - switching the microphone mid-call: the caller hears the new device's
 *     tone, the old device is closed, the call stays connected and nothing
 *     is renegotiated;
 *   - the headset unplugged mid-call: back to the default microphone at
 *     once, a notice, a log line, audio still flowing; a vanished speaker
 *     goes back to the default sink;
 *   - the choice survives a reload; a saved device that is missing falls
 *     back and says so, and is used again when plugged in.
 */
import type { TestCaller } from '../testbed/test-caller';
import { FakeDevices } from './support/fake-devices';
import type { LotsePage } from './support/lotse-page';
import { expect, test as base, WORKER } from './support/fixtures';
import { expectHearsTone, type Listener } from './support/hearing';
import { twoToneMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';
import { agentHangsUp, callerReachesAgent } from './support/call-flows';

const HEADSET = { deviceId: 'lotse-test-headset', label: 'Testheadset (1200 Hz)', toneHz: 1200 };
/** Chromium's fake inputs all play this: 440 / 660 Hz with pauses (no noise-suppression fade). */
const DEFAULT_TONES = [440, 660];

/**
 * `fake`: the test headset and observable sinks, in the desk's page before
 * the app loads. `deviceId`: Chromium's real device ids, by kind and label.
 */
const test = base.extend<
  object,
  { fake: FakeDevices; deviceId: (kind: 'audioinput' | 'audiooutput', label: string) => string }
>({
  fake: [async ({ appPage }, use) => use(await FakeDevices.install(appPage, HEADSET)), WORKER],
  // Installed before the app loads.
  deskSetup: [async ({ fake: _installed }, use) => use(), WORKER],
  deviceId: [
    async ({ agent, fake }, use) => {
      void agent; // listed once the desk is up
      const ids = await fake.deviceIds();
      await use((kind, label) => {
        const value = ids[`${kind}:${label}`];
        if (!value) throw new Error(`no ${kind} "${label}" in ${JSON.stringify(ids)}`);
        return value;
      });
    },
    WORKER,
  ],
});

test.use({
  bed: {
    agentMicrophone: twoToneMicrophone,
    viewport: { width: 1366, height: 900 },
  },
});
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

test.afterAll(({ pageErrors }) => pageErrors.expectNone('errors in the app page'));

/**
 * What the caller hears, with the dominant frequency checked against the
 * expected tones: a new microphone takes a moment to be heard (a new track,
 * the jitter buffer), so measured until it is. Returns the frequency.
 */
async function expectCallerHears(caller: Listener, tones: number[], what: string): Promise<number> {
  const heard = await expectHearsTone(caller, {
    hz: tones,
    label: what,
    toleranceHz: 40,
    minDbfs: -45,
    windowMs: 1500,
  });
  return heard.dominantFrequencyHz;
}

/** The caller calls; the ringtone rings on the ring device `ringSinkId`; the agent answers. */
async function ringsOnRingDeviceAndIsAnswered(
  app: LotsePage,
  c: TestCaller,
  fake: FakeDevices,
  ringSinkId: string,
): Promise<void> {
  await c.call('agent');
  await app.expectCall('ringing');
  await expect.poll(() => fake.ringtone()).toEqual({ sinkId: ringSinkId, paused: false });
  await app.answer();
  await c.waitForCallState('established', 10_000);
}

test('the section lists microphones and speakers; choices apply, also by keyboard', async ({
  agent: app,
  fake,
  deviceId: id,
}) => {
  const { devices } = app;
  await app.view('settings');
  await expect(devices.section()).toBeVisible();
  const mic = devices.microphone;
  await expect(devices.options(mic)).toHaveText([
    'Systemstandard (Fake Default Audio Input)',
    'Fake Audio Input 1',
    'Fake Audio Input 2',
    HEADSET.label,
  ]);
  await expect(devices.options(devices.speaker)).toHaveText([
    'Systemstandard (Fake Default Audio Output)',
    'Fake Audio Output 1',
    'Fake Audio Output 2',
  ]);
  await expect(mic).toHaveValue('');

  await devices.speaker.selectOption({ label: 'Fake Audio Output 1' });
  await expect.poll(() => fake.remoteSinkId()).toBe(id('audiooutput', 'Fake Audio Output 1'));

  // Keyboard: Tab-reachable, arrow key chooses.
  const ring = devices.ringDevice;
  await ring.focus();
  await app.page.keyboard.press('ArrowDown');
  await expect(ring).toHaveValue(id('audiooutput', 'Fake Audio Output 1'));
  await expect
    .poll(() => fake.sinkCalls())
    .toContainEqual({ element: 'ringtone', id: id('audiooutput', 'Fake Audio Output 1') });
});

test('switching the microphone mid-call: the caller hears the new device, the call stays', async ({
  agent: app,
  caller: c,
  fake,
  deviceId: id,
  figures,
}) => {
  const { devices } = app;
  await ringsOnRingDeviceAndIsAnswered(app, c, fake, id('audiooutput', 'Fake Audio Output 1'));
  expect(await fake.remoteSinkId()).toBe(id('audiooutput', 'Fake Audio Output 1'));
  figures.beforeHz = await expectCallerHears(c, DEFAULT_TONES, 'default microphone');
  const offers = await fake.localDescriptions();

  // The headset: a 1200 Hz tone the caller must now hear instead.
  const switchedAt = Date.now();
  // Mid-call, in the settings view (the call goes on; the arrival and notices show everywhere).
  await app.view('settings');
  await devices.microphone.selectOption({ label: HEADSET.label });
  await expect
    .poll(async () => (await fake.mics()).at(-1))
    .toMatchObject({ asked: HEADSET.deviceId, readyState: 'live' });
  figures.micSwitchMs = Date.now() - switchedAt;
  const mics = await fake.mics();
  expect(
    mics.slice(0, -1).every((m) => m.readyState === 'ended'),
    'old microphone closed',
  ).toBe(true);
  figures.headsetHz = await expectCallerHears(c, [HEADSET.toneHz], 'headset');

  // A real Chromium device by its id: the track is that device.
  const input1 = id('audioinput', 'Fake Audio Input 1');
  await devices.microphone.selectOption({ label: 'Fake Audio Input 1' });
  await expect
    .poll(async () => (await fake.mics()).at(-1))
    .toMatchObject({ asked: input1, deviceId: input1, readyState: 'live' });
  await expectCallerHears(c, DEFAULT_TONES, 'Fake Audio Input 1');

  // Back to the headset for the unplug test.
  await devices.microphone.selectOption({ label: HEADSET.label });
  await expect
    .poll(async () => (await fake.mics()).at(-1))
    .toMatchObject({ asked: HEADSET.deviceId, readyState: 'live' });

  // The call speaker, mid-call.
  await devices.speaker.selectOption({ label: 'Fake Audio Output 2' });
  await expect.poll(() => fake.remoteSinkId()).toBe(id('audiooutput', 'Fake Audio Output 2'));

  await app.expectCall('connected');
  expect((await c.state()).call.state).toBe('established');
  expect(await fake.localDescriptions(), 'no renegotiation for a device switch').toBe(offers);
  await expect(devices.notices).toHaveCount(0);
});

test('headset unplugged mid-call: default microphone at once, a notice, the call goes on', async ({
  agent: app,
  caller: c,
  fake,
  figures,
}) => {
  const { devices } = app;
  await expectCallerHears(c, [HEADSET.toneHz], 'headset before unplugging');
  const unpluggedAt = Date.now();
  await fake.unplugHeadset();

  await expect(devices.alert('Mikrofon')).toHaveText(
    `Mikrofon „${HEADSET.label}“ wurde getrennt – weiter mit dem Systemstandard. Ein laufendes Gespräch bleibt verbunden. Ausblenden`,
  );
  await expect
    .poll(async () => (await fake.mics()).at(-1))
    .toMatchObject({ asked: '', deviceId: 'default', readyState: 'live' });
  figures.unplugToDefaultMs = Date.now() - unpluggedAt;
  await expectCallerHears(c, DEFAULT_TONES, 'default microphone after unplugging');
  await expect(app.engineLog).toContainText(`microphone "${HEADSET.label}" unplugged`);
  // The choice is kept and shown as not connected.
  await expect(devices.microphone).toHaveValue(HEADSET.deviceId);
  await expect(devices.microphone.locator('option:checked')).toHaveText(
    `${HEADSET.label} – nicht verbunden`,
  );
  await expect(devices.microphoneFallback).toBeVisible();

  // The call speaker goes away too: back to the default sink.
  await fake.unplugOutput('Fake Audio Output 2');
  await expect.poll(() => fake.remoteSinkId()).toBe('');
  await expect(devices.alert('Lautsprecher')).toContainText(
    'Lautsprecher „Fake Audio Output 2“ wurde getrennt',
  );

  // The default microphone's track ends too, with no device change (the system
  // took it): it is opened again and the agent is told.
  const before = (await fake.mics()).length;
  expect(await fake.endMicrophone()).toBe(true);
  await expect
    .poll(async () => (await fake.mics()).slice(before))
    .toMatchObject([{ asked: '', deviceId: 'default', readyState: 'live' }]);
  await expect(devices.alert('Mikrofon')).toContainText(
    '(Systemstandard) wurde getrennt – wird neu geöffnet',
  );
  await expectCallerHears(c, DEFAULT_TONES, 'default microphone opened again');

  await app.expectCall('connected');
  expect((await c.state()).call.state).toBe('established');

  await agentHangsUp(app, c);
  await app.callButton('Schließen').click();
});

test('the choice survives a reload; a saved device that is missing falls back and says so', async ({
  agent: app,
  fake,
  deviceId: id,
}) => {
  const { devices } = app;
  await app.page.reload();
  await app.expectEngineOpen();
  await app.view('settings');
  // Still unplugged (sessionStorage): the saved headset is missing at start.
  await expect(devices.microphone).toHaveValue(HEADSET.deviceId);
  await expect(devices.speaker).toHaveValue(id('audiooutput', 'Fake Audio Output 2'));
  await expect(devices.ringDevice).toHaveValue(id('audiooutput', 'Fake Audio Output 1'));
  await expect(devices.alert('Mikrofon')).toContainText(
    `Mikrofon „${HEADSET.label}“ nicht gefunden – es wird der Systemstandard verwendet.`,
  );
  await expect(devices.alert('Lautsprecher')).toContainText(
    'Lautsprecher „Fake Audio Output 2“ nicht gefunden',
  );
  // The ring device is there and set on the ringtone right at start.
  await expect
    .poll(() => fake.sinkCalls())
    .toContainEqual({ element: 'ringtone', id: id('audiooutput', 'Fake Audio Output 1') });

  // Plugged in again: used again, and the agent is told.
  await fake.plugHeadset();
  await expect(devices.status('Mikrofon')).toHaveText(
    `Mikrofon „${HEADSET.label}“ ist wieder da und wird verwendet. Ausblenden`,
  );
  await expect(devices.microphoneFallback).toHaveCount(0);
  await devices.all('status').getByRole('button', { name: 'Ausblenden' }).click();
  await expect(devices.all('status')).toHaveCount(0);

  // English as well.
  await app.setLanguage('en');
  await expect(devices.section('Audio devices')).toBeVisible();
  await expect(devices.select('Speaker (call)')).toBeVisible();
  await expect(devices.all('alert')).toContainText(
    'The saved speaker "Fake Audio Output 2" was not found – using the system default.',
  );
  await app.setLanguage('de');
});

test('a call starts on the remembered microphone; one that fails to open gives way to the default', async ({
  agent: app,
  caller: c,
  fake,
  deviceId: id,
}) => {
  if ((await app.registrationState.getAttribute('data-state')) !== 'registered') {
    await app.register();
    await app.expectRegistration('registered');
  }
  await ringsOnRingDeviceAndIsAnswered(app, c, fake, id('audiooutput', 'Fake Audio Output 1'));
  expect((await fake.mics()).at(-1)).toMatchObject({ asked: HEADSET.deviceId, readyState: 'live' });
  // The saved speaker is still missing: the call plays on the default sink.
  expect(await fake.remoteSinkId()).toBe('');
  await expectCallerHears(c, [HEADSET.toneHz], 'remembered headset');
  await agentHangsUp(app, c);
  await app.callButton('Schließen').click();

  // Pulled out between calls, before the system said so: the next call still connects.
  await fake.unplugHeadsetQuietly();
  await callerReachesAgent(app, c);
  expect((await fake.mics()).at(-1)).toMatchObject({ asked: '', readyState: 'live' });
  await expect(app.devices.alert('Mikrofon')).toContainText(
    `Mikrofon „${HEADSET.label}“ lässt sich nicht nutzen`,
  );
  await expectCallerHears(c, DEFAULT_TONES, 'default after the headset failed');
  await agentHangsUp(app, c);
  await app.callButton('Schließen').click();
});
