/**
 * The facts a caller's utterance carries, beyond its intent: identification
 * numbers for verification, the date of birth, dates, amounts, and any digit
 * string said number by number.
 *
 * Number formats assumed (fictitious examples; the real systems are the
 * source of truth and the formats live here in one place):
 * - Kundennummer (customer number): 3 digits, one letter, 5 or 6 digits, e.g.
 *   "123D456789" or the demo data's "990D10001" (the case store accepts both). Spoken "eins zwei drei de vier fünf …"; the letter may be
 *   said by its German name ("de", "be") or spelled ("D wie Dora").
 * - BG-Nummer (Bedarfsgemeinschaftsnummer, household number): 5 digits,
 *   "BG", 7 digits, e.g. "12345BG0012345"; spoken "… be ge null null …".
 *
 * Numbers said as words become digits through the shared normaliser
 * (`normalizeNumbers`), the same one the transcript uses, so what the agent
 * sees and what the bot understood agree.
 *
 * Verification (§ 35 SGB I) needs the date of birth: a date is taken as one
 * when the caller says so ("geboren", "Geburtsdatum") or when its year makes
 * it one (at least 14 years ago: no appointment or payment date is that old).
 */
import { parseEuroAmount } from '../german-amounts';
import { parseGermanDate, type GermanDateParts } from '../german-dates';
import { normalizeNumbers } from '../normalize-numbers';
import { parseSpokenDigits } from '../spoken-digits';
import { foldText } from './intent-text';

export interface IntentEntities {
  /** Kundennummer, normalised "123D456789". */
  customerNumber?: string;
  /** Bedarfsgemeinschaftsnummer, normalised "12345BG0012345". */
  bgNumber?: string;
  dateOfBirth?: GermanDateParts;
  /** The first date said that is not the date of birth. */
  date?: GermanDateParts;
  /** An amount of money in euros (563.2). */
  amountEuro?: number;
  /** The whole utterance read as a digit string, when it is nothing else ("null acht neun" → "089"). */
  spokenDigits?: string;
  /** Every run of three or more digits in the utterance, numbers as words written as digits. */
  digitStrings?: string[];
}

/** Entities are read from this much text: an ID or date said after 2,000 characters is not a turn. */
export const MAX_ENTITY_CHARS = 2000;

/** German letter names as said and as recognisers write them. */
const LETTER_NAMES: ReadonlyMap<string, string> = new Map([
  ['a', 'A'],
  ['ah', 'A'],
  ['b', 'B'],
  ['be', 'B'],
  ['beh', 'B'],
  ['c', 'C'],
  ['ce', 'C'],
  ['tse', 'C'],
  ['d', 'D'],
  ['de', 'D'],
  ['dee', 'D'],
  ['deh', 'D'],
  ['e', 'E'],
  ['eh', 'E'],
  ['f', 'F'],
  ['ef', 'F'],
  ['eff', 'F'],
  ['g', 'G'],
  ['ge', 'G'],
  ['geh', 'G'],
  ['h', 'H'],
  ['ha', 'H'],
  ['i', 'I'],
  ['j', 'J'],
  ['jot', 'J'],
  ['k', 'K'],
  ['ka', 'K'],
  ['l', 'L'],
  ['el', 'L'],
  ['m', 'M'],
  ['em', 'M'],
  ['n', 'N'],
  ['en', 'N'],
  ['o', 'O'],
  ['p', 'P'],
  ['pe', 'P'],
  ['q', 'Q'],
  ['ku', 'Q'],
  ['r', 'R'],
  ['er', 'R'],
  ['s', 'S'],
  ['es', 'S'],
  ['t', 'T'],
  ['te', 'T'],
  ['u', 'U'],
  ['v', 'V'],
  ['vau', 'V'],
  ['w', 'W'],
  ['we', 'W'],
  ['x', 'X'],
  ['ix', 'X'],
  ['y', 'Y'],
  ['ypsilon', 'Y'],
  ['z', 'Z'],
  ['zet', 'Z'],
  ['zett', 'Z'],
  // The German spelling alphabet for the letters job-centre numbers use most.
  ['dora', 'D'],
  ['berta', 'B'],
  ['gustav', 'G'],
  ['anton', 'A'],
  ['emil', 'E'],
]);

