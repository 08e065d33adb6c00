import { beforeAll, describe, expect, it } from 'vitest';
import type { IntentName } from '../../../../../electron/contract';
import type { CaseContext } from '../../../../../electron/engine/cases/case-system';
import { loadKnowledgeBase } from '../../../../../electron/engine/knowledge/knowledge-base';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../../../../electron/engine/knowledge/knowledge-paths';
import { loadSiteProfile } from '../../../../../electron/engine/knowledge/site-profile';
import {
  analyzeText,
  foldWord,
  searchTerms,
} from '../../../../../electron/engine/knowledge/suggestion-index';
import {
  caseFacts,
  SuggestionRanker,
  WINDOW_SEGMENTS,
  type RankSegment,
} from '../../../../../electron/engine/knowledge/suggestions';
import {
  createIntentClassifier,
  type IntentClassifier,
} from '../../../../../electron/engine/nlu/intents/intent-classifier';
import { suggestionSchema } from '../../../../../electron/contract/assist-messages';
import { germanEuro } from '../../../../../electron/engine/util/german-format';

const base = loadKnowledgeBase(findKnowledgeDirectory(), loadSiteProfile(findSiteProfile('demo')));
const ranker = new SuggestionRanker(base);
let classifier: IntentClassifier;

beforeAll(async () => {
  classifier = await createIntentClassifier();
});

/** A sentence as the speech recogniser writes it. */
const asr = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim();
const caller = (text: string): RankSegment => ({ speaker: 'caller', text });
const top = (text: string, intent: IntentName | null = null) =>
  ranker.rank({ segments: [caller(text)], intent })[0];

/**
 * Caller sentences as people say them on the phone (written for this test,
 * not taken from the classifier's training data), by the concern they mean.
 */
const SENTENCES: Readonly<Record<string, readonly string[]>> = {
  payment_date: [
    'Zu welchem Datum wird das Bürgergeld für Dezember ausgezahlt?',
    'An welchem Tag kommt mein Geld auf das Konto?',
    'Ich wollte fragen, wann die nächste Zahlung kommt.',
    'Kommt das Geld diesen Monat früher wegen Weihnachten?',
    'Wann ist beim Jobcenter der Zahltag?',
  ],
  payment_missing: [
    'Mein Geld ist diesen Monat nicht angekommen.',
    'Auf meinem Konto ist keine Zahlung eingegangen.',
    'Das Jobcenter hat dieses Mal nichts überwiesen, das Konto ist leer.',
    'Warum habe ich diesen Monat weniger Geld bekommen als sonst?',
    'Die Zahlung ist ausgeblieben, was soll ich jetzt machen?',
  ],
  application_status: [
    'Wie ist der Stand meines Antrags?',
    'Ich habe vor drei Wochen einen Antrag gestellt und noch keinen Bescheid.',
    'Wird mein Antrag schon bearbeitet?',
    'Wie lange dauert die Bearbeitung von meinem Antrag noch?',
  ],
  continuation_application: [
    'Mein Bewilligungszeitraum läuft bald ab, was muss ich machen?',
    'Wann muss ich den Weiterbewilligungsantrag stellen?',
    'Ich brauche einen Folgeantrag, die Bewilligung endet nächsten Monat.',
    'Wie beantrage ich die Weiterbewilligung online?',
  ],
  sick_note: [
    'Ich bin krank und kann morgen nicht zum Termin kommen.',
    'Wohin schicke ich meine Krankmeldungen?',
    'Ich bin krankgeschrieben, muss ich die Krankschreibung einreichen?',
    'Der Arzt hat mir eine Arbeitsunfähigkeitsbescheinigung ausgestellt, was mache ich damit?',
  ],
  change_of_circumstances: [
    'Ich habe eine neue Arbeit gefunden und verdiene jetzt eigenes Geld.',
    'Ich möchte eine Änderung melden, meine Freundin zieht bei mir ein.',
    'Ich bin schwanger, muss ich das dem Jobcenter mitteilen?',
    'Ich habe jetzt eine neue Bankverbindung, wo gebe ich die IBAN an?',
    'Mein Partner und ich haben uns getrennt, er ist ausgezogen.',
  ],
  appointment: [
    'Ich habe eine Einladung zu einem Termin bekommen.',
    'Kann ich meinen Termin nächste Woche verschieben?',
    'Ich habe meinen Termin verpasst, was passiert jetzt?',
    'Muss ich zu dem Meldetermin persönlich erscheinen?',
  ],
  housing_costs: [
    'Meine Miete wurde erhöht, zahlt das Jobcenter die höhere Miete?',
    'Ich habe eine Nebenkostenabrechnung mit einer Nachzahlung bekommen.',
    'Werden meine Mietkosten komplett übernommen?',
    'Ich brauche Geld für Heizöl für den Winter.',
    'Das Jobcenter schreibt, meine Wohnung ist zu teuer.',
  ],
  objection: [
    'Ich bin mit dem Bescheid nicht einverstanden und will Widerspruch einlegen.',
    'Bis wann kann ich gegen den Bescheid Widerspruch einlegen?',
    'Der Bescheid ist falsch, wie kann ich mich dagegen wehren?',
    'Die Frist für den Widerspruch ist verpasst, kann man trotzdem noch etwas machen?',
  ],
  document_submission: [
    'Wie kann ich meine Unterlagen einreichen?',
    'Wo lade ich die Kontoauszüge hoch?',
    'Ich soll Nachweise schicken, geht das auch per Post?',
    'Ich schaffe es nicht, die Unterlagen rechtzeitig abzugeben.',
  ],
};

