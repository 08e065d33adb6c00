/** The proposed contact note, written from realistic calls: its parts, what it must never contain, its disposition. */
import { describe, expect, it } from 'vitest';
import {
  INTENT_NAMES,
  MAX_NOTE_LENGTH,
  type Handoff,
  type TranscriptSegment,
} from '../../../../../electron/contract';
import { proposeWrapUp, type WrapUpInput } from '../../../../../electron/engine/assist/wrap-up';
import { INTENT_LABELS } from '../../../../../electron/engine/util/intent-labels';
import { PHRASES } from '../../../../../electron/engine/bot/phrases';
import type { CaseContext } from '../../../../../electron/engine/cases/case-system';

const NOW = new Date('2026-11-25T09:30:00Z');

/** A call as the transcript records it: one final per turn, 3 s apart. */
function call(
  turns: [TranscriptSegment['speaker'], string][],
  callId = 'call-1',
): TranscriptSegment[] {
  return turns.map(([speaker, text], index) => ({
    callId,
    segmentId: `s${index}`,
    speaker,
    text,
    startMs: index * 3000,
    endMs: index * 3000 + 2500,
    confidence: speaker === 'caller' ? 0.82 : null,
    final: true,
  }));
}

const context: CaseContext = {
  caseId: 'case-17',
  bgNumber: '99999BG0000017',
  client: {
    firstName: 'Mara',
    lastName: 'Beispiel',
    dateOfBirth: '1980-05-12',
    role: 'applicant',
    customerNumber: '991D10001',
  },
  members: [{ firstName: 'Tom', lastName: 'Beispiel', dateOfBirth: '2016-02-03', role: 'child' }],
  benefitPeriod: { start: '2026-06-01', end: '2027-05-31' },
  nextPayment: { date: '2026-12-01', amountCents: 101320, forMonth: '2026-12' },
  applications: [],
  appointments: [],
  notes: [],
  caseworker: { name: 'K. Muster', team: 'Team 3', phone: '0611 000' },
};

function paymentCall(): WrapUpInput {
  const handoff: Handoff = {
    reason: 'human_request',
    priority: false,
    summary:
      'Grund: Wunsch nach einer Person\nAnliegen: Zahlungstermin\nIdentität: geprüft\n' +
      'Zuletzt gesagt: „ich möchte bitte mit einem mitarbeiter sprechen“',
  };
  return {
    segments: call([
      ['bot', PHRASES.greeting],
      ['bot', PHRASES.openQuestion],
      ['caller', 'hallo ja guten tag ich wollte fragen wann mein geld im dezember kommt'],
      ['bot', PHRASES.askNumber],
      ['caller', 'neun neun eins d eins null null null eins'],
      ['bot', PHRASES.askDateOfBirth],
      ['caller', 'zwölfter mai neunzehnhundertachtzig'],
      [
        'bot',
        `${PHRASES.verified} Ihre nächste Zahlung von 1.013,20 Euro wird am 1. Dezember überwiesen. ${PHRASES.anythingElse}`,
      ],
      ['caller', 'ich möchte bitte mit einem mitarbeiter sprechen'],
      ['bot', PHRASES.connecting],
      ['agent', 'guten tag hier ist frau beispiel vom jobcenter'],
      [
        'caller',
        'ja hallo das geld ist letzten monat erst am fünften gekommen und ich muss doch die miete zahlen',
      ],
      [
        'agent',
        'die zahlung geht immer vor dem monatsbeginn raus die bank braucht dann ein bis zwei tage',
      ],
      ['agent', 'schicken sie uns bitte den kontoauszug vom november dann prüfen wir das'],
      ['caller', 'ja mache ich danke'],
      ['agent', 'gerne auf wiederhören'],
    ]),
    handoff,
    intent: 'payment_date',
    verified: true,
    caseContext: context,
    used: [
      {
        title: 'Wann wird das Bürgergeld ausgezahlt?',
        source: {
          norm: '§ 42 Abs. 1 SGB II',
          url: 'https://www.gesetze-im-internet.de/sgb_2/__42.html',
        },
      },
    ],
    agentName: 'K. Beispiel',
    now: NOW,
  };
}

