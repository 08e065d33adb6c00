/**
 * speech: what recognition and the voice cost on this machine.
 *
 * - Speech-process overhead per stream at 1, 4 and 8 concurrent streams: CPU
 *   time of the speech process (user + system) divided by the audio time it
 *   was given, per stream, while German speech with pauses is pushed in real
 *   time (20 ms frames) through the real libvosk (project's synthetic model:
 *   it measures the whole path around the model – IPC, MFCC, VAD, decoding of
 *   a tiny graph – not a real model's acoustic cost). Frames dropped.
 * - Time from the end of a speech segment to its final result, with the
 *   call's endpointing (silenceMs) and a short one (yes/no questions).
 * - Memory per stream (speech process RSS growth / streams).
 * - TTS: time to first audio for a typical two-sentence answer, warm.
 * - Real call: held-out digit sentences (test/fixtures/digits-model, voices the
 *   model never heard) spoken by a test caller through the test bed
 *   (Kamailio, WebRTC, the app's AudioWorklet tap, resampling, the speech
 *   process with the digits model), scored against the caller-leg finals in
 *   the app's transcript: the word error rate, and the time from the end of
 *   the voice to the final with the recognised digits on screen.
 *
 * Env: LOTSE_BENCH_SECONDS (default 12), LOTSE_BENCH_SENTENCES (real call, default 24).
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpeechService, type FinalEvent } from '../../electron/engine/speech/speech-service';
import { GermanSpeechSynthesizer } from '../../electron/engine/voice/speech-synthesizer';
import { chunks, join16, silence, speech, type Layout } from '../fixtures/speech-pcm';
import { makeSyntheticVoskModel } from '../fixtures/synthetic-vosk-model';
import { quantile } from '../../electron/engine/metrics/rolling-stats';
import { digitsModelPath, pickHeldOut } from '../fixtures/digits-speech';
import { makeToneSequenceWav } from '../fixtures/tone-sequence-wav';
import { LotsePage } from '../e2e/support/lotse-page';
import { startLotseWeb } from '../e2e/support/lotse-web';
import {
  loadHeldOut,
  speakAndScore,
  totalWer,
  voiceName,
  type SentenceResult,
} from '../e2e/support/real-call-digits';
import { chromiumLaunchOptions } from '../testbed/chromium';
import { startKamailio } from '../testbed/kamailio';
import { installScriptedMicrophone } from '../testbed/scripted-microphone';
import { TestCaller } from '../testbed/test-caller';
import { progress, report } from './report';

const WORKER = fileURLToPath(new URL('../../dist/electron/speech-worker.cjs', import.meta.url));
const SECONDS = Number(process.env.LOTSE_BENCH_SECONDS ?? 12);
const SENTENCES = Number(process.env.LOTSE_BENCH_SENTENCES ?? 24);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssKiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

const silent = {
  debug() {},
  info() {},
  warn: (m: string) => progress(m),
  error: (m: string) => progress(m),
};

async function testAudio(): Promise<Layout> {
  const parts: Int16Array[] = [silence(500)];
  for (const text of [
    'Guten Tag ich habe eine Frage',
    'Meine Kundennummer ist eins zwei drei',
    'Danke schön',
  ]) {
    parts.push(await speech(text), silence(1500));
  }
  return join16(parts);
}

/** Pushes `audio` (looped) into every stream in real time; returns finals with their lateness. */
async function runStreams(
  service: SpeechService,
  count: number,
  layout: Layout,
  seconds: number,
): Promise<{
  cpuMs: number;
  audioMs: number;
  dropped: number;
  endToFinalMs: number[];
  rssGrowthKiB: number;
}> {
  const ids = Array.from({ length: count }, (_, i) => `bench-${count}-${i}`);
  const rssBefore = rssKiB(service.workerPid);
  const endToFinal: number[] = [];
  /** Wall-clock time at which each stream's speech segment ended (by segment end ms of the loop). */
  const segmentEndWall = new Map<string, number[]>();
  const off = service.onFinal((event: FinalEvent) => {
    const ends = segmentEndWall.get(event.streamId) ?? [];
    // The segment this final closes: the latest one that ended before it was decided.
    const end = ends.filter((t) => t <= performance.now()).at(-1);
    if (end !== undefined) endToFinal.push(performance.now() - end);
  });
  for (const id of ids) service.openStream(id);
  const before = await service.workerStats();
  const frames = [...chunks(layout.audio)];
  const start = performance.now();
  const totalFrames = Math.floor((seconds * 1000) / 20);
  for (let n = 0; n < totalFrames; n++) {
    const due = start + n * 20;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const frame = frames[n % frames.length] ?? silence(20);
    const positionMs = (n % frames.length) * 20 + 20;
    for (const id of ids) service.pushAudio(id, frame);
    for (const segment of layout.speech) {
      if (Math.abs(positionMs - segment.endMs) < 10) {
        for (const id of ids) {
          const list = segmentEndWall.get(id) ?? [];
          list.push(performance.now());
          segmentEndWall.set(id, list);
        }
      }
    }
  }
  await sleep(1500); // let the last turn end
  const after = await service.workerStats();
  const rssAfter = rssKiB(service.workerPid);
  for (const id of ids) service.closeStream(id);
  off();
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs);
  const audioMs = totalFrames * 20 * count;
  const dropped = ids.reduce((sum, id) => sum + (service.metrics.droppedMs[id] ?? 0), 0);
  return { cpuMs, audioMs, dropped, endToFinalMs: endToFinal, rssGrowthKiB: rssAfter - rssBefore };
}

