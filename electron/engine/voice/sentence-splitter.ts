/**
 * Splits German answer text into sentences, so the voice can start speaking
 * the first sentence while later ones are still being synthesised, and so no
 * single synthesis call blocks the engine's event loop for long.
 *
 * German makes the full stop ambiguous: abbreviations ("z. B.", "Nr.", "ca.",
 * "Dr.", "Abs."), ordinals ("am 30. November", "die 2. Rate") and dates
 * ("22.03.2025", "22. März") all contain a dot that does not end a sentence.
 * A wrong split is not harmless: Pico reads "30." at the end of a sentence as
 * a cardinal and drops the ordinal ending, and puts a sentence-final fall and
 * pause in the middle of a date. So a dot ends a sentence only when none of
 * the rules below explain it, and the next word may start a sentence.
 *
 * Sentences longer than `maxChars` are cut further at clause boundaries
 * (`;`, `:`, `,`, dashes), then at spaces; Pico gets at most one such piece per
 * call.
 */

export interface SentenceSplitOptions {
  /** Longest piece handed to the voice at once; default 200 characters (~12 s of speech). */
  maxChars?: number;
}

export const DEFAULT_MAX_SENTENCE_CHARS = 200;

/**
 * Abbreviations after which a dot never ends a sentence (lower case, without
 * the final dot; inner dots kept: "z.b").
 */
const ABBREVIATIONS = new Set(
  (
    'abb abs abt allg anh anl art aufl az bd beispielsw betr bspw bzgl bzw ca dipl dr dt ' +
    'ehem einschl entspr erg evtl fa ff frl geb gem ggf ggfs grds hr hrn hrsg inkl insb jh ' +
    'jr kap lfd lt max min mind mio mrd mtl mwst nr pkt prof rd sog spez st std str tel tsd ' +
    'urspr vgl vs zit ziff zt zzgl zzt zz jan feb febr mär apr jun jul aug sep sept okt nov ' +
    'dez'
  ).split(' '),
);

/**
 * Abbreviations that also end sentences often ("… Briefe usw. Dann …") or are
 * ordinary words too ("so", "mi"): the dot ends the sentence when the next word
 * starts with a capital letter.
 */
const SENTENCE_FINAL_ABBREVIATIONS = new Set(
  'usw etc usf u.a u.ä o.ä mo di mi do fr sa so'.split(' '),
);

const MONTHS = new Set(
  (
    'januar jänner februar feber märz maerz april mai juni juli august september oktober ' +
    'november dezember jan feb febr mär apr jun jul aug sep sept okt nov dez'
  ).split(' '),
);

/** Words after which a number with a dot is an ordinal: "am 3. Mai", "die 2. Rate". */
const ORDINAL_CONTEXT = new Set(
  (
    'am an zum vom im ab bis seit der die das dem den des ihr ihre ihrem ihren ihrer ihres ' +
    'jeden jedem jeder jedes dieser diesem diesen dieses spätestens fristgerecht zur beim ' +
    'nach vor ca'
  ).split(' '),
);

/** Closing quotes and brackets that belong to the sentence before the break. */
const CLOSERS = '"\'“”„»«›‹)]}’';

/**
 * Splits `text` into sentences (trimmed, punctuation kept). Empty or
 * whitespace-only text gives an empty list.
 */
export function splitSentences(text: string, options: SentenceSplitOptions = {}): string[] {
  const maxChars = options.maxChars ?? DEFAULT_MAX_SENTENCE_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 20) {
    throw new RangeError(`maxChars must be an integer ≥ 20, got ${maxChars}`);
  }
  const sentences: string[] = [];
  // A blank line (paragraph) always ends a sentence, even without punctuation.
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    if (!flat) continue;
    for (const sentence of splitParagraph(flat)) {
      sentences.push(...splitLong(sentence, maxChars));
    }
  }
  return sentences;
}

