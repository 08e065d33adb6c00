/**
 * calls: many calls in a row into the app, as the bot's desk takes them.
 * SIPp (G.711 A-law speech from g711a.pcap, the uac-pcap scenario) calls
 * through Kamailio + rtpengine (WebRTC ↔ RTP) the app in web mode with
 * auto-answer on; one call at a time, each held briefly, then SIPp hangs up.
 *
 * Metrics: INVITE → 200 OK median and p95 (ms, measured by SIPp), calls
 * successful / failed, and memory before and after: the renderer's JS heap
 * (CDP Performance.getMetrics JSHeapUsedSize, after a forced GC) and the
 * engine's RSS and JS heap (engine.stats), with growth in %.
 *
 * The "after" figures are taken right after the last call and once more
 * after LOTSE_BENCH_SETTLE_MS (`…_settled`): for 32 s after a call ends
 * (RFC 3261 Timer L, 64 × T1) sip.js keeps the INVITE server transaction and
 * with it the finished session, and Chromium keeps each getUserMedia result
 * for 8 s; what is still there after that is a leak.
 *
 * "Before" is taken after a warm-up of LOTSE_BENCH_WARMUP_CALLS calls that
 * fills what the desk keeps within a bound: one page of the call history
 * (20 rows, with their React fibers and DOM), the engine log (the newest 200
 * lines, about 3 a call) and V8's compiled code for the call path. So the
 * growth from "before" (taken, like `…_settled`, LOTSE_BENCH_SETTLE_MS after
 * the warm-up) is what each further call keeps; the heap before the
 * warm-up is reported too (`renderer_js_heap_cold`), and with it how much
 * those bounded things take. The page does not record levels (LotsePage's
 * level recorder keeps every engine frame, about 2 KB a call).
 *
 * Env: LOTSE_BENCH_CALLS (default 200), LOTSE_BENCH_HOLD_MS (default 400),
 * LOTSE_BENCH_SETTLE_MS (default 35000; 0 skips the settled figures),
 * LOTSE_BENCH_WARMUP_CALLS (default 70).
 */
import { chromium } from '@playwright/test';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { EngineSocket } from '../e2e/support/engine-socket';
import { LotsePage } from '../e2e/support/lotse-page';
import { startLotseWeb } from '../e2e/support/lotse-web';
import { chromiumLaunchOptions } from '../testbed/chromium';
import { startKamailio } from '../testbed/kamailio';
import { startRtpengine } from '../testbed/rtpengine';
import { startSipp, type SippResult } from '../testbed/sipp';
import { progress, report } from './report';

const CALLS = Number(process.env.LOTSE_BENCH_CALLS ?? 200);
const HOLD_MS = Number(process.env.LOTSE_BENCH_HOLD_MS ?? 400);
const SETTLE_MS = Number(process.env.LOTSE_BENCH_SETTLE_MS ?? 35_000);
const WARM_UP_CALLS = Number(process.env.LOTSE_BENCH_WARMUP_CALLS ?? 70);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

