import { describe, expect, it } from 'vitest';
import { parseEuroAmount, parseEuroCents } from '../../../../../electron/engine/nlu/german-amounts';
import { parseGermanDate, parseIsoDate } from '../../../../../electron/engine/nlu/german-dates';
import {
  foldGermanWord,
  parseCardinal,
  parseCardinalWord,
  parseOrdinalWord,
} from '../../../../../electron/engine/nlu/german-numbers';
import { normalizeNumbers } from '../../../../../electron/engine/nlu/normalize-numbers';
import { parseSpokenDigits } from '../../../../../electron/engine/nlu/spoken-digits';

/** A fixed "today" so two-digit years expand the same way every year. */
const today = new Date('2025-06-01T12:00:00Z');

describe('foldGermanWord', () => {
  it.each([
    ['Fünf', 'fuenf'],
    ['ZWÖLF', 'zwoelf'],
    ['dreißig', 'dreissig'],
    ['März', 'maerz'],
    ['fuenf', 'fuenf'],
  ])('%s → %s', (word, folded) => expect(foldGermanWord(word)).toBe(folded));
});

describe('parseCardinal', () => {
  it.each<[string, number]>([
    ['null', 0],
    ['eins', 1],
    ['zwei', 2],
    ['zwo', 2],
    ['drei', 3],
    ['fünf', 5],
    ['fuenf', 5],
    ['sieben', 7],
    ['zehn', 10],
    ['elf', 11],
    ['zwölf', 12],
    ['zwoelf', 12],
    ['sechzehn', 16],
    ['siebzehn', 17],
    ['achtzehn', 18],
    ['neunzehn', 19],
    ['zwanzig', 20],
    ['einundzwanzig', 21],
    ['dreiundzwanzig', 23],
    ['dreißig', 30],
    ['dreissig', 30],
    ['sechsundsechzig', 66],
    ['siebzig', 70],
    ['siebenundsiebzig', 77],
    ['neunundneunzig', 99],
    ['hundert', 100],
    ['einhundert', 100],
    ['hunderteins', 101],
    ['hundertzwei', 102],
    ['zweihundertzwölf', 212],
    ['fünfhundertdreiundsechzig', 563],
    ['fuenfhundertdreiundsechzig', 563],
    ['tausend', 1000],
    ['eintausend', 1000],
    ['elfhundert', 1100],
    ['neunzehnhundertachtzig', 1980],
    ['neunzehnhundertneunundneunzig', 1999],
    ['zweitausend', 2000],
    ['zweitausendeins', 2001],
    ['zweitausendvierundzwanzig', 2024],
    ['zweihunderttausend', 200_000],
    ['neunhundertneunundneunzigtausendneunhundertneunundneunzig', 999_999],
    ['eine Million', 1_000_000],
    ['eine million', 1_000_000],
    ['zwei Millionen dreihunderttausend', 2_300_000],
    ['zwei tausend vierundzwanzig', 2024],
    ['drei und zwanzig', 23],
    ['neunzehnhundert achtzig', 1980],
    ['FÜNF', 5],
    ['42', 42],
  ])('%s → %d', (text, value) => expect(parseCardinal(text)).toBe(value));

  it.each([
    'ein',
    'eine',
    'einen',
    'eine millionen',
    'zwei million',
    'millionen',
    'dreizehnzehn',
    'zwanzigdrei',
    'undzwanzig',
    'nullacht',
    'einsundzwanzig',
    'hallo',
    '',
    'fünf euro',
  ])('%j is not one cardinal', (text) => expect(parseCardinal(text)).toBeUndefined());

  it('reads single words', () => {
    expect(parseCardinalWord('dreiundzwanzig')).toBe(23);
    expect(parseCardinalWord('drei und zwanzig')).toBeUndefined();
  });
});

