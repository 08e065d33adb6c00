/**
 * earlycut: how often the bot's turn-taking cuts off a caller who pauses in
 * the middle of a sentence, and how long it waits after a finished one.
 *
 * The engine's own Endpointer with the bot's own listening settings
 * (LISTEN_OPEN, LISTEN_YES_NO, LISTEN_DIGITS), fed as the live path feeds
 * it: one voice-activity decision per 20 ms frame, and the recogniser's
 * partial text as the words come in. The callers' sentences are the NLU's
 * held-out set (resources/nlu/intents-heldout.jsonl: how callers really
 * phrase it); each is spoken at a German pace, once straight through and
 * once with a pause after every inner word in turn (300, 500, 700 and
 * 1,000 ms: hesitations, not the end of a thought). The synthetic speech
 * model of the test bed hears every word as "wort", so a real recogniser's
 * words cannot come from it: the partial text here is the sentence's own
 * words, shown 150 ms after each word ends (Vosk's partials lag about that
 * much). What is measured is the turn-taking policy itself: silence
 * thresholds and the finished-sentence check.
 *
 * For comparison, the same with the finished-sentence check off (one silence
 * threshold for everything, the first wave's behaviour), and with a finished
 * sentence ending after 400 ms instead of 200 ms.
 *
 * Prints per listening type and pause: early_cut_rate (cut mid-sentence /
 * pauses), and end_wait_median / _p95 (last word → turn end, ms).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LISTEN_OPEN, LISTEN_YES_NO } from '../../electron/engine/bot/dialogue-states';
import type { ListenExpectation } from '../../electron/engine/bot/frames';
import { Endpointer } from '../../electron/engine/speech/endpointer';
import { progress, report } from './report';

const FRAME_MS = 20;
const PARTIAL_LAG_MS = 150;
const PAUSES_MS = [300, 500, 700, 1000];
const HELD_OUT = fileURLToPath(
  new URL('../../resources/nlu/intents-heldout.jsonl', import.meta.url),
);

/** Speaking time of a word: about 4.5 syllables a second, a vowel group a syllable. */
function wordMs(word: string): number {
  const syllables = Math.max(1, word.toLowerCase().match(/[aeiouäöüy]+/g)?.length ?? 1);
  return Math.round(syllables * 220);
}

/** Gap between two words said in one breath. */
const WORD_GAP_MS = 40;

interface Outcome {
  /** The turn ended before the last word was said. */
  cut: boolean;
  /** From the end of the last word to the turn's end (when not cut). */
  endWaitMs: number | null;
}

/** Speaks `words` (a pause of `pauseMs` after word `pauseAfter`) into a fresh endpointer. */
function speak(
  words: string[],
  listen: ListenExpectation,
  finishedCheck: boolean,
  pause?: { after: number; ms: number },
): Outcome {
  const endpointer = new Endpointer({
    silenceMs: listen.silenceMs,
    completeSilenceMs: finishedCheck ? (listen.completeSilenceMs ?? 0) : 0,
  });
  // Frames: speech runs and silences, with the time each word becomes visible.
  const spans: { speech: boolean; ms: number }[] = [{ speech: false, ms: 200 }];
  const shown: { atMs: number; text: string }[] = [];
  let t = 200;
  words.forEach((word, i) => {
    const ms = wordMs(word);
    spans.push({ speech: true, ms });
    t += ms;
    shown.push({ atMs: t + PARTIAL_LAG_MS, text: words.slice(0, i + 1).join(' ') });
    const gap = pause && pause.after === i ? pause.ms : i < words.length - 1 ? WORD_GAP_MS : 0;
    if (gap > 0) {
      spans.push({ speech: false, ms: gap });
      t += gap;
    }
  });
  const lastWordEndMs = t;
  spans.push({ speech: false, ms: 3000 });
  let now = 0;
  let next = 0;
  for (const span of spans) {
    for (let done = 0; done < span.ms; done += FRAME_MS) {
      while (next < shown.length && shown[next]!.atMs <= now)
        endpointer.partial(shown[next++]!.text);
      const events = endpointer.frame(span.speech, FRAME_MS);
      now += FRAME_MS;
      const end = events.find((e) => e.type === 'turn-end');
      if (end) {
        if (end.atMs < lastWordEndMs) return { cut: true, endWaitMs: null };
        return { cut: false, endWaitMs: end.atMs - lastWordEndMs };
      }
    }
  }
  return { cut: false, endWaitMs: null };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function run(): Promise<void> {
  const sentences = fs
    .readFileSync(HELD_OUT, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text)
    .map((text) =>
      text
        .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
        .split(/\s+/)
        .filter(Boolean),
    )
    .filter((words) => words.length >= 2);
  progress(
    `${sentences.length} held-out sentences (${path.basename(HELD_OUT)}), pauses ${PAUSES_MS.join(', ')} ms after each inner word`,
  );
  const settings: [string, ListenExpectation][] = [
    ['open', LISTEN_OPEN],
    // What a longer finished-sentence silence would trade (not the bot's setting).
    ['open_finished_after_400', { ...LISTEN_OPEN, completeSilenceMs: 400 }],
    ['yes_no', LISTEN_YES_NO],
  ];
  for (const [name, listen] of settings) {
    for (const finishedCheck of [true, false]) {
      const label = finishedCheck ? name : `${name}_without_finished_check`;
      const waits = sentences
        .map((words) => speak(words, listen, finishedCheck).endWaitMs)
        .filter((ms): ms is number => ms !== null)
        .sort((a, b) => a - b);
      report('earlycut', `${label}_end_wait_median`, quantile(waits, 0.5), 'ms');
      report('earlycut', `${label}_end_wait_p95`, quantile(waits, 0.95), 'ms');
      for (const pauseMs of PAUSES_MS) {
        let pauses = 0;
        let cuts = 0;
        for (const words of sentences) {
          for (let after = 0; after < words.length - 1; after++) {
            pauses++;
            if (speak(words, listen, finishedCheck, { after, ms: pauseMs }).cut) cuts++;
          }
        }
        report('earlycut', `${label}_pause_${pauseMs}_early_cut_rate`, (100 * cuts) / pauses, '%');
      }
    }
  }
}
