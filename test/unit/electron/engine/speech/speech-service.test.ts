/**
 * SpeechService against the real speech worker, the real libvosk and the
 * project's synthetic model (one word per stretch of speech, see
 * test/fixtures/synthetic-vosk-model.ts). The worker runs from its TypeScript
 * source through tsx.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechStatus } from '../../../../../electron/contract';
import {
  SpeechService,
  type FinalEvent,
  type PartialEvent,
  type SpeechServiceOptions,
} from '../../../../../electron/engine/speech/speech-service';
import {
  makeSyntheticVoskModel,
  syntheticVoskModelFiles,
  SYNTHETIC_WORD,
  writeModelFolder,
} from '../../../../fixtures/synthetic-vosk-model';
import { chunks, join16, silence, speech, type Layout } from '../../../../fixtures/speech-pcm';

const WORKER = fileURLToPath(
  new URL('../../../../../electron/engine/speech/speech-worker.ts', import.meta.url),
);

/** Word times are in 30 ms decoder frames: allow a frame or two. */
const TIME_SLACK_MS = 60;

let modelPath: string;
let layout: Layout;
let sentenceA: Int16Array;
let sentenceB: Int16Array;
const services: SpeechService[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'lotse-speech-'));

beforeAll(async () => {
  modelPath = await makeSyntheticVoskModel();
  sentenceA = await speech('Guten Tag ich habe eine Frage zu meinem Bescheid');
  sentenceB = await speech('Meine Kundennummer ist vier fünf sechs');
  layout = join16([silence(500), sentenceA, silence(1500), sentenceB, silence(2000)]);
}, 30_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Recorder {
  service: SpeechService;
  partials: PartialEvent[];
  finals: FinalEvent[];
  statuses: SpeechStatus[];
  warnings: string[];
}

function makeService(options: Partial<SpeechServiceOptions> = {}): Recorder {
  const warnings: string[] = [];
  const service = new SpeechService({
    workerPath: WORKER,
    modelPath,
    execArgv: ['--import', 'tsx'],
    log: {
      debug() {},
      info() {},
      warn: (m) => warnings.push(m),
      error: (m) => warnings.push(m),
    },
    ...options,
  });
  services.push(service);
  const recorder: Recorder = { service, partials: [], finals: [], statuses: [], warnings };
  service.onPartial((e) => recorder.partials.push(e));
  service.onFinal((e) => recorder.finals.push(e));
  service.onStatus((s) => recorder.statuses.push(s));
  return recorder;
}

function push(service: SpeechService, streamId: string, audio: Int16Array): void {
  for (const chunk of chunks(audio)) service.pushAudio(streamId, chunk);
}

/** Round trip to the worker: everything pushed before has been processed. */
async function settle(service: SpeechService): Promise<void> {
  await service.workerStats();
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function expectWordsInside(final: FinalEvent, segment: { startMs: number; endMs: number }): void {
  expect(final.words.length).toBeGreaterThan(0);
  for (const word of final.words) {
    expect(word.word).toBe(SYNTHETIC_WORD);
    expect(word.startMs).toBeGreaterThanOrEqual(segment.startMs - TIME_SLACK_MS);
    expect(word.endMs).toBeLessThanOrEqual(segment.endMs + TIME_SLACK_MS);
    expect(word.endMs).toBeGreaterThan(word.startMs);
  }
}

describe('SpeechService with libvosk and the synthetic model', () => {
  it('loads the model and streams partials (≥ 4/s of speech) and one final per segment', async () => {
    const r = makeService();
    const started = performance.now();
    await r.service.start();
    const startMs = performance.now() - started;
    expect(r.service.status).toMatchObject({ state: 'ready' });
    console.log(
      `[speech] worker start to ready ${startMs.toFixed(0)} ms, model load ${r.service.metrics.modelLoadMs} ms`,
    );

    r.service.openStream('call-1:caller', { endpoint: { silenceMs: 700 } });
    push(r.service, 'call-1:caller', layout.audio);
    await settle(r.service);

    expect(r.finals.map((f) => f.text)).toEqual([SYNTHETIC_WORD, SYNTHETIC_WORD]);
    layout.speech.forEach((segment, i) => {
      const final = r.finals[i];
      if (!final) throw new Error('missing final');
      expectWordsInside(final, segment);
      expect(final.startMs).toBeGreaterThanOrEqual(segment.startMs - TIME_SLACK_MS);
      expect(final.endMs).toBeLessThanOrEqual(segment.endMs + TIME_SLACK_MS);
      const during = r.partials.filter((p) => p.atMs > segment.startMs && p.atMs <= segment.endMs);
      const seconds = (segment.endMs - segment.startMs) / 1000;
      expect(during.length).toBeGreaterThanOrEqual(Math.floor(4 * seconds));
      expect(during.at(-1)?.text).toBe(SYNTHETIC_WORD);
    });
    expect(r.partials.every((p) => p.streamId === 'call-1:caller')).toBe(true);
  });

  it('gives no final and no partial for silence', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('quiet');
    push(r.service, 'quiet', silence(4_000));
    r.service.closeStream('quiet');
    await settle(r.service);
    expect(r.finals).toEqual([]);
    expect(r.partials).toEqual([]);
  });

  it('ends a turn silenceMs after the speech (yes/no 400 ms, digits 1200 ms)', async () => {
    const r = makeService();
    await r.service.start();
    // Short answer: 400 ms, libvosk's own endpoint (0.5 s rule) comes later.
    r.service.openStream('yes-no', { endpoint: { silenceMs: 400 } });
    const answer = join16([silence(300), sentenceB, silence(1500)]);
    push(r.service, 'yes-no', answer.audio);
    // Dictation: 1200 ms, pauses of 800 ms stay inside the turn.
    r.service.openStream('digits', {
      endpoint: { silenceMs: 1200, useRecognizerEndpoint: false },
    });
    const digits = join16([silence(300), sentenceB, silence(800), sentenceB, silence(2500)]);
    push(r.service, 'digits', digits.audio);
    await settle(r.service);

    const yesNo = r.finals.filter((f) => f.streamId === 'yes-no');
    expect(yesNo).toHaveLength(1);
    const speechEnd = answer.speech[0]?.endMs ?? 0;
    expect(yesNo[0]?.reason).toBe('vad');
    // The VAD may call espeak's fading last 50 ms non-speech already.
    expect((yesNo[0]?.atMs ?? 0) - speechEnd).toBeGreaterThanOrEqual(300);
    expect((yesNo[0]?.atMs ?? 0) - speechEnd).toBeLessThanOrEqual(500);

    const dictated = r.finals.filter((f) => f.streamId === 'digits');
    expect(dictated).toHaveLength(1);
    expect(dictated[0]?.text).toBe(`${SYNTHETIC_WORD} ${SYNTHETIC_WORD}`);
    const lastEnd = digits.speech[1]?.endMs ?? 0;
    expect((dictated[0]?.atMs ?? 0) - lastEnd).toBeGreaterThanOrEqual(1100);
    // + up to stablePartialMs (150) when the decoder's text still changed late
    expect((dictated[0]?.atMs ?? 0) - lastEnd).toBeLessThanOrEqual(1400);
    console.log(
      `[speech] endpoint after speech end: yes/no ${((yesNo[0]?.atMs ?? 0) - speechEnd).toFixed(0)} ms (silenceMs 400), digits ${((dictated[0]?.atMs ?? 0) - lastEnd).toFixed(0)} ms (silenceMs 1200)`,
    );
  });

  it('uses libvosk endpoints when the VAD waits longer', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('s', { endpoint: { silenceMs: 3000 } });
    push(r.service, 's', layout.audio);
    await settle(r.service);
    expect(r.finals.map((f) => f.reason)).toEqual(['endpoint', 'endpoint']);
  });

  it('closing a stream mid-sentence flushes it: the final has come when the close resolves', async () => {
    const r = makeService();
    await r.service.start();
    // The caller hangs up 200 ms after the sentence: too soon for the turn to end.
    r.service.openStream('hang-up', { endpoint: { silenceMs: 700 } });
    const spoken = join16([silence(500), sentenceA, silence(200)]);
    push(r.service, 'hang-up', spoken.audio);
    await settle(r.service);
    expect(r.partials.length).toBeGreaterThan(0);
    expect(r.finals).toEqual([]);
    await r.service.closeStream('hang-up');
    expect(r.finals).toHaveLength(1);
    expect(r.finals[0]).toMatchObject({
      streamId: 'hang-up',
      text: SYNTHETIC_WORD,
      reason: 'flush',
    });
    expectWordsInside(r.finals[0] as FinalEvent, spoken.speech[0] ?? { startMs: 0, endMs: 0 });
    // Nothing to wait for: a stream that is not open, or closed already.
    await r.service.closeStream('hang-up');
    await r.service.closeStream('never-opened');
  });

  it('creates grammar recognizers and switches grammar mid-stream without losing time', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('g', {
      grammar: [SYNTHETIC_WORD, 'ja', 'nein'],
      endpoint: { silenceMs: 500 },
    });
    await settle(r.service);
    // The synthetic model knows one word; the others are reported, not fatal.
    expect(r.warnings.join('\n')).toMatch(/not in the model's vocabulary: ja, nein/);

    const half = Math.floor(sentenceA.length / 2);
    const audio = join16([silence(500), sentenceA, silence(1500), sentenceB, silence(1500)]);
    const cut = 500 * 16 + half;
    push(r.service, 'g', audio.audio.subarray(0, cut));
    r.service.configureStream('g', { grammar: [SYNTHETIC_WORD, 'ja'] });
    push(r.service, 'g', audio.audio.subarray(cut));
    await settle(r.service);

    expect(r.finals[0]?.reason).toBe('flush');
    expect(r.finals[0]?.endMs).toBeLessThanOrEqual(cut / 16 + TIME_SLACK_MS);
    const last = r.finals.at(-1);
    if (!last) throw new Error('no final after the switch');
    expectWordsInside(last, audio.speech[1] ?? { startMs: 0, endMs: 0 });
    expect(r.service.status.state).toBe('ready');
  });

  it('keeps two streams apart', async () => {
    const r = makeService();
    await r.service.start();
    const other = join16([silence(2000), sentenceB, silence(1500)]);
    r.service.openStream('caller');
    r.service.openStream('agent');
    const a = [...chunks(layout.audio)];
    const b = [...chunks(other.audio)];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const ca = a[i];
      const cb = b[i];
      if (ca) r.service.pushAudio('caller', ca);
      if (cb) r.service.pushAudio('agent', cb);
    }
    await settle(r.service);
    const caller = r.finals.filter((f) => f.streamId === 'caller');
    const agent = r.finals.filter((f) => f.streamId === 'agent');
    expect(caller).toHaveLength(2);
    expect(agent).toHaveLength(1);
    expectWordsInside(agent[0] as FinalEvent, other.speech[0] ?? { startMs: 0, endMs: 0 });
    caller.forEach((f, i) => expectWordsInside(f, layout.speech[i] ?? { startMs: 0, endMs: 0 }));
  });

  it('restarts a killed worker, re-opens the stream and goes on with continuous time', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('s', { endpoint: { silenceMs: 500 } });
    const firstPart = Math.round((layout.speech[0]?.endMs ?? 0) + 1000) * 16;
    push(r.service, 's', layout.audio.subarray(0, firstPart));
    await settle(r.service);
    expect(r.finals).toHaveLength(1);

    const pid = r.service.workerPid;
    if (!pid) throw new Error('no worker');
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    // The rest arrives while the worker is down or coming back: buffered, then fed.
    await until(() => r.service.status.state === 'down');
    push(r.service, 's', layout.audio.subarray(firstPart));
    // The limit is generous; the 2 s the restart may take are asserted below.
    await until(() => r.finals.length === 2, 8_000);
    const finalAfterMs = performance.now() - killedAt;
    expect(r.service.status.state).toBe('ready');
    expect(r.service.metrics.restarts).toBe(1);
    expect(r.service.metrics.lastRestartMs).toBeLessThan(2_000);
    expect(finalAfterMs).toBeLessThan(2_000);
    expectWordsInside(r.finals[1] as FinalEvent, layout.speech[1] ?? { startMs: 0, endMs: 0 });
    expect(r.statuses.map((s) => s.state)).toEqual(['starting', 'ready', 'down', 'ready']);
    console.log(
      `[speech] SIGKILL → ready ${r.service.metrics.lastRestartMs} ms; → next final ${finalAfterMs.toFixed(0)} ms`,
    );
  });

  it('drops (and counts) audio beyond the buffer while the worker is down', async () => {
    const r = makeService({ maxBufferMs: 1_000 });
    await r.service.start();
    r.service.openStream('s');
    const pid = r.service.workerPid ?? 0;
    process.kill(pid, 'SIGKILL');
    await until(() => r.service.status.state === 'down');
    push(r.service, 's', silence(3_000));
    expect(r.service.metrics.droppedMs.s).toBe(2_000);
    await until(() => r.service.status.state === 'ready', 8_000);
    // time goes on after the gap: speech pushed now is dated after the 3 s
    push(r.service, 's', join16([sentenceB, silence(1500)]).audio);
    await settle(r.service);
    expect(r.finals[0]?.startMs).toBeGreaterThanOrEqual(3_000 - TIME_SLACK_MS);
  });

  it('rejects audio that is not 16 kHz int16 PCM in sane chunks', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('s');
    const s = r.service;
    expect(() => s.pushAudio('s', new Float32Array([Number.NaN]) as unknown as Int16Array)).toThrow(
      TypeError,
    );
    expect(() => s.pushAudio('s', [Number.NaN, 1, 2] as unknown as Int16Array)).toThrow(TypeError);
    expect(() => s.pushAudio('s', Buffer.alloc(321) as unknown as Int16Array)).toThrow(TypeError);
    expect(() => s.pushAudio('s', new Int16Array(0))).toThrow(RangeError);
    expect(() => s.pushAudio('s', new Int16Array(16_001))).toThrow(RangeError);
    expect(() => s.pushAudio('nope', new Int16Array(320))).toThrow(/not open/);
    expect(() => s.openStream('s')).toThrow(/already open/);
    expect(() => s.openStream('t', { endpoint: { silenceMs: Number.NaN } })).toThrow(RangeError);
    expect(() => s.openStream('u', { grammar: [] })).toThrow(TypeError);
    s.pushAudio('s', new Int16Array(320));
    await settle(s);
    expect(s.status.state).toBe('ready');
  });
});

