/**
 * A big synthetic German knowledge base for the suggestion bench, and calls to
 * replay against it. Deterministic from a seed; nothing is written to disk.
 *
 * Realistic where it matters for the index: every intent has its own
 * vocabulary (nouns, verbs, caller phrases), titles and keywords are built
 * from it, texts mix function words, domain words, German compounds made of
 * real parts ("Mietkosten", "Heizkostennachweisbescheinigung"), invented
 * place and programme names and norms. So the index holds tens of thousands
 * of distinct terms with a long tail, as a real office's base would, not
 * 5,000 copies of one article.
 */
import { INTENT_NAMES, type IntentName } from '../../../electron/contract';
import type { KnowledgeArticle } from '../../../electron/engine/knowledge/knowledge-base';
import type { RankSegment } from '../../../electron/engine/knowledge/suggestions';

/** mulberry32: small, fast, good enough for test data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const int = (rng: Rng, min: number, max: number): number =>
  min + Math.floor(rng() * (max - min + 1));
const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** What each concern is about: nouns (capitalised), verbs, and how callers put it. */
const TOPICS: Readonly<Record<IntentName, { nouns: string[]; verbs: string[]; asks: string[] }>> = {
  payment_date: {
    nouns: [
      'Zahlung',
      'Auszahlung',
      'Überweisung',
      'Zahltag',
      'Monatsanfang',
      'Bürgergeld',
      'Regelsatz',
      'Gutschrift',
      'Buchung',
      'Zahlungstermin',
    ],
    verbs: ['überweisen', 'auszahlen', 'buchen', 'gutschreiben', 'ankommen'],
    asks: [
      'wann kommt das Geld',
      'wann wird überwiesen',
      'an welchem Tag ist die Zahlung',
      'kommt die Überweisung pünktlich',
    ],
  },
  payment_missing: {
    nouns: [
      'Zahlungsausfall',
      'Kontostand',
      'Rückbuchung',
      'Zahlungseinstellung',
      'Aufrechnung',
      'Abzug',
      'Fehlbetrag',
      'Nachzahlung',
    ],
    verbs: ['fehlen', 'ausbleiben', 'einstellen', 'kürzen', 'zurückbuchen'],
    asks: [
      'das Geld ist nicht da',
      'es ist nichts angekommen',
      'mein Konto ist leer',
      'die Zahlung fehlt',
    ],
  },
  application_status: {
    nouns: [
      'Antrag',
      'Bearbeitungsstand',
      'Bearbeitungszeit',
      'Erstantrag',
      'Entscheidung',
      'Bewilligung',
      'Antragsprüfung',
      'Eingangsbestätigung',
    ],
    verbs: ['bearbeiten', 'prüfen', 'entscheiden', 'beantragen', 'stellen'],
    asks: [
      'wie weit ist mein Antrag',
      'wann wird der Antrag bearbeitet',
      'wie lange dauert die Bearbeitung',
      'ist mein Antrag angekommen',
    ],
  },
  continuation_application: {
    nouns: [
      'Weiterbewilligung',
      'Weiterbewilligungsantrag',
      'Folgeantrag',
      'Bewilligungszeitraum',
      'Verlängerung',
      'Bewilligungsende',
      'Fortzahlung',
    ],
    verbs: ['verlängern', 'weiterbewilligen', 'ablaufen', 'enden', 'fortzahlen'],
    asks: [
      'mein Bewilligungszeitraum läuft ab',
      'wann muss ich den Folgeantrag stellen',
      'die Bewilligung endet bald',
      'wie verlängere ich das Bürgergeld',
    ],
  },
  notice_explanation: {
    nouns: [
      'Bescheid',
      'Berechnung',
      'Bewilligungsbescheid',
      'Änderungsbescheid',
      'Einkommensanrechnung',
      'Freibetrag',
      'Mehrbedarf',
      'Regelbedarf',
    ],
    verbs: ['erklären', 'berechnen', 'anrechnen', 'verstehen', 'ändern'],
    asks: [
      'ich verstehe den Bescheid nicht',
      'wie ist das berechnet',
      'was bedeutet diese Zeile im Bescheid',
      'warum steht da ein Freibetrag',
    ],
  },
  objection: {
    nouns: [
      'Widerspruch',
      'Widerspruchsfrist',
      'Überprüfungsantrag',
      'Sozialgericht',
      'Klage',
      'Anhörung',
      'Eilantrag',
      'Rechtsbehelf',
    ],
    verbs: ['widersprechen', 'anfechten', 'überprüfen', 'klagen', 'einlegen'],
    asks: [
      'ich will Widerspruch einlegen',
      'der Bescheid ist falsch',
      'bis wann kann ich widersprechen',
      'ich bin nicht einverstanden',
    ],
  },
  appointment: {
    nouns: [
      'Termin',
      'Meldetermin',
      'Einladung',
      'Gesprächstermin',
      'Beratungstermin',
      'Terminverschiebung',
      'Vorsprache',
      'Telefontermin',
    ],
    verbs: ['verschieben', 'absagen', 'erscheinen', 'vereinbaren', 'verpassen'],
    asks: [
      'ich habe eine Einladung bekommen',
      'kann ich den Termin verschieben',
      'ich habe den Termin verpasst',
      'muss ich persönlich kommen',
    ],
  },
  sick_note: {
    nouns: [
      'Krankmeldung',
      'Krankschreibung',
      'Arbeitsunfähigkeit',
      'Arbeitsunfähigkeitsbescheinigung',
      'Attest',
      'Arztbesuch',
      'Wegeunfähigkeit',
    ],
    verbs: ['krankschreiben', 'einreichen', 'vorlegen', 'erkranken', 'bescheinigen'],
    asks: [
      'ich bin krank',
      'wohin mit der Krankmeldung',
      'ich bin krankgeschrieben',
      'der Arzt hat mich krankgeschrieben',
    ],
  },
  change_of_circumstances: {
    nouns: [
      'Änderung',
      'Veränderungsmitteilung',
      'Umzug',
      'Einkommen',
      'Arbeitsaufnahme',
      'Schwangerschaft',
      'Trennung',
      'Bankverbindung',
    ],
    verbs: ['mitteilen', 'melden', 'umziehen', 'verdienen', 'trennen'],
    asks: [
      'ich habe eine neue Arbeit',
      'ich ziehe um',
      'ich möchte eine Änderung melden',
      'mein Partner ist ausgezogen',
    ],
  },
  document_submission: {
    nouns: [
      'Unterlagen',
      'Nachweis',
      'Kontoauszüge',
      'Mitwirkung',
      'Dokumente',
      'Upload',
      'Fristverlängerung',
      'Postweg',
    ],
    verbs: ['einreichen', 'hochladen', 'schicken', 'abgeben', 'nachreichen'],
    asks: [
      'wie reiche ich die Unterlagen ein',
      'wo lade ich die Nachweise hoch',
      'ich schaffe die Frist nicht',
      'welche Kontoauszüge brauchen Sie',
    ],
  },
  housing_costs: {
    nouns: [
      'Miete',
      'Mietkosten',
      'Nebenkostenabrechnung',
      'Heizkosten',
      'Unterkunft',
      'Mieterhöhung',
      'Kaution',
      'Angemessenheit',
    ],
    verbs: ['übernehmen', 'erhöhen', 'nachzahlen', 'heizen', 'mieten'],
    asks: [
      'meine Miete wurde erhöht',
      'ich habe eine Nebenkostenabrechnung',
      'zahlt das Jobcenter die Heizkosten',
      'die Wohnung ist zu teuer',
    ],
  },
  absence: {
    nouns: [
      'Ortsabwesenheit',
      'Urlaub',
      'Erreichbarkeit',
      'Reise',
      'Abwesenheit',
      'Klinikaufenthalt',
      'Zustimmung',
    ],
    verbs: ['verreisen', 'wegfahren', 'abwesend', 'genehmigen', 'erreichen'],
    asks: [
      'darf ich in den Urlaub fahren',
      'ich will verreisen',
      'ich bin drei Wochen weg',
      'muss ich das genehmigen lassen',
    ],
  },
  human_request: {
    nouns: [
      'Sachbearbeiter',
      'Mitarbeiterin',
      'Ansprechpartner',
      'Rückruf',
      'Durchwahl',
      'Teamleitung',
    ],
    verbs: ['verbinden', 'sprechen', 'zurückrufen', 'durchstellen', 'erreichen'],
    asks: [
      'ich möchte mit einem Menschen sprechen',
      'verbinden Sie mich bitte',
      'ich will meinen Sachbearbeiter',
      'kann mich jemand zurückrufen',
    ],
  },
  emergency: {
    nouns: [
      'Notlage',
      'Vorschuss',
      'Lebensmittelgutschein',
      'Stromsperre',
      'Räumungsklage',
      'Notfall',
      'Darlehen',
    ],
    verbs: ['helfen', 'vorstrecken', 'sperren', 'räumen', 'hungern'],
    asks: [
      'ich habe kein Geld mehr für Essen',
      'mir wird der Strom abgestellt',
      'ich brauche sofort einen Vorschuss',
      'die Wohnung wird geräumt',
    ],
  },
  crisis: {
    nouns: [
      'Krise',
      'Seelsorge',
      'Verzweiflung',
      'Gewalt',
      'Frauenhaus',
      'Krisendienst',
      'Kinderschutz',
    ],
    verbs: ['bedrohen', 'verzweifeln', 'schützen', 'aufgeben', 'flüchten'],
    asks: [
      'ich weiß nicht mehr weiter',
      'ich werde bedroht',
      'ich kann nicht mehr',
      'ich habe Angst zu Hause',
    ],
  },
  education_participation: {
    nouns: [
      'Bildungspaket',
      'Schulbedarf',
      'Klassenfahrt',
      'Lernförderung',
      'Nachhilfe',
      'Mittagessen',
      'Teilhabe',
      'Vereinsbeitrag',
    ],
    verbs: ['fördern', 'erstatten', 'teilnehmen', 'lernen', 'beantragen'],
    asks: [
      'mein Kind braucht Nachhilfe',
      'wer zahlt die Klassenfahrt',
      'gibt es Geld für Schulsachen',
      'zahlt das Jobcenter den Sportverein',
    ],
  },
  job_support: {
    nouns: [
      'Arbeitsvermittlung',
      'Bewerbung',
      'Weiterbildung',
      'Bildungsgutschein',
      'Kooperationsplan',
      'Coaching',
      'Bewerbungskosten',
      'Eingliederung',
    ],
    verbs: ['bewerben', 'vermitteln', 'qualifizieren', 'fördern', 'arbeiten'],
    asks: [
      'ich suche Arbeit',
      'zahlt das Jobcenter eine Weiterbildung',
      'ich brauche Hilfe bei Bewerbungen',
      'was steht im Kooperationsplan',
    ],
  },
  other: {
    nouns: [
      'Öffnungszeiten',
      'Datenschutz',
      'Rundfunkbeitrag',
      'Krankenversicherung',
      'Adresse',
      'Auskunft',
      'Befreiung',
    ],
    verbs: ['befreien', 'auskunft', 'versichern', 'finden', 'öffnen'],
    asks: [
      'wann haben Sie geöffnet',
      'wie werde ich vom Rundfunkbeitrag befreit',
      'bin ich krankenversichert',
      'welche Daten speichern Sie',
    ],
  },
};

