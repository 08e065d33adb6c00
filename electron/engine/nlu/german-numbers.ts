/**
 * German number words as the speech recogniser writes them, read as numbers.
 *
 * Why this exists: libvosk has no text normalisation, so a caller's customer
 * number arrives as "eins zwei drei vier fünf", an amount as
 * "fünfhundertdreiundsechzig euro" and a birth date as "am ersten dritten
 * neunzehnhundertachtzig". The dialogue needs digits.
 *
 * German writes every number below a million as one word, built from a small
 * set of parts ("zwei|hundert|drei|und|sechzig"). A word is cut into those
 * parts (with backtracking, so "dreizehn" is not read as "drei" + "zehn") and
 * the parts are parsed by the grammar of German numerals. Spellings without
 * umlauts or ß ("fuenf", "zwoelf", "dreissig"), which recognisers and
 * keyboards produce, are folded onto the same form first.
 */

/** Lower case, umlauts as "ae/oe/ue", "ß" as "ss": one key for every spelling. */
export function foldGermanWord(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFC')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss');
}

/** A part of a number word, with its value and role in the grammar. */
type Part =
  | { kind: 'unit'; value: number; form: 'eins' | 'ein' | 'eine' | 'plain' }
  | { kind: 'teen'; value: number }
  | { kind: 'tens'; value: number }
  | { kind: 'zero' }
  | { kind: 'and' }
  | { kind: 'scale'; value: number; plural: boolean };

const PARTS: ReadonlyMap<string, Part> = new Map<string, Part>([
  ['null', { kind: 'zero' }],
  ['eins', { kind: 'unit', value: 1, form: 'eins' }],
  ['ein', { kind: 'unit', value: 1, form: 'ein' }],
  ['eine', { kind: 'unit', value: 1, form: 'eine' }],
  ['zwei', { kind: 'unit', value: 2, form: 'plain' }],
  ['zwo', { kind: 'unit', value: 2, form: 'plain' }],
  ['drei', { kind: 'unit', value: 3, form: 'plain' }],
  ['vier', { kind: 'unit', value: 4, form: 'plain' }],
  ['fuenf', { kind: 'unit', value: 5, form: 'plain' }],
  ['sechs', { kind: 'unit', value: 6, form: 'plain' }],
  ['sieben', { kind: 'unit', value: 7, form: 'plain' }],
  ['acht', { kind: 'unit', value: 8, form: 'plain' }],
  ['neun', { kind: 'unit', value: 9, form: 'plain' }],
  ['zehn', { kind: 'teen', value: 10 }],
  ['elf', { kind: 'teen', value: 11 }],
  ['zwoelf', { kind: 'teen', value: 12 }],
  ['dreizehn', { kind: 'teen', value: 13 }],
  ['vierzehn', { kind: 'teen', value: 14 }],
  ['fuenfzehn', { kind: 'teen', value: 15 }],
  ['sechzehn', { kind: 'teen', value: 16 }],
  ['siebzehn', { kind: 'teen', value: 17 }],
  ['siebenzehn', { kind: 'teen', value: 17 }],
  ['achtzehn', { kind: 'teen', value: 18 }],
  ['neunzehn', { kind: 'teen', value: 19 }],
  ['zwanzig', { kind: 'tens', value: 20 }],
  ['dreissig', { kind: 'tens', value: 30 }],
  ['vierzig', { kind: 'tens', value: 40 }],
  ['fuenfzig', { kind: 'tens', value: 50 }],
  ['sechzig', { kind: 'tens', value: 60 }],
  ['siebzig', { kind: 'tens', value: 70 }],
  ['siebenzig', { kind: 'tens', value: 70 }],
  ['achtzig', { kind: 'tens', value: 80 }],
  ['neunzig', { kind: 'tens', value: 90 }],
  ['und', { kind: 'and' }],
  ['hundert', { kind: 'scale', value: 100, plural: false }],
  ['tausend', { kind: 'scale', value: 1000, plural: false }],
  ['million', { kind: 'scale', value: 1e6, plural: false }],
  ['millionen', { kind: 'scale', value: 1e6, plural: true }],
  ['milliarde', { kind: 'scale', value: 1e9, plural: false }],
  ['milliarden', { kind: 'scale', value: 1e9, plural: true }],
]);

const PART_NAMES = [...PARTS.keys()].sort((a, b) => b.length - a.length);

