/**
 * The one seam between stores and a database engine. Stores write portable
 * SQL (the subset PostgreSQL and SQLite share) with PostgreSQL-style `$1`
 * placeholders; a driver translates only what differs, so the same schema and
 * queries run on the embedded store on a desk and on a shared PostgreSQL server
 * for offices that pool one store.
 *
 * Portable subset used by the stores (keep it this way):
 *   - types: TEXT, INTEGER only; dates as ISO TEXT ('YYYY-MM-DD', which sorts
 *     correctly), instants as ISO-8601 UTC TEXT, money as INTEGER cents – no
 *     DATE/TIMESTAMP/BOOLEAN/JSON whose client parsing differs per driver;
 *   - keys made by the application (random UUID TEXT), no SERIAL/AUTOINCREMENT;
 *   - CREATE TABLE/INDEX IF NOT EXISTS, INSERT … ON CONFLICT … DO NOTHING,
 *     ORDER BY … LIMIT, CAST(count(*) AS INTEGER);
 *   - identifiers lower_snake_case, never quoted.
 */

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

/** What a query can run on: the database itself or an open transaction. */
export interface SqlExecutor {
  /** Runs one statement with `$1…$n` parameters and returns its rows (empty for writes). */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: 'postgres' | 'sqlite';
  /** Where it lives, for messages: a folder, a file, or 'memory'. */
  readonly location: string;
  /** Runs `work` in one transaction: all of it is kept or none of it. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when an existing database cannot be opened: damaged, or not a database. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`the database at ${location} cannot be opened: ${reason}`);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * `$1…$n` -> `?` with the parameters reordered to match, for drivers that bind
 * by position only (better-sqlite3 rejects SQLite's own `?NNN` when given an
 * array). Placeholders inside string literals are not expected: stores pass
 * values as parameters, never as literals.
 */
export function toPositional(
  sql: string,
  params: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  const ordered: SqlValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= params.length) {
      throw new RangeError(`placeholder $${digits} has no parameter (${params.length} given)`);
    }
    ordered.push(params[index] ?? null);
    return '?';
  });
  return { sql: text, params: ordered };
}
