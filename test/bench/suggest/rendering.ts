/**
 * suggest / rendering: does the caseworker's screen stay smooth while a long
 * call's transcript streams in? The real renderer (built by `npm run bench`)
 * in Debian's Chromium at 1366×768, against Lotse in web mode.
 *
 * Path: the segments enter through the page's real engine socket — Playwright
 * routes the WebSocket to the running engine and adds `transcript.segment`
 * events in the engine's envelope (test/e2e/support/transcript-feed.ts) —
 * so the carrier, the client's zod check, the event router, the transcript
 * store and the virtualised panel all do their real work. The engine's own
 * speech path cannot produce thousands of German sentences in seconds (the
 * test model hears one word per segment, a real call takes real time).
 *
 * Phases:
 * 0. control: as many messages as the burst, but replies to no request
 *    (dropped by the app at once): the frames the socket routing and this
 *    machine cost without any transcript work.
 * 1. burst (one call from here on): 5,000 segments (bot first, then caller and agent; German
 *    sentences of 3–40 words; partials growing every 4 words, then the final)
 *    sent as fast as possible; measured until the last line is on screen.
 * 2. steady + scroll: a stream at a stressful-but-real rate (one message
 *    every 25 ms: 40/s, several legs' partials) for 20 s on top of those 5,000
 *    lines while the agent scrolls up and down with the mouse wheel.
 * 3. append: following live, 100 finals one by one (every 120 ms); for each,
 *    the time from the moment it was handed to the socket to the frame that
 *    shows its row.
 *
 * Every frame in the page is measured: requestAnimationFrame deltas, and the
 * Long Animation Frames API (PerformanceObserver 'long-animation-frame';
 * 'longtask' where Chromium lacks it). Also: rows in the DOM (virtualisation:
 * a window, not 5,000), and the transcript store's cost per upsert in Node.
 *
 * Env: LOTSE_BENCH_TRANSCRIPT_SEGMENTS (default 5000),
 * LOTSE_BENCH_STEADY_MS (default 20000), LOTSE_BENCH_DEBUG=1 (on stderr: the
 * longest animation frames with their scripts, and a CPU profile of the burst
 * by function — the app's bundle apart from Playwright's socket routing).
 */
import os from 'node:os';
import { chromium, type Page } from '@playwright/test';
import type { TranscriptSegment } from '../../../electron/contract';
import { createTranscriptStore } from '../../../renderer/stores/transcript-store';
import { LotsePage } from '../../e2e/support/lotse-page';
import { startLotseWeb } from '../../e2e/support/lotse-web';
import { TranscriptFeed, transcriptStream } from '../../e2e/support/transcript-feed';
import { chromiumLaunchOptions } from '../../testbed/chromium';
import { progress, report } from '../report';

const BENCH = 'suggest';
const SEGMENTS = Number(process.env.LOTSE_BENCH_TRANSCRIPT_SEGMENTS ?? 5000);
const STEADY_MS = Number(process.env.LOTSE_BENCH_STEADY_MS ?? 20_000);
const STEADY_INTERVAL_MS = 25;
const CALL = 'bench-call';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PhaseFrames {
  deltas: number[];
  longFrames: {
    duration: number;
    blocking: number;
    render: number;
    layout: number;
    scripts: string;
  }[];
  maxRows: number;
  rows: number;
  entryType: string;
}

/** rAF deltas, long animation frames and rows in the DOM, per phase. */
async function installFrameMonitor(page: Page): Promise<string> {
  return page.evaluate(() => {
    const supported = PerformanceObserver.supportedEntryTypes;
    const entryType = supported.includes('long-animation-frame')
      ? 'long-animation-frame'
      : 'longtask';
    const monitor = {
      running: false,
      deltas: [] as number[],
      longFrames: [] as {
        duration: number;
        blocking: number;
        render: number;
        layout: number;
        scripts: string;
      }[],
      maxRows: 0,
      entryType,
    };
    (window as unknown as { __frames: typeof monitor }).__frames = monitor;
    let last = performance.now();
    const rows = () =>
      document.querySelector('[data-testid="transcript"]')?.querySelectorAll('li').length ?? 0;
    const tick = (now: number) => {
      if (monitor.running) {
        monitor.deltas.push(now - last);
        monitor.maxRows = Math.max(monitor.maxRows, rows());
      }
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      if (!monitor.running) return;
      for (const entry of list.getEntries()) {
        const blocking = (entry as PerformanceEntry & { blockingDuration?: number })
          .blockingDuration;
        const loaf = entry as PerformanceEntry & {
          renderStart?: number;
          styleAndLayoutStart?: number;
          scripts?: {
            duration: number;
            invoker: string;
            invokerType: string;
            sourceFunctionName: string;
            forcedStyleAndLayoutDuration: number;
          }[];
        };
        monitor.longFrames.push({
          duration: entry.duration,
          blocking: blocking ?? 0,
          render: loaf.renderStart ? entry.startTime + entry.duration - loaf.renderStart : 0,
          layout: loaf.styleAndLayoutStart
            ? entry.startTime + entry.duration - loaf.styleAndLayoutStart
            : 0,
          scripts:
            (loaf.scripts ?? [])
              .map(
                (s) =>
                  `${Math.round(s.duration)}ms ${s.invokerType} ${s.invoker} ${s.sourceFunctionName} fsl=${Math.round(s.forcedStyleAndLayoutDuration)}`,
              )
              .slice(0, 6)
              .join(' | ') + ` (${loaf.scripts?.length ?? 0} scripts)`,
        });
      }
    }).observe({ type: entryType, buffered: false });
    return entryType;
  });
}