/** Cuts a folded word into number parts, or undefined if it is not made of them. */
export function splitNumberParts(folded: string): string[] | undefined {
  const cut = (from: number): string[] | undefined => {
    if (from === folded.length) return [];
    for (const name of PART_NAMES) {
      if (!folded.startsWith(name, from)) continue;
      const rest = cut(from + name.length);
      if (rest) return [name, ...rest];
    }
    return undefined;
  };
  return folded ? cut(0) : undefined;
}

/**
 * The value of a sequence of number parts by German grammar, or undefined if
 * the sequence is not a well-formed numeral. Accepted: 0; 1–99 ("eins",
 * "dreiundzwanzig"); hundreds with a unit or a teen ("zweihundert",
 * "neunzehnhundertachtzig" as said for years); "tausend", "Million(en)",
 * "Milliarde(n)" with a multiplier below 1000 ("eine Million").
 */
export function valueOfParts(names: readonly string[]): number | undefined {
  const parts = names.map((name) => PARTS.get(name));
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  const list = parts as Part[];
  if (list.length === 1 && list[0]?.kind === 'zero') return 0;
  if (list.some((part) => part.kind === 'zero')) return undefined;

  let total = 0;
  let position = 0;
  // Scales in descending order: milliarde, million, tausend (hundert is inside below1000).
  for (const scale of [1e9, 1e6, 1000]) {
    const index = list.findIndex(
      (part, at) => at >= position && part.kind === 'scale' && part.value === scale,
    );
    if (index < 0) continue;
    const factorParts = list.slice(position, index);
    const scalePart = list[index] as Extract<Part, { kind: 'scale' }>;
    let factor: number | undefined;
    if (factorParts.length === 0) {
      // "tausend", "hundert"; but "Millionen" needs a number before it.
      if (scalePart.plural) return undefined;
      factor = 1;
    } else {
      factor = belowThousand(factorParts, scale >= 1e6 ? 'before-big-scale' : 'inside');
    }
    if (factor === undefined || factor === 0) return undefined;
    if (scale >= 1e6 && (factor === 1) === scalePart.plural) return undefined;
    total += factor * scale;
    position = index + 1;
  }
  const rest = list.slice(position);
  if (rest.length > 0) {
    const value = belowThousand(rest, 'final');
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

type Place = 'final' | 'inside' | 'before-big-scale';

/** 1–999 (and teen hundreds, 1100–1999), from parts that contain no big scale. */
function belowThousand(parts: Part[], place: Place): number | undefined {
  const hundredAt = parts.findIndex((part) => part.kind === 'scale' && part.value === 100);
  if (parts.some((part, at) => part.kind === 'scale' && at !== hundredAt)) return undefined;
  let value = 0;
  let rest = parts;
  if (hundredAt >= 0) {
    const before = parts.slice(0, hundredAt);
    let factor = 1;
    if (before.length === 1) {
      const head = before[0];
      if (head?.kind === 'unit' && head.form !== 'eins' && head.form !== 'eine')
        factor = head.value;
      else if (head?.kind === 'teen' && head.value > 10) factor = head.value;
      else return undefined;
    } else if (before.length > 1) {
      return undefined;
    }
    value = factor * 100;
    rest = parts.slice(hundredAt + 1);
    if (rest.length === 0) return value;
  }
  const small = belowHundred(rest, place);
  return small === undefined ? undefined : value + small;
}

/** 1–99: unit, teen, tens, or unit "und" tens. */
function belowHundred(parts: Part[], place: Place): number | undefined {
  const [first, second, third] = parts;
  if (!first) return undefined;
  if (parts.length === 1) {
    if (first.kind === 'teen' || first.kind === 'tens') return first.value;
    if (first.kind !== 'unit') return undefined;
    // "eins" only ends a number; "ein"/"eine" only multiply a scale ("eine Million").
    if (first.form === 'eins') return place === 'final' ? 1 : undefined;
    if (first.form === 'eine') return place === 'before-big-scale' ? 1 : undefined;
    if (first.form === 'ein') return place === 'final' ? undefined : 1;
    return first.value;
  }
  if (
    parts.length === 3 &&
    first.kind === 'unit' &&
    (first.form === 'ein' || first.form === 'plain') &&
    second?.kind === 'and' &&
    third?.kind === 'tens'
  ) {
    return first.value + third.value;
  }
  return undefined;
}

/** The cardinal value of one word ("dreiundzwanzig" → 23), or undefined. */
export function parseCardinalWord(word: string): number | undefined {
  const parts = splitNumberParts(foldGermanWord(word));
  return parts ? valueOfParts(parts) : undefined;
}

/**
 * The value of a cardinal written as one or more words: "dreiundzwanzig",
 * "eine Million", "zwei tausend vierundzwanzig", "drei und zwanzig". Returns
 * undefined unless the whole text is one number.
 */
export function parseCardinal(text: string): number | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  if (words.length === 1 && /^\d+$/.test(words[0] ?? '')) return Number(words[0]);
  const parts: string[] = [];
  for (const word of words) {
    const wordParts = splitNumberParts(foldGermanWord(word));
    if (!wordParts) return undefined;
    parts.push(...wordParts);
  }
  return valueOfParts(parts);
}

/** Ordinal stems whose cardinal differs: "erste", "dritte", "siebte", "achte". */
const IRREGULAR_ORDINAL_STEMS: ReadonlyArray<[string, string]> = [
  ['ers', 'eins'],
  ['drit', 'drei'],
  ['sieben', 'sieben'],
  ['sieb', 'sieben'],
  ['ach', 'acht'],
];

/**
 * The value of an ordinal word in any inflection ("erster", "zweiundzwanzigsten",
 * "dritte", "hundertste", "dreissigsten"), or undefined.
 */
export function parseOrdinalWord(word: string): number | undefined {
  const folded = foldGermanWord(word);
  // Inflection endings after the ordinal "-te"/"-ste": -r, -n, -m, -s or none.
  const match = /^(.+?)(s?te)([rnms]?)$/.exec(folded);
  if (!match) return undefined;
  const stem = match[1] ?? '';
  const suffix = match[2] ?? '';
  const candidates: string[] = [];
  // 20 and up take "-ste" ("zwanzigste", "hundertste"); 1–19 take "-te".
  if (suffix === 'ste') candidates.push(stem);
  const teStem = suffix === 'ste' ? `${stem}s` : stem;
  for (const [ending, cardinal] of IRREGULAR_ORDINAL_STEMS) {
    if (teStem.endsWith(ending)) candidates.push(teStem.slice(0, -ending.length) + cardinal);
  }
  candidates.push(teStem);
  for (const candidate of candidates) {
    const parts = splitNumberParts(candidate);
    if (!parts) continue;
    const last = PARTS.get(parts[parts.length - 1] ?? '');
    // "-ste" belongs after tens and scales, "-te" after units and teens.
    const wantsSte = last?.kind === 'tens' || last?.kind === 'scale';
    if (wantsSte !== (suffix === 'ste' && candidate === stem)) continue;
    // "eins" inside an ordinal is "erste": "einundzwanzigste" keeps "ein".
    const value = valueOfParts(parts);
    if (value !== undefined && value > 0) return value;
  }
  return undefined;
}

/** Digit words of a spoken digit string; "zwo" is what is said on the phone for 2. */
const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['null', '0'],
  ['eins', '1'],
  ['zwei', '2'],
  ['zwo', '2'],
  ['drei', '3'],
  ['vier', '4'],
  ['fuenf', '5'],
  ['sechs', '6'],
  ['sieben', '7'],
  ['acht', '8'],
  ['neun', '9'],
]);

