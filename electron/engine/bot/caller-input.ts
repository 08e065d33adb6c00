/**
 * Reading what a caller said or keyed into the shapes the dialogue decides
 * on: clean text, yes or no, a keyed date, a callback window. Pure functions,
 * shared by the understanding processor and the dialogue, so both see the
 * same words.
 */

/** Lower case, one space between words, at most 2,000 characters. */
export function cleanText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 2000);
}

/** "Very short": a recognition of at most this many words can be noise. */
const NOISE_MAX_WORDS = 2;
/**
 * Below this mean word confidence (the recogniser's, 0–1) a very short
 * recognition is taken for noise. Not measured on real calls yet (no real
 * model on the build machines): a clear word in Vosk's models scores near 1.
 */
export const NOISE_CONFIDENCE = 0.6;
/** Hesitation sounds, never a turn on their own. */
const FILLER = /^(?:ä+h*m*|ö+h*m*|e+h*m+|h+m+|m+h*m+)$/;

/**
 * A recognition that is no turn: nothing, only hesitation sounds, or very
 * short and unsure (what the recogniser makes of a cough, the line or a
 * television). `confidence` null: not known, so only the words decide.
 */
export function isNoise(text: string, confidence: number | null): boolean {
  const words = cleanText(text)
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .split(' ')
    .filter(Boolean);
  if (words.length === 0 || words.every((word) => FILLER.test(word))) return true;
  return words.length <= NOISE_MAX_WORDS && confidence !== null && confidence < NOISE_CONFIDENCE;
}

export function yesNo(text: string): 'yes' | 'no' | null {
  if (/\b(nein|nee|ne|nö|nicht|kein|keine)\b/.test(text)) return 'no';
  if (/\b(ja|jawohl|genau|gerne|gern|richtig|stimmt|okay|ok|bitte)\b/.test(text)) return 'yes';
  return null;
}

/** A key as a yes/no answer: 1 is yes, 2 is no (what phone menus use). */
export function keyedYesNo(key: string): 'yes' | 'no' | null {
  return key === '1' ? 'yes' : key === '2' ? 'no' : null;
}

/** DDMMYYYY keyed on the phone → ISO date, or undefined if not a real date. */
export function keyedDate(digits: string): string | undefined {
  const d = digits.replace(/[^0-9]/g, '');
  if (d.length !== 8) return undefined;
  const day = Number(d.slice(0, 2));
  const month = Number(d.slice(2, 4));
  const year = Number(d.slice(4));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type CallbackWindow = 'vormittags' | 'nachmittags' | 'jederzeit';

/** When to call back, from the caller's words; anything else is "any time". */
export function spokenWindow(text: string): CallbackWindow {
  if (/vormittag|morgen|früh/.test(text)) return 'vormittags';
  if (/nachmittag|mittag|spät/.test(text)) return 'nachmittags';
  return 'jederzeit';
}

/** When to call back, from a key: 1 mornings, 2 afternoons, any other key any time. */
export function keyedWindow(key: string): CallbackWindow {
  return key === '1' ? 'vormittags' : key === '2' ? 'nachmittags' : 'jederzeit';
}

/** "0612345" → "0 6 1 2 3 4 5": read digit by digit. */
export function spellDigits(number: string): string {
  return number.replace(/^\+49/, '0').split('').join(' ');
}