export async function run(): Promise<void> {
  if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} missing: run "npm run build"`);
  const [model, layout] = await Promise.all([makeSyntheticVoskModel(), testAudio()]);
  progress(
    `model ${path.basename(model)}; ${layout.speech.length} speech segments per ${(layout.audio.length / 16000).toFixed(1)} s loop`,
  );

  const service = new SpeechService({ workerPath: WORKER, modelPath: model, log: silent });
  const startedAt = performance.now();
  await service.start();
  report('speech', 'worker_start_to_ready', performance.now() - startedAt, 'ms');
  report('speech', 'model_load', service.metrics.modelLoadMs ?? NaN, 'ms');
  const idleRss = rssKiB(service.workerPid);
  report('speech', 'worker_rss_idle', idleRss / 1024, 'MiB');

  let calls: number[] = [];
  for (const count of [1, 4, 8]) {
    progress(`${count} stream(s), ${SECONDS} s of real-time audio each`);
    const result = await runStreams(service, count, layout, SECONDS);
    report(
      'speech',
      `cpu_per_stream_${count}`,
      (100 * result.cpuMs) / result.audioMs,
      '% of real time',
    );
    report('speech', `dropped_audio_${count}`, result.dropped, 'ms');
    report('speech', `rss_per_stream_${count}`, result.rssGrowthKiB / 1024 / count, 'MiB');
    if (count === 1) calls = result.endToFinalMs;
  }
  const sorted = [...calls].sort((a, b) => a - b);
  report('speech', 'end_of_speech_to_final_median', quantile(sorted, 0.5), 'ms');
  report('speech', 'end_of_speech_to_final_p95', quantile(sorted, 0.95), 'ms');
  await service.stop();

  // A short endpoint (after a yes/no question).
  const short = new SpeechService({ workerPath: WORKER, modelPath: model, log: silent });
  await short.start();
  const shortEnds: number[] = [];
  let speechEnd = 0;
  short.onFinal(() => shortEnds.push(performance.now() - speechEnd));
  short.openStream('short', { endpoint: { silenceMs: 400 } });
  const yes = join16([silence(300), await speech('Ja'), silence(1200)]);
  for (let round = 0; round < 10; round++) {
    const start = performance.now();
    let n = 0;
    for (const frame of chunks(yes.audio)) {
      const wait = start + n * 20 - performance.now();
      if (wait > 1) await sleep(wait);
      short.pushAudio('short', frame);
      n++;
      if (Math.abs(n * 20 - (yes.speech[0]?.endMs ?? 0)) < 10) speechEnd = performance.now();
    }
  }
  await sleep(500);
  const shortSorted = shortEnds.sort((a, b) => a - b);
  report(
    'speech',
    'end_of_speech_to_final_400ms_endpoint_median',
    quantile(shortSorted, 0.5),
    'ms',
  );
  report('speech', 'end_of_speech_to_final_400ms_endpoint_p95', quantile(shortSorted, 0.95), 'ms');
  await short.stop();

  // TTS, warm: time to the first chunk of a two-sentence answer.
  const synthesizer = await GermanSpeechSynthesizer.create();
  const answer = 'Ihre nächste Zahlung kommt am 30. November. Der Betrag ist 563 Euro.';
  const firstAudio: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    for await (const chunk of synthesizer.synthesize(answer)) {
      void chunk;
      firstAudio.push(performance.now() - t0);
      break;
    }
  }
  const tts = firstAudio.sort((a, b) => a - b);
  report('speech', 'tts_first_audio_median', quantile(tts, 0.5), 'ms');
  report('speech', 'tts_first_audio_p95', quantile(tts, 0.95), 'ms');
  synthesizer.dispose();

  await realCall();
}

/**
 * Held-out digit sentences through a real call (as test/e2e/spoken-path.spec.ts):
 * word error rate and end of voice → final with the digits on screen.
 */
async function realCall(): Promise<void> {
  const items = pickHeldOut(SENTENCES);
  progress(`real call: ${items.length} held-out digit sentences through the test bed`);
  const [kamailio, lotse] = await Promise.all([
    startKamailio(),
    startLotseWeb({ speechModel: digitsModelPath() }),
  ]);
  const appBrowser = await chromium.launch(
    chromiumLaunchOptions({
      fakeAudioFile: makeToneSequenceWav([{ frequencyHz: null, seconds: 2 }]),
    }),
  );
  const caller = await TestCaller.start();
  const results: SentenceResult[] = [];
  try {
    const microphone = await installScriptedMicrophone(caller);
    const names = await loadHeldOut(microphone, items);
    const app = new LotsePage(await appBrowser.newPage());
    await app.open(lotse.url);
    // tsx keeps function names with a __name helper the page does not have.
    await app.page.evaluate('globalThis.__name = (f) => f');
    // The status lives in the settings view: attached, not necessarily shown.
    await app.page
      .locator('[data-testid="speech-status"][data-state="ready"]')
      .waitFor({ state: 'attached', timeout: 30_000 });
    await app.configureAccount({ serverUrl: kamailio.wsUrl, sipUri: 'sip:agent@127.0.0.1' });
    await app.register();
    await app.expectRegistration('registered');
    await caller.register({ wsUrl: kamailio.wsUrl, user: 'anrufer', domain: '127.0.0.1' });
    await app.installTranscriptRecorder();
    // An agent call: nobody talks over the caller.
    await caller.call('agent');
    await app.expectCall('ringing');
    await app.button('Annehmen').click();
    await app.expectCall('connected');
    await caller.waitForCallState('established', 10_000);
    await sleep(1000);
    for (const [i, item] of items.entries()) {
      const result = await speakAndScore(app, microphone, names[i]!, item.text, {
        voice: voiceName(item),
      });
      results.push(result);
      progress(
        `${result.errors ? 'x' : 'ok'} [${result.voice}] "${result.reference}" → "${result.heard}" (${result.endToFinalMs?.toFixed(0) ?? '-'} ms on screen, ${result.endToPublishMs?.toFixed(0) ?? '-'} ms published)`,
      );
    }
    await caller.hangup();
  } finally {
    await caller.close();
    await appBrowser.close().catch(() => undefined);
    await lotse.stop();
    await kamailio.stop();
  }
  const { wer, words } = totalWer(results);
  const latencies = results
    .filter((r) => r.endToFinalMs !== null && r.errors === 0)
    .map((r) => r.endToFinalMs!)
    .sort((a, b) => a - b);
  report('speech', 'real_call_digit_wer', 100 * wer, '%');
  report('speech', 'real_call_words', words, 'words');
  report('speech', 'real_call_speech_end_to_digits_median', quantile(latencies, 0.5), 'ms');
  report('speech', 'real_call_speech_end_to_digits_p95', quantile(latencies, 0.95), 'ms');
  const published = results
    .filter((r) => r.endToPublishMs !== null && r.errors === 0)
    .map((r) => r.endToPublishMs!)
    .sort((a, b) => a - b);
  report('speech', 'real_call_speech_end_to_engine_final_median', quantile(published, 0.5), 'ms');
  // The drift: end of voice → final in the engine, per third of the call in
  // sentence order (a buffer that grows on the way shows as a later third slower).
  const third = Math.ceil(results.length / 3);
  const parts = ['first', 'middle', 'last'] as const;
  const medians = parts.map((part, i) => {
    const ms = results
      .slice(i * third, (i + 1) * third)
      .filter((r) => r.endToPublishMs !== null && r.errors === 0)
      .map((r) => r.endToPublishMs!)
      .sort((a, b) => a - b);
    const median = quantile(ms, 0.5);
    report('speech', `real_call_end_to_final_${part}_third_median`, median, 'ms');
    return median;
  });
  report(
    'speech',
    'real_call_end_to_final_drift_last_minus_first',
    medians[2]! - medians[0]!,
    'ms',
  );
  // The drift once seen here set in after the second sentence: the first three alone.
  const opening = results
    .slice(0, 3)
    .filter((r) => r.endToPublishMs !== null && r.errors === 0)
    .map((r) => r.endToPublishMs!)
    .sort((a, b) => a - b);
  report('speech', 'real_call_end_to_final_first_3_median', quantile(opening, 0.5), 'ms');
}