/** The digit of a single digit word ("fünf" → "5"), or undefined. */
export function digitOfWord(word: string): string | undefined {
  return DIGIT_WORDS.get(foldGermanWord(word));
}

/**
 * How often a repeat word says the next digit: "doppel null" = "00",
 * "zweimal" / "dreimal" for runs. Undefined for other words.
 */
export function repeatCountOfWord(word: string): number | undefined {
  const folded = foldGermanWord(word);
  if (folded === 'doppel' || folded === 'doppelt' || folded === 'zweimal') return 2;
  if (folded === 'dreimal' || folded === 'dreifach') return 3;
  return undefined;
}

/** Month names (folded), including Austrian forms, to month numbers. */
export const MONTH_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['januar', 1],
  ['jaenner', 1],
  ['februar', 2],
  ['feber', 2],
  ['maerz', 3],
  ['marz', 3],
  ['april', 4],
  ['mai', 5],
  ['juni', 6],
  ['juno', 6],
  ['juli', 7],
  ['julei', 7],
  ['august', 8],
  ['september', 9],
  ['oktober', 10],
  ['november', 11],
  ['dezember', 12],
]);

/** The month number of a month name in any spelling ("März", "maerz"), or undefined. */
export function monthOfWord(word: string): number | undefined {
  return MONTH_NUMBERS.get(foldGermanWord(word).replace(/\.$/, ''));
}