/** Parts of compounds: modifiers (with their linking form) and heads. */
const MODIFIERS = [
  'Miet',
  'Heiz',
  'Nebenkosten',
  'Strom',
  'Wasser',
  'Kosten',
  'Antrags',
  'Zahlungs',
  'Bescheid',
  'Kranken',
  'Arbeits',
  'Einkommens',
  'Vermögens',
  'Kinder',
  'Familien',
  'Schul',
  'Renten',
  'Unterhalts',
  'Wohn',
  'Umzugs',
  'Melde',
  'Termin',
  'Bewerbungs',
  'Weiterbildungs',
  'Beratungs',
  'Sozial',
  'Kindergeld',
  'Eltern',
  'Pflege',
  'Jugend',
  'Bildungs',
  'Teilhabe',
  'Bedarfs',
  'Regel',
  'Mehr',
  'Sonder',
  'Erst',
  'Folge',
  'Weiterbewilligungs',
  'Änderungs',
  'Widerspruchs',
  'Klage',
  'Verwaltungs',
  'Leistungs',
  'Nachweis',
  'Konto',
  'Bank',
  'Lohn',
  'Gehalts',
  'Minijob',
  'Fahrt',
  'Reise',
  'Kautions',
  'Darlehens',
  'Erstattungs',
  'Rückforderungs',
  'Ausbildungs',
  'Studien',
  'Betreuungs',
  'Kita',
  'Sprach',
  'Integrations',
  'Gesundheits',
  'Versicherungs',
  'Beitrags',
  'Steuer',
  'Gewerbe',
  'Selbstständigen',
  'Haushalts',
  'Energie',
  'Brennstoff',
  'Heizöl',
  'Gas',
  'Wohngeld',
  'Zuschuss',
  'Eingliederungs',
  'Vermittlungs',
  'Qualifizierungs',
  'Förder',
  'Frist',
];
const HEADS = [
  'kosten',
  'abrechnung',
  'bescheinigung',
  'nachweis',
  'antrag',
  'frist',
  'bescheid',
  'stelle',
  'zuschuss',
  'pauschale',
  'erstattung',
  'verfahren',
  'prüfung',
  'zeitraum',
  'betrag',
  'anspruch',
  'grenze',
  'regelung',
  'vereinbarung',
  'berechnung',
  'mitteilung',
  'unterlagen',
  'formular',
  'vorschuss',
  'darlehen',
  'sperre',
  'erhöhung',
  'senkung',
  'übernahme',
  'beihilfe',
  'leistung',
  'bedarf',
  'zahlung',
  'vertrag',
  'nachzahlung',
  'rückzahlung',
  'auskunft',
  'beratung',
  'hilfe',
  'förderung',
  'gutschein',
  'ausweis',
  'termin',
  'einladung',
  'anhörung',
  'klage',
  'pflicht',
  'befreiung',
  'freibetrag',
  'anteil',
  'zuständigkeit',
  'schreiben',
  'hinweis',
  'merkblatt',
  'verordnung',
  'richtlinie',
  'tabelle',
  'übersicht',
  'beleg',
  'quittung',
];
/** Syllables of invented places, streets and programmes. */
const SYLLABLES = [
  'ber',
  'lin',
  'ham',
  'burg',
  'wald',
  'feld',
  'stein',
  'bach',
  'dorf',
  'hausen',
  'heim',
  'ingen',
  'au',
  'rode',
  'hof',
  'brück',
  'tal',
  'ober',
  'unter',
  'neu',
  'alt',
  'lin',
  'den',
  'kirch',
  'berg',
  'mühl',
  'wies',
  'sel',
  'gar',
  'ten',
  'rot',
  'grün',
  'mark',
  'stadt',
  'see',
  'hag',
  'eck',
  'los',
  'hor',
  'st',
  'wer',
  'ter',
  'lo',
  'ne',
  'ka',
  'ri',
  'mo',
  'sa',
];
const FUNCTION_WORDS =
  'der die das und oder aber auch nur noch schon mit bei nach von für über unter wenn weil dass ob wird werden kann muss soll ist sind hat haben ein eine einem einen im am zum zur nicht kein keine es sie man sich diese dieser dann dort hier sehr mehr weniger'.split(
    ' ',
  );
