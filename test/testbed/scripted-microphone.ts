/**
 * A test caller whose microphone the test drives: getUserMedia in the caller
 * page returns a WebAudio stream into which the test plays utterances it
 * loaded before (espeak-ng, Pico, any PCM), so the end of each utterance's
 * voice is known to the millisecond; a watcher on the remote audio element
 * reports when the other side talks or has fallen quiet.
 *
 * Install before the caller registers: it reloads the caller page.
 */
import type { TestCaller } from './test-caller';

/** The page-side API, `window.__mic`. */
interface MicApi {
  load(name: string, base64Int16: string, rate: number, voicedEndS: number): void;
  speak(name: string): number;
  heardAfter(after: number, dbfs: number, timeoutMs: number): Promise<number | null>;
  quietFor(ms: number, dbfs: number, timeoutMs: number): Promise<boolean>;
}

/**
 * Installed in the caller page before it loads: getUserMedia returns a
 * stream the test plays speech into; a watcher reports remote levels.
 * Runs in the page: it must not use anything from this module.
 */
function pageScript(): void {
  const ctx = new AudioContext({ sampleRate: 48_000 });
  const destination = ctx.createMediaStreamDestination();
  // A microphone never stops: digital silence between utterances keeps the
  // track's frames (and RTP with its timestamps) flowing. Without it Chromium
  // sends nothing while no utterance plays, the receiver's jitter buffer reads
  // every utterance as a delay spike and grows to over a second.
  const floor = ctx.createConstantSource();
  floor.offset.value = 0;
  floor.connect(destination);
  floor.start();
  const buffers = new Map<string, { buffer: AudioBuffer; voicedEndS: number }>();
  navigator.mediaDevices.getUserMedia = async () => {
    await ctx.resume();
    return new MediaStream(destination.stream.getAudioTracks().map((t) => t.clone()));
  };
  const watch = {
    ctx: undefined as AudioContext | undefined,
    analyser: undefined as AnalyserNode | undefined,
    stream: undefined as MediaStream | undefined,
  };
  const level = (): number => {
    const analyser = watch.analyser;
    if (!analyser) return -200;
    const data = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    return 10 * Math.log10(sum / data.length + 1e-12);
  };
  const attach = (): void => {
    const el = document.getElementById('remote-audio') as HTMLAudioElement | null;
    const stream = el?.srcObject instanceof MediaStream ? el.srcObject : undefined;
    if (!stream || stream === watch.stream) return;
    watch.ctx ??= new AudioContext();
    void watch.ctx.resume();
    const source = watch.ctx.createMediaStreamSource(stream);
    const analyser = watch.ctx.createAnalyser();
    // 256 samples at 48 kHz: a 5.3 ms window.
    analyser.fftSize = 256;
    const sink = watch.ctx.createGain();
    sink.gain.value = 0;
    source.connect(analyser).connect(sink).connect(watch.ctx.destination);
    watch.analyser = analyser;
    watch.stream = stream;
  };
  const api: MicApi = {
    load(name, base64Int16, rate, voicedEndS) {
      const bytes = Uint8Array.from(atob(base64Int16), (c) => c.charCodeAt(0));
      const pcm = new Int16Array(bytes.buffer, 0, bytes.byteLength >> 1);
      const floats = new Float32Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) floats[i] = pcm[i]! / 32768;
      const buffer = ctx.createBuffer(1, Math.max(1, floats.length), rate);
      buffer.copyToChannel(floats, 0);
      buffers.set(name, { buffer, voicedEndS });
    },
    speak(name) {
      const loaded = buffers.get(name);
      if (!loaded) throw new Error(`no utterance "${name}" loaded`);
      const source = ctx.createBufferSource();
      source.buffer = loaded.buffer;
      source.connect(destination);
      const at = ctx.currentTime + 0.02;
      const now = performance.timeOrigin + performance.now();
      source.start(at);
      return now + (at - ctx.currentTime) * 1000 + loaded.voicedEndS * 1000;
    },
    heardAfter(after, dbfs, timeoutMs) {
      return new Promise((resolve) => {
        const deadline = performance.now() + timeoutMs;
        const poll = () => {
          attach();
          const t = performance.timeOrigin + performance.now();
          if (t >= after && level() > dbfs) return resolve(t);
          if (performance.now() > deadline) return resolve(null);
          setTimeout(poll, 2);
        };
        poll();
      });
    },
    quietFor(ms, dbfs, timeoutMs) {
      return new Promise((resolve) => {
        const deadline = performance.now() + timeoutMs;
        let since = performance.now();
        const poll = () => {
          attach();
          if (level() > dbfs) since = performance.now();
          if (performance.now() - since >= ms) return resolve(true);
          if (performance.now() > deadline) return resolve(false);
          setTimeout(poll, 5);
        };
        poll();
      });
    },
  };
  Object.assign(window, { __mic: api });
}

