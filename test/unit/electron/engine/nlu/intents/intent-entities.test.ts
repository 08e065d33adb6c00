import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../../../../electron/engine/nlu/intents/intent-entities';

const today = new Date('2025-06-01T12:00:00Z');
const read = (text: string) => extractEntities(text, today);

describe('extractEntities', () => {
  it.each([
    ['Meine Kundennummer ist 123D456789.', '123D456789'],
    ['kundennummer 123 d 456 789', '123D456789'],
    ['eins zwei drei de vier fünf sechs sieben acht neun', '123D456789'],
    ['eins zwei drei d wie dora vier fünf sechs sieben acht neun', '123D456789'],
    ['zwölf drei be vier fünf sechs sieben acht neun', '123B456789'],
  ])('customer number in %j', (text, number) => expect(read(text).customerNumber).toBe(number));

  it.each([
    ['BG-Nummer 12345BG0012345', '12345BG0012345'],
    ['12345 BG 0012345', '12345BG0012345'],
    ['eins zwei drei vier fünf be ge null null eins zwei drei vier fünf', '12345BG0012345'],
  ])('household (BG) number in %j', (text, number) => expect(read(text).bgNumber).toBe(number));

  it('does not take a customer number for a date', () => {
    const entities = read('eins zwei drei de vier fünf sechs sieben acht neun');
    expect(entities.date).toBeUndefined();
    expect(entities.dateOfBirth).toBeUndefined();
  });

  it.each([
    ['geboren am 22.03.1980.', '1980-03-22'],
    ['mein geburtsdatum ist der erste dritte neunzehnhundertachtzig', '1980-03-01'],
    ['zweiundzwanzigster märz neunzehnhundertachtzig', '1980-03-22'],
  ])('date of birth in %j', (text, iso) => expect(read(text).dateOfBirth?.iso).toBe(iso));

  it('keeps a date without year as a date, not a birth date', () => {
    const entities = read('mein termin ist am fünfzehnten märz');
    expect(entities.date).toMatchObject({ day: 15, month: 3 });
    expect(entities.dateOfBirth).toBeUndefined();
  });

  it('reads customer number and date of birth from one turn', () => {
    const entities = read(
      'ich bin am zweiundzwanzigsten märz neunzehnhundertachtzig geboren und meine kundennummer ist eins zwei drei d vier fünf sechs sieben acht neun',
    );
    expect(entities.customerNumber).toBe('123D456789');
    expect(entities.dateOfBirth?.iso).toBe('1980-03-22');
  });

  it.each([
    ['Im Bescheid stehen 563,20 €.', 563.2],
    ['mir fehlen zweihundert euro', 200],
    ['fünfhundertdreiundsechzig euro zwanzig', 563.2],
  ])('amount in %j', (text, amount) => expect(read(text).amountEuro).toBe(amount));

  it('reads spoken digit strings as digits, keeping leading zeros, and not as a date', () => {
    const entities = read('null eins sieben zwei drei vier fünf sechs');
    expect(entities.spokenDigits).toBe('01723456');
    expect(entities.date).toBeUndefined();
    expect(entities.dateOfBirth).toBeUndefined();
  });

  it('lists digit runs inside a sentence', () => {
    expect(read('meine pin ist vier sieben eins eins').digitStrings).toEqual(['4711']);
  });

  it('finds nothing in empty or odd text and does not throw', () => {
    expect(read('')).toEqual({});
    expect(() => read('€€€ ,,, ... 12.13.14.15 '.repeat(500))).not.toThrow();
  });
});