const ADJECTIVES =
  'schriftlich persönlich rechtzeitig vollständig angemessen vorläufig monatlich einmalig zuständig notwendig möglich üblich wichtig gesetzlich verbindlich dringend zusätzlich rückwirkend digital kostenlos befristet unbefristet laufend aktuell frühzeitig verspätet'.split(
    ' ',
  );
const GENERAL_VERBS =
  'prüfen beachten vorlegen erhalten bestätigen benötigen beantragen mitteilen informieren berücksichtigen zahlen übernehmen gelten ergeben entstehen anfordern verlangen empfehlen klären nachreichen festlegen zuordnen weiterleiten'.split(
    ' ',
  );
const GENERAL_NOUNS =
  'Jobcenter Leistungsberechtigte Bedarfsgemeinschaft Haushalt Person Monat Woche Jahr Frist Stelle Behörde Sachbearbeitung Portal Brief Postfach Formular Anlage Seite Nummer Kundennummer Betrag Euro Zeitraum Fall Regel Ausnahme Einzelfall Nachweis Mitwirkung'.split(
    ' ',
  );
const FILLER = [
  'also',
  'ähm',
  'ja',
  'genau',
  'na ja',
  'gut',
  'hallo',
  'ach so',
  'okay',
  'sagen wir mal',
];