async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const m = (window as unknown as { __frames: PhaseFrames & { running: boolean } }).__frames;
    m.deltas = [];
    m.longFrames = [];
    m.maxRows = 0;
    m.running = true;
  });
}

async function stopFrames(page: Page): Promise<PhaseFrames> {
  return page.evaluate(() => {
    const m = (window as unknown as { __frames: PhaseFrames & { running: boolean } }).__frames;
    m.running = false;
    const rows =
      document.querySelector('[data-testid="transcript"]')?.querySelectorAll('li').length ?? 0;
    return { ...m, rows };
  });
}

function reportFrames(phase: string, frames: PhaseFrames): void {
  if (process.env.LOTSE_BENCH_DEBUG)
    for (const f of [...frames.longFrames].sort((a, b) => b.duration - a.duration).slice(0, 8))
      progress(
        `${phase} LoAF ${Math.round(f.duration)} ms (render ${Math.round(f.render)}, style+layout ${Math.round(f.layout)}): ${f.scripts}`,
      );
  const sorted = [...frames.deltas].sort((a, b) => a - b);
  report(BENCH, `render_${phase}_frames`, sorted.length, 'frames');
  report(BENCH, `render_${phase}_frame_median`, percentile(sorted, 50), 'ms');
  report(BENCH, `render_${phase}_frame_p95`, percentile(sorted, 95), 'ms');
  report(BENCH, `render_${phase}_frame_max`, sorted.at(-1) ?? NaN, 'ms');
  report(BENCH, `render_${phase}_frames_over_50ms`, sorted.filter((d) => d > 50).length, 'frames');
  report(
    BENCH,
    `render_${phase}_long_animation_frames`,
    frames.longFrames.length,
    frames.entryType === 'long-animation-frame' ? 'LoAF' : 'longtask',
  );
  report(
    BENCH,
    `render_${phase}_long_animation_frame_max`,
    Math.max(0, ...frames.longFrames.map((f) => f.duration)),
    'ms',
  );
  report(BENCH, `render_${phase}_dom_rows_max`, frames.maxRows, 'rows');
}

const lineCount = (page: Page) =>
  page.getByTestId('transcript').evaluate((el) => Number((el as HTMLElement).dataset.count));