const CASE: CaseContext = {
  caseId: 'case-1',
  bgNumber: '12345BG0000001',
  client: {
    firstName: 'Erika',
    lastName: 'Beispiel',
    dateOfBirth: '1980-04-12',
    role: 'applicant',
  },
  members: [],
  benefitPeriod: { start: '2026-06-01', end: '2026-11-30' },
  nextPayment: { date: '2026-12-01', amountCents: 101320, forMonth: '2026-12' },
  applications: [
    {
      type: 'continuation_application',
      receivedDate: '2026-11-03',
      status: 'documents_missing',
      missingDocuments: ['Kontoauszüge'],
    },
  ],
  appointments: [
    {
      date: '2026-12-02',
      time: '10:30',
      kind: 'in_person',
      place: 'Jobcenter Musterstadt (fiktiv), Raum 1.02',
      topic: 'Beratung',
    },
  ],
  notes: [],
  caseworker: null,
};

describe('suggestions over the bundled knowledge base', () => {
  it('puts an article serving the caller’s concern first (measured top-1 accuracy)', () => {
    let total = 0;
    const hits = { text: 0, nlu: 0, exact: 0, classifier: 0, asr: 0, asrNlu: 0 };
    const misses: string[] = [];
    const textMisses: string[] = [];
    for (const [intent, sentences] of Object.entries(SENTENCES)) {
      for (const sentence of sentences) {
        total++;
        const textOnly = top(sentence);
        if (base.byId(textOnly?.articleId ?? '')?.intents.includes(intent as IntentName))
          hits.text++;
        else textMisses.push(`${intent}: "${sentence}" → ${textOnly?.articleId}`);
        const understood = classifier.classify(sentence).intent;
        if (understood === intent) hits.classifier++;
        const withNlu = top(sentence, understood);
        const article = base.byId(withNlu?.articleId ?? '');
        if (article?.intents.includes(intent as IntentName)) hits.nlu++;
        else misses.push(`${intent} (NLU ${understood}): "${sentence}" → ${withNlu?.articleId}`);
        if (article?.intents[0] === intent) hits.exact++;
        // As the recogniser writes it: lower case, no punctuation.
        const heard = asr(sentence);
        if (base.byId(top(heard)?.articleId ?? '')?.intents.includes(intent as IntentName))
          hits.asr++;
        const heardIntent = classifier.classify(heard).intent;
        const heardTop = base.byId(top(heard, heardIntent)?.articleId ?? '');
        if (heardTop?.intents.includes(intent as IntentName)) hits.asrNlu++;
      }
    }
    const share = (n: number): string => `${n}/${total} = ${((100 * n) / total).toFixed(1)} %`;
    // The measured figures, for the report and for anyone tuning the weights.
    console.info(
      `top-1 serves the intent: words only ${share(hits.text)}, with NLU intent ${share(hits.nlu)}; ` +
        `main intent with NLU ${share(hits.exact)}; the NLU alone ${share(hits.classifier)}; ` +
        `as recognised (lower case, no punctuation): words only ${share(hits.asr)}, ` +
        `with NLU ${share(hits.asrNlu)}` +
        (misses.length ? `\nmisses with NLU:\n  ${misses.join('\n  ')}` : '') +
        (textMisses.length ? `\nmisses on words only:\n  ${textMisses.join('\n  ')}` : ''),
    );
    expect(total).toBeGreaterThanOrEqual(40);
    expect(hits.nlu / total, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(hits.text / total).toBeGreaterThanOrEqual(0.85);
    expect(hits.asrNlu / total).toBeGreaterThanOrEqual(0.9);
  });

  it('finds articles from inflected and compound forms', () => {
    expect(top('Wohin mit den Krankmeldungen?')?.articleId).toMatch(/^krankmeldung-/);
    expect(base.byId(top('Meine Mietkosten sind gestiegen')?.articleId ?? '')?.intents).toContain(
      'housing_costs',
    );
    expect(top('Ich habe die Nebenkostenabrechnung bekommen')?.articleId).toBe(
      'miete-nebenkostenabrechnung',
    );
    // A part of a keyword compound finds it: "Abrechnung" in "Nebenkostenabrechnung".
    expect(
      ranker
        .rank({ segments: [caller('Die Abrechnung der Nebenkosten kam gestern')], intent: null })
        .map((s) => s.articleId),
    ).toContain('miete-nebenkostenabrechnung');
    // A compound the recogniser wrote apart is joined again.
    const heard = top('ich habe eine neben kosten abrechnung bekommen');
    expect(heard?.articleId).toBe('miete-nebenkostenabrechnung');
    expect(heard?.why.terms).toContain('neben kosten abrechnung');
    expect(top('wo schicke ich die krank meldung hin')?.articleId).toMatch(/^krankmeldung-/);
    // Umlauts typed as ae/oe/ue, or left out, fold alike.
    expect(foldWord('Kontoauszüge')).toBe(foldWord('Kontoauszuege'));
    expect(searchTerms('Überweisung')).toEqual(searchTerms('ueberweisung'));
    expect(top('Wo lade ich die Kontoauszuege hoch')?.articleId).toBe(
      top('Wo lade ich die Kontoauszüge hoch')?.articleId,
    );
  });

  it('explains itself: terms as the caller said them, the intent, no case fact without a case', () => {
    const list = ranker.rank({
      segments: [caller('Ich habe die Krankmeldungen noch nicht abgegeben')],
      intent: 'sick_note',
    });
    const first = list[0];
    expect(first?.why.terms).toContain('Krankmeldungen');
    expect(first?.why.terms).not.toContain('krankmeld');
    expect(first?.why.intent).toBe('sick_note');
    expect(first?.why.caseFact).toBeNull();
    for (const suggestion of list) {
      expect(suggestionSchema.parse(suggestion)).toEqual(suggestion);
      const article = base.byId(suggestion.articleId);
      expect(suggestion.text).toBe(article?.longText ?? article?.spokenText);
      expect(suggestion.why.intent === 'sick_note').toBe(
        article?.intents.includes('sick_note') ?? false,
      );
    }
    // Without an intent, none is claimed.
    const plain = ranker.rank({ segments: [caller('Krankmeldung')], intent: null });
    expect(plain.every((s) => s.why.intent === null)).toBe(true);
  });

  it('lifts the NLU intent’s articles even when no word matches', () => {
    const list = ranker.rank({
      segments: [caller('Wo bleibt das denn?')],
      intent: 'payment_missing',
    });
    expect(list[0]?.articleId).toBe('zahlung-fehlt');
    expect(list[0]?.why).toEqual({ terms: [], intent: 'payment_missing', caseFact: null });
  });

  it('adds the verified caller’s case facts and lifts those articles', () => {
    const facts = caseFacts(CASE);
    expect(facts.get('payment_date')).toBe('Nächste Zahlung: 01.12.2026, 1.013,20 € (für 12/2026)');
    expect(facts.get('continuation_application')).toBe(
      'Antrag auf Weiterbewilligung vom 03.11.2026: Unterlagen fehlen – Kontoauszüge',
    );
    expect(facts.get('appointment')).toBe(
      'Nächster Termin: 02.12.2026, 10:30 Uhr, persönlich, Jobcenter Musterstadt (fiktiv), Raum 1.02 (Beratung)',
    );
    expect(facts.has('objection')).toBe(false);

    const segments = [caller('Wann kommt mein Geld?')];
    const without = ranker.rank({ segments, intent: 'payment_date' });
    const withCase = ranker.rank({ segments, intent: 'payment_date', caseContext: CASE });
    expect(withCase[0]?.articleId).toBe('zahlung-termin');
    expect(withCase[0]?.why.caseFact).toBe(facts.get('payment_date'));
    expect(without[0]?.why.caseFact).toBeNull();
    const scoreOf = (list: typeof without, id: string) =>
      list.find((s) => s.articleId === id)?.score ?? 0;
    expect(scoreOf(withCase, 'zahlung-termin')).toBeCloseTo(
      scoreOf(without, 'zahlung-termin') + 0.15,
      3,
    );

    const appointment = ranker.rank({
      segments: [caller('Ich muss meinen Termin verschieben')],
      intent: 'appointment',
      caseContext: CASE,
    });
    expect(appointment[0]?.why.caseFact).toMatch(/^Nächster Termin: 02\.12\.2026, 10:30 Uhr/);
    // An article no case fact answers carries none.
    const objection = ranker.rank({
      segments: [caller('Ich will Widerspruch einlegen')],
      intent: 'objection',
      caseContext: CASE,
    });
    expect(objection[0]?.why.caseFact).toBeNull();
    expect(germanEuro(-5)).toBe('-0,05 €');
    expect(germanEuro(123456789)).toBe('1.234.567,89 €');
  });

  it('weighs the caller above the bot and the newest words above older ones', () => {
    const said = (speaker: 'caller' | 'agent' | 'bot') =>
      ranker.rank({
        segments: [
          caller('Ich will Widerspruch einlegen.'),
          { speaker, text: 'Und dann ist da noch die Nebenkostenabrechnung.' },
        ],
        intent: null,
        limit: 20,
      });
    const scoreOf = (list: ReturnType<typeof said>, id: string) =>
      list.find((s) => s.articleId === id)?.score ?? 0;
    const [byCaller, byAgent, byBot] = [said('caller'), said('agent'), said('bot')];
    expect(byCaller[0]?.articleId).toBe('miete-nebenkostenabrechnung');
    expect(byBot[0]?.articleId).toMatch(/^widerspruch-/);
    const id = 'miete-nebenkostenabrechnung';
    expect(scoreOf(byCaller, id)).toBeGreaterThan(scoreOf(byAgent, id));
    expect(scoreOf(byAgent, id)).toBeGreaterThan(scoreOf(byBot, id));
    const moved = ranker.rank({
      segments: [
        caller('Es ging erst um meinen Widerspruch.'),
        caller('Jetzt aber: Wann kommt die Zahlung?'),
      ],
      intent: null,
    });
    expect(base.byId(moved[0]?.articleId ?? '')?.intents).toContain('payment_date');
    // Only the window counts: a word said long ago no longer does.
    const old = [caller('Nebenkostenabrechnung')];
    for (let i = 0; i < WINDOW_SEGMENTS; i++)
      old.push({ speaker: 'agent', text: 'Einen Moment bitte.' });
    expect(ranker.rank({ segments: old, intent: null })).toEqual([]);
  });

  it('orders deterministically, ties by priority then id', () => {
    const input = { segments: [caller('Termin')], intent: 'appointment' as const, limit: 10 };
    const first = ranker.rank(input);
    expect(new SuggestionRanker(base.all().reverse()).rank(input)).toEqual(first);
    for (let i = 1; i < first.length; i++) {
      const a = first[i - 1]!;
      const b = first[i]!;
      expect(a.score).toBeGreaterThanOrEqual(b.score);
      if (a.score === b.score) {
        const pa = base.byId(a.articleId)!.priority;
        const pb = base.byId(b.articleId)!.priority;
        expect(pa > pb || (pa === pb && a.articleId < b.articleId)).toBe(true);
      }
    }
    // Intent only, no words: the intent's articles by priority, then id.
    const ties = ranker.rank({ segments: [], intent: 'appointment', limit: 10 });
    expect(ties.map((s) => s.articleId)).toEqual(
      base
        .articlesFor('appointment')
        .map((a) => a.id)
        .slice(0, ties.length),
    );
  });

  it('gives nothing for silence, filler or stop words', () => {
    expect(ranker.rank({ segments: [], intent: null })).toEqual([]);
    expect(ranker.rank({ segments: [caller('')], intent: null })).toEqual([]);
    expect(
      ranker.rank({
        segments: [caller('Ja, hallo, also ich wollte mal fragen, ob das so geht.')],
        intent: null,
      }),
    ).toEqual([]);
    expect(ranker.rank({ segments: [caller('ähm ja genau danke')], intent: 'other' })).toEqual([]);
    expect(ranker.search('und oder aber')).toEqual([]);
    // Negations count with other words ("keine Zahlung"), never alone.
    expect(ranker.rank({ segments: [caller('Nein, nicht, keine.')], intent: null })).toEqual([]);
    expect(base.search('nicht')).toEqual([]);
    expect(analyzeText('Die der das und')).toEqual([]);
  });

  it('searches like the caseworker types: stems, an unfinished last word, typing errors', () => {
    expect(ranker.search('Widerspruch Frist')[0]?.articleId).toBe('widerspruch-frist');
    expect(ranker.search('Nebenkostenabr')[0]?.articleId).toBe('miete-nebenkostenabrechnung');
    expect(ranker.search('Krankmeldungen')[0]?.articleId).toMatch(/^krankmeldung-/);
    expect(ranker.search('Wiederspruch')[0]?.why.terms).toEqual(['Wiederspruch']);
    expect(ranker.search('Widersprcuh')[0]?.articleId).toMatch(/^widerspruch-/);
    const lifted = ranker.search('Termin', { intent: 'sick_note', limit: 3 });
    expect(lifted[0]?.why.intent).toBe('sick_note');
    expect(lifted).toHaveLength(3);
  });

  it('searches the transcript by stem and compound part', () => {
    const segments = [
      { id: 's1', speaker: 'caller' as const, text: 'Meine Miete ist gestiegen.' },
      { id: 's2', speaker: 'agent' as const, text: 'Haben Sie die Mietkosten schriftlich?' },
      { id: 's3', speaker: 'caller' as const, text: 'Ja, und die Nebenkosten auch.' },
      { id: 's4', speaker: 'bot' as const, text: 'Einen Moment bitte.' },
    ];
    const ids = (query: string) => ranker.searchTranscript(query, segments).map((s) => s.id);
    expect(ids('Mieten')).toEqual(['s1', 's2']);
    expect(ids('Kosten')).toEqual(['s2', 's3']);
    expect(ids('Miete schriftlich')).toEqual(['s2']);
    expect(ids('Moment')).toEqual(['s4']);
    expect(ids('bitte')).toEqual([]);
    expect(ranker.matchingWords('Mieten', 'Die Miete und die Mietkosten')).toEqual([
      'Miete',
      'Mietkosten',
    ]);
    expect(ranker.matchingWords('Miete Heizung', 'Die Miete')).toEqual([]);
  });
});