function splitParagraph(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    // Take the whole run of terminal punctuation and closing quotes: "?!", "...", ".“".
    let end = i + 1;
    while (end < text.length && '.!?…'.includes(text[end] ?? '')) end++;
    while (end < text.length && CLOSERS.includes(text[end] ?? '')) end++;
    // Only a run followed by a space (or the end) can end a sentence:
    // "22.03.2025", "z.B.", "3.5" never do.
    if (end < text.length && text[end] !== ' ') {
      i = end - 1;
      continue;
    }
    const run = text.slice(i, end);
    if (end >= text.length || endsSentence(text, i, run, end)) {
      const sentence = text.slice(start, end).trim();
      if (sentence) sentences.push(sentence);
      start = end;
    }
    i = end - 1;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/** Whether the punctuation `run` at `at` (followed by a space) ends a sentence. */
function endsSentence(text: string, at: number, run: string, end: number): boolean {
  const next = nextWord(text, end);
  const nextStartsLower = /^[\p{Ll}]/u.test(next);
  const nextStartsUpper = /^[\p{Lu}]/u.test(next);
  if (run.includes('!') || run.includes('?')) return !nextStartsLower;
  if (run.includes('…') || run.startsWith('..')) return nextStartsUpper;
  // A single dot: German sentences do not start with a lower-case letter.
  if (nextStartsLower) return false;
  const word = previousWord(text, at);
  const key = word.toLowerCase();
  // A full date ("22.03.2025") is complete: what follows may start a sentence.
  if (/^\d+\.\d+\.\d+$/.test(word)) return true;
  if (/^\d+(\.\d+)?$/.test(word)) return !isOrdinal(text, at, word, next);
  // A single letter: initials and the parts of "z. B.", "d. h.", "i. d. R.", "S. 4".
  if (/^\p{L}$/u.test(word)) return false;
  // Dotted short forms: "z.B", "u.a", "i.d.R".
  if (/^(\p{L}{1,3}\.)+\p{L}{1,3}$/u.test(word) && !SENTENCE_FINAL_ABBREVIATIONS.has(key)) {
    return false;
  }
  if (ABBREVIATIONS.has(key)) return false;
  if (SENTENCE_FINAL_ABBREVIATIONS.has(key)) return nextStartsUpper;
  return true;
}

/** Whether the number `word` before the dot at `at` is an ordinal or a date part. */
function isOrdinal(text: string, at: number, word: string, next: string): boolean {
  const nextKey = next.toLowerCase().replace(/[.,;:!?]+$/, '');
  // "22. März", "22.03. 2025" (day and month, year follows), "1. Januar".
  if (MONTHS.has(nextKey)) return true;
  if (/^\d+\.\d+$/.test(word) && /^\d{2,4}\b/.test(next)) return true;
  // "Rufen Sie am 3. Mai an" is covered above; "die 2. Rate", "zum 1. Juli":
  const before = previousWord(text, Math.max(0, at - word.length - 1)).toLowerCase();
  return ORDINAL_CONTEXT.has(before) && !/^\d/.test(next);
}

/** The word directly before position `at` (no spaces between). */
function previousWord(text: string, at: number): string {
  let start = at;
  while (start > 0 && text[start - 1] !== ' ') start--;
  const word = text.slice(start, at);
  // Opening quotes or brackets do not belong to the word: "(Nr." → "Nr".
  return word.replace(/^[("'„“»«‚‘[]+/, '');
}

/** The word starting after the space at `end`. */
function nextWord(text: string, end: number): string {
  let start = end;
  while (start < text.length && text[start] === ' ') start++;
  let stop = start;
  while (stop < text.length && text[stop] !== ' ') stop++;
  return text.slice(start, stop).replace(/^[("'„“»«‚‘[]+/, '');
}

/** Cuts a sentence longer than `maxChars` at the best clause boundary, recursively. */
function splitLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const cut = findCut(rest, maxChars);
    const piece = rest.slice(0, cut).trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Where to cut `text` so the first piece is ≤ `maxChars`: after a clause mark, else at a space. */
function findCut(text: string, maxChars: number): number {
  const window = text.slice(0, maxChars + 1);
  // Not too early: a piece shorter than a third of the limit sounds clipped.
  const minimum = Math.floor(maxChars / 3);
  for (const marks of [/[;:]\s/g, /[,–—]\s/g]) {
    let best = -1;
    for (const match of window.matchAll(marks)) {
      const after = match.index + 1;
      if (after >= minimum && after <= maxChars) best = after;
    }
    if (best > 0) return best;
  }
  const space = window.lastIndexOf(' ');
  if (space >= minimum) return space;
  return maxChars;
}
