/**
 * `{{office.openingHours}}`-style placeholders in article text, filled from a
 * site profile. A key the profile lacks is an error that names the file and
 * the key: an answer with a hole in it ("Sie erreichen uns unter .") must
 * never reach a caller.
 */

/** A placeholder the profile cannot fill. */
export class PlaceholderError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    message?: string,
  ) {
    super(message ?? `${file}: placeholder {{${key}}} has no value in the site profile`);
    this.name = 'PlaceholderError';
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Every placeholder key a text uses, in order of first use. */
export function placeholderKeys(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** Replaces every placeholder; throws PlaceholderError for the first unknown key. */
export function fillPlaceholders(
  text: string,
  values: ReadonlyMap<string, string>,
  file: string,
): string {
  const filled = text.replace(PLACEHOLDER, (_whole, key: string) => {
    const value = values.get(key);
    if (value === undefined) throw new PlaceholderError(file, key);
    return value;
  });
  const stray = /\{\{|\}\}/.exec(filled);
  if (stray) {
    const around = filled.slice(Math.max(0, stray.index - 20), stray.index + 22).trim();
    throw new PlaceholderError(file, around, `${file}: malformed placeholder near "${around}"`);
  }
  return filled;
}
