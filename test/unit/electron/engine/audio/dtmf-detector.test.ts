/**
 * The DTMF detector against ITU-T Q.24's limits, on synthesised key tones,
 * and against German speech (talk-off: speech must never become a key).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DtmfDetector, dtmfFrequencies } from '../../../../../electron/engine/audio/dtmf-detector';
import { KeyToneGate } from '../../../../../electron/engine/audio/key-tone-gate';
import { espeakSpeech, picoSpeech } from '../../../../fixtures/digits-speech';
import { speech } from '../../../../fixtures/speech-pcm';

const RATE = 16_000;

interface ToneSpec {
  key: string;
  ms: number;
  /** RMS level per tone, dBFS. Default −12. */
  levelDbfs?: number;
  /** Relative frequency error of both tones (0.015 = +1.5 %). */
  deviation?: number;
  /** Low group minus high group, dB. */
  twistDb?: number;
}

function tone({ key, ms, levelDbfs = -12, deviation = 0, twistDb = 0 }: ToneSpec): Float64Array {
  const [low, high] = dtmfFrequencies(key);
  const amplitude = Math.SQRT2 * 10 ** (levelDbfs / 20);
  const lowAmp = amplitude * 10 ** (twistDb / 40);
  const highAmp = amplitude * 10 ** (-twistDb / 40);
  const n = Math.round((RATE * ms) / 1000);
  const out = new Float64Array(n);
  const phase = Math.random() * 2 * Math.PI;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    out[i] =
      lowAmp * Math.sin(2 * Math.PI * low * (1 + deviation) * t + phase) +
      highAmp * Math.sin(2 * Math.PI * high * (1 + deviation) * t);
  }
  return out;
}

function gap(ms: number): Float64Array {
  return new Float64Array(Math.round((RATE * ms) / 1000));
}

/** Joins float parts (full scale 1) into 16-bit PCM, with white noise at `noiseDbfs` (RMS). */
function pcm(parts: readonly Float64Array[], noiseDbfs?: number): Int16Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Int16Array(total);
  const noise = noiseDbfs === undefined ? 0 : Math.sqrt(3) * 10 ** (noiseDbfs / 20);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const x = part[i]! + (Math.random() * 2 - 1) * noise;
      out[offset + i] = Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
    }
    offset += part.length;
  }
  return out;
}

/** Keys the detector reports, fed in 20 ms frames as the engine does. */
function keysIn(samples: Int16Array): string {
  const detector = new DtmfDetector();
  let keys = '';
  for (let i = 0; i + 320 <= samples.length; i += 320) {
    for (const step of detector.push(samples.subarray(i, i + 320))) keys += step.pressed ?? '';
  }
  return keys;
}

function sequence(keys: string, spec: Omit<ToneSpec, 'key'>, gapMs = 60): Int16Array {
  return pcm([
    gap(100),
    ...[...keys].flatMap((key) => [tone({ key, ...spec }), gap(gapMs)]),
    gap(100),
  ]);
}

describe('DtmfDetector', () => {
  it('hears all sixteen keys in a row', () => {
    expect(keysIn(sequence('123A456B789C*0#D', { ms: 70 }))).toBe('123A456B789C*0#D');
  });

  it('takes keys within ±1.5 % of their frequencies and refuses them 3.5 % off', () => {
    const keys = '147*2580369#';
    for (const deviation of [0.015, -0.015]) {
      expect(keysIn(sequence(keys, { ms: 70, deviation })), `deviation ${deviation}`).toBe(keys);
    }
    for (const deviation of [0.035, -0.035, 0.05]) {
      expect(keysIn(sequence(keys, { ms: 70, deviation })), `deviation ${deviation}`).toBe('');
    }
  });

  it('takes a key of 40 ms and refuses bursts of 20 ms', () => {
    expect(keysIn(sequence('5555', { ms: 40 }, 50))).toBe('5555');
    expect(keysIn(sequence('5555', { ms: 20 }, 50))).toBe('');
  });

  it('keeps a key through 10 ms dropouts (a busy play-out), and takes no fragment of one as a key', () => {
    // One tone with 10 ms of it lost every 40 ms (the tone goes on in phase, as played).
    const held = tone({ key: '6', ms: 200 });
    for (let at = 30; at < 200; at += 40) held.fill(0, at * 16, (at + 10) * 16);
    expect(keysIn(pcm([gap(100), held, gap(100)]))).toBe('6');
    expect(keysIn(sequence('6', { ms: 25 }))).toBe('');
  });

  it('counts a long press once and a key repeated after a 40 ms pause twice', () => {
    expect(keysIn(sequence('8', { ms: 800 }))).toBe('8');
    expect(keysIn(sequence('88', { ms: 60 }, 40))).toBe('88');
  });

  it('accepts a twist of +6/−3 dB and refuses +12/−8 dB', () => {
    for (const twistDb of [6, -3]) expect(keysIn(sequence('19', { ms: 70, twistDb }))).toBe('19');
    for (const twistDb of [12, -8]) expect(keysIn(sequence('19', { ms: 70, twistDb }))).toBe('');
  });

  it('hears quiet keys and keys in noise, but not tones below the minimum level', () => {
    expect(keysIn(sequence('42', { ms: 70, levelDbfs: -36 }))).toBe('42');
    // 12 dB signal-to-noise per tone.
    const noisy = pcm(
      [gap(100), tone({ key: '3', ms: 80 }), gap(80), tone({ key: '#', ms: 80 }), gap(100)],
      -24,
    );
    expect(keysIn(noisy)).toBe('3#');
    expect(keysIn(sequence('42', { ms: 70, levelDbfs: -50 }))).toBe('');
  });

  it('never takes German speech for a key (talk-off)', async () => {
    const sentences = [
      'Guten Tag, ich möchte wissen, wann mein Geld überwiesen wird.',
      'Meine Kundennummer ist neun neun null eins null null null eins.',
      'Ich bin krank geschrieben und kann morgen nicht zum Termin kommen.',
      'Hallo? Hören Sie mich? Ja, genau, das ist richtig.',
    ];
    for (const text of sentences) expect(keysIn(await speech(text)), text).toBe('');
    expect(keysIn(await picoSpeech('Ich habe eine Frage zu meinem Bescheid vom März.'))).toBe('');
  }, 30_000);
});

