/**
 * Suggested answers for the caseworker: the knowledge articles that fit the
 * call so far, re-ranked after every final segment.
 *
 * What counts, and how much:
 *   - the words of the recent transcript (the last `WINDOW_SEGMENTS`
 *     segments, at most `WINDOW_WORDS` words, newest first): the caller's
 *     words weigh most (1), the agent's some (0.5), the bot's little (0.15);
 *     each segment further back weighs `RECENCY` times the one after it.
 *     The index scores them with BM25 and field boosts (suggestion-index.ts);
 *     the best article of the call scores up to 1 (less when even its match is
 *     weak, `TEXT_SATURATION`), the others relative to it;
 *   - the caller's intent from the NLU: +`INTENT_LIFT_MAIN` for articles
 *     whose main intent it is, +`INTENT_LIFT_OTHER` for those that list it
 *     further down. Its articles are on the list even when no word matched
 *     (the caller said "Wo bleibt mein Geld?", the article says "Zahlung");
 *   - a verified caller's case: an article whose intent a case fact answers
 *     ("Nächste Zahlung: 01.12.2026, 1.013,20 € (für 12/2026)") shows the
 *     fact and gets +`CASE_FACT_LIFT`, if it is on the list at all.
 * Ties go to the higher priority, then the id: the same call gives the same
 * list, always.
 *
 * The ranking reads a bounded window, not the whole call, so its time does not
 * grow with the call (measured by `npm run bench -- suggest`).
 */
import type { IntentName as Intent, Speaker, Suggestion } from '../../contract';
import type { CaseContext } from '../cases/case-system';
import type { KnowledgeArticle, KnowledgeBase } from './knowledge-base';
import {
  analyzeText,
  compareHits,
  foldWord,
  SuggestionIndex,
  type AnalyzedWord,
} from './suggestion-index';
import {
  APPLICATION_LABELS,
  APPLICATION_STATUS_LABELS,
  germanDate,
  germanEuro,
} from '../util/german-format';

export interface RankSegment {
  readonly speaker: Speaker;
  readonly text: string;
}

export interface RankInput {
  readonly segments: readonly RankSegment[];
  readonly intent: Intent | null;
  /** The verified caller's case; null or absent before verification. */
  readonly caseContext?: CaseContext | null;
  readonly limit?: number;
}

export const SPEAKER_WEIGHTS: Readonly<Record<Speaker, number>> = {
  caller: 1,
  agent: 0.5,
  bot: 0.15,
};
/** Each segment further back counts this much of the next one. */
export const RECENCY = 0.8;
/** The ranking reads at most this many of the newest segments… */
export const WINDOW_SEGMENTS = 12;
/** …and at most this many of their words (newest first). */
export const WINDOW_WORDS = 160;
/**
 * At most this many distinct query terms go to the index: the heaviest, the
 * rarer first among equals. Terms in a large share of a big base are left out
 * (`SuggestionIndex.isCommon`): they cost the most and tell least.
 */
export const MAX_QUERY_TERMS = 24;
/** Terms weighing less than this are left out. */
export const MIN_TERM_WEIGHT = 0.02;
export const INTENT_LIFT_MAIN = 0.5;
export const INTENT_LIFT_OTHER = 0.25;
/**
 * Among the articles of the caller's intent, the editors' priority (the main
 * answer, e.g. "Wann kommt das Bürgergeld?" with priority 10) adds a little:
 * 0.01 per point, so it wins over a side topic that shares a few words.
 */
export const PRIORITY_LIFT = 0.01;
export const CASE_FACT_LIFT = 0.15;
export const DEFAULT_LIMIT = 5;
/**
 * The text score is relative to the call's best article, and damped when even
 * that one matched weakly: score / (best + this). A single stray word ("Wo
 * bleibt das?" → "bleibt", BM25 about 6 on the bundled base) then counts
 * about 0.3, a keyword the caller said (BM25 30 to 150) 0.7 to 0.9.
 */
export const TEXT_SATURATION = 12;
/** Articles per intent taken onto the list without a matching word. */
const INTENT_CANDIDATES = 10;

interface Candidate {
  article: KnowledgeArticle;
  /** Relative text score, 0…1. */
  text: number;
  queryTerms: readonly string[];
  score: number;
  intent: Intent | null;
  caseFact: string | null;
}

export class SuggestionRanker {
  readonly index: SuggestionIndex;

  constructor(source: KnowledgeBase | readonly KnowledgeArticle[]) {
    this.index = Array.isArray(source)
      ? new SuggestionIndex(source as readonly KnowledgeArticle[])
      : (source as KnowledgeBase).searchIndex();
  }

