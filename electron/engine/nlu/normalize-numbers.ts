/**
 * Rewrites a recogniser transcript (lower case, no punctuation) with digits in
 * place of number words, leaving every other word as it was:
 * "meine kundennummer ist eins zwei drei vier fünf" → "meine kundennummer ist
 * 12345". Intent rules, entity extraction and the transcript shown to the
 * agent all read digits more reliably than words.
 *
 * Decisions:
 * - Number words said one after another, each below 100 ("eins zwei drei",
 *   "null acht neun", "zwölf vierunddreißig", "doppel null"), are one digit
 *   string ("123", "089", "1234", "00"): that is how customer numbers, PINs
 *   and phone numbers are spoken. A larger number stays separate
 *   ("neunzehnhundertachtzig zwei" → "1980 2"); what grammar joins is one
 *   number ("zweitausend drei", "zwei tausend drei" → "2003").
 * - Ordinals become "22." only next to a month ("am 22. märz", "am 1. 3.
 *   1980"); elsewhere "zum ersten mal" keeps its words.
 * - "ein"/"eine" stay words unless they multiply a scale ("eine million" →
 *   "1000000").
 */
import { monthOfWord } from './german-numbers';
import { tokenizeNumbers, transcriptWords, type NumberToken } from './number-tokens';

export function normalizeNumbers(text: string): string {
  const words = transcriptWords(text);
  const tokens = tokenizeNumbers(text);
  const out: string[] = [];
  let digitRun = '';
  const flush = (): void => {
    if (digitRun) out.push(digitRun);
    digitRun = '';
  };
  tokens.forEach((token, index) => {
    if (token.kind === 'cardinal') {
      if (token.digits.length <= 2 || token.repeated) {
        digitRun += token.digits;
        return;
      }
      flush();
      out.push(token.digits);
      return;
    }
    flush();
    if (token.kind === 'ordinal' && inDate(tokens, index)) {
      out.push(`${token.value}.`);
      return;
    }
    out.push(words.slice(token.start, token.end).join(' '));
  });
  flush();
  return out.join(' ');
}

/** Whether the ordinal at `index` is a day or month: next to a month name or another ordinal date part. */
function inDate(tokens: NumberToken[], index: number): boolean {
  const isMonth = (token: NumberToken | undefined): boolean =>
    token?.kind === 'word' && monthOfWord(token.text) !== undefined;
  const next = tokens[index + 1];
  const previous = tokens[index - 1];
  const token = tokens[index];
  if (isMonth(next)) return true;
  // "ersten dritten" (day, month) or the month in it.
  if (
    token?.kind === 'ordinal' &&
    token.value <= 31 &&
    next?.kind === 'ordinal' &&
    next.value <= 12
  ) {
    return true;
  }
  if (token?.kind === 'ordinal' && token.value <= 12 && previous?.kind === 'ordinal') return true;
  return false;
}
