/**
 * Money amounts as callers say them: "fünfhundertdreiundsechzig Euro zwanzig",
 * "zwanzig Euro und fünf Cent", "fünf Komma fünfzig", "neunzig Cent", or as
 * written "563,20 €". The cents after "Euro" are a number of cents (20 → 0.20,
 * 5 → 0.05); after "Komma" they are decimals (5 → 0.50, "null fünf" → 0.05).
 */
import { tokenizeNumbers, type NumberToken } from './number-tokens';

/** Reads "563,20", "1.234,56", "563.20" (a dot before exactly two digits is decimal). */
function numeralValue(text: string): number | undefined {
  let normal = text.replace(/\.$/, '');
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(normal)) normal = normal.replace(/\./g, '');
  normal = normal.replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normal)) return undefined;
  return Number(normal);
}

const EURO = new Set(['euro', 'eur', '€']);
const CENT = new Set(['cent', 'ct', 'cents']);
/** "einen Euro", "ein Euro": the article as a number, only right before the currency. */
const ONE = new Set(['ein', 'einen', 'eine']);

/**
 * The amount in euros (cents exact, e.g. 563.2), or undefined if `text` holds
 * no amount with a currency word or a decimal comma.
 */
export function parseEuroAmount(text: string): number | undefined {
  const cents = parseEuroCents(text);
  return cents === undefined ? undefined : cents / 100;
}

/** Like `parseEuroAmount`, in whole cents (56320), for exact arithmetic. */
export function parseEuroCents(text: string): number | undefined {
  const tokens = tokenizeNumbers(text.replace(/€/g, ' € '));
  for (let i = 0; i < tokens.length; i++) {
    const euros = wholeValue(tokens[i]);
    if (euros === undefined) continue;
    const next = tokens[i + 1];
    // "563,20 €" or "563,20": a numeral with its decimals.
    const token = tokens[i];
    if (token?.kind === 'numeral' && /,\d{1,2}$/.test(token.text)) {
      const value = numeralValue(token.text);
      if (value !== undefined) return Math.round(value * 100);
    }
    if (isWord(next, CENT)) return Math.round(euros);
    if (isWord(next, new Set(['komma']))) {
      const decimals = tokens.slice(i + 2);
      let digits = '';
      for (const decimal of decimals) {
        if (decimal.kind !== 'cardinal' || decimal.value > 99) break;
        digits += decimal.digits;
      }
      if (!digits) return undefined;
      const fraction = Number(`0.${digits}`);
      return Math.round((euros + fraction) * 100);
    }
    if (isWord(next, EURO)) {
      let rest = i + 2;
      if (isWord(tokens[rest], new Set(['und']))) rest++;
      const centToken = tokens[rest];
      const centValue = centToken?.kind === 'cardinal' ? centToken.value : undefined;
      if (centValue !== undefined && centValue < 100) return Math.round(euros * 100) + centValue;
      return Math.round(euros * 100);
    }
  }
  return undefined;
}

function wholeValue(token: NumberToken | undefined): number | undefined {
  if (!token) return undefined;
  if (token.kind === 'cardinal') return token.value;
  if (token.kind === 'numeral') return numeralValue(token.text);
  if (token.kind === 'word' && ONE.has(token.folded)) return 1;
  return undefined;
}

function isWord(token: NumberToken | undefined, words: ReadonlySet<string>): boolean {
  return token?.kind === 'word' && words.has(token.folded);
}
