/**
 * Proves the SIP test bed itself, before any Lotse test relies on it:
 * a private Kamailio starts on free ports, two independent sip.js phones in
 * headless Chromium register, call each other and really hear each other
 * (a 1000 Hz tone must arrive as 1000 Hz, not just "connected"), hang-up is
 * seen on the far side, and the registrar's test rule refuses "refused-*".
 * If this spec fails, every end-to-end failure elsewhere is suspect.
 */
import { readFileSync } from 'node:fs';
import {
  FIXTURE_SAMPLE_RATE,
  makeSpeechWav,
  makeToneWav,
  SPEECH_PATTERN,
  SPEECH_PATTERN_PERIOD_S,
} from '../fixtures/speech-wav';
import type { TestCaller } from '../testbed/test-caller';
import { test as base, expect, WORKER } from './support/fixtures';
import { skipWithout } from './support/test-bed-packages';

const TONE_HZ = 1000;

/** Two independent phones: alice speaks (the speech WAV), bob plays a 1000 Hz tone. */
const test = base.extend<object, { phones: { alice: TestCaller; bob: TestCaller } }>({
  phones: [
    async ({ callers }, use) => {
      const t0 = performance.now();
      const [alice, bob] = await Promise.all([
        callers.start({ name: 'alice', microphone: makeSpeechWav }),
        callers.start({ name: 'bob', microphone: () => makeToneWav(TONE_HZ, 10) }),
      ]);
      console.log(`[testbed] two caller browsers up in ${(performance.now() - t0).toFixed(0)} ms`);
      await use({ alice, bob });
    },
    WORKER,
  ],
});

test.use({ bed: {} });
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

test('Kamailio listens on 127.0.0.1 with WebSocket', ({ kamailio: k }) => {
  console.log(
    `[testbed] Kamailio ready at ${k.wsUrl} (sip ${k.sipPort}) in ${k.startupMs.toFixed(0)} ms`,
  );
  expect(k.wsUrl).toBe(`ws://127.0.0.1:${k.wsPort}`);
  expect(k.domain).toBe('127.0.0.1');
  expect(k.sipPort).not.toBe(k.wsPort);
});

test('the speech fixture follows its published pattern', async () => {
  const wav = readFileSync(await makeSpeechWav());
  // sox writes a plain 44-byte header for 16-bit PCM.
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.readUInt16LE(22)).toBe(1); // mono
  expect(wav.readUInt32LE(24)).toBe(FIXTURE_SAMPLE_RATE);
  expect(wav.readUInt16LE(34)).toBe(16);
  const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
  expect(samples.length / FIXTURE_SAMPLE_RATE).toBeCloseTo(SPEECH_PATTERN_PERIOD_S, 2);
  for (const segment of SPEECH_PATTERN) {
    const from = Math.round(segment.startS * FIXTURE_SAMPLE_RATE);
    const to = Math.round(segment.endS * FIXTURE_SAMPLE_RATE);
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    if (segment.kind === 'silence') expect(peak).toBe(0);
    else expect(peak).toBeGreaterThan(8000);
  }
});

test('alice and bob register', async ({ kamailio: k, phones: { alice, bob } }) => {
  const t0 = performance.now();
  const [a, b] = await Promise.all([
    alice.register({ wsUrl: k.wsUrl, user: 'alice', domain: k.domain }),
    bob.register({ wsUrl: k.wsUrl, user: 'bob', domain: k.domain }),
  ]);
  console.log(
    `[testbed] both registered in ${(performance.now() - t0).toFixed(0)} ms (alice ${a.elapsedMs} ms, bob ${b.elapsedMs} ms)`,
  );
  expect(a).toMatchObject({ state: 'registered', statusCode: 200 });
  expect(b).toMatchObject({ state: 'registered', statusCode: 200 });
});

test('alice calls bob, bob answers, each hears the other', async ({
  phones: { alice: a, bob: b },
}) => {
  await b.answerNextIncoming({ autoAnswer: true });
  const t0 = performance.now();
  await a.call('bob');
  const aliceState = await a.waitForCallState('established', 10_000);
  const bobState = await b.waitForCallState('established', 5_000);
  console.log(
    `[testbed] call established in ${(performance.now() - t0).toFixed(0)} ms ` +
      `(alice setup ${aliceState.call.setupMs} ms, bob setup ${bobState.call.setupMs} ms)`,
  );
  expect(aliceState.call).toMatchObject({ direction: 'outgoing', remoteUser: 'bob' });
  expect(bobState.call).toMatchObject({ direction: 'incoming', remoteUser: 'alice' });

  // Alice hears bob's tone; bob hears alice's speech. Bob listens for longer
  // than one speech+silence period so at least one speech segment falls inside.
  const [aliceHears, bobHears] = await Promise.all([
    a.measureRemoteAudio(1500),
    b.measureRemoteAudio(SPEECH_PATTERN_PERIOD_S * 500 + 500),
  ]);
  console.log(
    `[testbed] alice hears ${JSON.stringify(aliceHears)}; bob hears ${JSON.stringify(bobHears)}`,
  );
  expect(Math.abs(aliceHears.dominantFrequencyHz - TONE_HZ)).toBeLessThanOrEqual(60);
  expect(aliceHears.peakDbfs).toBeGreaterThan(-30);
  expect(bobHears.peakDbfs).toBeGreaterThan(-40);
});

test('alice hangs up and bob sees the call end', async ({ phones: { alice: a, bob: b } }) => {
  await a.hangup();
  const aliceState = await a.waitForCallState('terminated', 5_000);
  const bobState = await b.waitForCallState('terminated', 5_000);
  expect(aliceState.call).toMatchObject({ endReason: 'local-hangup', remoteHangupSeen: false });
  expect(bobState.call).toMatchObject({ endReason: 'remote-hangup', remoteHangupSeen: true });
  expect(bobState.errors).toEqual([]);
  expect(aliceState.errors).toEqual([]);
});

test('after a Kamailio restart phones must register again', async ({
  kamailio: k,
  phones: { alice: a },
}) => {
  const ports = [k.sipPort, k.wsPort];
  await k.restart();
  expect([k.sipPort, k.wsPort]).toEqual(ports);
  // "registrar down, then back": stop (twice is harmless), then restart.
  await k.stop();
  await k.stop();
  await k.restart();
  console.log(`[testbed] Kamailio restarted in ${k.startupMs.toFixed(0)} ms`);
  const info = await a.register({ wsUrl: k.wsUrl, user: 'alice', domain: k.domain });
  expect(info).toMatchObject({ state: 'registered', statusCode: 200 });
});

test('the registrar refuses users named refused-*', async ({ kamailio: k, callers }) => {
  const charlie = await callers.start({ name: 'charlie' });
  const info = await charlie.register({ wsUrl: k.wsUrl, user: 'refused-x', domain: k.domain });
  expect(info).toMatchObject({ state: 'failed', statusCode: 403, reasonPhrase: 'Forbidden' });
  const state = await charlie.state();
  expect(state.registration).toMatchObject({ state: 'failed', statusCode: 403 });
});