function compound(rng: Rng): string {
  const parts = rng() < 0.25 ? 3 : 2;
  let word = pick(rng, MODIFIERS);
  if (parts === 3) word += pick(rng, MODIFIERS).toLowerCase();
  return word + pick(rng, HEADS);
}

function inventedName(rng: Rng): string {
  let name = '';
  const count = int(rng, 2, 4);
  for (let i = 0; i < count; i++) name += pick(rng, SYLLABLES);
  return capital(name);
}

function inflect(rng: Rng, noun: string): string {
  const roll = rng();
  if (roll < 0.6) return noun;
  if (noun.endsWith('ung') || noun.endsWith('e')) return noun + (noun.endsWith('e') ? 'n' : 'en');
  return noun + pick(rng, ['s', 'es', 'e', 'en']);
}

/** One sentence of article text: function words, topic words, compounds, names. */
function sentence(rng: Rng, topic: (typeof TOPICS)[IntentName]): string {
  const length = int(rng, 8, 18);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = rng();
    if (roll < 0.38) words.push(pick(rng, FUNCTION_WORDS));
    else if (roll < 0.52) words.push(inflect(rng, pick(rng, topic.nouns)));
    else if (roll < 0.6) words.push(pick(rng, topic.verbs));
    else if (roll < 0.7) words.push(inflect(rng, compound(rng)));
    else if (roll < 0.78) words.push(pick(rng, GENERAL_NOUNS));
    else if (roll < 0.86) words.push(pick(rng, ADJECTIVES));
    else if (roll < 0.93) words.push(pick(rng, GENERAL_VERBS));
    else if (roll < 0.97) words.push(inventedName(rng));
    else words.push(String(int(rng, 1, 2030)));
  }
  const text = words.join(' ');
  return capital(text) + '.';
}

