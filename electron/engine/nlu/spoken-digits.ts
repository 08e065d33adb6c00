/**
 * Customer numbers, household numbers, PINs and phone numbers are spoken digit
 * by digit ("eins zwei drei vier"), in pairs ("zwölf vierunddreißig"), with
 * "zwo" for 2 and "doppel null" for 00. This reads such an utterance as the
 * digit string it stands for, keeping leading zeros ("null acht neun" = "089").
 */
import { digitString, tokenizeNumbers } from './number-tokens';

/** Filler a caller says between digits without meaning a digit. */
const FILLERS = new Set(['und', 'dann', 'aeh', 'aehm', 'ehm', 'hm', 'also']);

/**
 * The digits of `text` if it consists only of number words (and fillers such
 * as "äh"), or undefined. Numbers said as wholes keep their written form
 * ("zweitausendvierundzwanzig" → "2024"), so "eins zwei zweitausend" → "122000".
 */
export function parseSpokenDigits(text: string): string | undefined {
  const tokens = tokenizeNumbers(text);
  const numbers = tokens.filter((token) => token.kind !== 'word' || !FILLERS.has(token.folded));
  if (numbers.length === 0) return undefined;
  if (numbers.some((token) => token.kind !== 'cardinal' && token.kind !== 'numeral')) {
    return undefined;
  }
  const digits = numbers
    .map((token) =>
      token.kind === 'numeral' ? token.text.replace(/\D/g, '') : digitString([token]),
    )
    .join('');
  return digits || undefined;
}
