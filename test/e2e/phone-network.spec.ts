/**
 * Lotse in a real phone network: the app (web mode, real engine, real
 * renderer in Debian's Chromium) registers at Kamailio, and every call to or
 * from a plain-RTP phone is bridged WebRTC ↔ RTP by rtpengine, as in a
 * job centre's PBX path. The far ends are independent SIP stacks:
 *   - baresip (libre), a desk phone sending a 600 Hz tone and recording
 *     what it hears;
 *   - SIPp, playing recorded G.711 A-law speech from a pcap.
 * Audio is checked by content, not just "connected": the engine must hear
 * the far end, and baresip must hear the app's 440 Hz microphone as 440 Hz.
 */
import type { Baresip } from '../testbed/baresip';
import { analyseWindows } from '../testbed/wav-analysis';
import { expect, test as base } from './support/fixtures';
import type { LotsePage } from './support/lotse-page';
import type { LotseWeb } from './support/lotse-web';
import { expectAppAudioRelayed } from './support/media-relay';
import { toneMicrophone } from './support/microphones';
import { skipWithout } from './support/test-bed-packages';

const APP_MIC_HZ = 440;

/**
 * What baresip heard, after its call closed: the app's 440 Hz microphone.
 * Chrome's noise suppression weakens a steady tone after a few seconds, so
 * the best 0.5 s window counts, and it must be clearly above silence.
 */
function expectBaresipHeardAppTone(b: Baresip): void {
  const windows = analyseWindows(b.recordingPath(), 0.5);
  const heard = windows.filter((w) => w.rmsDbfs > -50);
  const summary = windows.map((w) => `${w.dominantFrequencyHz} Hz/${w.rmsDbfs.toFixed(0)} dB`);
  expect(heard.length, `windows with sound: ${summary.join(', ')}`).toBeGreaterThan(0);
  const loudest = heard.reduce((a, w) => (w.rmsDbfs > a.rmsDbfs ? w : a));
  expect(
    Math.abs(loudest.dominantFrequencyHz - APP_MIC_HZ),
    `baresip heard ${summary.join(', ')}`,
  ).toBeLessThanOrEqual(30);
}

/** What the audio checks of this spec need: the desk, its engine and rtpengine. */
interface Media {
  /** The engine hears the far end on the caller leg (levels since `from`); the highest level. */
  engineHearsCaller(from: number, minDbfs: number): Promise<number>;
  /** baresip gets a stretch of the app's microphone to record (1.5 s relayed by rtpengine). */
  letBaresipRecord(): Promise<void>;
}

/** The engine hears the far end on the caller leg. */
async function expectEngineHearsCaller(
  app: LotsePage,
  lotse: LotseWeb,
  from: number,
  minDbfs: number,
): Promise<number> {
  let max = -Infinity;
  try {
    await expect
      .poll(
        async () => {
          max = await app.maxLevel('caller', from);
          return max;
        },
        { timeout: 15_000, intervals: [200] },
      )
      .toBeGreaterThan(minDbfs);
  } catch (error) {
    // Tell "the engine heard nothing" from "the page recorded no meter updates".
    const all = await app.levels('caller', 0);
    const engineLevels = lotse.engineLog().filter((e) => /level/i.test(e.message));
    throw new Error(
      `${(error as Error).message}\ncaller meter updates recorded in the page: ${all.length} ` +
        `(since ${from.toFixed(0)} ms: ${all.filter((l) => l.t >= from).length}); page now ` +
        `${(await app.now()).toFixed(0)} ms; engine log lines about levels: ${engineLevels.length}`,
      { cause: error },
    );
  }
  return max;
}

const test = base.extend<{ media: Media }>({
  media: async ({ agent, lotse, rtpengine }, use) => {
    await use({
      engineHearsCaller: (from, minDbfs) => expectEngineHearsCaller(agent, lotse, from, minDbfs),
      letBaresipRecord: async () => {
        if (!rtpengine) throw new Error('this bed relays media through rtpengine');
        await expectAppAudioRelayed(rtpengine, agent, 1.5);
      },
    });
  },
});

test.use({
  bed: {
    noPageErrors: true,
    relayMedia: true,
    agentMicrophone: toneMicrophone(APP_MIC_HZ, 4),
  },
});
test.describe.configure({ mode: 'serial' });
// Skipped only where the test bed's Debian packages are missing (a developer machine
// without them); .ci/run installs them, so in CI these tests always run.
skipWithout('kamailio', 'rtpengine', 'baresip', 'sipp', 'chromium');

test('baresip calls the app through Kamailio + rtpengine; audio both ways; the app hangs up', async ({
  agent: app,
  baresip: b,
  rtpengine,
  media,
  figures: timings,
}) => {
  timings.rtpengineStartMs = rtpengine?.startupMs;
  timings.baresipRegisteredMs = await b.waitForRegistered();
  const t0 = performance.now();
  await b.dial('sip:agent@127.0.0.1');
  await app.expectCall('ringing');
  timings.baresipToAppRingingMs = performance.now() - t0;
  await expect(app.callRemote).toContainText('carol');
  const tAnswer = performance.now();
  await app.answer();
  await b.waitForCallEstablished();
  timings.answerToEstablishedMs = performance.now() - tAnswer;
  const from = await app.now();
  const max = await media.engineHearsCaller(from, -40);
  timings.baresipToAppCallerMaxDbfs = max;
  await media.letBaresipRecord();
  await app.hangUp();
  const closed = await b.waitForCallClosed();
  expect(closed.peeruri).toContain('agent');
  await app.closeEndedCall();
  expectBaresipHeardAppTone(b);
});

test('the app dials baresip (auto-answer); audio both ways; baresip hangs up', async ({
  agent: app,
  baresip: b,
  media,
  figures: timings,
}) => {
  const t0 = performance.now();
  await app.dial('carol');
  await app.expectCall('connected');
  timings.appToBaresipConnectedMs = performance.now() - t0;
  await b.waitForCallEstablished();
  const from = await app.now();
  timings.appToBaresipCallerMaxDbfs = await media.engineHearsCaller(from, -40);
  await media.letBaresipRecord();
  await b.hangup();
  await b.waitForCallClosed();
  await app.expectCall('ended');
  await expect(app.endReason).toContainText('Gegenseite hat aufgelegt');
  await app.closeEndedCall();
  expectBaresipHeardAppTone(b);
});

test('SIPp calls the app playing G.711 speech; the agent answers; the engine hears it', async ({
  agent: app,
  sipp,
  media,
  figures: timings,
}) => {
  const run = await sipp.calls({
    service: 'agent',
    calls: 1,
    holdMs: 3_000,
    // A person (here: the test) answers; give the 200 OK plenty of time.
    answerTimeoutMs: 20_000,
    timeoutS: 40,
  });
  // Levels from here on: before the call there are none on the caller leg.
  const from = await app.now();
  await app.expectCall('ringing');
  await app.answer();
  await media.engineHearsCaller(from, -45);
  // SIPp hangs up after its hold time.
  await app.expectCall('ended', 15_000);
  await expect(app.endReason).toContainText('Gegenseite hat aufgelegt');
  await app.closeEndedCall();
  const result = await run.done;
  expect(result.successful, result.log.slice(-3000)).toBe(1);
  expect(result.failed).toBe(0);
  expect(result.inviteTo200Ms).toHaveLength(1);
  timings.sippInviteTo200Ms = result.inviteTo200Ms[0] ?? -1;
  const levels = await app.levels('caller', from);
  timings.sippCallerMaxDbfs = Math.max(...levels.map((l) => l.dbfs));
});