export async function run(): Promise<void> {
  const rtpengine = await startRtpengine();
  const [kamailio, lotse] = await Promise.all([
    startKamailio({ withRtpengine: { ngPort: rtpengine.ngPort } }),
    startLotseWeb(),
  ]);
  const browser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: 440, seconds: 4 }]),
    }),
  );
  const socket = await EngineSocket.open(lotse.origin, lotse.token);
  const pageErrors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const rendererHeap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };
    // Live objects of a class in the page (after GC): leaks show up as counts.
    // The array queryObjects returns holds every object it found until it is
    // released: without releasing it, one count keeps those objects alive
    // for the next one.
    const objectGroup = 'lotse-bench-live-instances';
    const liveInstances = async (className: string): Promise<number> => {
      try {
        const proto = await cdp.send('Runtime.evaluate', {
          expression: `${className}.prototype`,
          objectGroup,
        });
        if (!proto.result.objectId) return NaN;
        const { objects } = await cdp.send('Runtime.queryObjects', {
          prototypeObjectId: proto.result.objectId,
          objectGroup,
        });
        if (!objects.objectId) return NaN;
        const count = await cdp.send('Runtime.callFunctionOn', {
          objectId: objects.objectId,
          functionDeclaration: 'function () { return this.length; }',
          returnByValue: true,
        });
        return Number(count.result.value);
      } finally {
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
      }
    };
    const liveCounts = async () => ({
      audioWorkletNodes: await liveInstances('AudioWorkletNode'),
      peerConnections: await liveInstances('RTCPeerConnection'),
      mediaStreams: await liveInstances('MediaStream'),
    });
    const app = new LotsePage(page);
    // Without the level recorder: a test's instrument, it grows with every frame.
    await app.open(lotse.url, { recordLevels: false });
    await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
    await app.register();
    await app.expectRegistration('registered');
    await page.getByRole('checkbox', { name: 'Anrufe automatisch annehmen' }).check();

    const calls = (count: number): Promise<SippResult> =>
      startSipp({
        target: { host: '127.0.0.1', port: kamailio.sipPort },
        scenario: 'uac-pcap',
        service: 'agent',
        calls: count,
        // One at a time: the next call starts when the previous one ended.
        limit: 1,
        rate: 20,
        holdMs: HOLD_MS,
        timeoutS: 60 + count * 10,
        vars: { ANSWER_TIMEOUT_MS: 10_000 },
      }).then((run) => run.done);

    const heapCold = await rendererHeap();
    progress(`warm-up: ${WARM_UP_CALLS} calls`);
    const warmUp = await calls(WARM_UP_CALLS);
    if (warmUp.failed > 0) progress(`warm-up: ${warmUp.failed} failed`);
    await app.expectCall('ended');
    if (SETTLE_MS > 0) {
      // "Before" without the warm-up's last transactions and media still pending.
      progress(`settling ${SETTLE_MS} ms after the warm-up`);
      await page.waitForTimeout(SETTLE_MS);
    }

    const heapBefore = await rendererHeap();
    const engineBefore = await socket.request('engine.stats', {});
    const countsBefore = await liveCounts();
    progress(`${CALLS} sequential SIPp calls, hold ${HOLD_MS} ms, auto-answer on`);
    const result = await calls(CALLS);
    await app.expectCall('ended');
    const heapAfter = await rendererHeap();
    const engineAfter = await socket.request('engine.stats', {});
    const countsAfter = await liveCounts();
    let settled:
      { heap: number; counts: typeof countsAfter; engine: typeof engineAfter } | undefined;
    if (SETTLE_MS > 0) {
      progress(`settling ${SETTLE_MS} ms (SIP transaction timers) before measuring again`);
      await page.waitForTimeout(SETTLE_MS);
      settled = {
        heap: await rendererHeap(),
        counts: await liveCounts(),
        engine: await socket.request('engine.stats', {}),
      };
    }

    const sorted = [...result.inviteTo200Ms].sort((a, b) => a - b);
    report('calls', 'calls_attempted', CALLS, 'calls');
    report('calls', 'calls_successful', result.successful, 'calls');
    report('calls', 'calls_failed', result.failed, 'calls');
    report('calls', 'invite_to_200_median', percentile(sorted, 50), 'ms');
    report('calls', 'invite_to_200_p95', percentile(sorted, 95), 'ms');
    report('calls', 'invite_to_200_max', sorted[sorted.length - 1] ?? NaN, 'ms');
    report('calls', 'run_duration', result.durationMs / 1000, 's');
    report('calls', 'warm_up_calls', WARM_UP_CALLS, 'calls');
    report('calls', 'renderer_js_heap_cold', heapCold / 2 ** 20, 'MiB');
    report('calls', 'renderer_js_heap_before', heapBefore / 2 ** 20, 'MiB');
    report('calls', 'renderer_js_heap_after', heapAfter / 2 ** 20, 'MiB');
    report('calls', 'renderer_js_heap_growth', ((heapAfter - heapBefore) / heapBefore) * 100, '%');
    if (settled) {
      report('calls', 'renderer_js_heap_after_settled', settled.heap / 2 ** 20, 'MiB');
      report(
        'calls',
        'renderer_js_heap_growth_settled',
        ((settled.heap - heapBefore) / heapBefore) * 100,
        '%',
      );
      report(
        'calls',
        'renderer_js_heap_per_call_settled',
        (settled.heap - heapBefore) / CALLS / 1024,
        'KiB',
      );
    }
    report('calls', 'engine_rss_before', engineBefore.rssBytes / 2 ** 20, 'MiB');
    report('calls', 'engine_rss_after', engineAfter.rssBytes / 2 ** 20, 'MiB');
    report(
      'calls',
      'engine_rss_growth',
      ((engineAfter.rssBytes - engineBefore.rssBytes) / engineBefore.rssBytes) * 100,
      '%',
    );
    report('calls', 'engine_heap_before', engineBefore.heapUsedBytes / 2 ** 20, 'MiB');
    report('calls', 'engine_heap_after', engineAfter.heapUsedBytes / 2 ** 20, 'MiB');
    if (settled) {
      const { rssBytes, heapUsedBytes } = settled.engine;
      report('calls', 'engine_rss_after_settled', rssBytes / 2 ** 20, 'MiB');
      report(
        'calls',
        'engine_rss_growth_settled',
        ((rssBytes - engineBefore.rssBytes) / engineBefore.rssBytes) * 100,
        '%',
      );
      report('calls', 'engine_heap_after_settled', heapUsedBytes / 2 ** 20, 'MiB');
      report(
        'calls',
        'engine_heap_growth_settled',
        ((heapUsedBytes - engineBefore.heapUsedBytes) / engineBefore.heapUsedBytes) * 100,
        '%',
      );
    }
    for (const key of Object.keys(countsBefore) as (keyof typeof countsBefore)[]) {
      report('calls', `renderer_live_${key}_before`, countsBefore[key], 'objects');
      report('calls', `renderer_live_${key}_after`, countsAfter[key], 'objects');
      if (settled)
        report('calls', `renderer_live_${key}_after_settled`, settled.counts[key], 'objects');
    }
    report('calls', 'page_errors', pageErrors.length, 'errors');
    if (result.failed > 0 || result.successful !== CALLS)
      progress(`SIPp: ${result.failed} failed; log tail:\n${result.log.slice(-2000)}`);
    if (pageErrors.length) progress(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
  } finally {
    socket.close();
    await browser.close().catch(() => undefined);
    await lotse.stop();
    await kamailio.stop();
    await rtpengine.stop();
  }
}
