/**
 * Reads 16-bit PCM WAV files and measures what is in them: RMS level and the
 * dominant frequency over a time window.
 *
 * Why frequency and not just level: a call that "connects" can still carry
 * the wrong audio (the far end's own signal looped back, comfort noise, a
 * codec mismatch played as noise). Sending a known tone one way and finding
 * exactly that tone on the other side proves the media path. Amplitudes are
 * not compared exactly: browsers' gain control and G.711 change them.
 *
 * Tolerant of WAVs whose header was never finalised (a recorder still
 * writing, or killed): a data chunk size of 0 or beyond the end of the file
 * means "up to the end of the file".
 */
import { readFileSync } from 'node:fs';

export interface PcmWav {
  sampleRate: number;
  channels: number;
  /** First channel only, as floats in [-1, 1). */
  samples: Float32Array;
  durationS: number;
}

export interface WindowAnalysis {
  /** RMS of the window in dBFS (full-scale sine = -3 dBFS). -Infinity for digital silence. */
  rmsDbfs: number;
  /** Frequency with the most energy between minHz and maxHz. */
  dominantFrequencyHz: number;
  /** Share of the window's energy within ±bandHz of the dominant frequency (0..1). */
  tonality: number;
  startS: number;
  endS: number;
}

export function parseWav(buffer: Buffer): PcmWav {
  if (buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('parseWav: not a RIFF/WAVE file');
  let pos = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  let format = 0;
  while (pos + 8 <= buffer.length) {
    const id = buffer.toString('ascii', pos, pos + 4);
    const size = buffer.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      format = buffer.readUInt16LE(body);
      channels = buffer.readUInt16LE(body + 2);
      sampleRate = buffer.readUInt32LE(body + 4);
      bits = buffer.readUInt16LE(body + 14);
    } else if (id === 'data') {
      // WAVE_FORMAT_EXTENSIBLE (0xfffe) with 16-bit samples is PCM as well.
      if ((format !== 1 && format !== 0xfffe) || bits !== 16)
        throw new Error(`parseWav: only 16-bit PCM is supported (format ${format}, ${bits} bit)`);
      const available = buffer.length - body;
      const bytes = size === 0 || size > available ? available : size;
      const frameBytes = 2 * channels;
      const frames = Math.floor(bytes / frameBytes);
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++)
        samples[i] = buffer.readInt16LE(body + i * frameBytes) / 32768;
      return { sampleRate, channels, samples, durationS: frames / sampleRate };
    }
    pos = body + size + (size % 2);
  }
  throw new Error('parseWav: no data chunk');
}

export function readWav(path: string): PcmWav {
  return parseWav(readFileSync(path));
}

/** Energy of one frequency (Goertzel), normalised so a unit sine gives ~n²/4. */
function goertzelPower(
  samples: Float32Array,
  from: number,
  to: number,
  freq: number,
  rate: number,
) {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    // Hann window: keeps a strong tone from leaking into neighbouring bins.
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - from)) / (to - from - 1));
    const s0 = (samples[i] ?? 0) * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

export interface AnalyseOptions {
  /** Window start in seconds. Default 0. */
  startS?: number;
  /** Window end in seconds. Default end of file. */
  endS?: number;
  /** Frequency scan range and step. Defaults 100–3800 Hz (telephone band), 5 Hz. */
  minHz?: number;
  maxHz?: number;
  stepHz?: number;
  /** Half width of the band counted as "the tone" for `tonality`. Default 40 Hz. */
  bandHz?: number;
}

/**
 * RMS and dominant frequency of a window: a coarse Goertzel scan over the
 * range, then a 1 Hz scan around the best coarse bin.
 */
export function analyseSamples(wav: PcmWav, options: AnalyseOptions = {}): WindowAnalysis {
  const rate = wav.sampleRate;
  const startS = Math.max(0, options.startS ?? 0);
  const endS = Math.min(wav.durationS, options.endS ?? wav.durationS);
  const from = Math.floor(startS * rate);
  const to = Math.max(from, Math.floor(endS * rate));
  const n = to - from;
  if (n < 32) throw new Error(`analyse: window ${startS}–${endS} s has only ${n} samples`);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (wav.samples[i] ?? 0) ** 2;
  const rms = Math.sqrt(sum / n);
  const rmsDbfs = rms === 0 ? -Infinity : 20 * Math.log10(rms);

  const minHz = options.minHz ?? 100;
  const maxHz = Math.min(options.maxHz ?? 3800, rate / 2 - 1);
  const step = options.stepHz ?? 5;
  let bestHz = minHz;
  let bestPower = -1;
  let totalPower = 0;
  const powers: { hz: number; power: number }[] = [];
  for (let hz = minHz; hz <= maxHz; hz += step) {
    const power = goertzelPower(wav.samples, from, to, hz, rate);
    powers.push({ hz, power });
    totalPower += power;
    if (power > bestPower) {
      bestPower = power;
      bestHz = hz;
    }
  }
  for (let hz = bestHz - step; hz <= bestHz + step; hz += 1) {
    const power = goertzelPower(wav.samples, from, to, hz, rate);
    if (power > bestPower) {
      bestPower = power;
      bestHz = hz;
    }
  }
  const band = options.bandHz ?? 40;
  const inBand = powers
    .filter((p) => Math.abs(p.hz - bestHz) <= band)
    .reduce((s, p) => s + p.power, 0);
  return {
    rmsDbfs,
    dominantFrequencyHz: bestHz,
    tonality: totalPower > 0 ? inBand / totalPower : 0,
    startS,
    endS,
  };
}

/** readWav + analyseSamples. */
export function analyseWav(path: string, options: AnalyseOptions = {}): WindowAnalysis {
  return analyseSamples(readWav(path), options);
}

/**
 * Analyses consecutive windows of `windowS` seconds, e.g. to find when a tone
 * started or to check it lasted the whole call.
 */
export function analyseWindows(path: string, windowS: number, options: AnalyseOptions = {}) {
  const wav = readWav(path);
  const out: WindowAnalysis[] = [];
  for (let t = 0; t + windowS <= wav.durationS + 1e-9; t += windowS) {
    out.push(analyseSamples(wav, { ...options, startS: t, endS: t + windowS }));
  }
  return out;
}