/** PCM as int16 (or floats in -1…1). */
export type Samples = Int16Array | Float32Array | readonly number[];

function toInt16(samples: Samples): Int16Array {
  if (samples instanceof Int16Array) return samples;
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out[i] = Math.round(v * 32767);
  }
  return out;
}

/** Where the voice of `samples` ends (s): the end of the last 10 ms window above `dbfs`. */
export function voicedEndSeconds(samples: Samples, rate: number, dbfs = -40): number {
  const pcm = toInt16(samples);
  const window = Math.round(rate / 100);
  let voicedEnd = 0;
  for (let start = 0; start + window <= pcm.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += (pcm[i]! / 32768) ** 2;
    if (10 * Math.log10(sum / window + 1e-12) > dbfs) voicedEnd = start + window;
  }
  return voicedEnd / rate;
}

export class ScriptedMicrophone {
  private readonly voicedEnds = new Map<string, number>();

  /** `caller` is the test caller whose microphone this is. */
  constructor(readonly caller: TestCaller) {}

  /**
   * Loads an utterance under `name` (replacing one of that name). Where its
   * voice ends is measured unless `voicedEndS` is given. Returns that end (s).
   */
  async load(name: string, samples: Samples, rate: number, voicedEndS?: number): Promise<number> {
    const pcm = toInt16(samples);
    const end = voicedEndS ?? voicedEndSeconds(pcm, rate);
    const base64 = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
    await this.caller.page.evaluate(
      ([n, b, r, e]) => (window as unknown as { __mic: MicApi }).__mic.load(n, b, r, e),
      [name, base64, rate, end] as const,
    );
    this.voicedEnds.set(name, end);
    return end;
  }

  /** Loads several utterances, name → 16 kHz (or `rate`) samples. */
  async loadAll(utterances: Record<string, Samples>, rate: number): Promise<void> {
    for (const [name, samples] of Object.entries(utterances)) await this.load(name, samples, rate);
  }

  /** Starts playing `name` into the call; resolves with the epoch time (ms) its voice ends. */
  speak(name: string): Promise<number> {
    return this.caller.page.evaluate(
      (n) => (window as unknown as { __mic: MicApi }).__mic.speak(n),
      name,
    );
  }

  /** Plays `name` and waits until its voice has ended; resolves with that epoch time (ms). */
  async say(name: string): Promise<number> {
    const end = await this.speak(name);
    const wait = end - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return end;
  }

  /** The first epoch time (ms) after `after` at which the caller hears more than `dbfs`; null on timeout. */
  heardAfter(after: number, dbfs: number, timeoutMs: number): Promise<number | null> {
    return this.caller.page.evaluate(
      ([a, d, t]) => (window as unknown as { __mic: MicApi }).__mic.heardAfter(a, d, t),
      [after, dbfs, timeoutMs] as const,
    );
  }

  /** True once the caller has heard nothing above `dbfs` for `ms`; false on timeout. */
  quietFor(ms: number, dbfs: number, timeoutMs: number): Promise<boolean> {
    return this.caller.page.evaluate(
      ([m, d, t]) => (window as unknown as { __mic: MicApi }).__mic.quietFor(m, d, t),
      [ms, dbfs, timeoutMs] as const,
    );
  }
}

/**
 * Replaces the test caller's microphone by the scripted one: installs the
 * page script and reloads the caller page (so register afterwards).
 */
export async function installScriptedMicrophone(caller: TestCaller): Promise<ScriptedMicrophone> {
  // tsx keeps function names with a __name helper the page does not have.
  await caller.page.addInitScript({
    content: `var __name = (f) => f; (${pageScript.toString()})();`,
  });
  await caller.page.reload();
  await caller.page.waitForFunction(() => document.title === 'test caller ready');
  return new ScriptedMicrophone(caller);
}