async function waitForCount(page: Page, count: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while ((await lineCount(page).catch(() => 0)) < count) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`the transcript did not reach ${count} lines within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The store alone in Node: what one upsert costs (partials and finals of a long call). */
function storeCost(messages: TranscriptSegment[]): void {
  const store = createTranscriptStore();
  const started = performance.now();
  for (const message of messages) store.getState().upsert(message);
  const elapsed = performance.now() - started;
  report(BENCH, 'transcript_store_upsert_mean', (elapsed * 1000) / messages.length, 'µs');
}

export async function runRendering(): Promise<void> {
  const burst = [...transcriptStream({ callId: CALL, segments: SEGMENTS, seed: 11 })];
  storeCost(burst);
  const lotse = await startLotseWeb();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const feed = await TranscriptFeed.attach(page);
    const app = new LotsePage(page);
    await app.open(lotse.url, { recordLevels: false });
    // tsx keeps function names with a __name helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    const entryType = await installFrameMonitor(page);
    progress(`rendering: frames measured by rAF and ${entryType}`);
    // 0. Control: as many messages as the burst, but replies to no request, which
    // the app drops at once — what the socket routing and this machine cost alone.
    // A transcript line of another call after them says they have all been taken.
    await startFrames(page);
    const controlStart = Date.now();
    for (let i = 0; i < burst.length; i++)
      feed.sendRaw(JSON.stringify({ t: 'res', id: 1_000_000_000 + i, ok: true, result: null }));
    feed.send({ ...burst[0]!, callId: 'control', segmentId: 'control-done' });
    const list = page.getByTestId('transcript');
    await list.locator('li[data-segment-id="control-done"]').waitFor({ timeout: 120_000 });
    const controlMs = Date.now() - controlStart;
    reportFrames('control', await stopFrames(page));
    report(BENCH, 'render_control_messages', burst.length, 'messages');
    report(BENCH, 'render_control_until_taken', controlMs, 'ms');
    // The panel in view, as on the agent's screen.
    await list.scrollIntoViewIfNeeded();
    await sleep(500);

    // 1. Burst.
    progress(`rendering: burst of ${SEGMENTS} segments (${burst.length} messages)`);
    const cdp = process.env.LOTSE_BENCH_DEBUG
      ? await page.context().newCDPSession(page)
      : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await startFrames(page);
    const burstStart = Date.now();
    for (const message of burst) feed.send(message);
    await waitForCount(page, SEGMENTS, 120_000);
    const last = burst.at(-1)!;
    await page
      .locator(`[data-testid="transcript"] li[data-segment-id="${last.segmentId}"]`)
      .waitFor({ timeout: 30_000 });
    const burstMs = Date.now() - burstStart;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = new Map<number, number>();
      profile.samples?.forEach((id, i) =>
        dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)),
      );
      for (const node of profile.nodes) {
        const f = node.callFrame;
        const where = `${f.url.split('/').at(-1) || '(native)'} ${f.functionName || '(anon)'}`;
        self.set(where, (self.get(where) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
      }
      for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
        progress(`profile ${Math.round(ms)} ms ${where}`);
    }
    reportFrames('burst', await stopFrames(page));
    report(BENCH, 'render_burst_segments', SEGMENTS, 'segments');
    report(BENCH, 'render_burst_messages', burst.length, 'messages');
    report(BENCH, 'render_burst_until_last_line_shown', burstMs, 'ms');

    // 2. Steady stream while the agent scrolls up and down.
    const steady = transcriptStream({
      callId: CALL,
      segments: 100_000,
      firstIndex: 100_000,
      startMs: last.endMs + 1000,
      seed: 12,
    });
    progress(
      `rendering: steady stream (every ${STEADY_INTERVAL_MS} ms) for ${STEADY_MS} ms, scrolling`,
    );
    await list.focus();
    await list.hover();
    await startFrames(page);
    let streaming = true;
    let sentSteady = 0;
    const stream = (async () => {
      const started = Date.now();
      while (streaming) {
        const next = steady.next();
        if (next.done) break;
        feed.send(next.value);
        sentSteady++;
        const due = started + sentSteady * STEADY_INTERVAL_MS;
        await sleep(Math.max(0, due - Date.now()));
      }
    })();
    const steadyEnd = Date.now() + STEADY_MS;
    let pauses = 0;
    while (Date.now() < steadyEnd) {
      // Up through the history, a wheel notch at a time, …
      for (let i = 0; i < 12; i++) {
        await page.mouse.wheel(0, -300);
        await sleep(60);
      }
      if ((await list.getAttribute('data-following')) === 'false') pauses++;
      // … and back down to live.
      for (let i = 0; i < 14; i++) {
        await page.mouse.wheel(0, 300);
        await sleep(60);
      }
      await page.keyboard.press('End').catch(() => undefined);
    }
    streaming = false;
    await stream;
    const steadyFrames = await stopFrames(page);
    reportFrames('steady_scroll', steadyFrames);
    report(BENCH, 'render_steady_messages', sentSteady, 'messages');
    report(BENCH, 'render_steady_scroll_pauses', pauses, 'times');

    // 3. One line at a time, following live: socket → row on screen.
    await list.focus();
    await page.keyboard.press('End');
    await page.evaluate(() => {
      const w = window as unknown as { __shown: Record<string, number> };
      w.__shown = {};
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) {
            const id = (node as HTMLElement).dataset?.segmentId;
            if (id?.startsWith('append-') && w.__shown[id] === undefined)
              requestAnimationFrame(() => {
                w.__shown[id] ??= performance.timeOrigin + performance.now();
              });
          }
      }).observe(document.querySelector('[data-testid="transcript"]')!, {
        childList: true,
        subtree: true,
      });
    });
    await startFrames(page);
    const sentAt = new Map<string, number>();
    let startMs = last.endMs + 10_000_000;
    for (let i = 0; i < 100; i++) {
      const segmentId = `append-${i}`;
      const publishedAt = Date.now();
      sentAt.set(segmentId, publishedAt);
      feed.send({
        callId: CALL,
        segmentId,
        speaker: i % 2 ? 'agent' : 'caller',
        text: 'Die Zahlung wurde am Fünfundzwanzigsten angewiesen, das dauert meist zwei Tage.',
        startMs,
        endMs: startMs + 3000,
        confidence: 0.9,
        final: true,
        publishedAt,
      });
      startMs += 4000;
      await sleep(120);
    }
    await sleep(500);
    reportFrames('append', await stopFrames(page));
    const shown = await page.evaluate(
      () => (window as unknown as { __shown: Record<string, number> }).__shown,
    );
    const latencies = [...sentAt]
      .map(([id, at]) => (shown[id] === undefined ? NaN : shown[id] - at))
      .filter((v) => Number.isFinite(v))
      .sort((a, b) => a - b);
    report(BENCH, 'render_append_shown', latencies.length, 'of 100');
    report(BENCH, 'render_append_socket_to_frame_median', percentile(latencies, 50), 'ms');
    report(BENCH, 'render_append_socket_to_frame_p95', percentile(latencies, 95), 'ms');
    report(BENCH, 'render_total_lines', await lineCount(page), 'lines');
    // Frame times on a shared 2-core machine include other processes' load: say how much.
    report(BENCH, 'render_load_average_1min', os.loadavg()[0] ?? NaN, 'load');
  } finally {
    await browser.close();
    await lotse.stop();
  }
}