const NORMS = [7, 9, 11, 12, 16, 20, 21, 22, 24, 31, 32, 34, 37, 38, 40, 41, 42, 44, 56, 59, 60];

/** `count` articles over every intent, deterministic from `seed`. */
export function generateKnowledge(count: number, seed = 20261125): KnowledgeArticle[] {
  const rng = random(seed);
  const articles: KnowledgeArticle[] = [];
  for (let n = 0; n < count; n++) {
    const main = INTENT_NAMES[n % INTENT_NAMES.length] as IntentName;
    const topic = TOPICS[main];
    const intents: IntentName[] = [main];
    const extra = rng() < 0.4 ? int(rng, 1, 2) : 0;
    for (let i = 0; i < extra; i++) {
      const other = pick(rng, INTENT_NAMES);
      if (!intents.includes(other)) intents.push(other);
    }
    const place = inventedName(rng);
    const title = pick(rng, [
      `${pick(rng, topic.nouns)}: ${capital(pick(rng, topic.asks))}?`,
      `${compound(rng)} und ${pick(rng, topic.nouns)}`,
      `${pick(rng, topic.nouns)} in ${place}`,
      `Was gilt bei ${pick(rng, topic.nouns)} und ${compound(rng)}?`,
    ]);
    const keywords = new Set<string>();
    const keywordCount = int(rng, 4, 8);
    while (keywords.size < keywordCount) {
      keywords.add(
        rng() < 0.65
          ? pick(rng, topic.nouns)
          : rng() < 0.5
            ? compound(rng)
            : pick(rng, topic.verbs),
      );
    }
    const spokenSentences = Array.from({ length: int(rng, 2, 4) }, () => sentence(rng, topic));
    const longSentences = Array.from({ length: int(rng, 6, 16) }, () => sentence(rng, topic));
    const norm = pick(rng, NORMS);
    const source =
      rng() < 0.7
        ? {
            norm: `§ ${norm} Abs. ${int(rng, 1, 4)} SGB II`,
            url: `https://www.gesetze-im-internet.de/sgb_2/__${norm}.html`,
          }
        : {
            title: `Merkblatt ${compound(rng)}`,
            url: `https://www.arbeitsagentur.de/merkblatt/${n}`,
          };
    const id = `gen-${main.replace(/_/g, '-')}-${String(n).padStart(5, '0')}`;
    articles.push({
      id,
      title,
      intents,
      keywords: [...keywords],
      source,
      spoken: true,
      spokenText: spokenSentences.join(' '),
      longText: rng() < 0.85 ? longSentences.join(' ') : undefined,
      priority: rng() < 0.05 ? 10 : rng() < 0.1 ? 5 : 0,
      checked: '2026-11-01',
      file: `${id}.md`,
    });
  }
  return articles;
}

