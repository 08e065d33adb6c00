import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../../../electron/engine/voice/sentence-splitter';

describe('splitSentences', () => {
  it.each<[string, string[]]>([
    [
      'Ihre nächste Zahlung kommt am 30. November. Der Betrag ist 563 Euro.',
      ['Ihre nächste Zahlung kommt am 30. November.', 'Der Betrag ist 563 Euro.'],
    ],
    [
      'Bringen Sie z. B. Ihren Ausweis mit. Danke.',
      ['Bringen Sie z. B. Ihren Ausweis mit.', 'Danke.'],
    ],
    [
      'Bringen Sie z.B. Ihren Ausweis mit. Danke.',
      ['Bringen Sie z.B. Ihren Ausweis mit.', 'Danke.'],
    ],
    [
      'Das steht in § 42 Abs. 1 SGB II. Fragen Sie gern nach.',
      ['Das steht in § 42 Abs. 1 SGB II.', 'Fragen Sie gern nach.'],
    ],
    ['Ihre Nr. 12345 ist notiert. Weiter.', ['Ihre Nr. 12345 ist notiert.', 'Weiter.']],
    ['Es dauert ca. 3 Wochen. Bitte warten Sie.', ['Es dauert ca. 3 Wochen.', 'Bitte warten Sie.']],
    [
      'Ihr Termin ist am 22.03.2025. Bitte kommen Sie pünktlich.',
      ['Ihr Termin ist am 22.03.2025.', 'Bitte kommen Sie pünktlich.'],
    ],
    ['Frau Dr. Müller ruft zurück. Bis dann!', ['Frau Dr. Müller ruft zurück.', 'Bis dann!']],
    ['Am 22. März 2025 ist es so weit. Gut?', ['Am 22. März 2025 ist es so weit.', 'Gut?']],
    [
      'Das ist die 2. Rate für Mai. Sie kommt bald.',
      ['Das ist die 2. Rate für Mai.', 'Sie kommt bald.'],
    ],
    ['Das gilt ab dem 1. Januar. Danke.', ['Das gilt ab dem 1. Januar.', 'Danke.']],
    [
      'Der Betrag ist 563 Euro. 20 Euro kommen später.',
      ['Der Betrag ist 563 Euro.', '20 Euro kommen später.'],
    ],
    ['Ihre Kundennummer ist 12345. Stimmt das?', ['Ihre Kundennummer ist 12345.', 'Stimmt das?']],
    ['Wirklich? Ja! Gut.', ['Wirklich?', 'Ja!', 'Gut.']],
    ['Er sagte: „Ich komme.“ Dann ging er.', ['Er sagte: „Ich komme.“', 'Dann ging er.']],
    [
      'Bitte bringen Sie Pässe, Briefe usw. Dann geht es schneller.',
      ['Bitte bringen Sie Pässe, Briefe usw.', 'Dann geht es schneller.'],
    ],
    ['Mo. bis Fr. von 8 bis 12 Uhr.', ['Mo. bis Fr. von 8 bis 12 Uhr.']],
    ['Das heißt d. h. nichts. Weiter geht es.', ['Das heißt d. h. nichts.', 'Weiter geht es.']],
    ['Der Wert ist 3.5 Prozent. Gut.', ['Der Wert ist 3.5 Prozent.', 'Gut.']],
    ['Kein Punkt am Ende', ['Kein Punkt am Ende']],
    ['Erster Absatz\n\nZweiter Absatz', ['Erster Absatz', 'Zweiter Absatz']],
    ['Warten Sie ... Ich schaue nach.', ['Warten Sie ...', 'Ich schaue nach.']],
    ['  Viel   Leerraum.\n Hier.  ', ['Viel Leerraum.', 'Hier.']],
    ['', []],
    ['   \n ', []],
  ])('%j', (text, expected) => expect(splitSentences(text)).toEqual(expected));

  it('cuts a long sentence at clause marks, then at spaces, never above the limit', () => {
    const clause = 'und dann müssen Sie noch den Antrag auf Weiterbewilligung ausfüllen';
    const long = `Zuerst ${Array.from({ length: 12 }, () => clause).join(', ')}.`;
    const pieces = splitSentences(long, { maxChars: 120 });
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(120);
    expect(pieces.slice(0, -1).every((piece) => piece.endsWith(','))).toBe(true);
    expect(pieces.join(' ')).toBe(long);

    const noCommas = 'Wort '.repeat(100).trim();
    const cut = splitSentences(noCommas, { maxChars: 50 });
    for (const piece of cut) expect(piece.length).toBeLessThanOrEqual(50);
    expect(cut.join(' ')).toBe(noCommas);

    const oneToken = 'x'.repeat(130);
    expect(splitSentences(oneToken, { maxChars: 50 }).join('')).toBe(oneToken);
  });

  it('rejects a useless limit', () => {
    expect(() => splitSentences('Hallo.', { maxChars: 5 })).toThrow(RangeError);
  });
});