describe('SpeechService with a broken model', () => {
  function brokenModel(
    name: string,
    change: (files: Map<string, string | Buffer>) => void,
  ): string {
    const files = syntheticVoskModelFiles();
    change(files);
    const dir = join(scratch, name);
    writeModelFolder(dir, files);
    return dir;
  }

  async function failure(path: string): Promise<{ message: string; r: Recorder }> {
    const r = makeService({ modelPath: path, retryDelaysMs: [20, 20] });
    const error = await r.service.start().then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );
    expect(r.service.status.state).toBe('failed');
    expect(r.service.status.message).toBe(error.message);
    return { message: error.message, r };
  }

  it('fails clearly on a missing file, without starting a worker', async () => {
    const { message, r } = await failure(brokenModel('missing', (f) => f.delete('am/final.mdl')));
    expect(message).toMatch(/incomplete: am\/final\.mdl is missing/);
    expect(r.service.status).toMatchObject({
      reason: 'invalid_model',
      params: { file: 'am/final.mdl', problem: 'missing' },
    });
    expect(r.service.workerPid).toBeUndefined();
  });

  it('fails clearly on an 8 kHz model', async () => {
    const { message, r } = await failure(
      brokenModel('rate', (f) => f.set('conf/mfcc.conf', '--sample-frequency=8000\n')),
    );
    expect(message).toMatch(/8000 Hz.*16000 Hz model/);
    expect(r.service.status).toMatchObject({
      reason: 'wrong_sample_rate',
      params: { sampleRate: 8000 },
    });
  });

  it('fails (no restart loop) on a truncated final.mdl that libvosk cannot read', async () => {
    const whole = syntheticVoskModelFiles().get('am/final.mdl') as string;
    const { message, r } = await failure(
      brokenModel('truncated', (f) =>
        f.set('am/final.mdl', whole.slice(0, Math.floor(whole.length / 2))),
      ),
    );
    expect(message).toMatch(/could not (be )?load/);
    expect(r.statuses.filter((s) => s.state === 'starting')).toHaveLength(1);
    console.log(`[speech] truncated final.mdl → ${message}`);
  });

  it('fails clearly on a cut-off HCLG.fst', async () => {
    const dir = brokenModel('bad-graph', () => {});
    const fst = readFileSync(join(dir, 'graph/HCLG.fst'));
    writeFileSync(join(dir, 'graph/HCLG.fst'), fst.subarray(0, fst.length - 30));
    const { message } = await failure(dir);
    expect(message).toMatch(/could not (be )?load/);
    console.log(`[speech] damaged HCLG.fst → ${message}`);
  });

  it('gives up after a few tries when the worker dies while loading', async () => {
    const r = makeService({
      workerPath: fileURLToPath(
        new URL('../../../../fakes/crashing-speech-worker.mjs', import.meta.url),
      ),
      execArgv: [],
      retryDelaysMs: [20, 20],
    });
    const error = await r.service.start().then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/died 3 times while loading it \(last: signal SIGABRT/);
    expect(r.statuses.map((s) => s.state)).toEqual(['starting', 'down', 'down', 'failed']);
  });

  it('pauses for a cool-down when libvosk aborts the worker again and again (no crash loop), then tries again', async () => {
    // An empty silence-phone list makes libvosk abort() at the first endpoint check.
    const path = brokenModel('abort', (f) =>
      f.set(
        'conf/model.conf',
        String(f.get('conf/model.conf')).replace(
          '--endpoint.silence-phones=1',
          '--endpoint.silence-phones=',
        ),
      ),
    );
    const r = makeService({ modelPath: path, maxCrashes: 2, coolDownMs: [1_500] });
    await r.service.start();
    r.service.openStream('s');
    // The call goes on, so every new worker gets audio and dies on it again.
    const audio = join16([silence(300), sentenceB, silence(300)]).audio;
    const coolingDown = () => r.service.status.reason === 'speech_cooling_down';
    const deadline = performance.now() + 8_000;
    while (!coolingDown() && performance.now() < deadline) {
      push(r.service, 's', audio);
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(r.service.status).toMatchObject({
      state: 'down',
      reason: 'speech_cooling_down',
      params: { crashes: 3, seconds: 1.5 },
    });
    expect(r.service.status.message).toMatch(/crashed 3 times.*SIGABRT.*ASSERTION_FAILED/);
    expect(r.statuses.some((s) => s.state === 'failed')).toBe(false);
    // After the cool-down a new worker starts and loads the model again.
    const cooling = r.statuses.length - 1;
    await until(() => r.statuses.slice(cooling).some((s) => s.state === 'ready'), 8_000);
    console.log(
      `[speech] aborting decoder → ${r.service.status.message ?? r.service.status.state}`,
    );
  });
});

