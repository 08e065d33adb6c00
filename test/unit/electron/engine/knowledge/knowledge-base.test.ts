import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_NAMES } from '../../../../../electron/contract';
import { parseArticle } from '../../../../../electron/engine/knowledge/article';
import { splitFrontMatter } from '../../../../../electron/engine/knowledge/front-matter';
import {
  buildKnowledgeBase,
  loadKnowledgeBase,
  readArticleFiles,
} from '../../../../../electron/engine/knowledge/knowledge-base';
import { searchTerms } from '../../../../../electron/engine/knowledge/suggestion-index';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../../../../electron/engine/knowledge/knowledge-paths';
import {
  fillPlaceholders,
  PlaceholderError,
} from '../../../../../electron/engine/knowledge/placeholders';
import {
  loadSiteProfile,
  parseSiteProfile,
  placeholderValues,
  siteProfileJsonSchema,
  spokenPhoneNumber,
} from '../../../../../electron/engine/knowledge/site-profile';

const root = path.resolve(import.meta.dirname, '../../../../..');
const knowledgeDirectory = path.join(root, 'resources/knowledge');
const demoProfileFile = path.join(root, 'resources/site-profile/demo.json');
const demo = loadSiteProfile(demoProfileFile);
const base = loadKnowledgeBase(knowledgeDirectory, demo);

