/**
 * Digit sentences through a real call: the scripted microphone of a test
 * caller speaks, the app's transcript (caller leg) is what the engine
 * recognised after WebRTC, the AudioWorklet tap, resampling and the speech
 * process. Shared by test/e2e/spoken-path.spec.ts and the `speech` bench.
 */
import {
  DIGITS_SAMPLE_RATE,
  referenceWords,
  speakHeldOut,
  wordErrors,
  type HeldOutItem,
} from '../../fixtures/digits-speech';
import type { ScriptedMicrophone } from '../../testbed/scripted-microphone';
import type { LotsePage } from './lotse-page';

export interface SentenceResult {
  voice: string;
  reference: string;
  heard: string;
  words: number;
  errors: number;
  /** From the end of the voice to the last caller final of this sentence on screen; null: none. */
  endToFinalMs: number | null;
  /** The same to the moment the engine published that final (before the renderer); null: none. */
  endToPublishMs: number | null;
}

export function voiceName(item: HeldOutItem): string {
  return item.engine === 'pico'
    ? `pico rate ${item.rate}`
    : `espeak-ng de${item.variant ? `+${item.variant}` : ''} -s ${item.speed ?? 175} -p ${item.pitch ?? 50}`;
}

/** Synthesises `items` and loads them into the microphone as "heldout-0", "heldout-1", … */
export async function loadHeldOut(
  microphone: ScriptedMicrophone,
  items: readonly HeldOutItem[],
): Promise<string[]> {
  const names: string[] = [];
  for (const [i, item] of items.entries()) {
    const name = `heldout-${i}`;
    await microphone.load(name, await speakHeldOut(item), DIGITS_SAMPLE_RATE);
    names.push(name);
  }
  return names;
}

/**
 * Speaks `name` into the call and collects the caller finals that follow:
 * done once the voice has ended, a final has come, no caller line is still
 * partial (the recogniser is not in the middle of a segment) and nothing new
 * has come for `settleMs`; at most `timeoutMs` after the voice ends (then it
 * scores what came). Scored against `reference`.
 */
export async function speakAndScore(
  app: LotsePage,
  microphone: ScriptedMicrophone,
  name: string,
  reference: string,
  { settleMs = 1500, timeoutMs = 20_000, voice = '' } = {},
): Promise<SentenceResult> {
  const since = (await app.finals()).length;
  const end = await microphone.speak(name);
  let finals: { text: string; shownAt: number; publishedAt: number }[];
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    finals = (await app.finals()).slice(since).filter((f) => f.speaker === 'caller');
    const pending = await app.transcript.lines('caller', { partial: true }).count();
    const now = Date.now();
    const last = finals.at(-1);
    if (last && !pending && now > end && now - Math.max(last.shownAt, end) >= settleMs) break;
    if (now > end + timeoutMs) break;
  }
  const heard = finals.map((f) => f.text).join(' ');
  const ref = referenceWords(reference);
  const last = finals.at(-1);
  return {
    voice,
    reference,
    heard,
    words: ref.length,
    errors: wordErrors(ref, referenceWords(heard)),
    endToFinalMs: last ? last.shownAt - end : null,
    endToPublishMs: last && Number.isFinite(last.publishedAt) ? last.publishedAt - end : null,
  };
}

/** Total word error rate of `results` (0…1). */
export function totalWer(results: readonly SentenceResult[]): {
  wer: number;
  errors: number;
  words: number;
} {
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  const words = results.reduce((sum, r) => sum + r.words, 0);
  return { wer: words ? errors / words : NaN, errors, words };
}
