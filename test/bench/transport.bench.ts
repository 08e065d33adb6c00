/**
 * transport: how long a 20 ms audio frame takes from the renderer to the
 * engine in web mode, on the real path – a live call through Kamailio, the
 * caller's speech and the agent's microphone tapped by the AudioWorklets,
 * framed on the renderer's main thread, sent over the loopback WebSocket –
 * and how much memory the engine holds when idle.
 *
 * Metrics: frame_latency median/p95 (ms, engine receive time − renderer send
 * time, same clock), frames per second received (2 legs × 50 expected),
 * engine RSS idle (no call) and during the call.
 */
import { chromium } from '@playwright/test';
import { makeSpeechWav } from '../fixtures/speech-wav';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { LotsePage } from '../e2e/support/lotse-page';
import { startLotseWeb } from '../e2e/support/lotse-web';
import { chromiumLaunchOptions } from '../testbed/chromium';
import { startKamailio } from '../testbed/kamailio';
import { TestCaller } from '../testbed/test-caller';
import { EngineSocket } from '../e2e/support/engine-socket';
import { progress, report } from './report';

const MEASURE_MS = Number(process.env.LOTSE_BENCH_SECONDS ?? 30) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<void> {
  const [kamailio, lotse] = await Promise.all([startKamailio(), startLotseWeb()]);
  const browser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: 440, seconds: 4 }]),
    }),
  );
  const caller = await TestCaller.start({ fakeAudioFile: await makeSpeechWav() });
  const socket = await EngineSocket.open(lotse.origin, lotse.token);
  try {
    const app = new LotsePage(await browser.newPage());
    await app.open(lotse.url);
    await sleep(3000);
    const idle = await socket.request('engine.stats', {});
    report('transport', 'engine_rss_idle', idle.rssBytes / 2 ** 20, 'MiB');
    report('transport', 'engine_heap_idle', idle.heapUsedBytes / 2 ** 20, 'MiB');

    await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
    await app.register();
    await app.expectRegistration('registered');
    await caller.register({ wsUrl: kamailio.wsUrl, user: 'anrufer', domain: '127.0.0.1' });
    await caller.call('agent');
    await app.expectCall('ringing');
    await app.button('Annehmen').click();
    await app.expectCall('connected');
    await sleep(2000);
    const start = await socket.request('engine.stats', { resetLatency: true });
    progress(`measuring ${MEASURE_MS / 1000} s of call audio (both legs)`);
    await sleep(MEASURE_MS);
    const end = await socket.request('engine.stats', {});
    const latency = end.transportLatency;
    report('transport', 'frame_latency_median', latency.medianMs ?? NaN, 'ms');
    report('transport', 'frame_latency_p95', latency.p95Ms ?? NaN, 'ms');
    report('transport', 'frames_measured', latency.count, 'frames');
    report(
      'transport',
      'frames_per_second',
      ((end.framesReceived - start.framesReceived) * 1000) / MEASURE_MS,
      'frames/s',
    );
    report('transport', 'frames_rejected', end.framesRejected, 'frames');
    report('transport', 'engine_rss_in_call', end.rssBytes / 2 ** 20, 'MiB');
    await app.button('Auflegen').click();
  } finally {
    socket.close();
    await caller.close();
    await browser.close();
    await lotse.stop();
    await kamailio.stop();
  }
}
