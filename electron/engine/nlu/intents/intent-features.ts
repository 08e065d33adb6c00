/**
 * Features of an utterance for the product's own intent model.
 *
 * Why these: callers' wording varies more than their vocabulary, and the
 * recogniser splits and joins compounds at will ("weiter bewilligungs antrag",
 * "weiterbewilligungsantrag", "krank schreibung"). Character n-grams over the
 * text with its spaces catch both forms and inflections ("krankgeschrieben",
 * "krankschreibung" share "krank"); whole words and word pairs add the
 * phrases that carry the intent ("nicht gekommen", "kein geld").
 */
import { intentWords } from './intent-text';

/** Shortest and longest character n-gram. */
const CHAR_MIN = 3;
const CHAR_MAX = 5;

/** The distinct features of an utterance already in `intentText` form. */
export function intentFeatures(normalised: string): string[] {
  const features = new Set<string>();
  const words = intentWords(normalised);
  words.forEach((word, index) => {
    features.add(`w:${word}`);
    const next = words[index + 1];
    if (next !== undefined) features.add(`b:${word} ${next}`);
  });
  // Spaces folded into one boundary mark, so "bürger geld" and "bürgergeld"
  // share every n-gram but the one across the gap.
  const padded = ` ${words.join(' ')} `;
  for (let n = CHAR_MIN; n <= CHAR_MAX; n++) {
    for (let i = 0; i + n <= padded.length; i++) {
      const gram = padded.slice(i, i + n);
      if (gram.trim().length < 2) continue;
      features.add(`c:${gram}`);
    }
  }
  return [...features];
}