export interface ReplayCall {
  readonly intent: IntentName;
  readonly segments: readonly RankSegment[];
}

const BOT_LINES = [
  'Guten Tag, hier ist der digitale Assistent des Jobcenters. Ich bin eine künstliche Intelligenz. Worum geht es?',
  'Damit ich in Ihre Akte schauen darf, nennen Sie mir bitte Ihre Kundennummer und Ihr Geburtsdatum.',
  'Danke. Ich verbinde Sie jetzt mit einer Mitarbeiterin. Einen Moment bitte.',
  'Habe ich richtig verstanden, es geht um Ihr Anliegen? Sagen Sie ja oder nein.',
];
const AGENT_LINES = [
  'Guten Tag, Sie sprechen mit dem Jobcenter, was kann ich für Sie tun?',
  'Ich schaue mir das gerade in Ihrer Akte an, einen Moment bitte.',
  'Haben Sie dazu schon ein Schreiben von uns bekommen?',
  'Können Sie mir sagen, seit wann das so ist?',
  'Gut, dann notiere ich mir das und gebe es weiter.',
];

/** Calls as they sound: bot first, the caller's concern in varied words, then the agent. */
export function generateCalls(count: number, seed = 4711): ReplayCall[] {
  const rng = random(seed);
  const calls: ReplayCall[] = [];
  for (let c = 0; c < count; c++) {
    const intent = pick(rng, INTENT_NAMES);
    const topic = TOPICS[intent];
    const callerLine = (long: boolean): string => {
      const parts = [capital(pick(rng, FILLER)), pick(rng, topic.asks)];
      const extra = long ? int(rng, 6, 14) : int(rng, 1, 4);
      for (let i = 0; i < extra; i++) {
        const roll = rng();
        if (roll < 0.3) parts.push(pick(rng, FUNCTION_WORDS));
        else if (roll < 0.55) parts.push(inflect(rng, pick(rng, topic.nouns)));
        else if (roll < 0.65) parts.push(inflect(rng, compound(rng)));
        else if (roll < 0.8) parts.push(pick(rng, FILLER));
        else parts.push(pick(rng, GENERAL_NOUNS));
      }
      return parts.join(' ') + '.';
    };
    const segments: RankSegment[] = [{ speaker: 'bot', text: BOT_LINES[0] as string }];
    segments.push({ speaker: 'caller', text: callerLine(false) });
    segments.push({ speaker: 'bot', text: pick(rng, BOT_LINES.slice(1)) });
    segments.push({
      speaker: 'caller',
      text: 'Ja. Meine Kundennummer ist eins zwei drei vier fünf.',
    });
    const turns = int(rng, 5, 9);
    for (let t = 0; t < turns; t++) {
      segments.push({ speaker: 'agent', text: pick(rng, AGENT_LINES) });
      segments.push({ speaker: 'caller', text: callerLine(rng() < 0.4) });
    }
    calls.push({ intent, segments });
  }
  return calls;
}