/** The lines of one labelled part of the note. */
function part(note: string, label: string): string {
  const labels = ['Anlass', 'Anliegen', 'Auskunft', 'Vereinbart / Folgeaufgaben', 'Identität'];
  const start = note.indexOf(`\n${label}:`);
  expect(start, `part ${label} in\n${note}`).toBeGreaterThanOrEqual(0);
  const ends = labels
    .map((other) => note.indexOf(`\n${other}:`, start + 1))
    .filter((index) => index > start);
  return note.slice(start + 1, ends.length > 0 ? Math.min(...ends) : undefined);
}

describe('proposeWrapUp', () => {
  it('writes the note of a payment-date call the bot verified and handed over', () => {
    const { note, disposition, intent } = proposeWrapUp(paymentCall());

    expect(intent).toBe('payment_date');
    expect(note.split('\n')[0]).toBe(
      'Telefonat am 25.11.2026, 10:30 Uhr – Mitarbeiter/in: K. Beispiel',
    );
    expect(part(note, 'Anlass')).toBe(
      'Anlass: Frage zum Zahlungstermin (vom Bot übergeben: Wunsch nach einer Person)',
    );
    const asked = part(note, 'Anliegen');
    expect(asked).toContain('wann mein geld im dezember kommt');
    expect(asked).toContain('ich muss doch die miete zahlen');
    // Greetings, the wish for a person and the verification answers are not requests.
    expect(asked).not.toMatch(/mitarbeiter sprechen|ja mache ich|mai|D 1/i);
    expect(asked.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(2);

    const answered = part(note, 'Auskunft');
    expect(answered).toContain(
      'Bot: Ihre nächste Zahlung von 1.013,20 Euro wird am 1. Dezember überwiesen\n',
    );
    expect(answered).toContain('Mitarbeiter/in: Die zahlung geht immer vor dem monatsbeginn raus');
    expect(answered).toContain(
      'Laut Akte: nächste Zahlung am 01.12.2026, 1.013,20 € für Dezember 2026',
    );
    expect(answered).toContain(
      'Quellen: Wann wird das Bürgergeld ausgezahlt? (§ 42 Abs. 1 SGB II)',
    );
    // The bot's formulas (greeting, AI disclosure, prompts) are not answers.
    expect(answered).not.toMatch(/künstliche Intelligenz|Kundennummer|verbinde/);

    expect(part(note, 'Vereinbart / Folgeaufgaben')).toBe(
      'Vereinbart / Folgeaufgaben: Unterlagen: Schicken sie uns bitte den kontoauszug vom november dann prüfen wir das',
    );
    expect(part(note, 'Identität')).toBe(
      'Identität: geprüft durch Bot (Kunden- oder BG-Nummer und Geburtsdatum)',
    );
    expect(disposition).toBe('documents_requested');
  });

  it('never copies a date of birth or a customer number into the note', () => {
    const input = paymentCall();
    // The agent repeats the data, the caller volunteers it again in a sentence with content.
    input.segments = [
      ...input.segments,
      ...call(
        [
          ['agent', 'ihre kundennummer ist 991D10001 und sie sind am 12.05.1980 geboren richtig'],
          ['caller', 'ja genau'],
          ['agent', 'gut dann schauen wir mal'],
          [
            'caller',
            'meine kundennummer ist neun neun eins d eins null null null eins und ich brauche die bescheinigung für die wohngeldstelle',
          ],
          ['agent', 'die bescheinigung für ihren sohn geboren am 3. februar 2016 geht heute raus'],
          ['caller', 'meine pin ist eins zwei drei vier fünf sechs das wollte ich noch sagen'],
        ],
        'call-1',
      ).map((segment, index) => ({ ...segment, startMs: 100_000 + index * 3000 })),
    ];
    const { note } = proposeWrapUp(input);
    for (const forbidden of [
      '991D10001',
      '991 D 10001',
      '10001',
      '12.05.1980',
      '1980',
      '12. mai',
      '99999BG0000017',
      '2016',
      '123456',
    ]) {
      expect(note, forbidden).not.toContain(forbidden);
    }
    // The rest of those sentences stays: what the caller needs is the point of the note.
    expect(part(note, 'Anliegen')).toContain(
      'ich brauche die bescheinigung für die wohngeldstelle',
    );
    expect(note).toContain('[…]');
    // Recent dates and amounts are facts of the call, not identifiers.
    expect(note).toContain('01.12.2026');
  });

  it('marks a sick-note call verified by the agent as a case update, with the documents to send', () => {
    const { note, disposition, intent } = proposeWrapUp({
      segments: call([
        ['agent', 'jobcenter wiesbaden beispiel guten tag'],
        ['caller', 'guten tag ich bin krank und kann morgen nicht zu meinem termin kommen'],
        ['agent', 'wie ist ihre kundennummer und ihr geburtsdatum'],
        [
          'caller',
          'neun neun eins d eins null null null eins dritter märz neunzehnhundertfünfundsiebzig',
        ],
        ['agent', 'danke ich habe sie gefunden'],
        ['caller', 'der arzt hat mich bis zum achtundzwanzigsten november krankgeschrieben'],
        ['agent', 'ich trage die krankmeldung in ihre akte ein der termin morgen entfällt'],
        ['agent', 'reichen sie die arbeitsunfähigkeitsbescheinigung bitte bis freitag bei uns ein'],
        ['caller', 'ja mache ich'],
        ['agent', 'soll ich ihnen einen neuen termin geben'],
        ['caller', 'nein danke ich melde mich wenn ich gesund bin'],
      ]),
      intent: 'sick_note',
      verified: true,
      verifiedBy: 'agent',
      caseContext: context,
      used: [],
      now: NOW,
    });
    expect(intent).toBe('sick_note');
    expect(disposition).toBe('case_updated');
    expect(part(note, 'Anlass')).toBe('Anlass: Krankmeldung');
    const asked = part(note, 'Anliegen');
    expect(asked).toContain('„Ich bin krank und kann morgen nicht zu meinem termin kommen“');
    // The date of the sick note is content; the date of birth after the question is not.
    expect(asked).toContain('bis zum 28. november krankgeschrieben');
    expect(note).not.toMatch(/1975|märz|10001/);
    expect(part(note, 'Auskunft')).toContain(
      'Mitarbeiter/in: Ich trage die krankmeldung in ihre akte ein der termin morgen entfällt',
    );
    const agreed = part(note, 'Vereinbart / Folgeaufgaben');
    expect(agreed).toContain('Unterlagen: Reichen sie die arbeitsunfähigkeitsbescheinigung');
    // The caller declined the offered appointment: not a follow-up.
    expect(agreed).not.toContain('Termin:');
    expect(part(note, 'Identität')).toBe('Identität: geprüft durch Mitarbeiter/in');
    expect(note.split('\n')[0]).toBe('Telefonat am 25.11.2026, 10:30 Uhr');
  });

  it('forwards a crisis the bot handed over with priority, unverified', () => {
    const { note, disposition, intent } = proposeWrapUp({
      segments: call([
        ['bot', PHRASES.greeting],
        ['bot', PHRASES.openQuestion],
        ['caller', 'ich weiß nicht mehr weiter ich will nicht mehr leben'],
        ['bot', `${PHRASES.crisisNumbers} ${PHRASES.connectingUrgent}`],
        ['agent', 'hallo ich bin jetzt für sie da wir reden in ruhe'],
        ['caller', 'seit das geld gekürzt wurde schaffe ich das alles nicht mehr'],
        [
          'agent',
          'ich verbinde sie jetzt mit dem sozialpsychiatrischen dienst die kollegen sind sofort erreichbar',
        ],
      ]),
      handoff: {
        reason: 'crisis',
        priority: true,
        summary: 'Grund: Krise\nAnliegen: unklar\nIdentität: nicht geprüft',
      },
      intent: null,
      verified: false,
      used: [],
      now: NOW,
    });
    expect(intent).toBe('crisis');
    expect(disposition).toBe('forwarded');
    expect(part(note, 'Anlass')).toBe(
      'Anlass: Krisensituation (vom Bot mit Vorrang übergeben: Krise)',
    );
    expect(part(note, 'Anliegen')).toContain(
      '„Seit das geld gekürzt wurde schaffe ich das alles nicht mehr“',
    );
    expect(part(note, 'Vereinbart / Folgeaufgaben')).toContain(
      'Weitergeleitet: Ich verbinde sie jetzt mit dem sozialpsychiatrischen dienst',
    );
    expect(part(note, 'Identität')).toBe('Identität: nicht geprüft');
    expect(note).not.toContain('Laut Akte');
  });

  it('keeps an unverified caller unverified, redacts what they volunteered, and notes the callback', () => {
    const input: WrapUpInput = {
      segments: call([
        ['agent', 'jobcenter guten tag was kann ich für sie tun'],
        [
          'caller',
          'ich habe eine nachzahlung für die heizkosten bekommen und weiß nicht ob das jobcenter die übernimmt',
        ],
        [
          'caller',
          'ich bin am dritten märz neunzehnhundertfünfundsiebzig geboren und meine kundennummer ist neun neun eins d eins null null null zwei',
        ],
        [
          'agent',
          'eine heizkostennachzahlung wird im monat der fälligkeit als bedarf übernommen wenn die kosten angemessen sind',
        ],
        ['agent', 'ich rufe sie morgen vormittag zurück wenn ich die akte geprüft habe'],
        ['caller', 'ja gut danke'],
      ]),
      intent: 'housing_costs',
      verified: false,
      used: [
        {
          title: 'Heizkosten-Nachzahlung',
          source: {
            title: 'Bürgergeld: Kosten der Unterkunft',
            url: 'https://www.arbeitsagentur.de/kdu',
          },
        },
        {
          title: 'Heizkosten-Nachzahlung',
          source: {
            title: 'Bürgergeld: Kosten der Unterkunft',
            url: 'https://www.arbeitsagentur.de/kdu',
          },
        },
      ],
      now: NOW,
    };
    const { note, disposition } = proposeWrapUp(input);
    expect(disposition).toBe('callback_arranged');
    expect(part(note, 'Anlass')).toBe('Anlass: Frage zu den Kosten der Unterkunft');
    expect(part(note, 'Identität')).toBe('Identität: nicht geprüft');
    expect(note).not.toMatch(/1975|10002|991/);
    expect(part(note, 'Anliegen')).toContain('nachzahlung für die heizkosten');
    // The same source used twice is listed once.
    expect(
      part(note, 'Auskunft').endsWith(
        '- Quellen: Heizkosten-Nachzahlung (Bürgergeld: Kosten der Unterkunft)',
      ),
    ).toBe(true);
    expect(part(note, 'Vereinbart / Folgeaufgaben')).toBe(
      'Vereinbart / Folgeaufgaben: Rückruf: Ich rufe sie morgen vormittag zurück wenn ich die akte geprüft habe',
    );
    // Same call, segments in another order, partials mixed in: the same note.
    const shuffled = [...input.segments].reverse();
    shuffled.push({
      ...input.segments[1]!,
      segmentId: 'p',
      text: 'ich habe eine nach',
      final: false,
    });
    expect(proposeWrapUp({ ...input, segments: shuffled }).note).toBe(note);
  });

  it('holds what the bot answered – whole, with its source – and never its menus or prompts', () => {
    // A knowledge answer longer than a line used to be (240 characters).
    const answer =
      'Das Bürgergeld wird monatlich im Voraus gezahlt, in der Regel am letzten Werktag des Vormonats. ' +
      'Wenn der Monatserste auf ein Wochenende oder einen Feiertag fällt, kommt das Geld am Werktag davor. ' +
      'Die Bank braucht danach meist noch einen Tag, bis das Geld auf Ihrem Konto zu sehen ist.';
    const menu = `${PHRASES.keypadMenu.split('. ')[0]}. Drücken Sie die 6 für Unterlagen, die 2 für Ihren Antrag, die 1 für den Zahlungstermin, oder die 0 für einen Mitarbeiter.`;
    const segments = call([
      ['bot', `${PHRASES.greeting} ${PHRASES.openQuestion}`],
      ['caller', 'äh ja also wegen dem'],
      ['bot', PHRASES.reprompt],
      ['caller', 'hm'],
      // A menu composed at run time: not one of the fixed phrases.
      ['bot', menu],
      ['bot', `${answer} ${PHRASES.anythingElse}`],
      ['bot', PHRASES.connecting],
      ['agent', 'guten tag hier ist frau beispiel vom jobcenter'],
    ]).map((segment): TranscriptSegment => {
      if (segment.speaker !== 'bot') return segment;
      return segment.text.startsWith(answer)
        ? { ...segment, answer: { text: answer, source: '§ 42 Abs. 1 SGB II' } }
        : { ...segment, answer: null };
    });
    const handoff: Handoff = {
      reason: 'human_request',
      priority: false,
      summary:
        'Grund: Wunsch nach einer Person\nAnliegen: Zahlungstermin\nIdentität: nicht geprüft\n' +
        `Bot zuletzt: „${menu.slice(0, 200)}“`,
    };
    const input: WrapUpInput = {
      segments,
      handoff,
      intent: 'payment_date',
      verified: false,
      used: [],
      now: NOW,
    };
    const answered = part(proposeWrapUp(input).note, 'Auskunft');
    expect(answered).toBe(`Auskunft:\n- Bot: ${answer} (Quelle: § 42 Abs. 1 SGB II)`);

    // An older transcript without the bot's marks: its phrases and any menu are recognised.
    const unmarked = segments.map(({ answer: _answer, ...segment }) => segment);
    const legacy = part(proposeWrapUp({ ...input, segments: unmarked }).note, 'Auskunft');
    expect(legacy).not.toMatch(/Drücken|Tasten|die \d|…|Kann ich sonst/);
    expect(legacy).toContain('Bot: Das Bürgergeld wird monatlich im Voraus gezahlt');
    expect(legacy).toContain('bis das Geld auf Ihrem Konto zu sehen ist');

    // Nothing answered: nothing from the handoff's "Bot zuletzt" either.
    const none = proposeWrapUp({
      ...input,
      segments: segments.filter((s) => !s.answer),
    });
    expect(part(none.note, 'Auskunft')).toBe('Auskunft:\n- keine Auskunft festgehalten');
  });

  it('stays within 4000 characters on a very long call and keeps every part', () => {
    const turns: [TranscriptSegment['speaker'], string][] = [];
    for (let i = 0; i < 80; i++) {
      turns.push([
        'caller',
        `frage nummer ${i} zu meinem weiterbewilligungsantrag ${'und den unterlagen dazu '.repeat(12)}`,
      ]);
      turns.push([
        'agent',
        `antwort ${i} zum weiterbewilligungsantrag ${'die unterlagen gehen an das team '.repeat(12)}`,
      ]);
    }
    turns.push(['agent', 'schicken sie uns die lohnabrechnung bis zum monatsende']);
    const { note, disposition } = proposeWrapUp({
      segments: call(turns),
      intent: 'continuation_application',
      verified: false,
      used: Array.from({ length: 40 }, (_, i) => ({
        title: `Artikel ${i} ${'x'.repeat(100)}`,
        source: { url: `https://example.invalid/${i}` },
      })),
      now: NOW,
    });
    expect(note.length).toBeLessThanOrEqual(MAX_NOTE_LENGTH);
    expect(note.length).toBeGreaterThan(2000);
    expect(part(note, 'Vereinbart / Folgeaufgaben')).toContain('lohnabrechnung');
    expect(part(note, 'Identität')).toBe('Identität: nicht geprüft');
    expect(disposition).toBe('documents_requested');
  });

  it('says so when nothing was said, and labels every intent of the catalogue in German', () => {
    const { note, disposition, intent } = proposeWrapUp({
      segments: [],
      intent: null,
      verified: false,
      used: [],
      now: NOW,
    });
    expect(intent).toBeNull();
    expect(disposition).toBe('other');
    expect(note).toContain('Anlass: Anliegen nicht eingeordnet');
    expect(note).toContain('Anliegen:\n- nicht festgehalten');
    expect(note).toContain('Auskunft:\n- keine Auskunft festgehalten');
    expect(note).toContain('Vereinbart / Folgeaufgaben: keine');

    for (const name of INTENT_NAMES) {
      expect(INTENT_LABELS[name].occasion).toMatch(/^[A-ZÄÖÜ][a-zäöüß]/);
      const proposed = proposeWrapUp({
        segments: [],
        intent: name,
        verified: false,
        used: [],
        now: NOW,
      });
      expect(proposed.note).toContain(`Anlass: ${INTENT_LABELS[name].occasion}`);
    }
  });
});
