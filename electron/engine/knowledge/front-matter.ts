/**
 * The front matter of a knowledge article: a small, fixed subset of YAML.
 *
 * Why not a YAML library: the articles need only scalars, flow lists
 * (`[a, b]`) and one level of nesting (`source:` with indented keys), and the
 * project has no YAML dependency. A strict little reader also gives errors
 * with line numbers that an editor of the content can act on, and it refuses
 * everything outside the subset instead of guessing.
 */

/** A value in the front matter: what the subset can express. */
export type FrontMatterValue =
  string | number | boolean | FrontMatterValue[] | { [key: string]: FrontMatterValue };

/** Front matter and the Markdown body that follows it. */
export interface SplitDocument {
  readonly data: Record<string, FrontMatterValue>;
  readonly body: string;
  /** Line number (1-based) where the body starts, for error messages. */
  readonly bodyLine: number;
}

/** A front-matter problem, with the line where it sits. */
export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'FrontMatterError';
  }
}

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_]*):(?:\s+(.*))?$/;

/** Splits `---`-fenced front matter from the body and reads it. */
export function splitFrontMatter(text: string): SplitDocument {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new FrontMatterError('the file must start with a front matter block (---)', 1);
  }
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end < 0) throw new FrontMatterError('the front matter block is not closed (---)', 1);
  const data = parseFrontMatter(lines.slice(1, end), 2);
  return { data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/**
 * Reads `key: value` lines; a key without a value opens a map whose keys are
 * indented below it. `firstLine` is the file line of `lines[0]`.
 */
export function parseFrontMatter(
  lines: readonly string[],
  firstLine = 1,
): Record<string, FrontMatterValue> {
  const root: Record<string, FrontMatterValue> = {};
  let open: { key: string; map: Record<string, FrontMatterValue> } | undefined;
  joinFlowLists(lines, firstLine).forEach(({ text: raw, line: lineNumber }) => {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const indented = /^\s+/.test(raw);
    const match = KEY_LINE.exec(raw.trim());
    if (!match)
      throw new FrontMatterError(`expected "key: value", got "${raw.trim()}"`, lineNumber);
    const key = match[1] as string;
    const rawValue = match[2]?.trim() ?? '';
    if (indented) {
      if (!open)
        throw new FrontMatterError(`"${key}" is indented but belongs to no key`, lineNumber);
      if (rawValue === '') {
        throw new FrontMatterError(
          `"${open.key}.${key}" has no value (nesting goes one level deep)`,
          lineNumber,
        );
      }
      if (key in open.map)
        throw new FrontMatterError(`"${open.key}.${key}" appears twice`, lineNumber);
      open.map[key] = parseValue(rawValue, lineNumber);
      return;
    }
    if (key in root) throw new FrontMatterError(`"${key}" appears twice`, lineNumber);
    if (rawValue === '') {
      open = { key, map: {} };
      root[key] = open.map;
    } else {
      open = undefined;
      root[key] = parseValue(rawValue, lineNumber);
    }
  });
  return root;
}

/**
 * A long flow list may continue on the following lines, and a formatter
 * (prettier) may move it below its key; both are joined into one logical
 * line that keeps the number of the line where it started.
 */
function joinFlowLists(
  lines: readonly string[],
  firstLine: number,
): { text: string; line: number }[] {
  const joined: { text: string; line: number }[] = [];
  for (const [index, text] of lines.entries()) {
    const previous = joined.at(-1);
    const continues =
      previous !== undefined &&
      /^\s/.test(text) &&
      (/:\s*$/.test(previous.text) ? text.trim().startsWith('[') : isOpenList(previous.text));
    if (continues) previous.text = `${previous.text.trimEnd()} ${text.trim()}`;
    else joined.push({ text, line: firstLine + index });
  }
  return joined;
}

/** A `key: [a, b,` line whose list is not closed yet. */
function isOpenList(text: string): boolean {
  const value = /^[^:]+:\s*(\[.*)$/.exec(text.trim())?.[1];
  return value !== undefined && !value.trimEnd().endsWith(']');
}

function parseValue(raw: string, line: number): FrontMatterValue {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) throw new FrontMatterError(`list not closed: ${raw}`, line);
    const inner = raw.slice(1, -1).trim();
    if (inner === '') return [];
    return splitList(inner, line).map((item) => parseScalar(item.trim(), line));
  }
  return parseScalar(raw, line);
}

/** Splits a flow list at commas outside quotes. */
function splitList(inner: string, line: number): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of inner) {
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quote) throw new FrontMatterError(`quote not closed in list: [${inner}]`, line);
  items.push(current);
  if (items.some((item) => item.trim() === '')) {
    throw new FrontMatterError(`empty item in list: [${inner}]`, line);
  }
  return items;
}

function parseScalar(raw: string, line: number): string | number | boolean {
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    if (raw.length < 2 || !raw.endsWith(quote)) {
      throw new FrontMatterError(`quote not closed: ${raw}`, line);
    }
    return raw.slice(1, -1);
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}