describe('parseOrdinalWord', () => {
  it.each<[string, number]>([
    ['erster', 1],
    ['ersten', 1],
    ['erste', 1],
    ['erstes', 1],
    ['zweiter', 2],
    ['zweiten', 2],
    ['dritte', 3],
    ['dritten', 3],
    ['vierten', 4],
    ['fünften', 5],
    ['fuenften', 5],
    ['sechsten', 6],
    ['siebten', 7],
    ['siebenten', 7],
    ['achten', 8],
    ['neunten', 9],
    ['zehnten', 10],
    ['elften', 11],
    ['zwölften', 12],
    ['zwoelften', 12],
    ['neunzehnten', 19],
    ['zwanzigsten', 20],
    ['einundzwanzigster', 21],
    ['zweiundzwanzigster', 22],
    ['zweiundzwanzigsten', 22],
    ['dreißigsten', 30],
    ['dreissigster', 30],
    ['einunddreißigsten', 31],
    ['hundertsten', 100],
    ['hundertersten', 101],
  ])('%s → %d', (word, value) => expect(parseOrdinalWord(word)).toBe(value));

  it.each(['beste', 'mitte', 'gestern', 'zwei', 'acht', 'konto', 'ersatz'])(
    '%s is not an ordinal',
    (word) => expect(parseOrdinalWord(word)).toBeUndefined(),
  );
});

describe('parseSpokenDigits', () => {
  it.each<[string, string]>([
    ['eins zwei drei vier', '1234'],
    ['null acht neun', '089'],
    ['zwo eins', '21'],
    ['null eins sieben zwo', '0172'],
    ['doppel null sieben', '007'],
    ['doppelnull sieben', '007'],
    ['zweimal null eins', '001'],
    ['zwei mal null eins', '001'],
    ['dreimal neun', '999'],
    ['zwölf vierunddreißig', '1234'],
    ['zwoelf vierunddreissig', '1234'],
    ['eins zwei äh drei', '123'],
    ['fünf fünf fuenf', '555'],
    ['neun', '9'],
  ])('%s → %s', (text, digits) => expect(parseSpokenDigits(text)).toBe(digits));

  it.each(['', 'eins zwei hallo', 'meine nummer', 'ersten'])('%j → undefined', (text) =>
    expect(parseSpokenDigits(text)).toBeUndefined(),
  );
});

describe('parseGermanDate', () => {
  it.each<[string, { day: number; month: number; year?: number; iso?: string }]>([
    ['zweiundzwanzigster März', { day: 22, month: 3 }],
    ['zweiundzwanzigster maerz', { day: 22, month: 3 }],
    ['am dreißigsten november', { day: 30, month: 11 }],
    ['am ersten dritten', { day: 1, month: 3 }],
    [
      'am ersten dritten neunzehnhundertachtzig',
      { day: 1, month: 3, year: 1980, iso: '1980-03-01' },
    ],
    ['der dritte Mai zweitausendeins', { day: 3, month: 5, year: 2001, iso: '2001-05-03' }],
    [
      'zweiundzwanzigster dritter neunzehn achtzig',
      { day: 22, month: 3, year: 1980, iso: '1980-03-22' },
    ],
    [
      'zweiundzwanzig drei neunzehnhundertachtzig',
      { day: 22, month: 3, year: 1980, iso: '1980-03-22' },
    ],
    ['geboren am zwölften zwölften achtzig', { day: 12, month: 12, year: 1980, iso: '1980-12-12' }],
    ['22.03.1980', { day: 22, month: 3, year: 1980, iso: '1980-03-22' }],
    ['22.3.80', { day: 22, month: 3, year: 1980, iso: '1980-03-22' }],
    ['1.1.05', { day: 1, month: 1, year: 2005, iso: '2005-01-01' }],
    ['22. März 1980', { day: 22, month: 3, year: 1980, iso: '1980-03-22' }],
    ['am 22. märz', { day: 22, month: 3 }],
    ['22.03.', { day: 22, month: 3 }],
    ['neunundzwanzigster februar', { day: 29, month: 2 }],
    ['29.02.2024', { day: 29, month: 2, year: 2024, iso: '2024-02-29' }],
    ['am ersten jänner zweitausendzehn', { day: 1, month: 1, year: 2010, iso: '2010-01-01' }],
  ])('%s', (text, expected) => expect(parseGermanDate(text, { today })).toEqual(expected));

  it.each([
    '',
    'hallo',
    'neunzehnhundertachtzig',
    'eins drei',
    '31. April 1980',
    'einunddreißigster april',
    '29.02.2023',
    '32.01.2000',
    'dreizehnter dreizehnter',
  ])('%j is no date', (text) => expect(parseGermanDate(text, { today })).toBeUndefined());

  it('gives the ISO date only when complete', () => {
    expect(parseIsoDate('am ersten dritten neunzehnhundertachtzig', { today })).toBe('1980-03-01');
    expect(parseIsoDate('zweiundzwanzigster März', { today })).toBeUndefined();
  });
});

