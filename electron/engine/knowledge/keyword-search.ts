/**
 * A plain keyword search over the articles, good enough until a search
 * library with German stemming takes over (a later issue). It folds case and
 * umlauts, drops filler words, and cuts a few common German endings so that
 * "Krankmeldungen" finds "Krankmeldung" and "Mieten" finds "Miete".
 *
 * Scoring, highest first: a query word that is one of the article's keywords
 * (3), that appears in its title (2), that appears in its text (1); a hint of
 * the caller's intent adds 4 to articles that serve it.
 */
import { foldGermanWord } from '../nlu/german-numbers';

/** Words that carry no meaning for finding an article. */
const STOP_WORDS = new Set(
  [
    'der die das den dem des ein eine einen einem einer eines und oder aber nicht kein keine',
    'ich mir mich mein meine meinen meinem du sie ihr ihre ihnen wir uns unser es er',
    'ist sind war bin hat habe haben hatte wird werden kann koennen muss muessen soll will',
    'wie was wann wo wer warum wieso weshalb welche welcher welches ob dass',
    'zu zum zur im in an am auf aus bei mit nach von vor fuer ueber unter um bis noch schon',
    'auch nur so da hier dort jetzt mal bitte gerne danke hallo ja nein doch denn weil wenn',
    'etwas was sich man',
  ]
    .join(' ')
    .split(' '),
);

const ENDINGS = ['ungen', 'ung', 'innen', 'ern', 'en', 'er', 'es', 'e', 'n', 's'];

/** Folded, stop words removed, a common ending cut (never below 4 letters). */
export function searchTerms(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => foldGermanWord(word))
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map(stem);
}

/** Cuts one common ending, so inflected forms meet on one stem. */
export function stem(word: string): string {
  for (const ending of ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

/** What the search needs from an article, already reduced to terms. */
export interface SearchDocument {
  readonly keywords: ReadonlySet<string>;
  readonly title: ReadonlySet<string>;
  readonly text: ReadonlySet<string>;
  readonly intents: readonly string[];
}

/** Indexes an article's fields once, at load time. */
export function searchDocument(fields: {
  keywords: readonly string[];
  title: string;
  text: string;
  intents: readonly string[];
}): SearchDocument {
  return {
    keywords: new Set(fields.keywords.flatMap(searchTerms)),
    title: new Set(searchTerms(fields.title)),
    text: new Set(searchTerms(fields.text)),
    intents: fields.intents,
  };
}

/**
 * Score of one document for the query terms. Compound words are common in
 * German ("Nebenkostenabrechnung"): a keyword or title term that contains a
 * query term of five letters or more counts as a (weaker) match too.
 */
export function scoreDocument(
  document: SearchDocument,
  terms: readonly string[],
  intent?: string,
): number {
  let score = 0;
  for (const term of new Set(terms)) {
    if (document.keywords.has(term)) score += 3;
    else if (term.length >= 5 && [...document.keywords].some((word) => word.includes(term))) {
      score += 2;
    }
    if (document.title.has(term)) score += 2;
    if (document.text.has(term)) score += 1;
  }
  if (score > 0 && intent !== undefined && document.intents.includes(intent)) score += 4;
  return score;
}