describe('KeyToneGate', () => {
  const frames = (samples: Int16Array): Int16Array[] => {
    const out: Int16Array[] = [];
    for (let i = 0; i + 320 <= samples.length; i += 320) out.push(samples.slice(i, i + 320));
    return out;
  };
  /** Every frame through a fresh gate, then its flush: what the recogniser gets, and the keys. */
  const gated = (input: Int16Array[]): { out: Int16Array[]; digits: string[] } => {
    const gate = new KeyToneGate();
    const out: Int16Array[] = [];
    const digits: string[] = [];
    for (const frame of input) {
      const step = gate.push(frame);
      out.push(...step.forward);
      digits.push(...step.digits);
    }
    out.push(...gate.flush());
    return { out, digits };
  };

  it('passes speech through unchanged (what the detector looks at waits up to 120 ms, then goes on as it is)', async () => {
    const gate = new KeyToneGate();
    // Two voices: the default, and a deep one whose voiced frames the quick
    // onset test suspects now and then (they were silenced once, and the
    // recogniser heard other words).
    const input = [
      ...frames(await speech('Wann kommt mein Geld?')),
      ...frames(
        await espeakSpeech('eins eins sieben, acht zwo', {
          variant: 'Andy',
          speed: 123,
          pitch: 6,
        }),
      ),
    ];
    const out: Int16Array[] = [];
    let waiting = 0;
    for (const frame of input) {
      const { forward, digits } = gate.push(frame);
      expect(digits).toEqual([]);
      // Nothing waits longer than the detector may take to decide (six frames, 120 ms).
      waiting += 1 - forward.length;
      expect(waiting).toBeLessThanOrEqual(6);
      out.push(...forward);
    }
    out.push(...gate.flush());
    expect(out).toHaveLength(input.length);
    // Every frame, the faint onsets out of silence included, reaches the
    // recogniser as it is: clipping word onsets made it hear extra words.
    out.forEach((frame, i) => expect(frame).toBe(input[i]));
  });

  it('turns a key into silence for the recogniser, keeping the timing, and reports it', async () => {
    const words = await speech('Hallo');
    const input = frames(pcm([gap(100), tone({ key: '7', ms: 120 }), gap(200)]));
    const withSpeech = [...frames(words), ...input, ...frames(words)];
    const { out, digits } = gated(withSpeech);
    expect(digits).toEqual(['7']);
    expect(out).toHaveLength(withSpeech.length);
    // Nothing of the key's energy reaches the recogniser (the frame where it
    // starts may carry up to one 10 ms step of it).
    const keyFrames = out.slice(frames(words).length, frames(words).length + input.length);
    const loud = keyFrames.filter((f) => f.some((s) => Math.abs(s) > 1000));
    expect(loud.length).toBeLessThanOrEqual(1);
    // A fragment too short to be a key is no key, and no word either.
    const fragment = frames(pcm([gap(100), tone({ key: '2', ms: 25 }), gap(100)]));
    const { out: passed, digits: none } = gated(fragment);
    expect(none).toEqual([]);
    expect(passed.filter((f) => f.some((s) => Math.abs(s) > 1000)).length).toBeLessThanOrEqual(1);
    // The speech after it is unchanged.
    expect(out.slice(-frames(words).length)).toEqual(frames(words));
  });

  it('silences a key’s faint onset out of digital silence even when its tones show only a frame later', () => {
    // 100 ms of digital silence, a faint 20 ms fade-in, 15 ms of nothing the
    // detector can take for a key, then the key at full level.
    const input = frames(
      pcm([
        gap(100),
        tone({ key: '5', ms: 20, levelDbfs: -45 }),
        gap(15),
        tone({ key: '5', ms: 125 }),
        gap(200),
      ]),
    );
    const { out, digits } = gated(input);
    expect(digits).toEqual(['5']);
    expect(out).toHaveLength(input.length);
    // Not one sample of the key, its faint onset included, reaches the recogniser.
    expect(out.filter((f) => f.some((v) => v !== 0))).toEqual([]);
  });

  it('silences every sample of two keys a desk phone sent (RFC 4733, played out by Chromium, recorded at the engine)', () => {
    // 800 ms of a real call's caller leg (baresip through rtpengine): the end
    // of key 1, digital silence, then key 9 starting at full level in the
    // middle of a frame — the frame a busy run passed to the recogniser.
    const bytes = fs.readFileSync(
      fileURLToPath(new URL('../../../../fixtures/desk-phone-keys-1-9.pcm', import.meta.url)),
    );
    const input = frames(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2));
    const { out } = gated(input);
    expect(out).toHaveLength(input.length);
    expect(out.filter((f) => f.some((v) => v !== 0))).toEqual([]);
  });
});
