/**
 * The bot's knowledge base: every article under resources/knowledge/, checked,
 * with the office's own details filled in from a site profile.
 *
 * A broken article (bad front matter, unknown intent, placeholder the profile
 * lacks) is reported in `issues` and left out; the rest still load, so one
 * typo in one file does not silence the bot. Callers that must not run with
 * gaps (start-up checks, tests) look at `issues` and `missingIntents()`.
 *
 * The bot informs; it never decides on benefits (Art. 22 GDPR). Every answer
 * carries its source so the caseworker can check it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { INTENT_NAMES as INTENTS, type IntentName as Intent } from '../../contract';
import {
  ArticleError,
  parseArticle,
  type ArticleSource,
  type KnowledgeArticle,
  type KnowledgeSource,
} from './article';

export type { KnowledgeArticle };
import { PlaceholderError, fillPlaceholders } from './placeholders';
import { SuggestionIndex } from './suggestion-index';
import { placeholderValues, type SiteProfile } from './site-profile';

/** What the bot says, and what the screen shows next to it. */
export interface KnowledgeAnswer {
  readonly articleId: string;
  readonly title: string;
  readonly spoken: string;
  readonly text: string | undefined;
  readonly source: KnowledgeSource;
}

/** One article found by `search`. */
export interface SearchHit {
  readonly article: KnowledgeArticle;
  readonly score: number;
}

/** An article left out, and why. */
export interface KnowledgeIssue {
  readonly file: string;
  /** The front-matter field, body part or placeholder key at fault. */
  readonly field: string;
  readonly message: string;
}

/** The answer for an article, in the shape the bot and screen use. */
export function toAnswer(article: KnowledgeArticle): KnowledgeAnswer {
  return {
    articleId: article.id,
    title: article.title,
    spoken: article.spokenText,
    text: article.longText,
    source: article.source,
  };
}

export class KnowledgeBase {
  private readonly byIdMap = new Map<string, KnowledgeArticle>();
  private index: SuggestionIndex | undefined;

  constructor(
    articles: readonly KnowledgeArticle[],
    /** Articles left out while loading. */
    readonly issues: readonly KnowledgeIssue[] = [],
  ) {
    for (const article of articles) {
      this.byIdMap.set(article.id, article);
    }
  }

  /** Every usable article, sorted by id. */
  all(): KnowledgeArticle[] {
    return [...this.byIdMap.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  byId(id: string): KnowledgeArticle | undefined {
    return this.byIdMap.get(id);
  }

  /** Spoken articles that serve an intent, best first. */
  articlesFor(intent: Intent): KnowledgeArticle[] {
    return this.all()
      .filter((article) => article.spoken && article.intents.includes(intent))
      .sort(
        (a, b) =>
          Number(b.intents[0] === intent) - Number(a.intents[0] === intent) ||
          b.priority - a.priority ||
          a.intents.indexOf(intent) - b.intents.indexOf(intent) ||
          a.id.localeCompare(b.id),
      );
  }

  /**
   * The best spoken answer for an intent: an article whose main intent it is,
   * the highest priority among those, then the id (stable across runs).
   */
  answerFor(intent: Intent): KnowledgeAnswer | undefined {
    const best = this.articlesFor(intent)[0];
    return best ? toAnswer(best) : undefined;
  }

  /** Intents of the catalogue without any spoken answer. */
  missingIntents(): Intent[] {
    return INTENTS.filter((intent) => this.articlesFor(intent).length === 0);
  }

  /** The full-text index over every article (built on first use, then kept). */
  searchIndex(): SuggestionIndex {
    this.index ??= new SuggestionIndex([...this.byIdMap.values()]);
    return this.index;
  }

  /**
   * Articles for free text (what the caller said, what the caseworker typed),
   * best first: BM25 over German terms (suggestion-index.ts). `intent` (from
   * the NLU) lifts articles that serve it: by half the best score for their
   * main intent, a quarter for another of theirs. Only articles that match a
   * word are found; filler words alone find nothing.
   */
  search(text: string, options: { intent?: Intent; limit?: number } = {}): SearchHit[] {
    const index = this.searchIndex();
    const words = index.analyzeQuery(text).map((word) => ({ ...word, weight: 1 }));
    const { terms } = index.expandWords(words);
    const found = index.searchTerms(terms);
    const top = found[0]?.score ?? 0;
    const hits: SearchHit[] = found.map(({ article, score }) => {
      const position = options.intent === undefined ? -1 : article.intents.indexOf(options.intent);
      const lift = position === 0 ? 0.5 : position > 0 ? 0.25 : 0;
      return { article, score: score + lift * top };
    });
    hits.sort(
      (a, b) =>
        Math.round(b.score * 1e6) - Math.round(a.score * 1e6) ||
        b.article.priority - a.article.priority ||
        a.article.id.localeCompare(b.article.id),
    );
    return hits.slice(0, options.limit ?? 5);
  }
}

/** Fills an article's placeholders; throws PlaceholderError naming file and key. */
export function resolveArticle(
  article: ArticleSource,
  values: ReadonlyMap<string, string>,
): KnowledgeArticle {
  const fill = (text: string): string => fillPlaceholders(text, values, article.file);
  return {
    id: article.id,
    title: fill(article.title),
    intents: article.intents,
    keywords: article.keywords,
    source: article.source,
    spoken: article.spoken,
    spokenText: fill(article.spokenText),
    longText: article.longText === undefined ? undefined : fill(article.longText),
    priority: article.priority,
    checked: article.checked,
    file: article.file,
  };
}

/** Builds a knowledge base from article texts (file name → Markdown). */
export function buildKnowledgeBase(
  files: ReadonlyMap<string, string>,
  profile: SiteProfile,
): KnowledgeBase {
  const values = placeholderValues(profile);
  const articles: KnowledgeArticle[] = [];
  const issues: KnowledgeIssue[] = [];
  const seen = new Map<string, string>();
  for (const [file, text] of files) {
    try {
      const article = resolveArticle(parseArticle(text, file), values);
      const earlier = seen.get(article.id);
      if (earlier !== undefined) {
        throw new ArticleError(file, 'id', `"${article.id}" is already used by ${earlier}`);
      }
      seen.set(article.id, file);
      articles.push(article);
    } catch (error) {
      if (error instanceof ArticleError) {
        issues.push({ file, field: error.field, message: error.message });
      } else if (error instanceof PlaceholderError) {
        issues.push({ file, field: error.key, message: error.message });
      } else {
        throw error;
      }
    }
  }
  return new KnowledgeBase(articles, issues);
}

/** Reads every `*.md` under a folder (recursively; README.md excluded). */
export function readArticleFiles(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const entries = fs.readdirSync(directory, { recursive: true, withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'README.md')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of names) files.set(file, fs.readFileSync(file, 'utf8'));
  return files;
}

/** Loads the knowledge base from a folder of articles. */
export function loadKnowledgeBase(directory: string, profile: SiteProfile): KnowledgeBase {
  return buildKnowledgeBase(readArticleFiles(directory), profile);
}