  /** The suggestions for a call so far, best first. */
  rank(input: RankInput): Suggestion[] {
    const words = windowWords(input.segments, (text) => this.index.analyzeQuery(text));
    const { terms, sources } = this.index.expandWords(words);
    const index = this.index;
    const query = terms
      .filter((t) => t.weight >= MIN_TERM_WEIGHT && !index.isCommon(t.term))
      .sort(
        (a, b) =>
          b.weight - a.weight ||
          index.documentsWith(a.term) - index.documentsWith(b.term) ||
          (a.term < b.term ? -1 : 1),
      )
      .slice(0, MAX_QUERY_TERMS);
    const hits = this.index.searchTerms(query);
    return this.finish(hits, sources, input.intent, input.caseContext ?? null, input.limit, true);
  }

  /** The caseworker's search box: every word counts alike; the last may be unfinished. */
  search(query: string, options: { intent?: Intent | null; limit?: number } = {}): Suggestion[] {
    const words = this.index.analyzeQuery(query).map((word) => ({ ...word, weight: 1 }));
    if (words.length === 0) return [];
    const { terms, sources } = this.index.expandWords(words);
    // The last word typed (joined compounds come after the typed words).
    const last = [...words].sort((a, b) => b.position - a.position)[0]?.term;
    const hits = this.index.searchTerms(terms, {
      prefixTerms: last === undefined ? undefined : new Set([last]),
      fuzzyFromLength: 7,
    });
    return this.finish(hits, sources, options.intent ?? null, null, options.limit, false);
  }

  /**
   * Segments of a transcript that contain every word of the query, in their
   * order, matched on stems ("Mieten" finds "Miete") and compound starts or
   * ends ("Miete" finds "Mietkosten", "Kosten" finds "Nebenkosten").
   */
  searchTranscript<S extends { readonly text: string }>(
    query: string,
    segments: readonly S[],
  ): S[] {
    const wanted = queryStems(query);
    if (wanted.length === 0) return [];
    return segments.filter((segment) => matchWords(wanted, segment.text) !== null);
  }

  /** The words of a text (as written) that the query finds, for highlighting; [] if not all. */
  matchingWords(query: string, text: string): string[] {
    const wanted = queryStems(query);
    return wanted.length === 0 ? [] : (matchWords(wanted, text) ?? []);
  }

  private finish(
    hits: readonly { article: KnowledgeArticle; score: number; queryTerms: readonly string[] }[],
    sources: ReadonlyMap<string, readonly string[]>,
    intent: Intent | null,
    caseContext: CaseContext | null,
    limit: number | undefined,
    intentCandidates: boolean,
  ): Suggestion[] {
    const top = hits[0]?.score ?? 0;
    const candidates = new Map<string, Candidate>();
    for (const hit of hits) {
      candidates.set(hit.article.id, {
        article: hit.article,
        text: hit.score / (top + TEXT_SATURATION),
        queryTerms: hit.queryTerms,
        score: 0,
        intent: null,
        caseFact: null,
      });
    }
    const lifted = intent !== null && intent !== 'other' ? intent : null;
    if (lifted && intentCandidates) {
      for (const article of this.index.articlesFor(lifted).slice(0, INTENT_CANDIDATES)) {
        if (!candidates.has(article.id)) {
          candidates.set(article.id, {
            article,
            text: 0,
            queryTerms: [],
            score: 0,
            intent: null,
            caseFact: null,
          });
        }
      }
    }
    if (candidates.size === 0) return [];
    const facts = caseContext ? caseFacts(caseContext) : null;
    for (const candidate of candidates.values()) {
      let score = candidate.text;
      const position = lifted ? candidate.article.intents.indexOf(lifted) : -1;
      if (position >= 0) {
        score += position === 0 ? INTENT_LIFT_MAIN : INTENT_LIFT_OTHER;
        score += PRIORITY_LIFT * Math.max(0, candidate.article.priority);
        candidate.intent = lifted;
      }
      if (facts) {
        for (const articleIntent of candidate.article.intents) {
          const fact = facts.get(articleIntent);
          if (fact) {
            candidate.caseFact = fact;
            score += CASE_FACT_LIFT;
            break;
          }
        }
      }
      // Rounded as shown, so equal-looking scores are ties (priority, then id).
      candidate.score = Math.round(score * 1000) / 1000;
    }
    return [...candidates.values()]
      .sort(compareHits)
      .slice(0, limit ?? DEFAULT_LIMIT)
      .map((candidate) => toSuggestion(candidate, sources));
  }
}

