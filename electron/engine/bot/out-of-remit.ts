/**
 * A question outside the job centre's remit ("Wie wird das Wetter morgen?",
 * "Können Sie mir ein Taxi rufen?"): the classifier names it `other` with
 * confidence, and it is a question, not a greeting, a filler or a slip of
 * the recogniser. Such a caller hears what the bot can help with, not
 * "nicht verstanden"; a lone word or a "Hallo, hören Sie mich?" is still
 * asked about again.
 */
import type { Understanding } from './understanding';

/** Words that carry no request: greetings, fillers, "can you hear me". */
const SOCIAL = new Set([
  'hallo',
  'hallöchen',
  'guten',
  'gute',
  'tag',
  'abend',
  'moin',
  'servus',
  'grüß',
  'gott',
  'hi',
  'ja',
  'jo',
  'nein',
  'ne',
  'okay',
  'ok',
  'also',
  'na',
  'genau',
  'äh',
  'ähm',
  'hm',
  'hmm',
  'mhm',
  'danke',
  'bitte',
  'hören',
  'hört',
  'sie',
  'mich',
  'man',
  'jemand',
  'da',
]);

/** Words of substance a question needs beyond greetings and fillers. */
const MIN_CONTENT_WORDS = 2;

export function outOfRemit(
  { intent, confidence }: Understanding,
  text: string,
  minConfidence: number,
): boolean {
  if (intent !== 'other' || confidence < minConfidence) return false;
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.filter((w) => !SOCIAL.has(w)).length >= MIN_CONTENT_WORDS;
}
