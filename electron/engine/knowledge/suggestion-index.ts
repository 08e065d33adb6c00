/**
 * The full-text index over the knowledge articles: MiniSearch (BM25+, an
 * inverted index in a radix tree) fed with German terms.
 *
 * German needs more than lower case:
 *   - folding: "Überweisung", "Ueberweisung" and "uberweisung" are one word
 *     (ä/ö/ü → a/o/u, ß → ss, and the typed ae/oe/ue spellings the same way);
 *   - stop words: the Snowball German list plus what callers say on the phone
 *     ("hallo", "genau", "bitte"), so a sentence of filler finds nothing;
 *   - stemming: the Snowball German stemmer of nlp.js, so "Krankmeldungen"
 *     meets "Krankmeldung" and "Mieten" meets "Miete";
 *   - compounds: "Mietkosten", "Nebenkostenabrechnung". A word is split into
 *     parts the index already knows ("miet" + "kost"), with the linking
 *     letters German puts between them (Fugen-s, -n, -en, -es). Keyword and
 *     title compounds are indexed with their parts (field `parts`), so a
 *     caller saying "Abrechnung" finds the "Nebenkostenabrechnung" article;
 *     query compounds add their known parts at a lower weight, so "Mietkosten"
 *     finds articles about "Miete" and "Kosten".
 *
 * Fields and boosts: keywords 3, title 2, compound parts 1.2, text (spoken and
 * long) 1. The index knows nothing of calls or intents beyond an article's
 * intent list; the ranking on top of it is `suggestions.ts`.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import StemmerDe from '@nlpjs/lang-de/src/stemmer-de.js';
import type { IntentName as Intent } from '../../contract';
import type { KnowledgeArticle } from './article';

/** One word of a text: as written, and the term it is indexed under. */
export interface AnalyzedWord {
  readonly word: string;
  readonly term: string;
  /** Index of the word among all words of the text (stop words included). */
  readonly position: number;
}

/** Snowball's German stop word list, plus telephone filler. Folded before use. */
const STOP_WORDS_TEXT = [
  // Snowball German stop words
  'aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes',
  'anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das',
  'dass daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein',
  'deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser',
  'dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger',
  'einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe',
  'haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in',
  'indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine',
  'keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein',
  'meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne',
  'sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen',
  'solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres',
  'unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher',
  'welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur',
  'zwar zwischen',
  // question words and auxiliaries callers use in every sentence
  'wann warum wieso weshalb wer wen wem woher wohin wieviel bitte danke dankeschön gerne gern hallo',
  'ja nein genau okay ok mal halt eben eigentlich ganz einfach vielleicht schon auch ähm äh hm',
  'möchte möchten würden könnten können kannst darf dürfen müssen musst sagen gesagt weiß wissen',
  'guten tag tschüss wiederhören wiederschauen frau herr frage fragen gut schön bisschen irgendwie',
  'denn da dass ob wo hier dort heute gibt gab geht ging',
].join(' ');

/**
 * Lower case, umlauts and ß folded, accents dropped; the typed spellings
 * ae/oe/ue count as umlauts unless a vowel or q comes before ("neue",
 * "Quelle" keep theirs). Index and query fold alike, so a rare false fold
 * ("Michael") still matches itself.
 */