/** The weighted words of the recent window (see the module comment). */
export function windowWords(
  segments: readonly RankSegment[],
  analyze: (text: string) => readonly AnalyzedWord[] = analyzeText,
): { word: string; term: string; weight: number }[] {
  const words: { word: string; term: string; weight: number }[] = [];
  let age = 0;
  for (let i = segments.length - 1; i >= 0 && age < WINDOW_SEGMENTS; i--) {
    const segment = segments[i];
    if (!segment) continue;
    const analysed = analyze(segment.text);
    // A bare "Ja." or "Moment bitte" does not push the caller's words back.
    if (analysed.length === 0) continue;
    const weight = SPEAKER_WEIGHTS[segment.speaker] * RECENCY ** age;
    // Newest words first: a long segment is cut at its start, not its end.
    for (let w = analysed.length - 1; w >= 0 && words.length < WINDOW_WORDS; w--) {
      const word = analysed[w];
      if (word) words.push({ word: word.word, term: word.term, weight });
    }
    age++;
    if (words.length >= WINDOW_WORDS) break;
  }
  return words;
}

function queryStems(query: string): string[] {
  return [...new Set(analyzeText(query).map((word) => word.term))];
}

/** The words of `text` matching the stems, or null unless every stem matches. */
function matchWords(wanted: readonly string[], text: string): string[] | null {
  const said = analyzeText(text);
  const found: string[] = [];
  for (const term of wanted) {
    const hits = said.filter((word) => termMatches(word.term, term));
    if (hits.length === 0) return null;
    for (const hit of hits) if (!found.includes(hit.word)) found.push(hit.word);
  }
  return found;
}

/** A segment's term matches a query term: same stem, or a compound that starts or ends with it. */
function termMatches(said: string, wanted: string): boolean {
  return (
    said === wanted || (wanted.length >= 4 && (said.startsWith(wanted) || said.endsWith(wanted)))
  );
}

function toSuggestion(
  candidate: Candidate,
  sources: ReadonlyMap<string, readonly string[]>,
): Suggestion {
  const { article } = candidate;
  const terms: string[] = [];
  for (const term of candidate.queryTerms) {
    for (const word of sources.get(term) ?? []) {
      if (!terms.some((t) => foldWord(t) === foldWord(word))) terms.push(word);
    }
  }
  return {
    articleId: article.id,
    title: article.title,
    text: article.longText ?? article.spokenText,
    source: { ...article.source },
    score: candidate.score,
    why: { terms, intent: candidate.intent, caseFact: candidate.caseFact },
  };
}

function applicationFact(application: CaseContext['applications'][number]): string {
  const missing =
    application.status === 'documents_missing' && application.missingDocuments.length > 0
      ? ` – ${application.missingDocuments.join(', ')}`
      : '';
  return `${APPLICATION_LABELS[application.type]} vom ${germanDate(application.receivedDate)}: ${APPLICATION_STATUS_LABELS[application.status]}${missing}`;
}

/**
 * The facts of a verified case that answer an intent, in German, one line
 * each. Only intents a case fact really answers get one.
 */
export function caseFacts(context: CaseContext): Map<Intent, string> {
  const facts = new Map<Intent, string>();
  const payment = context.nextPayment;
  if (payment) {
    const month = /^(\d{4})-(\d{2})/.exec(payment.forMonth);
    const forMonth = month ? ` (für ${month[2]}/${month[1]})` : '';
    const fact = `Nächste Zahlung: ${germanDate(payment.date)}, ${germanEuro(payment.amountCents)}${forMonth}`;
    facts.set('payment_date', fact);
    facts.set('payment_missing', fact);
  } else if (context.benefitPeriod) {
    facts.set(
      'payment_missing',
      `Keine Zahlung geplant; Bewilligungszeitraum bis ${germanDate(context.benefitPeriod.end)}`,
    );
  }
  const open = context.applications.filter((a) => a.status !== 'decided');
  const current = open[0] ?? context.applications[0];
  if (current) facts.set('application_status', applicationFact(current));
  const continuation = context.applications.find((a) => a.type === 'continuation_application');
  if (continuation) {
    facts.set('continuation_application', applicationFact(continuation));
  } else if (context.benefitPeriod) {
    facts.set(
      'continuation_application',
      `Bewilligungszeitraum: ${germanDate(context.benefitPeriod.start)} – ${germanDate(context.benefitPeriod.end)}`,
    );
  }
  const missing = open.find(
    (a) => a.status === 'documents_missing' && a.missingDocuments.length > 0,
  );
  if (missing) facts.set('document_submission', applicationFact(missing));
  const appointment = context.appointments[0];
  if (appointment) {
    const where =
      appointment.kind === 'in_person'
        ? `persönlich${appointment.place ? `, ${appointment.place}` : ''}`
        : `telefonisch${appointment.phone ? `, ${appointment.phone}` : ''}`;
    const fact = `Nächster Termin: ${germanDate(appointment.date)}, ${appointment.time} Uhr, ${where} (${appointment.topic})`;
    facts.set('appointment', fact);
    facts.set('sick_note', fact);
  }
  return facts;
}
