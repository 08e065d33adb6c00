/**
 * The foundation's end-to-end call: Lotse in web mode (real engine process,
 * real renderer in Debian's Chromium) registers with a real Kamailio; a test
 * caller (sip.js in a second Chromium, its microphone a German speech WAV)
 * calls; the agent answers. Then:
 *   - the engine hears the caller: energy high while the WAV speaks, near
 *     zero in its pauses;
 *   - the agent's microphone reaches the engine through the 16 kHz tap, and
 *     a tone above 8 kHz is filtered, not aliased (a proper resampler);
 *   - PCM the engine sends (test tone, 1 kHz) is heard by the caller;
 *   - hang-up ends the call on both sides, from either side.
 */
import { makeSpeechWav } from '../fixtures/speech-wav';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { expect, test } from './support/fixtures';
import { expectFallsSilent, expectHearsTone } from './support/hearing';
import { skipWithout } from './support/test-bed-packages';
import { agentHangsUp } from './support/call-flows';

/** The agent's fake microphone: 2 s of 600 Hz, then 2 s of 11 kHz (above 8 kHz). */
const AGENT_MIC = [
  { frequencyHz: 440, seconds: 2 },
  { frequencyHz: 11_000, seconds: 2 },
] as const;

test.use({
  bed: {
    agentMicrophone: () => makeToneSequenceWav(AGENT_MIC),
    callerMicrophone: makeSpeechWav,
  },
});
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'chromium');

test('caller → agent: answer, audio both ways, agent hangs up', async ({ agent: app, caller }) => {
  await caller.call('agent');
  await app.expectCall('ringing');
  await expect(app.callRemote).toContainText('anrufer');
  await app.answer();
  await caller.waitForCallState('established', 10_000);

  // 1. The engine hears the caller. The WAV loops speech (2 s) / silence (2 s);
  //    the levels since the answer are read until both extremes are there.
  // 2. The agent's microphone reaches the engine: the 600 Hz part is loud,
  //    the 11 kHz part is filtered out by the resampler (an alias would land
  //    at 5 kHz at full level).
  const from = await app.now();
  await expect(async () => {
    const callerLevels = await app.levels('caller', from);
    expect(callerLevels.length).toBeGreaterThan(20);
    const loud = callerLevels.filter((l) => l.dbfs > -40);
    const quiet = callerLevels.filter((l) => l.dbfs < -65);
    expect(loud.length, 'frames with speech energy').toBeGreaterThan(5);
    expect(quiet.length, 'frames near zero in the pauses').toBeGreaterThan(3);
    expect(loud.some((l) => l.speech)).toBe(true);

    const agentLevels = await app.levels('agent', from);
    const agentMax = Math.max(...agentLevels.map((l) => l.dbfs));
    const agentMin = Math.min(...agentLevels.map((l) => l.dbfs));
    expect(agentMax, '600 Hz tone arrives').toBeGreaterThan(-20);
    expect(agentMin, '11 kHz tone is filtered out').toBeLessThan(agentMax - 30);
  }).toPass({ timeout: 30_000 });

  // 3. PCM from the engine is heard by the caller. Mute the microphone first
  //    so only the engine's tone goes out.
  await app.callButton('Stummschalten').click();
  await expect(app.callButton('Stummschaltung aufheben')).toHaveAttribute('aria-pressed', 'true');
  // Audio already on its way (network, jitter buffer) still arrives for a moment.
  const beforeTone = await expectFallsSilent(caller, 'muted: the caller hears nothing', {
    maxDbfs: -60,
    windowMs: 600,
  });
  await app.sendTestTone();
  // The tone lasts 3 s: windows that start within its first 2 s.
  await expectHearsTone(caller, {
    hz: 1000,
    label: "the engine's test tone",
    toleranceHz: 60,
    minDbfs: beforeTone.rmsDbfs + 20,
    windowMs: 1000,
    timeout: 2_000,
  });

  // 4. The agent hangs up: both sides end.
  expect((await agentHangsUp(app, caller)).call.endReason).toBe('remote-hangup');
  await app.closeEndedCall();
});

test('agent → caller: dial, caller hangs up, the app shows why', async ({
  agent: app,
  caller,
  lotse,
}) => {
  await caller.answerNextIncoming({ autoAnswer: true });
  await app.dial('anrufer');
  await app.expectCall('connected');
  await caller.waitForCallState('established', 10_000);
  await caller.hangup();
  await app.expectCall('ended');
  await expect(app.endReason).toContainText('Gegenseite hat aufgelegt');
  // The phone reports to the engine after the screen changed: wait for the log lines.
  // The far end by pseudonym only: no caller identities in the log.
  await expect
    .poll(() =>
      lotse.phoneLog().some((m) => /call \S+ \(outgoing, #[0-9a-f]{8}\) connected/.test(m)),
    )
    .toBe(true);
  await expect
    .poll(() => lotse.phoneLog().some((m) => /\) ended: remote hung up/.test(m)))
    .toBe(true);
  expect(lotse.phoneLog().join('\n')).not.toContain('anrufer');
  await app.closeEndedCall();
});

test('a caller who hangs up while it rings: the ringing stops, the app says so', async ({
  agent: app,
  caller,
}) => {
  await caller.call('agent');
  await app.expectCall('ringing');
  await caller.hangup();
  await app.expectCall('ended');
  await expect(app.endReason).toContainText('aufgelegt');
  await app.closeEndedCall();
});
