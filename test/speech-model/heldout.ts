/**
 * The held-out test of the digits model, shared by the recipe's evaluation
 * (evaluate.ts, which records the result in heldout.json) and the unit test
 * (which checks it again): synthesise every held-out sentence with its voice,
 * decode it through the project's libvosk binding, count word errors.
 */
import { readFileSync } from 'node:fs';
import { loadLibVosk, type LibVosk } from '../../electron/engine/speech/libvosk';
import {
  DIGITS_SAMPLE_RATE,
  espeakSpeech,
  picoSpeech,
  silence16k,
  telephoneBand,
} from '../fixtures/digits-speech';

export type HeldoutItem =
  | { engine: 'espeak'; variant: string; speed: number; pitch: number; text: string }
  | { engine: 'pico'; rate: number; text: string };

export interface GroupResult {
  /** Word errors (substitutions + deletions + insertions) / reference words. */
  wer: number;
  errors: number;
  words: number;
  sentences: number;
}

export interface HeldoutResult {
  /** espeak-ng and Pico items, as synthesised (16 kHz). */
  overall: GroupResult;
  espeak: GroupResult;
  pico: GroupResult;
  /** The same items again, through an 8 kHz G.711 mu-law telephone channel. */
  telephone: GroupResult;
  /** Sentences decoded wrongly: what was said, what came out, by which voice. */
  mistakes: { voice: string; expected: string; got: string }[];
  /** libvosk model load, ms. */
  loadMs: number;
  /** Decoding time / audio time. */
  realTimeFactor: number;
  audioSeconds: number;
}

export interface HeldoutFile {
  seed: number;
  command: string;
  items: HeldoutItem[];
  result?: HeldoutResult;
  [key: string]: unknown;
}

export function readHeldout(file: string): HeldoutFile {
  return JSON.parse(readFileSync(file, 'utf8')) as HeldoutFile;
}

/** Reference words of a held-out text (commas are only pauses). */
export function wordsOf(text: string): string[] {
  return text.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
}

/** Word-level edit distance. */
export function wordErrors(expected: string[], got: string[]): number {
  let prev = Array.from({ length: got.length + 1 }, (_, j) => j);
  expected.forEach((word, i) => {
    const row = [i + 1];
    got.forEach((other, j) => {
      const substitute = (prev[j] ?? 0) + (word === other ? 0 : 1);
      row.push(Math.min((prev[j + 1] ?? 0) + 1, (row[j] ?? 0) + 1, substitute));
    });
    prev = row;
  });
  return prev[got.length] ?? 0;
}

export function voiceLabel(item: HeldoutItem): string {
  return item.engine === 'espeak'
    ? `espeak-ng de+${item.variant} -s ${item.speed} -p ${item.pitch}`
    : `pico rate ${item.rate}`;
}

/** The item's audio: its voice's speech with 300 ms of digital silence on each side. */
export async function heldoutAudio(item: HeldoutItem): Promise<Int16Array> {
  const speech =
    item.engine === 'espeak'
      ? await espeakSpeech(item.text, item)
      : await picoSpeech(item.text, item.rate);
  const pad = silence16k(300);
  const pcm = new Int16Array(speech.length + 2 * pad.length);
  pcm.set(speech, pad.length);
  return pcm;
}

/** Feeds `pcm` in 100 ms chunks, as a stream; returns every word libvosk recognised. */
export function decode(
  vosk: LibVosk,
  model: NonNullable<ReturnType<LibVosk['modelNew']>>,
  pcm: Int16Array,
): string[] {
  const recognizer = vosk.recognizerNew(model, DIGITS_SAMPLE_RATE);
  if (!recognizer) throw new Error('libvosk could not make a recognizer for the digits model');
  const texts: string[] = [];
  try {
    const chunk = DIGITS_SAMPLE_RATE / 10;
    for (let i = 0; i < pcm.length; i += chunk) {
      if (vosk.acceptWaveform(recognizer, pcm.subarray(i, i + chunk)) === 1) {
        texts.push((JSON.parse(vosk.result(recognizer)) as { text: string }).text);
      }
    }
    texts.push((JSON.parse(vosk.finalResult(recognizer)) as { text: string }).text);
  } finally {
    vosk.recognizerFree(recognizer);
  }
  return texts.flatMap(wordsOf);
}

function group(results: { errors: number; words: number }[]): GroupResult {
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const words = results.reduce((n, r) => n + r.words, 0);
  return { wer: words === 0 ? 0 : errors / words, errors, words, sentences: results.length };
}

/** Synthesises and decodes every item; `modelPath` is a Vosk model folder. */
export async function evaluateHeldout(
  modelPath: string,
  items: HeldoutItem[],
): Promise<HeldoutResult> {
  // A few synthesis processes at a time (espeak-ng, sox).
  const sounds: { item: HeldoutItem; direct: Int16Array; phoned: Int16Array }[] = [];
  const queue = items.map((item, index) => ({ item, index }));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const direct = await heldoutAudio(job.item);
        sounds[job.index] = { item: job.item, direct, phoned: await telephoneBand(direct) };
      }
    }),
  );
  const vosk = loadLibVosk();
  vosk.setLogLevel(-1);
  const loadStart = performance.now();
  const model = vosk.modelNew(modelPath);
  const loadMs = performance.now() - loadStart;
  if (!model) throw new Error(`libvosk could not load the model in ${modelPath}`);
  interface Scored {
    item: HeldoutItem;
    telephone: boolean;
    errors: number;
    words: number;
    got: string[];
  }
  const scored: Scored[] = [];
  let decodeMs = 0;
  let samples = 0;
  try {
    for (const telephone of [false, true]) {
      for (const { item, direct, phoned } of sounds) {
        const pcm = telephone ? phoned : direct;
        const start = performance.now();
        const got = decode(vosk, model, pcm);
        decodeMs += performance.now() - start;
        samples += pcm.length;
        const expected = wordsOf(item.text);
        const errors = wordErrors(expected, got);
        scored.push({ item, telephone, got, errors, words: expected.length });
      }
    }
  } finally {
    vosk.modelFree(model);
  }
  const direct = scored.filter((s) => !s.telephone);
  const audioSeconds = samples / DIGITS_SAMPLE_RATE;
  return {
    overall: group(direct),
    espeak: group(direct.filter((s) => s.item.engine === 'espeak')),
    pico: group(direct.filter((s) => s.item.engine === 'pico')),
    telephone: group(scored.filter((s) => s.telephone)),
    mistakes: scored
      .filter((s) => s.errors > 0)
      .map((s) => ({
        voice: `${voiceLabel(s.item)}${s.telephone ? ', telephone' : ''}`,
        expected: s.item.text,
        got: s.got.join(' '),
      })),
    loadMs: Math.round(loadMs * 10) / 10,
    realTimeFactor: Math.round((decodeMs / 1000 / audioSeconds) * 10_000) / 10_000,
    audioSeconds: Math.round(audioSeconds * 10) / 10,
  };
}