/** Characters and forms the voice reads badly or aloud as symbols. */
const UNSPEAKABLE: readonly [string, RegExp][] = [
  ['URL', /https?:|www\.|\.de\b|\.invalid\b/i],
  ['e-mail address', /\S@\S/],
  ['section sign', /§/],
  ['symbol', /[|→←⇒<>*_#~^\\[\]{}/=+%€&]/],
  [
    'abbreviation',
    /\b(z\.\s?B|bzw|ggf|usw|ca|Nr|Abs|evtl|inkl|u\.\s?a|d\.\s?h|SGB|BuT|KdU|WBA|eAU|AU|BG)\b\.?/,
  ],
  ['parenthesis', /[()]/],
  ['digit group longer than 4', /\d{5,}/],
];

/** Words as heard: a number read digit by digit ("0 8 0 0, 1 1 1") counts as one. */
const wordCount = (text: string): number =>
  text
    .replace(/\d(?:[ ,]+\d)+/g, 'Nummer')
    .split(/\s+/)
    .filter(Boolean).length;

describe('knowledge content (resources/knowledge with the demo profile)', () => {
  it('loads without issues', () => {
    expect(base.issues).toEqual([]);
  });

  it('has at least 60 articles', () => {
    expect(base.all().length).toBeGreaterThanOrEqual(60);
  });

  it('answers every intent of the catalogue with an article whose main intent it is', () => {
    expect(base.missingIntents()).toEqual([]);
    for (const intent of INTENT_NAMES) {
      const answer = base.answerFor(intent);
      expect(answer, intent).toBeDefined();
      expect(base.byId(answer?.articleId ?? '')?.intents[0], intent).toBe(intent);
    }
  });

  it('gives every article a source with a norm or title and an https address', () => {
    for (const article of base.all()) {
      expect(article.source.norm ?? article.source.title, article.id).toBeTruthy();
      expect(article.source.url, article.id).toMatch(/^https:\/\//);
    }
  });

  it('keeps spoken answers short and free of what a voice reads badly', () => {
    for (const article of base.all().filter((a) => a.spoken)) {
      const words = wordCount(article.spokenText);
      expect(words, `${article.id}: ${words} words`).toBeLessThanOrEqual(60);
      const sentences = article.spokenText.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim());
      expect(sentences.length, article.id).toBeGreaterThanOrEqual(2);
      for (const [what, pattern] of UNSPEAKABLE) {
        expect(
          pattern.test(article.spokenText),
          `${article.id} has a ${what}: ${article.spokenText}`,
        ).toBe(false);
      }
    }
  });

  it('resolves every placeholder, leaving no braces behind', () => {
    for (const article of base.all()) {
      expect(`${article.title} ${article.spokenText} ${article.longText ?? ''}`).not.toMatch(
        /\{|\}/,
      );
    }
    expect(base.byId('kontakt-oeffnungszeiten')?.spokenText).toContain('0 1 2 3, 4 5 6 7, 1 0 0');
  });

  it('gives crisis callers the TelefonSeelsorge and the emergency number', () => {
    const spoken = base.answerFor('crisis')?.spoken ?? '';
    expect(spoken).toContain('0 8 0 0, 1 1 1, 0, 1 1 1');
    expect(spoken).toContain('0 8 0 0, 1 1 1, 0, 2 2 2');
    expect(spoken).toContain('1 1 2');
  });

  it('tells callers in an emergency about advance payment or loan and immediate contact', () => {
    const spoken = base.answerFor('emergency')?.spoken ?? '';
    expect(spoken).toMatch(/Vorschuss/);
    expect(spoken).toMatch(/Darlehen/);
    expect(spoken).toMatch(/sofort/);
  });

  it('uses unique ids that match the file names', () => {
    for (const article of base.all()) {
      expect(path.basename(article.file, '.md')).toBe(article.id);
    }
  });
});

describe('search', () => {
  it('finds articles by what a caller says, inflected forms included', () => {
    expect(base.search('Ich habe eine Nebenkostenabrechnung bekommen')[0]?.article.id).toBe(
      'miete-nebenkostenabrechnung',
    );
    expect(base.search('Wann muss ich die Krankmeldungen abgeben')[0]?.article.intents).toContain(
      'sick_note',
    );
    expect(base.search('Widerspruch Frist')[0]?.article.id).toBe('widerspruch-frist');
  });

  it('lifts articles of the hinted intent and finds nothing for filler words', () => {
    const hits = base.search('Termin', { intent: 'sick_note' });
    expect(hits[0]?.article.intents).toContain('sick_note');
    expect(base.search('ja bitte danke')).toEqual([]);
  });

  it('reduces words to comparable terms', () => {
    expect(searchTerms('Die Mieten und Krankmeldungen')).toEqual(['miet', 'krankmeld']);
  });
});

const validArticle = `---
id: test-artikel
title: Test
intents: [payment_date]
keywords: [Zahlung]
source:
  norm: § 42 SGB II
  url: https://www.gesetze-im-internet.de/sgb_2/__42.html
spoken: true
---

## Gesprochen

Das Geld kommt am Monatsanfang. Wir sind {{office.openingHoursSpoken}} da.
`;

describe('loading and validation', () => {
  it('reports a malformed article with file and field, and keeps the others', () => {
    const broken = validArticle
      .replace('[payment_date]', '[payment_dates]')
      .replace('test-artikel', 'kaputt');
    const noSource = validArticle
      .replace(/source:\n.*\n.*\n/, '')
      .replace('test-artikel', 'ohne-quelle');
    const unclosed = '---\nid: x\n';
    const files = new Map([
      ['gut.md', validArticle],
      ['kaputt.md', broken],
      ['ohne-quelle.md', noSource],
      ['offen.md', unclosed],
    ]);
    const loaded = buildKnowledgeBase(files, demo);
    expect(loaded.all().map((a) => a.id)).toEqual(['test-artikel']);
    expect(loaded.issues.map((issue) => [issue.file, issue.field])).toEqual([
      ['kaputt.md', 'intents.0'],
      ['ohne-quelle.md', 'source'],
      ['offen.md', 'front matter'],
    ]);
    expect(loaded.issues[0]?.message).toMatch(/^kaputt\.md: intents\.0:/);
  });

  it('reports a duplicate id and an unknown body part', () => {
    const extraPart = validArticle.replace('test-artikel', 'zweiter') + '\n## Notizen\n\nx\n';
    const loaded = buildKnowledgeBase(
      new Map([
        ['a.md', validArticle],
        ['b.md', validArticle],
        ['c.md', extraPart],
      ]),
      demo,
    );
    expect(loaded.all()).toHaveLength(1);
    expect(loaded.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^b\.md: id: .*already used by a\.md/),
      expect.stringMatching(/^c\.md: body: unknown part "## Notizen"/),
    ]);
  });

  it('needs a spoken part when the article is spoken', () => {
    const text = validArticle.replace(/## Gesprochen[\s\S]*/, '## Ausführlich\n\nNur Text.\n');
    expect(() => parseArticle(text, 'x.md')).toThrow(/x\.md: Gesprochen: /);
  });

  it('reads the front matter subset: lists, nesting, quotes, line numbers in errors', () => {
    const { data } = splitFrontMatter(
      '---\na: [x, \'y, z\', 3]\nb:\n  c: "wert"\nd: true\n---\nbody',
    );
    expect(data).toEqual({ a: ['x', 'y, z', 3], b: { c: 'wert' }, d: true });
    expect(splitFrontMatter('---\nk:\n  [a, b,\n  c]\nn: 1\n---\n').data).toEqual({
      k: ['a', 'b', 'c'],
      n: 1,
    });
    expect(() => splitFrontMatter('---\na: 1\nkein schlüssel\n---\n')).toThrow(/line 3/);
    expect(() => splitFrontMatter('---\na: 1\na: 2\n---\n')).toThrow(/appears twice/);
  });
});

describe('site profile', () => {
  it('names the file and key when a profile lacks a placeholder value', () => {
    const values = new Map(placeholderValues(demo));
    values.delete('office.openingHoursSpoken');
    expect(() => fillPlaceholders(validArticle, values, 'zahlung.md')).toThrow(PlaceholderError);
    expect(() => fillPlaceholders(validArticle, values, 'zahlung.md')).toThrow(
      'zahlung.md: placeholder {{office.openingHoursSpoken}} has no value in the site profile',
    );
  });

  it('reports an article whose placeholder the profile cannot fill, and skips it', () => {
    const text = validArticle.replace('{{office.openingHoursSpoken}}', '{{office.parkplatz}}');
    const loaded = buildKnowledgeBase(new Map([['p.md', text]]), demo);
    expect(loaded.all()).toEqual([]);
    expect(loaded.issues).toEqual([
      {
        file: 'p.md',
        field: 'office.parkplatz',
        message: 'p.md: placeholder {{office.parkplatz}} has no value in the site profile',
      },
    ]);
  });

  it('rejects a profile missing a key, naming the origin and the field', () => {
    const raw = JSON.parse(fs.readFileSync(demoProfileFile, 'utf8')) as {
      office: Record<string, unknown>;
    };
    delete raw.office.openingHours;
    expect(() => parseSiteProfile(raw, 'kaputt.json')).toThrow(
      /^kaputt\.json: invalid site profile: office\.openingHours: /,
    );
  });

  it('is clearly fictitious', () => {
    expect(demo.fictitious).toBe(true);
    expect(demo.office.state).toBe('HE');
    expect(demo.office.phone.startsWith('0123')).toBe(true);
    expect(demo.office.email).toMatch(/\.invalid$/);
    expect(new URL(demo.portal.url).hostname).toMatch(/\.invalid$/);
    expect(new URL(demo.office.website).hostname).toMatch(/\.invalid$/);
  });

  it('reads phone numbers digit by digit with pauses between groups', () => {
    expect(spokenPhoneNumber('0123 4567-100')).toBe('0 1 2 3, 4 5 6 7, 1 0 0');
    expect(spokenPhoneNumber('+49 123 45')).toBe('plus 4 9, 1 2 3, 4 5');
  });

  it('ships a JSON schema that matches the zod schema', () => {
    const shipped = JSON.parse(
      fs.readFileSync(path.join(root, 'resources/site-profile/site-profile.schema.json'), 'utf8'),
    ) as unknown;
    expect(shipped).toEqual(siteProfileJsonSchema());
  });

  it('finds all articles on disk', () => {
    expect(readArticleFiles(knowledgeDirectory).size).toBe(base.all().length);
  });
});

describe('resource folders', () => {
  it('finds the knowledge folder and the demo profile from the working directory', () => {
    expect(findKnowledgeDirectory(undefined, {})).toBe(knowledgeDirectory);
    expect(findSiteProfile('demo', undefined, {})).toBe(demoProfileFile);
    expect(() => findKnowledgeDirectory('/does/not/exist', {})).toThrow(/not found/);
  });
});
