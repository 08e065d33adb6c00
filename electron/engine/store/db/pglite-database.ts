/**
 * SqlDatabase on PGlite (PostgreSQL 17 compiled to WASM): the same engine as
 * a PostgreSQL server, so it doubles as the check that the stores' SQL is
 * valid PostgreSQL. Costs measured on this machine are in open-database.ts.
 */
import fs from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import {
  DatabaseOpenError,
  type SqlDatabase,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
} from './sql-database';

function executor(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query<T>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/**
 * Opens (or creates) a PGlite database. `folder` undefined: in memory (tests).
 * An existing folder that PGlite cannot start from raises DatabaseOpenError.
 */
export async function openPglite(folder?: string): Promise<SqlDatabase> {
  const location = folder ?? 'memory';
  const existed =
    folder !== undefined && fs.existsSync(folder) && fs.readdirSync(folder).length > 0;
  let db: PGlite;
  try {
    // PGlite logs its own start-up noise on stdout/stderr; the store reports
    // failures itself, so the engine log is not flooded.
    db = folder
      ? new PGlite(folder, { onStdout: () => true, onStderr: () => true })
      : new PGlite({ onStdout: () => true, onStderr: () => true });
    await db.waitReady;
    await db.query('SELECT 1');
  } catch (error) {
    if (existed || folder === undefined) {
      throw new DatabaseOpenError(location, (error as Error).message);
    }
    throw error;
  }
  const base = executor(db);
  return {
    dialect: 'postgres',
    location,
    ...base,
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    close: () => db.close(),
  };
}
