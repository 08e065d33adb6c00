/**
 * Slower or faster speech with the voice's pitch kept: Sonic's time stretch
 * (@echogarden/sonic-wasm, Apache-2.0).
 *
 * Why not resampling: playing 16 kHz audio as if it were 12 kHz makes it
 * slower but also a quarter lower in pitch, a different (and muffled) voice.
 * Why not Pico's own `<speed>` markup: it works for Pico only, while the rate
 * is a caller setting that must apply the same way to every voice (the
 * espeak-ng voices for other languages come later); Sonic works on any PCM.
 *
 * The rate is a speed factor: 0.75 = three quarters as fast, i.e. the audio
 * becomes 1/0.75 ≈ 1.33 times as long. Callers who need it get ~0.7–0.85.
 */
import { copyToHeap, loadWasmPackage, type EmscriptenModule } from './wasm-package';

/** The range the voice accepts; beyond it Sonic's artefacts become obvious. */
export const MIN_SPEECH_RATE = 0.5;
export const MAX_SPEECH_RATE = 2;

/** The exports of @echogarden/sonic-wasm used here (sonic.h). */
interface SonicModule extends EmscriptenModule {
  _sonicCreateStream(sampleRate: number, channels: number): number;
  _sonicDestroyStream(stream: number): void;
  _sonicSetSpeed(stream: number, speed: number): void;
  _sonicSetQuality(stream: number, quality: number): void;
  _sonicWriteShortToStream(stream: number, samples: number, count: number): number;
  _sonicFlushStream(stream: number): number;
  _sonicSamplesAvailable(stream: number): number;
  _sonicReadShortFromStream(stream: number, samples: number, max: number): number;
}

/** Throws a RangeError unless `rate` is a usable speech rate. */
export function checkSpeechRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < MIN_SPEECH_RATE || rate > MAX_SPEECH_RATE) {
    throw new RangeError(
      `speech rate must be between ${MIN_SPEECH_RATE} and ${MAX_SPEECH_RATE}, got ${rate}`,
    );
  }
}

export class SpeechRateChanger {
  private constructor(private readonly module: SonicModule) {}

  /** Loads Sonic (a few milliseconds); one instance serves any number of calls. */
  static async create(log?: (line: string) => void): Promise<SpeechRateChanger> {
    return new SpeechRateChanger(
      await loadWasmPackage<SonicModule>('@echogarden/sonic-wasm', 'sonic.js', 'sonic.wasm', log),
    );
  }

  /**
   * Returns `samples` (mono 16-bit PCM) spoken at `rate`, same pitch. Rate 1
   * returns the input unchanged. Each call is self-contained (the stream is
   * flushed), which suits whole sentences.
   */
  change(samples: Int16Array, rate: number, sampleRate: number): Int16Array {
    checkSpeechRate(rate);
    if (rate === 1 || samples.length === 0) return samples;
    const m = this.module;
    const stream = m._sonicCreateStream(sampleRate, 1);
    if (stream === 0) throw new Error('Sonic: could not create a stream (out of memory)');
    const input = copyToHeap(
      m,
      new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
    );
    // Room for everything the flush can produce, plus Sonic's look-ahead.
    const capacity = Math.ceil(samples.length / rate) + sampleRate;
    const output = m._malloc(capacity * 2);
    try {
      if (output === 0) throw new Error('Sonic: out of WebAssembly memory');
      m._sonicSetSpeed(stream, rate);
      // Quality 1: pitch periods found on the full signal, not a decimated one.
      m._sonicSetQuality(stream, 1);
      if (!m._sonicWriteShortToStream(stream, input, samples.length)) {
        throw new Error('Sonic: writing samples failed');
      }
      if (!m._sonicFlushStream(stream)) throw new Error('Sonic: flushing the stream failed');
      const parts: Int16Array[] = [];
      let total = 0;
      for (;;) {
        const read = m._sonicReadShortFromStream(stream, output, capacity);
        if (read <= 0) break;
        parts.push(m.HEAP16.slice(output >> 1, (output >> 1) + read));
        total += read;
      }
      const result = new Int16Array(total);
      let at = 0;
      for (const part of parts) {
        result.set(part, at);
        at += part.length;
      }
      return result;
    } finally {
      m._free(input);
      if (output !== 0) m._free(output);
      m._sonicDestroyStream(stream);
    }
  }
}
