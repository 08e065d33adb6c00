/**
 * Dates as callers say them and recognisers write them: "zweiundzwanzigster
 * März", "am ersten dritten neunzehnhundertachtzig", "der dritte Mai
 * zweitausendeins", "zweiundzwanzigster dritter neunzehn achtzig", and the
 * written forms "22.03.1980", "22. März 1980", "22.3.80".
 *
 * Verification asks for the date of birth, so a date without a year is still
 * useful (the dialogue asks for the year next): the parts found are returned,
 * and an ISO date only when day, month and year are all there and valid.
 */
import { monthOfWord } from './german-numbers';
import { tokenizeNumbers, type NumberToken } from './number-tokens';

export interface GermanDateParts {
  day: number;
  month: number;
  /** Four digits; two-digit years are expanded (see `ParseDateOptions.today`). */
  year?: number;
  /** YYYY-MM-DD, present only with a year. */
  iso?: string;
}

export interface ParseDateOptions {
  /**
   * Two-digit years ("achtzig", "22.3.80") are taken as the latest year not
   * after this date's year: 80 → 1980, 05 → 2005 (in 2025). Default: now.
   */
  today?: Date;
}

/**
 * The first date in `text`, or undefined. Day and month are required; the
 * year is optional. Impossible dates ("31. April", "29.02.2023") give
 * undefined.
 */
export function parseGermanDate(
  text: string,
  options: ParseDateOptions = {},
): GermanDateParts | undefined {
  const currentYear = (options.today ?? new Date()).getFullYear();
  const tokens = tokenizeNumbers(text);
  for (let i = 0; i < tokens.length; i++) {
    const found = dateAt(tokens, i, currentYear);
    if (found) return found;
  }
  return undefined;
}

/** Like `parseGermanDate`, but only the ISO date (YYYY-MM-DD) of a complete date. */
export function parseIsoDate(text: string, options: ParseDateOptions = {}): string | undefined {
  return parseGermanDate(text, options)?.iso;
}

function dateAt(
  tokens: NumberToken[],
  at: number,
  currentYear: number,
): GermanDateParts | undefined {
  const token = tokens[at];
  if (!token) return undefined;
  // Written all in one: 22.03.1980, 22.3.80, 22.03.
  if (token.kind === 'numeral') {
    const written = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?$/.exec(token.text);
    if (written) {
      const day = Number(written[1]);
      const month = Number(written[2]);
      if (written[3])
        return build(day, month, expandYear(Number(written[3]), written[3].length, currentYear));
      const year = yearAt(tokens, at + 1, currentYear);
      return build(day, month, year?.year);
    }
  }
  const day = dayOf(token);
  if (day === undefined) return undefined;
  const monthToken = tokens[at + 1];
  const month = monthOf(monthToken, token.kind === 'cardinal');
  if (month === undefined) return undefined;
  const year = yearAt(tokens, at + 2, currentYear);
  // "erster dritter" alone is plausible; "eins drei" is not a date without a year.
  if (token.kind === 'cardinal' && monthToken?.kind === 'cardinal' && !year) return undefined;
  return build(day, month, year?.year);
}

/** A day: ordinal word, "22." or a cardinal 1–31. */
function dayOf(token: NumberToken): number | undefined {
  let value: number | undefined;
  if (token.kind === 'ordinal' || token.kind === 'cardinal') value = token.value;
  if (token.kind === 'numeral' && /^\d{1,2}\.?$/.test(token.text))
    value = Number(token.text.replace('.', ''));
  if (token.kind === 'cardinal' && token.digits.length > 2) return undefined;
  return value !== undefined && value >= 1 && value <= 31 ? value : undefined;
}

/** A month: a name, an ordinal ("dritten"), "3." or (after a cardinal day) a cardinal. */
function monthOf(token: NumberToken | undefined, dayWasCardinal: boolean): number | undefined {
  if (!token) return undefined;
  let value: number | undefined;
  if (token.kind === 'word') value = monthOfWord(token.text);
  if (token.kind === 'ordinal') value = token.value;
  if (token.kind === 'numeral' && /^\d{1,2}\.$/.test(token.text))
    value = Number(token.text.slice(0, -1));
  if (token.kind === 'cardinal' && dayWasCardinal && token.digits.length <= 2) value = token.value;
  return value !== undefined && value >= 1 && value <= 12 ? value : undefined;
}

/** A year at `at`: 1980, "neunzehnhundertachtzig", "neunzehn achtzig", "achtzig", "80". */
function yearAt(
  tokens: NumberToken[],
  at: number,
  currentYear: number,
): { year: number; end: number } | undefined {
  const token = tokens[at];
  if (!token) return undefined;
  if (token.kind === 'numeral' && /^(\d{4}|\d{2})\.?$/.test(token.text)) {
    const digits = token.text.replace('.', '');
    return { year: expandYear(Number(digits), digits.length, currentYear), end: at + 1 };
  }
  if (token.kind !== 'cardinal') return undefined;
  const next = tokens[at + 1];
  // "neunzehn achtzig", "zwanzig vierundzwanzig": century and year said apart.
  if (token.value >= 10 && token.value <= 20 && next?.kind === 'cardinal' && next.value < 100) {
    return { year: token.value * 100 + next.value, end: at + 2 };
  }
  if (token.value >= 1000 && token.value <= 2999) return { year: token.value, end: at + 1 };
  if (token.value < 100 && token.digits.length <= 2) {
    return { year: expandYear(token.value, 2, currentYear), end: at + 1 };
  }
  return undefined;
}

function expandYear(year: number, digits: number, currentYear: number): number {
  if (digits > 2) return year;
  const century = Math.floor(currentYear / 100) * 100;
  return century + year > currentYear ? century - 100 + year : century + year;
}

function build(day: number, month: number, year: number | undefined): GermanDateParts | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  // Without a year, 29 February is allowed (the year may be a leap year).
  const days = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  if (day > days) return undefined;
  if (year === undefined) return { day, month };
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { day, month, year, iso };
}
