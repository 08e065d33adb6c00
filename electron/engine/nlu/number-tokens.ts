/**
 * Reads a recogniser transcript as a sequence of words and numbers: the one
 * pass that spoken digits, dates, amounts and `normalizeNumbers` share.
 *
 * Why one shared pass: whether "zwei" is a digit of a customer number, part of
 * "zwei tausend" or the day in "zweiter März" depends on its neighbours. The
 * rules, in order:
 * - Number words across word gaps form one number only where German grammar
 *   joins them: after or before a scale word ("zwei tausend vierundzwanzig",
 *   "neunzehnhundert achtzig") or around a lone "und" ("drei und zwanzig").
 *   Otherwise each word is its own number, so "eins zwei drei" stays three
 *   numbers, which `digitString` joins to "123".
 * - "ein"/"eine" count only before a scale ("eine Million"): "eine Frage" is
 *   not 1.
 * - "doppel"/"zweimal"/"dreimal" before a digit repeat it ("doppel null" = 00).
 * - Digits already in the text ("22", "22.03.1980", "563,20") pass through.
 */
import {
  digitOfWord,
  foldGermanWord,
  parseOrdinalWord,
  repeatCountOfWord,
  splitNumberParts,
  valueOfParts,
} from './german-numbers';

export type NumberToken =
  /** A word that is not (part of) a number. */
  | { kind: 'word'; text: string; folded: string; start: number; end: number }
  /**
   * A cardinal. `digits` is how it is written: "0" for "null", "00" for
   * "doppel null", "1980" for "neunzehnhundertachtzig".
   */
  | {
      kind: 'cardinal';
      value: number;
      digits: string;
      /** Said as a repeat ("doppel null"): digits, whatever their count. */
      repeated?: boolean;
      start: number;
      end: number;
    }
  /** An ordinal word ("dritten" → 3). */
  | { kind: 'ordinal'; value: number; start: number; end: number }
  /** Digits written in the text ("22", "22.", "22.03.1980", "563,20"). */
  | { kind: 'numeral'; text: string; start: number; end: number };

/** `start`/`end`: word indexes into the split text (end exclusive). */
interface Word {
  text: string;
  folded: string;
  parts: string[] | undefined;
}

const SCALES = new Set(['hundert', 'tausend', 'million', 'millionen', 'milliarde', 'milliarden']);

/** The words of a transcript; punctuation that sticks to words is dropped, except in numerals. */
export function transcriptWords(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) =>
      /\d/.test(word) ? word.replace(/[,;:!?]+$/, '') : word.replace(/[.,;:!?"„“()]+/g, ''),
    )
    .filter(Boolean);
}

/** Splits `text` into word, cardinal, ordinal and numeral tokens. */
export function tokenizeNumbers(text: string): NumberToken[] {
  const words: Word[] = transcriptWords(text).map((word) => {
    const folded = foldGermanWord(word);
    return { text: word, folded, parts: splitNumberParts(folded) };
  });
  const tokens: NumberToken[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] as Word;
    if (/^\d/.test(word.text) && /^[\d.,]+$/.test(word.text)) {
      tokens.push({ kind: 'numeral', text: word.text, start: i, end: i + 1 });
      i++;
      continue;
    }
    const repeated = readRepeat(words, i);
    if (repeated) {
      tokens.push(repeated);
      i = repeated.end;
      continue;
    }
    const cardinal = readCardinal(words, i);
    if (cardinal) {
      tokens.push(cardinal);
      i = cardinal.end;
      continue;
    }
    const ordinal = parseOrdinalWord(word.folded);
    if (ordinal !== undefined) {
      tokens.push({ kind: 'ordinal', value: ordinal, start: i, end: i + 1 });
      i++;
      continue;
    }
    tokens.push({ kind: 'word', text: word.text, folded: word.folded, start: i, end: i + 1 });
    i++;
  }
  return tokens;
}

/** "doppel null", "zweimal die neun", "doppelnull": a repeated digit. */
function readRepeat(words: Word[], at: number): NumberToken | undefined {
  const word = words[at] as Word;
  const glued = /^(doppelt?|zweimal|dreimal)(.+)$/.exec(word.folded);
  if (glued) {
    const count = repeatCountOfWord(glued[1] ?? '');
    const digit = digitOfWord(glued[2] ?? '');
    if (count && digit) return repeat(digit, count, at, at + 1);
  }
  let count = repeatCountOfWord(word.folded);
  let next = at + 1;
  // "zwei mal null" as two words.
  if (count === undefined && words[at + 1]?.folded === 'mal') {
    const times = digitOfWord(word.folded);
    if (times === '2' || times === '3') {
      count = Number(times);
      next = at + 2;
    }
  }
  if (count === undefined) return undefined;
  // "zweimal die neun": an article may stand between.
  if (words[next]?.folded === 'die') next++;
  const nextWord = words[next];
  const digit = nextWord ? digitOfWord(nextWord.folded) : undefined;
  if (!digit) return undefined;
  return repeat(digit, count, at, next + 1);
}

function repeat(digit: string, count: number, start: number, end: number): NumberToken {
  const digits = digit.repeat(count);
  return { kind: 'cardinal', value: Number(digits), digits, repeated: true, start, end };
}

/** The longest grammatical cardinal starting at word `at`, joined across gaps only where German joins. */
function readCardinal(words: Word[], at: number): NumberToken | undefined {
  const first = words[at];
  if (!first?.parts) return undefined;
  let best: { value: number; end: number } | undefined;
  const parts: string[] = [];
  for (let end = at; end < words.length; end++) {
    const word = words[end] as Word;
    if (!word.parts) break;
    if (end > at && !joins(words, end)) break;
    parts.push(...word.parts);
    const value = valueOfParts(parts);
    if (value !== undefined) best = { value, end: end + 1 };
  }
  if (!best) return undefined;
  return {
    kind: 'cardinal',
    value: best.value,
    digits: String(best.value),
    start: at,
    end: best.end,
  };
}

/** Whether word `at` continues the number of the word before it. */
function joins(words: Word[], at: number): boolean {
  const before = words[at - 1]?.parts ?? [];
  const here = words[at]?.parts ?? [];
  const last = before[before.length - 1] ?? '';
  const first = here[0] ?? '';
  if (SCALES.has(last) || SCALES.has(first)) return true;
  // "drei und zwanzig": "und" alone joins a unit to a tens word.
  if (here.length === 1 && first === 'und') return true;
  if (last === 'und' && before.length === 1) return true;
  return false;
}

/**
 * The digits of a run of cardinals said one after another ("null acht neun",
 * "zwölf vierunddreißig"): their written forms joined, leading zeros kept.
 */
export function digitString(tokens: readonly NumberToken[]): string {
  return tokens.map((token) => (token.kind === 'cardinal' ? token.digits : '')).join('');
}
