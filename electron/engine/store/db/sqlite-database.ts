/**
 * SqlDatabase on better-sqlite3: the measured winner for the desk (open in
 * ~2 ms, ~51 MB resident; see open-database.ts). It is not a dependency yet
 * (it compiles from source here and needs a rebuild for Electron's ABI), so it
 * is loaded at run time from a module name or path and typed structurally:
 * this file compiles, and the store works, with or without it installed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import {
  DatabaseOpenError,
  toPositional,
  type SqlDatabase,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
} from './sql-database';

/** The part of better-sqlite3's API used here. */
interface Statement {
  readonly reader: boolean;
  all(...params: SqlValue[]): unknown[];
  run(...params: SqlValue[]): unknown;
}
interface NativeDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(text: string): unknown;
  close(): void;
  readonly inTransaction: boolean;
}
type NativeConstructor = new (file: string) => NativeDatabase;

/** Loads better-sqlite3; null when it is not installed. */
export function loadBetterSqlite(moduleId = 'better-sqlite3'): NativeConstructor | null {
  try {
    const require = createRequire(import.meta.url);
    return require(moduleId) as NativeConstructor;
  } catch {
    return null;
  }
}

/**
 * Opens (or creates) a SQLite file; `file` undefined: in memory. WAL journal:
 * 2,000 autocommitted inserts take ~25 ms instead of ~1–2 s with the default
 * rollback journal, and readers do not block the writer.
 */
export async function openSqlite(Native: NativeConstructor, file?: string): Promise<SqlDatabase> {
  const location = file ?? 'memory';
  const existed = file !== undefined && fs.existsSync(file) && fs.statSync(file).size > 0;
  let db: NativeDatabase;
  try {
    db = new Native(file ?? ':memory:');
    if (file) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Deleted and updated rows are overwritten with zeros, not left in free
    // pages: what retention deletes (or re-seals) is gone from the file, not
    // only from the table.
    db.pragma('secure_delete = ON');
    // Reading the schema is what detects a file that is not a database.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').all();
  } catch (error) {
    if (existed) throw new DatabaseOpenError(location, (error as Error).message);
    throw error;
  }
  const native = db;
  // One queue: better-sqlite3 is synchronous, but a transaction spans awaits
  // in the callers, and nothing else may interleave with it.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const direct: SqlExecutor = {
    async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []) {
      const positional = toPositional(sql, params);
      const statement = native.prepare(positional.sql);
      if (statement.reader) return statement.all(...positional.params) as T[];
      statement.run(...positional.params);
      return [];
    },
    async exec(sql: string) {
      native.exec(sql);
    },
  };
  return {
    dialect: 'sqlite',
    location,
    query: <T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]) =>
      serial(() => direct.query<T>(sql, params)),
    exec: (sql) => serial(() => direct.exec(sql)),
    transaction: (work) =>
      serial(async () => {
        native.exec('BEGIN');
        try {
          const result = await work(direct);
          native.exec('COMMIT');
          return result;
        } catch (error) {
          if (native.inTransaction) native.exec('ROLLBACK');
          throw error;
        }
      }),
    close: async () => {
      await tail;
      native.close();
    },
  };
}
