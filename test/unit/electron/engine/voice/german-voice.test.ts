/**
 * The real German voice: SVOX Pico WASM with the shipped lingware
 * (resources/voices/pico/) and Sonic. Measurements are printed so they can be
 * compared between machines; the budgets are the product's, not this box's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoicePort } from '../../../../../electron/engine/voice/voice-port';
import { PicoVoice } from '../../../../../electron/engine/voice/pico-voice';
import { GermanSpeechSynthesizer } from '../../../../../electron/engine/voice/speech-synthesizer';

const ANSWER = 'Ihre nächste Zahlung kommt am 30. November. Der Betrag ist 563 Euro.';
const SAMPLE_RATE = 16_000;

/** Samples at full scale: what clipping leaves behind. */
function clipped(pcm: Int16Array): number {
  let count = 0;
  for (const sample of pcm) if (sample >= 32767 || sample <= -32767) count++;
  return count;
}

/**
 * Median fundamental frequency over voiced 40 ms frames, by normalised
 * autocorrelation between 70 and 400 Hz (a speaking voice's range).
 */
function medianPitchHz(pcm: Int16Array): number {
  const frame = 640;
  const minLag = Math.floor(SAMPLE_RATE / 400);
  const maxLag = Math.ceil(SAMPLE_RATE / 70);
  const estimates: number[] = [];
  for (let start = 0; start + frame + maxLag < pcm.length; start += frame / 2) {
    let energy = 0;
    for (let i = 0; i < frame; i++) energy += (pcm[start + i] ?? 0) ** 2;
    if (Math.sqrt(energy / frame) < 1500) continue;
    let bestLag = 0;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let sum = 0;
      let norm = 0;
      for (let i = 0; i < frame; i++) {
        const a = pcm[start + i] ?? 0;
        const b = pcm[start + i + lag] ?? 0;
        sum += a * b;
        norm += b * b;
      }
      const r = sum / Math.sqrt(energy * norm || 1);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.6) estimates.push(SAMPLE_RATE / bestLag);
  }
  estimates.sort((a, b) => a - b);
  return estimates[Math.floor(estimates.length / 2)] ?? 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function collect(source: AsyncIterable<Int16Array>): Promise<Int16Array[]> {
  const chunks: Int16Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

const seconds = (pcm: Int16Array): number => pcm.length / SAMPLE_RATE;

let synthesizer: GermanSpeechSynthesizer;
let coldMs = 0;

beforeAll(async () => {
  const started = performance.now();
  synthesizer = await GermanSpeechSynthesizer.create();
  coldMs = performance.now() - started;
  console.log(
    `[voice] cold start ${coldMs.toFixed(0)} ms ` +
      `(module ${synthesizer.startup.moduleMs.toFixed(0)} ms, voice ${synthesizer.startup.voiceMs.toFixed(0)} ms, ` +
      `warm-up ${synthesizer.startup.warmUpMs.toFixed(0)} ms, sonic ${synthesizer.startup.rateMs.toFixed(0)} ms)`,
  );
}, 30_000);

afterAll(() => synthesizer?.dispose());

describe('GermanSpeechSynthesizer (real Pico)', () => {
  it('is the engine’s VoicePort', () => {
    const port: VoicePort = synthesizer;
    expect(port.sentences(ANSWER)).toHaveLength(2);
    expect(synthesizer.sampleRate).toBe(SAMPLE_RATE);
  });

  // The 150 ms target for the first audio is a performance figure: measured by
  // `npm run bench -- speech` (tts_first_audio_median, p95), not by a timed
  // test that a busy machine would fail at random. Here: it streams, sentence by sentence.
  it('yields one chunk per sentence, the first before the answer is done, faster than real time', async () => {
    const firstAudio: number[] = [];
    const total: number[] = [];
    let audioSeconds = 0;
    for (let run = 0; run < 7; run++) {
      const started = performance.now();
      let first = -1;
      const chunks: Int16Array[] = [];
      for await (const chunk of synthesizer.synthesize(ANSWER, { rate: 1 })) {
        if (first < 0) first = performance.now() - started;
        chunks.push(chunk);
      }
      firstAudio.push(first);
      total.push(performance.now() - started);
      expect(chunks).toHaveLength(2);
      audioSeconds = chunks.reduce((sum, chunk) => sum + seconds(chunk), 0);
      // Both sentences are real speech: seconds, not a click.
      for (const chunk of chunks) expect(seconds(chunk)).toBeGreaterThan(1);
    }
    const rtf = median(total) / 1000 / audioSeconds;
    console.log(
      `[voice] two-sentence answer: first audio ${median(firstAudio).toFixed(1)} ms (median of 7), ` +
        `all ${median(total).toFixed(1)} ms for ${audioSeconds.toFixed(2)} s of speech, ` +
        `real-time factor ${rtf.toFixed(4)}`,
    );
    expect(median(firstAudio)).toBeLessThan(median(total));
    // A live call needs speech faster than it is spoken, even on a busy desk.
    expect(rtf).toBeLessThan(1);
  });

  it('does not clip at the shipped volume (Pico’s default does)', async () => {
    const loud =
      'Achtung! Ihre Zahlung über 563 Euro ist da. Bitte prüfen Sie Ihren Bescheid sofort!';
    const pcm = await synthesizer.synthesizeAll(loud);
    expect(seconds(pcm)).toBeGreaterThan(3);
    expect(clipped(pcm)).toBe(0);
    let peak = 0;
    for (const sample of pcm) peak = Math.max(peak, Math.abs(sample));
    // Still a healthy level: within ~6 dB of full scale.
    expect(peak).toBeGreaterThan(16_000);

    const defaultVolume = await PicoVoice.create({ volume: 100, warmUp: false });
    try {
      expect(clipped(defaultVolume.speak(loud))).toBeGreaterThan(0);
    } finally {
      defaultVolume.dispose();
    }
  });

  it('keeps the pitch and stretches the time at rate 0.75 (and 1.3)', async () => {
    const normal = await synthesizer.synthesizeAll(ANSWER, { rate: 1 });
    const slow = await synthesizer.synthesizeAll(ANSWER, { rate: 0.75 });
    const fast = await synthesizer.synthesizeAll(ANSWER, { rate: 1.3 });
    const stretch = seconds(slow) / seconds(normal);
    const squeeze = seconds(fast) / seconds(normal);
    const pitch = {
      normal: medianPitchHz(normal),
      slow: medianPitchHz(slow),
      fast: medianPitchHz(fast),
    };
    console.log(
      `[voice] rate 0.75: ${stretch.toFixed(3)}× as long, rate 1.3: ${squeeze.toFixed(3)}×; ` +
        `median F0 ${pitch.normal.toFixed(1)} / ${pitch.slow.toFixed(1)} / ${pitch.fast.toFixed(1)} Hz`,
    );
    expect(stretch).toBeGreaterThan(1.28);
    expect(stretch).toBeLessThan(1.38);
    expect(squeeze).toBeGreaterThan(0.72);
    expect(squeeze).toBeLessThan(0.81);
    // A female voice: F0 well inside 120–300 Hz, and unchanged by the rate (resampling would move it by 25 %).
    expect(pitch.normal).toBeGreaterThan(120);
    expect(pitch.normal).toBeLessThan(300);
    expect(Math.abs(pitch.slow / pitch.normal - 1)).toBeLessThan(0.05);
    expect(Math.abs(pitch.fast / pitch.normal - 1)).toBeLessThan(0.05);
    expect(clipped(slow)).toBe(0);
  });

  it('says nothing for empty text or text without sound', async () => {
    expect(await collect(synthesizer.synthesize(''))).toEqual([]);
    expect(await collect(synthesizer.synthesize('   \n  '))).toEqual([]);
    expect(await collect(synthesizer.synthesize('😀 👍'))).toEqual([]);
    expect(await collect(synthesizer.synthesize('Привет мир.'))).toEqual([]);
    // A sentence in another script is skipped, the German one still spoken.
    const mixed = await collect(synthesizer.synthesize('Привет мир. Guten Tag.'));
    expect(mixed).toHaveLength(1);
  });

  it('does not let text change the voice through Pico markup', async () => {
    const plain = synthesizer.speakSentence('Hallo Welt.');
    const injected = synthesizer.speakSentence('<speed level="300">Hallo Welt.</speed>');
    const loud = synthesizer.speakSentence('<volume level="500">Hallo Welt.</volume>');
    // Markup would make it three times as fast; cleaned, the tag names are just read out.
    expect(seconds(injected)).toBeGreaterThan(seconds(plain) * 0.9);
    expect(clipped(loud)).toBe(0);
    // A NUL byte does not cut the sentence short.
    const withNul = synthesizer.speakSentence('Hallo\u0000 Welt.');
    expect(Math.abs(seconds(withNul) - seconds(plain))).toBeLessThan(0.3);
  });

  it('speaks very long text in pieces of at most 200 characters', async () => {
    const paragraph =
      'Wenn Sie Bürgergeld beziehen und Ihr Bewilligungszeitraum endet, müssen Sie rechtzeitig einen ' +
      'Weiterbewilligungsantrag stellen, damit die Zahlung ohne Unterbrechung weitergeht, und dazu gehören ' +
      'Ihre aktuellen Kontoauszüge, Nachweise über Einkommen, die Mietbescheinigung sowie alle Änderungen ' +
      'in Ihrem Haushalt, zum Beispiel Geburt, Umzug oder eine neue Arbeit.';
    const text = Array.from({ length: 8 }, () => paragraph).join(' ');
    expect(text.length).toBeGreaterThan(2500);
    const pieces = synthesizer.sentences(text);
    expect(pieces.length).toBeGreaterThanOrEqual(16);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(200);
    const started = performance.now();
    let slowest = 0;
    let last = started;
    const chunks: Int16Array[] = [];
    for await (const chunk of synthesizer.synthesize(text)) {
      const now = performance.now();
      slowest = Math.max(slowest, now - last);
      last = now;
      chunks.push(chunk);
    }
    expect(chunks).toHaveLength(pieces.length);
    const audio = chunks.reduce((sum, chunk) => sum + seconds(chunk), 0);
    console.log(
      `[voice] ${text.length} characters: ${chunks.length} pieces, ${audio.toFixed(1)} s of speech in ` +
        `${(performance.now() - started).toFixed(0)} ms; longest wait for one piece ${slowest.toFixed(0)} ms`,
    );
    expect(audio).toBeGreaterThan(120);
    // Two minutes of speech: real work, more than the default limit on a busy machine.
  }, 120_000);

  it('fails with clear messages', async () => {
    expect(() => synthesizer.synthesize('Hallo.', { rate: 0.1 })).toThrow(
      /speech rate must be between 0.5 and 2/,
    );
    expect(() => synthesizer.synthesize('Hallo.', { rate: Number.NaN })).toThrow(RangeError);
    await expect(
      GermanSpeechSynthesizer.create({ lingwareDirectory: '/nonexistent/voices' }),
    ).rejects.toThrow(/German Pico voice not found in \/nonexistent\/voices/);
    await expect(PicoVoice.create({ volume: 900 })).rejects.toThrow(/volume must be 0–500/);
    const voice = await PicoVoice.create({ warmUp: false });
    voice.dispose();
    expect(() => voice.speak('Hallo.')).toThrow(/disposed/);
  });
});