describe('SpeechService when its worker hangs, misbehaves or crashes in a loop', () => {
  const FAKE_WORKER = fileURLToPath(
    new URL('../../../../fakes/scripted-speech-worker.mjs', import.meta.url),
  );
  function fake(mode: string, options: Partial<SpeechServiceOptions> = {}): Recorder {
    return makeService({
      workerPath: FAKE_WORKER,
      execArgv: [],
      ...options,
      env: { LOTSE_FAKE_WORKER: mode, ...options.env },
    });
  }

  it('finds a hung worker (SIGSTOP) by its heartbeat, kills it and is ready again within 5 s', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('s');
    const pid = r.service.workerPid;
    if (!pid) throw new Error('no worker');
    const stoppedAt = performance.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await until(() => r.service.status.state === 'down', 5_000);
      const detectedMs = performance.now() - stoppedAt;
      await until(() => r.service.status.state === 'ready', 5_000);
      const readyMs = performance.now() - stoppedAt;
      expect(readyMs).toBeLessThan(5_000);
      expect(r.service.workerPid).not.toBe(pid);
      expect(r.warnings.some((w) => /did not answer for \d+ ms \(hung\)/.test(w))).toBe(true);
      // The stopped worker is gone, not left behind.
      await until(() => !processExists(pid), 2_000);
      // The stream goes on in the new worker.
      push(
        r.service,
        's',
        layout.audio.subarray(0, Math.round((layout.speech[0]?.endMs ?? 0) + 1000) * 16),
      );
      await until(() => r.finals.length === 1, 5_000);
      console.log(
        `[speech] SIGSTOP → down ${detectedMs.toFixed(0)} ms, ready ${readyMs.toFixed(0)} ms`,
      );
    } finally {
      if (processExists(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('a close the worker cannot confirm (stopped, then killed) is over when the worker is gone', async () => {
    const r = makeService();
    await r.service.start();
    r.service.openStream('s');
    push(r.service, 's', join16([silence(500), sentenceA]).audio);
    await settle(r.service);
    const pid = r.service.workerPid;
    if (!pid) throw new Error('no worker');
    process.kill(pid, 'SIGSTOP');
    try {
      let closed = false;
      const closing = r.service.closeStream('s').then(() => (closed = true));
      // Proving that nothing happens needs a window (no event to wait on): a
      // stopped worker cannot confirm, so the close must still be open after it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      process.kill(pid, 'SIGKILL');
      await closing;
      // Its final went with the worker; the stream is not opened again in the next one.
      expect(r.finals).toEqual([]);
      await until(() => r.service.status.state === 'ready', 5_000);
      await settle(r.service);
      expect(r.finals).toEqual([]);
    } finally {
      if (processExists(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('starts the worker with a minimal environment: no case-system token, no other secret', async () => {
    const saved = { ...process.env };
    process.env.LOTSE_CASE_SYSTEM_TOKEN = 'secret-token-for-the-case-system';
    process.env.SOME_PASSWORD = 'hunter2';
    process.env.LC_ALL = 'de_DE.UTF-8';
    const infos: string[] = [];
    try {
      const r = makeService({
        workerPath: FAKE_WORKER,
        execArgv: [],
        env: { LOTSE_FAKE_WORKER: 'env' },
        log: { debug() {}, info: (m) => infos.push(m), warn() {}, error() {} },
      });
      await r.service.start();
    } finally {
      for (const name of ['LOTSE_CASE_SYSTEM_TOKEN', 'SOME_PASSWORD', 'LC_ALL'])
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
    }
    const line = infos.find((m) => m.startsWith('speech worker: env '));
    if (!line) throw new Error('the worker did not report its environment');
    const env = JSON.parse(line.slice('speech worker: env '.length)) as Record<string, string>;
    expect(env.LOTSE_CASE_SYSTEM_TOKEN).toBeUndefined();
    expect(env.SOME_PASSWORD).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain('secret-token-for-the-case-system');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.LC_ALL).toBe('de_DE.UTF-8');
    expect(env.LOTSE_FAKE_WORKER).toBe('env');
    const allowed =
      /^(PATH|LANG|LANGUAGE|LC_\w+|HOME|TMPDIR|TMP|TEMP|LOTSE_FAKE_WORKER|ELECTRON_RUN_AS_NODE)$/;
    expect(Object.keys(env).filter((name) => !allowed.test(name))).toEqual([]);
  });

  it('treats a message that does not fit the protocol as a worker fault: logged, killed, restarted', async () => {
    const mark = join(scratch, `garbage-${process.pid}-${Date.now()}`);
    const r = fake('garbage-once', { env: { LOTSE_FAKE_WORKER_MARK: mark } });
    await r.service.start();
    r.service.openStream('s');
    const first = r.service.workerPid;
    await until(() => r.service.status.state === 'down', 5_000);
    await until(() => r.service.status.state === 'ready', 5_000);
    expect(r.service.workerPid).not.toBe(first);
    expect(r.warnings.some((w) => /invalid message \(.*text/.test(w))).toBe(true);
    // Nothing of it reached the listeners.
    expect(r.finals).toEqual([]);
    expect(r.statuses.map((s) => s.state)).toEqual(['starting', 'ready', 'down', 'ready']);
  });

  it('retries after a cool-down instead of staying off: growing, capped, visible in the status', async () => {
    const r = fake('crash-after-ready', { maxCrashes: 2, coolDownMs: [200, 400] });
    await r.service.start();
    const coolDowns = () => r.statuses.filter((s) => s.reason === 'speech_cooling_down');
    await until(() => coolDowns().length >= 3, 10_000);
    expect(coolDowns().map((s) => s.params)).toEqual([
      { crashes: 3, seconds: 0.2 },
      { crashes: 3, seconds: 0.4 },
      { crashes: 3, seconds: 0.4 },
    ]);
    expect(coolDowns().every((s) => s.state === 'down')).toBe(true);
    expect(r.statuses.some((s) => s.state === 'failed')).toBe(false);
    // Between two cool-downs the worker was started again and got ready.
    const states = r.statuses.map((s) => (s.reason ? 'cooling' : s.state));
    const second = states.indexOf('cooling', states.indexOf('cooling') + 1);
    expect(states.slice(states.indexOf('cooling'), second)).toContain('ready');
  });
});

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