export function foldWord(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFC')
    .replace(/ß/g, 'ss')
    .replace(/(^|[^aeiouyq])([aou])e/g, '$1$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Negations are no stop words: "keine Zahlung", "nicht angekommen" are what a
 * caller means (measured: words-only top-1 on the test sentences 88.6 → 93.2 %).
 * They only modify, though: half weight, and alone they find nothing.
 */
const NEGATIONS = ['kein', 'keine', 'keinem', 'keinen', 'keiner', 'keines', 'nicht', 'nichts'];
const STOP_WORDS: ReadonlySet<string> = new Set(
  STOP_WORDS_TEXT.split(/\s+/)
    .map(foldWord)
    .filter((word) => !NEGATIONS.includes(word)),
);

const stemmer = new StemmerDe();
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** The Snowball stem of a folded word (cached: the same words come again and again). */
export function stemWord(folded: string): string {
  let stem = stemCache.get(folded);
  if (stem === undefined) {
    stem = stemmer.stemWord(folded);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(folded, stem);
  }
  return stem;
}

const NON_LETTERS = /[^\p{L}]+/u;
/** Word as written → its term ('' for a stop word): most words come again and again. */
const termCache = new Map<string, string>();

/** The term a word as written is indexed under; '' for a stop word or a single letter. */
export function termOf(word: string): string {
  let term = termCache.get(word);
  if (term === undefined) {
    const folded = foldWord(word);
    term = folded.length < 2 || STOP_WORDS.has(folded) ? '' : stemWord(folded);
    if (termCache.size >= STEM_CACHE_LIMIT) termCache.clear();
    termCache.set(word, term);
  }
  return term;
}

/** The words of a text worth searching for, as written and as terms (order kept). */
export function analyzeText(text: string): AnalyzedWord[] {
  const out: AnalyzedWord[] = [];
  let position = 0;
  for (const word of text.split(NON_LETTERS)) {
    if (!word) continue;
    const term = termOf(word);
    if (term) out.push({ word, term, position });
    position++;
  }
  return out;
}

/** Terms of a text (folded, stop words dropped, stemmed). */
export function searchTerms(text: string): string[] {
  return analyzeText(text).map((word) => word.term);
}

/** The terms of the negations (see `NEGATIONS`). */
const NEGATION_TERMS: ReadonlySet<string> = new Set(NEGATIONS.map((word) => stemWord(word)));
/** Weight of a negation relative to the words around it. */
export const NEGATION_WEIGHT = 0.5;

/** True for the term of "kein", "nicht" and their forms. */
export function isNegation(term: string): boolean {
  return NEGATION_TERMS.has(term);
}

/** Linking letters between compound parts, longest first. */
const LINKS = ['es', 'en', 'er', 's', 'n', 'e'];
/** Parts shorter than this are not trusted ("an", "ab", "ei" are everywhere). */
const MIN_PART = 4;
/** Words shorter than this are not split. */
const MIN_COMPOUND = 2 * MIN_PART;

/**
 * Splits compounds into parts from a vocabulary of stems: "mietkosten" →
 * ["miet", "kost"]. The head (last part) must be a known stem; the rest a
 * known stem (with or without a linking letter) or itself a compound of two.
 * The longest known head wins, which is how German builds the word.
 */
export class CompoundSplitter {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly vocabulary: ReadonlySet<string>) {}

  /** Known parts of a folded word; [] when it is not a compound of known stems. */
  split(folded: string, depth = 0): readonly string[] {
    if (folded.length < MIN_COMPOUND) return [];
    const key = depth === 0 ? folded : `${depth}:${folded}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let result: readonly string[] = [];
    for (let cut = MIN_PART; cut <= folded.length - MIN_PART && result.length === 0; cut++) {
      const head = stemWord(folded.slice(cut));
      if (head.length < MIN_PART || !this.vocabulary.has(head)) continue;
      const left = folded.slice(0, cut);
      for (const link of ['', ...LINKS]) {
        if (link && !left.endsWith(link)) continue;
        const modifier = left.slice(0, left.length - link.length);
        if (modifier.length < MIN_PART) continue;
        const modifierStem = stemWord(modifier);
        if (this.vocabulary.has(modifierStem) || this.vocabulary.has(modifier)) {
          result = [this.vocabulary.has(modifierStem) ? modifierStem : modifier, head];
          break;
        }
        if (depth === 0) {
          const inner = this.split(modifier, 1);
          if (inner.length > 0) {
            result = [...inner, head];
            break;
          }
        }
      }
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(key, result);
    return result;
  }
}

/** A term of a query with its weight (1 = a word said once, by the caller, just now). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** One article found, with the query terms that matched it. */
export interface IndexHit {
  readonly article: KnowledgeArticle;
  /** BM25+ with field boosts and term weights. */
  readonly score: number;
  readonly queryTerms: readonly string[];
}

export interface IndexSearchOptions {
  /** Prefix matching for these terms (the word the caseworker is still typing). */
  readonly prefixTerms?: ReadonlySet<string>;
  /** One typing error allowed in terms this long, two in terms 3 letters longer; 0 = off. */
  readonly fuzzyFromLength?: number;
  /** At most this many hits, best first. */
  readonly limit?: number;
}

/** See `SuggestionIndex.isCommon`. */
export const COMMON_SHARE = 0.1;
export const COMMON_MIN_DOCUMENTS = 200;

export const FIELD_BOOSTS = { keywords: 3, title: 2, parts: 1.2, text: 1 } as const;
/** Weight of a query compound's parts relative to the word itself. */
export const PART_WEIGHT = 0.5;

interface IndexedDocument {
  id: number;
  keywords: string;
  title: string;
  parts: string;
  text: string;
}

const splitSpaces = (text: string): string[] => (text ? text.split(' ') : []);

/** The search index over a fixed list of articles. */
export class SuggestionIndex {
  readonly articles: readonly KnowledgeArticle[];
  /** Articles serving each intent, best first (main intent, priority, id). */
  private readonly byIntent = new Map<Intent, KnowledgeArticle[]>();
  private readonly search: MiniSearch<IndexedDocument>;
  private readonly splitter: CompoundSplitter;
  private readonly vocabulary = new Set<string>();
  /** In how many articles each term occurs (any field). */
  private readonly documentFrequency = new Map<string, number>();
  /** Milliseconds the build took. */
  readonly buildMillis: number;

  constructor(articles: readonly KnowledgeArticle[]) {
    const started = performance.now();
    this.articles = [...articles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const analysed = this.articles.map((article) => ({
      keywords: article.keywords.flatMap((keyword) => analyzeText(keyword)),
      title: analyzeText(article.title),
      text: analyzeText(`${article.spokenText} ${article.longText ?? ''}`),
    }));
    for (const fields of analysed) {
      for (const word of [...fields.keywords, ...fields.title, ...fields.text]) {
        if (word.term.length >= MIN_PART) this.vocabulary.add(word.term);
      }
    }
    this.splitter = new CompoundSplitter(this.vocabulary);
    this.search = new MiniSearch<IndexedDocument>({
      fields: ['keywords', 'title', 'parts', 'text'],
      storeFields: [],
      tokenize: splitSpaces,
      processTerm: (term) => term,
    });
    const documents = analysed.map((fields, id): IndexedDocument => {
      const parts = new Set<string>();
      for (const word of [...fields.keywords, ...fields.title]) {
        for (const part of this.splitter.split(foldWord(word.word))) {
          if (part !== word.term) parts.add(part);
        }
      }
      const seen = new Set<string>(parts);
      for (const word of [...fields.keywords, ...fields.title, ...fields.text]) seen.add(word.term);
      for (const term of seen) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
      return {
        id,
        keywords: fields.keywords.map((word) => word.term).join(' '),
        title: fields.title.map((word) => word.term).join(' '),
        parts: [...parts].join(' '),
        text: fields.text.map((word) => word.term).join(' '),
      };
    });
    this.search.addAll(documents);
    for (const article of this.articles) {
      for (const intent of article.intents) {
        const list = this.byIntent.get(intent) ?? [];
        list.push(article);
        this.byIntent.set(intent, list);
      }
    }
    for (const [intent, list] of this.byIntent) {
      list.sort(
        (a, b) =>
          Number(b.intents[0] === intent) - Number(a.intents[0] === intent) ||
          b.priority - a.priority ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
    }
    this.buildMillis = performance.now() - started;
  }

  /** Distinct terms in the index. */
  get termCount(): number {
    return this.search.termCount;
  }

  /** In how many articles a term occurs (0 for an unknown term). */
  documentsWith(term: string): number {
    return this.documentFrequency.get(term) ?? 0;
  }

  /**
   * A term in so many articles that it barely tells them apart (BM25 gives it
   * little) but costs the most to score: more than `COMMON_SHARE` of the
   * articles, and more than `COMMON_MIN_DOCUMENTS` (a small base never drops
   * a word this way).
   */
  isCommon(term: string): boolean {
    const count = this.documentsWith(term);
    return count > COMMON_MIN_DOCUMENTS && count > COMMON_SHARE * this.articles.length;
  }

  /** Articles that serve an intent (main intent first, then priority, then id). */
  articlesFor(intent: Intent): readonly KnowledgeArticle[] {
    return this.byIntent.get(intent) ?? [];
  }

  /**
   * Known parts of a compound word as written ("Mietkosten" → miet, kost);
   * [] for a word that is no compound of indexed stems.
   */
  compoundParts(word: string): readonly string[] {
    return this.splitter.split(foldWord(word));
  }

  /**
   * The words of a query or a segment, plus compounds the speech recogniser
   * wrote apart: two or three neighbouring words whose joined form is a term
   * of the index ("neben kosten abrechnung" → nebenkostenabrechn), as said.
   */
  analyzeQuery(text: string): AnalyzedWord[] {
    const words = analyzeText(text);
    const joined: AnalyzedWord[] = [];
    for (let i = 0; i < words.length - 1; i++) {
      let folded = foldWord(words[i]?.word ?? '');
      let said = words[i]?.word ?? '';
      for (let j = i + 1; j < Math.min(words.length, i + 3); j++) {
        const next = words[j];
        if (!next || next.position !== (words[j - 1]?.position ?? -2) + 1) break;
        folded += foldWord(next.word);
        said += ` ${next.word}`;
        const term = stemWord(folded);
        if (term.length >= MIN_COMPOUND && this.vocabulary.has(term)) {
          joined.push({ word: said, term, position: words[i]?.position ?? 0 });
        }
      }
    }
    return joined.length === 0 ? words : [...words, ...joined];
  }

  /**
   * The query terms of analysed words, each word's compound parts added at
   * `PART_WEIGHT` of its weight unless the word itself is a keyword-level
   * term already present in the index. `sources` maps every query term back
   * to the words that produced it, as written.
   */
  expandWords(words: readonly { word: string; term: string; weight: number }[]): {
    terms: WeightedTerm[];
    sources: Map<string, string[]>;
  } {
    const weights = new Map<string, number>();
    const sources = new Map<string, string[]>();
    const add = (term: string, weight: number, word: string): void => {
      const previous = weights.get(term) ?? 0;
      // Repetition counts a little; the strongest mention counts most.
      weights.set(term, Math.max(previous, weight) + 0.25 * Math.min(previous, weight));
      const list = sources.get(term);
      if (!list) sources.set(term, [word]);
      else if (!list.includes(word)) list.push(word);
    };
    for (const { word, term, weight } of words) {
      add(term, isNegation(term) ? weight * NEGATION_WEIGHT : weight, word);
      if (term.length >= MIN_COMPOUND) {
        for (const part of this.compoundParts(word)) {
          if (part !== term) add(part, weight * PART_WEIGHT, word);
        }
      }
    }
    const terms = [...weights].map(([term, weight]) => ({ term, weight }));
    return { terms, sources };
  }

  /** Articles matching weighted terms, best first (score, priority, id). */
  searchTerms(terms: readonly WeightedTerm[], options: IndexSearchOptions = {}): IndexHit[] {
    if (terms.every((t) => isNegation(t.term))) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    const fuzzyFrom = options.fuzzyFromLength ?? 0;
    const results: SearchResult[] = this.search.search(terms.map((t) => t.term).join(' '), {
      boost: FIELD_BOOSTS,
      combineWith: 'OR',
      boostTerm: (term) => weights.get(term) ?? 1,
      prefix: options.prefixTerms
        ? (term) => options.prefixTerms?.has(term) === true && term.length >= 3
        : false,
      fuzzy:
        fuzzyFrom > 0
          ? (term) => (term.length >= fuzzyFrom + 3 ? 2 : term.length >= fuzzyFrom ? 1 : false)
          : false,
      weights: { prefix: 0.6, fuzzy: 0.4 },
    });
    const hits: IndexHit[] = [];
    for (const result of results) {
      const article = this.articles[result.id as number];
      if (article) hits.push({ article, score: result.score, queryTerms: result.queryTerms });
    }
    hits.sort(compareHits);
    return options.limit === undefined ? hits : hits.slice(0, options.limit);
  }
}

/** Score (to six decimals, so float noise is no tie-breaker), priority, id. */
export function compareHits(
  a: { article: KnowledgeArticle; score: number },
  b: { article: KnowledgeArticle; score: number },
): number {
  return (
    Math.round(b.score * 1e6) - Math.round(a.score * 1e6) ||
    b.article.priority - a.article.priority ||
    (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0)
  );
}
