/**
 * The committed digits model (test/fixtures/digits-model/, trained on
 * synthetic voices by test/speech-model/train.py) recognises voices it never
 * heard in training, through the project's own libvosk binding.
 *
 * The held-out sentences are synthesised here, now (espeak-ng with the voice
 * variants left out of training, the project's Pico voice at speeds not used
 * in training; then all of them again through an 8 kHz mu-law telephone
 * channel) and decoded; in every group the word error rate must not be worse
 * than the one recorded in heldout.json when the model was made (plus a small
 * margin for another espeak-ng build) and at most 5 %.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadLibVosk,
  type LibVosk,
  type ModelHandle,
} from '../../../electron/engine/speech/libvosk';
import {
  DIGITS_SAMPLE_RATE,
  digitsModelPath,
  writeDigitSentenceWav,
} from '../../fixtures/digits-speech';
import { decode, evaluateHeldout, readHeldout } from '../../speech-model/heldout';

/** How much worse than recorded the word error rate may be (another espeak-ng build, say). */
const MARGIN = 0.01;
const MAX_WER = 0.05;

function requireSpeechTools(): void {
  for (const tool of ['espeak-ng', 'sox']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${tool} is not installed: the digits-model test speaks its held-out set with espeak-ng ` +
          'and sox (Debian packages espeak-ng and sox; CI installs them)',
      );
    }
  }
}

describe('digits model (trained on synthetic voices only)', () => {
  const heldout = readHeldout(path.join(digitsModelPath(), 'heldout.json'));

  it('has a recorded held-out result to compare with', () => {
    expect(heldout.result, 'run test/speech-model/evaluate.ts').toBeDefined();
    expect(heldout.items.length).toBeGreaterThan(100);
    expect(new Set(heldout.items.map((i) => i.engine))).toEqual(new Set(['espeak', 'pico']));
  });

  it('recognises the held-out voices with at most the recorded word error rate', async () => {
    requireSpeechTools();
    const recorded = heldout.result!;
    const result = await evaluateHeldout(digitsModelPath(), heldout.items);
    const summary = (['overall', 'espeak', 'pico', 'telephone'] as const)
      .map(
        (g) =>
          `${g} ${(result[g].wer * 100).toFixed(2)} % (recorded ${(recorded[g].wer * 100).toFixed(2)} %)`,
      )
      .join(', ');
    console.log(
      `[digits-model] WER ${summary}; load ${result.loadMs} ms, ${result.realTimeFactor} × real time`,
    );
    for (const m of result.mistakes) console.log(`  ${m.voice}: "${m.expected}" → "${m.got}"`);
    expect(result.overall.words).toBe(recorded.overall.words);
    for (const g of ['overall', 'espeak', 'pico', 'telephone'] as const) {
      expect(result[g].wer, `${g} word error rate`).toBeLessThanOrEqual(recorded[g].wer + MARGIN);
      expect(result[g].wer, `${g} word error rate`).toBeLessThanOrEqual(MAX_WER);
    }
  }, 60_000);

  describe('through a WAV file made by the shared helper', () => {
    let vosk: LibVosk;
    let model: ModelHandle;
    const dir = path.join(tmpdir(), `lotse-digits-${process.pid}`);

    beforeAll(() => {
      vosk = loadLibVosk();
      vosk.setLogLevel(-1);
      const loaded = vosk.modelNew(digitsModelPath());
      if (!loaded) throw new Error('libvosk could not load test/fixtures/digits-model');
      model = loaded;
    });
    afterAll(() => {
      if (model) vosk.modelFree(model);
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads a spoken customer number back word for word', async () => {
      requireSpeechTools();
      const file = path.join(dir, 'sentence.wav');
      mkdirSync(dir, { recursive: true });
      const text = 'vier fünf sechs null zwo acht';
      await writeDigitSentenceWav(file, text);
      const wav = readFileSync(file);
      expect(wav.readUInt32LE(24)).toBe(DIGITS_SAMPLE_RATE);
      const pcm = new Int16Array(
        wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length),
      );
      expect(decode(vosk, model, pcm).join(' ')).toBe(text);
    });

    it('hears no words in silence or in steady noise', () => {
      const quiet = new Int16Array(DIGITS_SAMPLE_RATE * 2);
      expect(decode(vosk, model, quiet)).toEqual([]);
      // Deterministic pseudo-random noise, about -40 dBFS.
      let seed = 1;
      const noise = quiet.map(() => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return Math.round((seed / 2 ** 31 - 0.5) * 700);
      });
      expect(decode(vosk, model, noise)).toEqual([]);
    });
  });
});
