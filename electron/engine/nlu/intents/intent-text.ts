/**
 * The one normal form every intent model and rule reads.
 *
 * Why: the same concern arrives typed ("Bürgergeld für März?") and as the
 * recogniser writes it ("bürger geld für märz"), with or without umlauts
 * ("buergergeld"), with numbers as words or digits. Folding case, umlauts and
 * punctuation, writing numbers as digits (via the shared normaliser) and then
 * masking the digits makes these one string, so a model trained on one form
 * recognises the other. Digits are masked ("0") because the number itself
 * (a date, a customer number) says nothing about the intent, only that a
 * number was said.
 */
import { normalizeNumbers } from '../normalize-numbers';

/**
 * Callers say what they want early; a model reading a 10,000-character
 * monologue gains nothing and costs time. Text beyond this is cut at a word
 * boundary (the safety rules still read the whole text, up to their own cap).
 */
export const MAX_CLASSIFIER_CHARS = 1000;

/** Lower case, umlauts and ß spelled out, accents dropped. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** `text` cut to at most `max` characters, at the last space before the cut if there is one. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return space > max / 2 ? cut.slice(0, space) : cut;
}

/**
 * The classifier's view of an utterance: folded, numbers as masked digits,
 * only letters, digits and single spaces.
 */
export function intentText(text: string): string {
  const short = truncateAtWord(text, MAX_CLASSIFIER_CHARS);
  let numeric: string;
  try {
    numeric = normalizeNumbers(short);
  } catch {
    // The normaliser is built for transcripts; a text it cannot read still
    // has words worth classifying.
    numeric = short;
  }
  return foldText(numeric)
    .replace(/\d+/g, '0')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of an `intentText`. */
export function intentWords(normalised: string): string[] {
  return normalised ? normalised.split(' ') : [];
}