describe('parseEuroAmount', () => {
  it.each<[string, number]>([
    ['fünfhundertdreiundsechzig Euro zwanzig', 563.2],
    ['fuenfhundertdreiundsechzig euro zwanzig', 563.2],
    ['fünfhundertdreiundsechzig euro', 563],
    ['zwanzig euro und fünf cent', 20.05],
    ['zwanzig euro fünf', 20.05],
    ['neunzig cent', 0.9],
    ['fünf komma fünfzig', 5.5],
    ['fünf komma null fünf euro', 5.05],
    ['einen euro', 1],
    ['es sind zweitausend euro', 2000],
    ['563,20 €', 563.2],
    ['563,20 euro', 563.2],
    ['1.234,56 euro', 1234.56],
    ['563 €', 563],
  ])('%s → %d', (text, value) => expect(parseEuroAmount(text)).toBe(value));

  it('counts exact cents', () => {
    expect(parseEuroCents('fünfhundertdreiundsechzig euro zwanzig')).toBe(56320);
  });

  it.each(['', 'kein geld', 'fünf', 'fünf komma'])('%j → undefined', (text) =>
    expect(parseEuroAmount(text)).toBeUndefined(),
  );
});

describe('normalizeNumbers', () => {
  it.each<[string, string]>([
    ['meine kundennummer ist eins zwei drei vier fünf', 'meine kundennummer ist 12345'],
    ['meine kundennummer ist eins zwei drei vier fuenf', 'meine kundennummer ist 12345'],
    ['die vorwahl ist null acht neun', 'die vorwahl ist 089'],
    ['null eins sieben zwo doppel null drei', '0172003'],
    ['zwölf vierunddreißig sechsundfünfzig', '123456'],
    ['ich habe eine frage zu meinem bescheid', 'ich habe eine frage zu meinem bescheid'],
    ['ich habe zwei kinder und drei enkel', 'ich habe 2 kinder und 3 enkel'],
    ['es geht um fünfhundertdreiundsechzig euro zwanzig', 'es geht um 563 euro 20'],
    ['geboren neunzehnhundertachtzig', 'geboren 1980'],
    ['geboren am ersten dritten neunzehnhundertachtzig', 'geboren am 1. 3. 1980'],
    ['am zweiundzwanzigsten märz', 'am 22. märz'],
    ['der dritte mai zweitausendeins', 'der 3. mai 2001'],
    ['zum ersten mal', 'zum ersten mal'],
    ['bitte achten sie darauf', 'bitte achten sie darauf'],
    ['eine million', '1000000'],
    ['zwei tausend vierundzwanzig', '2024'],
    ['seit siebzehn tagen', 'seit 17 tagen'],
    ['siebenundsiebzig', '77'],
    ['dreißig oder dreissig', '30 oder 30'],
    ['zweitausend drei', '2003'],
    ['neunzehnhundertachtzig zwei', '1980 2'],
    ['zwei neunzehnhundertachtzig', '2 1980'],
    ['hallo', 'hallo'],
    ['', ''],
  ])('%j → %j', (text, expected) => expect(normalizeNumbers(text)).toBe(expected));
});
