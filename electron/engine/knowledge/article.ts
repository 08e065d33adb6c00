/**
 * One knowledge article: a Markdown file with front matter, read and checked.
 *
 * ```
 * ---
 * id: zahlung-termin
 * title: Wann kommt das Bürgergeld?
 * intents: [payment_date]
 * keywords: [Zahlung, Überweisung, Monatsanfang]
 * source:
 *   norm: § 42 Abs. 1 SGB II
 *   url: https://www.gesetze-im-internet.de/sgb_2/__42.html
 * spoken: true
 * ---
 *
 * ## Gesprochen
 * Two to four short sentences the voice says.
 *
 * ## Ausführlich
 * Optional longer text for the caseworker's screen.
 * ```
 *
 * The first intent is the article's main one: `answerFor(intent)` prefers
 * articles that list the intent first. Every article names its source, so the
 * caseworker can check what the bot said against the law.
 */
import { z } from 'zod';
import { INTENT_NAMES as INTENTS, type IntentName } from '../../contract';
import { splitFrontMatter, FrontMatterError } from './front-matter';

/** Where an answer comes from: a legal norm or an official page, with its address. */
export const knowledgeSourceSchema = z
  .object({
    norm: z.string().trim().min(1).optional(),
    title: z.string().trim().min(1).optional(),
    url: z.url(),
  })
  .strict()
  .refine((source) => source.norm !== undefined || source.title !== undefined, {
    message: 'needs "norm" or "title"',
  });

export type KnowledgeSource = z.infer<typeof knowledgeSourceSchema>;

export const articleFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case id'),
    title: z.string().trim().min(1),
    intents: z.array(z.enum(INTENTS)).min(1),
    keywords: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
    source: knowledgeSourceSchema,
    /** True when the bot may speak the article (it then needs a "Gesprochen" part). */
    spoken: z.boolean(),
    /** Breaks ties between articles of the same main intent; higher wins. */
    priority: z.number().int().default(0),
    /** Date the content was last checked against the law (YYYY-MM-DD). */
    checked: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();

export type ArticleFrontMatter = z.output<typeof articleFrontMatterSchema>;

/** An article as written: placeholders still in place. */
export interface ArticleSource extends ArticleFrontMatter {
  readonly file: string;
  /** The short answer for the voice; empty when `spoken` is false. */
  readonly spokenText: string;
  /** The longer text for the screen, if any. */
  readonly longText: string | undefined;
}

/** An article that cannot be used; names the file and the field. */
export class ArticleError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
    this.name = 'ArticleError';
  }
}

const SECTION_SPOKEN = 'Gesprochen';
const SECTION_LONG = 'Ausführlich';

/** Parses and validates one article file's text. Throws ArticleError. */
export function parseArticle(text: string, file: string): ArticleSource {
  let split;
  try {
    split = splitFrontMatter(text);
  } catch (error) {
    if (error instanceof FrontMatterError)
      throw new ArticleError(file, 'front matter', error.message);
    throw error;
  }
  const result = articleFrontMatterSchema.safeParse(split.data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'front matter';
    const rest = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
    throw new ArticleError(file, field, `${issue?.message ?? 'invalid'}${rest}`);
  }
  const sections = readSections(split.body, file);
  const spokenText = sections.get(SECTION_SPOKEN) ?? '';
  if (result.data.spoken && spokenText === '') {
    throw new ArticleError(file, SECTION_SPOKEN, 'a spoken article needs a "## Gesprochen" part');
  }
  const longText = sections.get(SECTION_LONG);
  if (!result.data.spoken && !longText) {
    throw new ArticleError(file, SECTION_LONG, 'an article needs at least one part with text');
  }
  return { ...result.data, file, spokenText, longText: longText || undefined };
}

/** `## Heading` parts of the body; only the two known parts are allowed. */
function readSections(body: string, file: string): Map<string, string> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      const name = heading[1] as string;
      if (name !== SECTION_SPOKEN && name !== SECTION_LONG) {
        throw new ArticleError(file, 'body', `unknown part "## ${name}"`);
      }
      if (sections.has(name))
        throw new ArticleError(file, 'body', `part "## ${name}" appears twice`);
      current = [];
      sections.set(name, current);
    } else if (current) {
      current.push(line);
    } else if (line.trim() !== '') {
      throw new ArticleError(
        file,
        'body',
        'text before the first "## Gesprochen" or "## Ausführlich"',
      );
    }
  }
  return new Map(
    [...sections].map(
      ([name, lines]) => [name, tidy(lines, name === SECTION_SPOKEN)] as [string, string],
    ),
  );
}

/**
 * Paragraphs separated by one blank line. Spoken text becomes one line per
 * paragraph (the voice knows no line breaks); the screen text keeps its lines
 * so Markdown lists survive.
 */
function tidy(lines: readonly string[], joinLines: boolean): string {
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const kept = paragraph
        .split('\n')
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== '');
      return joinLines ? kept.map((line) => line.trim()).join(' ') : kept.join('\n');
    })
    .filter(Boolean)
    .join('\n\n');
}

/** An article ready to use: placeholders filled. */
export interface KnowledgeArticle {
  readonly id: string;
  readonly title: string;
  /** The first is the main intent. */
  readonly intents: readonly IntentName[];
  readonly keywords: readonly string[];
  readonly source: KnowledgeSource;
  /** True when the bot may say `spokenText`. */
  readonly spoken: boolean;
  readonly spokenText: string;
  readonly longText: string | undefined;
  readonly priority: number;
  readonly checked: string | undefined;
  readonly file: string;
}