const LETTER_WORD = [...LETTER_NAMES.keys()].sort((a, b) => b.length - a.length).join('|');
/** "de", "d wie dora", "dora". */
const LETTER = `(${LETTER_WORD})(?: wie \\w+)?`;
const CUSTOMER_NUMBER = new RegExp(`(?:^| )(\\d{3}) ?${LETTER} ?(\\d{5,6})(?= |$)`);
const BG_NUMBER = new RegExp(
  `(?:^| )(\\d{5}) ?(?:bg|b g|be ge|beh geh|be geh|bege|b ge|be g|berta gustav) ?(\\d{7})(?= |$)`,
);
const BIRTH_WORDS = /\b(?:geboren|geburtsdatum|geburtstag|geb)\b/;

export function extractEntities(text: string, today: Date = new Date()): IntentEntities {
  const entities: IntentEntities = {};
  const source = text.slice(0, MAX_ENTITY_CHARS);
  let numeric: string;
  try {
    numeric = normalizeNumbers(source);
  } catch {
    numeric = source;
  }
  // Digits that belong together ("123 456", "12 34") are one group for IDs;
  // date and amount parsers get the text with its punctuation.
  let ids = ` ${foldText(numeric)
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/(\d) (?=\d)/g, '$1')
    .trim()} `;
  const bg = BG_NUMBER.exec(ids);
  if (bg) {
    entities.bgNumber = `${bg[1]}BG${bg[2]}`;
    ids = ids.replace(bg[0], ' ');
  }
  const customer = CUSTOMER_NUMBER.exec(ids);
  const letter = customer?.[2] ? LETTER_NAMES.get(customer[2]) : undefined;
  if (customer && letter) entities.customerNumber = `${customer[1]}${letter}${customer[3]}`;

  const spoken = safely(() => parseSpokenDigits(source));
  if (spoken !== undefined && spoken.length >= 3) entities.spokenDigits = spoken;
  const datesText = withoutIds(source, entities);
  // A string of cardinals only ("null eins sieben zwei …") is a phone number
  // or PIN, not a date: dates are said with ordinals or written with dots.
  const digitsOnly = entities.spokenDigits !== undefined && !/[./]/.test(source);
  const found = digitsOnly
    ? undefined
    : safely(() => parseGermanDate(cleanDateText(datesText), { today }));
  if (found) {
    const folded = foldText(datesText);
    const saidBirth = BIRTH_WORDS.test(folded);
    const oldEnough = found.year !== undefined && found.year <= today.getFullYear() - 14;
    if (saidBirth || oldEnough) entities.dateOfBirth = found;
    else entities.date = found;
  }
  const amount = safely(() => parseEuroAmount(datesText));
  if (amount !== undefined) entities.amountEuro = amount;
  const runs = numeric.match(/\d[\d ]*\d|\d/g)?.map((run) => run.replace(/ /g, '')) ?? [];
  const digitStrings = runs.filter((run) => run.length >= 3);
  if (digitStrings.length > 0) entities.digitStrings = digitStrings;
  return entities;
}

/** The text with the recognised ID numbers' words removed, so their digits are not read as a date. */
function withoutIds(source: string, entities: IntentEntities): string {
  if (!entities.customerNumber && !entities.bgNumber) return source;
  let numeric: string;
  try {
    numeric = normalizeNumbers(source);
  } catch {
    return source;
  }
  return numeric
    .replace(/\d{5} ?(?:bg|b g|be ge|beh geh|be geh)? ?\d{7}/gi, ' ')
    .replace(/\b\d{3} ?[a-z]{1,7}(?: wie \w+)? ?\d{6}\b/gi, ' ')
    .replace(/\b\d{3}[a-z]\d{6}\b/gi, ' ')
    .replace(/\b\d{5}bg\d{7}\b/gi, ' ');
}

/** A sentence's final full stop after a written date ("… 22.03.1980.") is not part of the date. */
function cleanDateText(text: string): string {
  return text.replace(/(\d{1,2}\.\d{1,2}\.\d{2,4})\.(?=\s|$)/g, '$1');
}

function safely<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
