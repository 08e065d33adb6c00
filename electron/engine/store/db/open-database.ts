/**
 * Opens the engine's embedded database in its data folder, choosing the
 * driver, and moves a damaged database aside instead of failing the engine or
 * deleting anything (the data-protection officer or IT decide what happens to
 * the old file; the desk keeps working on a fresh store).
 *
 * Why SQLite (better-sqlite3) is the choice for the desk, and PGlite the
 * fallback – measured on this machine (2 cores, Node 20.20, each number a
 * fresh process, table of 4 columns, bare `node` is ~39 MB RSS):
 *
 *   | PGlite 0.5.16 (PostgreSQL 17 WASM) | open              | RSS after work |
 *   |------------------------------------|-------------------|----------------|
 *   | in memory (initdb every time)      | 1,590 ms          | 753 MB         |
 *   | folder, first start (initdb)       | 1,814 ms          | 816 MB         |
 *   | folder, reopen (warm)              | 237–239 ms        | 339–343 MB     |
 *   | in memory from a pre-made data-dir | 743 ms            | 387 MB         |
 *   |   tarball (loadDataDir, 4.5 MB gz) |                   |                |
 *   2,000 autocommitted inserts: 236 ms (memory), 254 ms (new folder),
 *   ~480 ms (reopened folder); 2,000 in one transaction ~110 ms; point
 *   SELECT ~0.1–0.15 ms. Data folder after initdb: ~40 MB.
 *
 *   | better-sqlite3 12.11 (SQLite 3)    | open              | RSS after work |
 *   |------------------------------------|-------------------|----------------|
 *   | in memory                          | 6.5 ms            | 51 MB          |
 *   | file, first start / reopen         | 1.7 / 1.5 ms      | 51 MB          |
 *   2,000 autocommitted inserts: 4 ms (memory), 2,090 / 1,057 ms (file,
 *   rollback journal – an fsync each), 22–25 ms (file, WAL); 2,000 in one
 *   transaction 2–4 ms; point SELECT ~0.003–0.007 ms. Install: no prebuilt
 *   binary reachable, compiled from source in 44 s (`npm install`).
 *
 * The whole case store (open + migrations + 200 demo households, run under
 * tsx, which adds ~90 MB): PGlite first start 5.0 s / 845 MB, reopen 0.56 s /
 * 381 MB, in memory 4.0 s / 529 MB; better-sqlite3 first start 0.19 s /
 * 156 MB, reopen 13 ms / 135 MB, in memory 0.13 s / 155 MB. Files: PGlite
 * folder 40 MB, SQLite file 0.7 MB.
 *
 * SQLite wins by two orders of magnitude in start-up and by ~300–750 MB of
 * memory on a desk that also runs Vosk and the TTS; PGlite needs no native
 * build and is PostgreSQL itself. The stores use only portable SQL
 * (sql-database.ts), so both drivers run the same schema, and a shared
 * PostgreSQL server needs only a third driver over `pg` (not installed here).
 * With `driver: 'auto'` an existing database keeps its driver (no silent
 * switch that would hide earlier notes and audit rows); a new one uses
 * better-sqlite3 when it can be loaded, PGlite otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openPglite } from './pglite-database';
import { DatabaseOpenError, type SqlDatabase } from './sql-database';
import { loadBetterSqlite, openSqlite } from './sqlite-database';

export type DriverChoice = 'auto' | 'pglite' | 'sqlite';

export interface OpenDatabaseOptions {
  /** The engine's data folder; undefined: in memory (tests, demos). */
  dataDir?: string;
  /** Base name inside the data folder: `<name>.sqlite` or `<name>.pgdata/`. */
  name: string;
  driver?: DriverChoice;
  /** Module id or path of better-sqlite3 (default: the installed package). */
  sqliteModule?: string;
  /** 'move-aside' (default): rename a damaged database and start fresh; 'fail': throw. */
  onDamaged?: 'move-aside' | 'fail';
  now?: () => Date;
}

export interface OpenedDatabase {
  db: SqlDatabase;
  /** Set when a damaged database was moved aside: where it is now and why. */
  movedAside?: { from: string; to: string; reason: string };
}

/** Opens the database, moving a damaged one aside unless told to fail. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const Native = loadBetterSqlite(options.sqliteModule);
  const choice = options.driver ?? 'auto';
  if (choice === 'sqlite' && !Native) {
    throw new Error('driver "sqlite" asked for, but better-sqlite3 cannot be loaded');
  }
  if (options.dataDir === undefined) {
    const db = choice !== 'pglite' && Native ? await openSqlite(Native) : await openPglite();
    return { db };
  }
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const sqliteFile = path.join(options.dataDir, `${options.name}.sqlite`);
  const pgFolder = path.join(options.dataDir, `${options.name}.pgdata`);
  const useSqlite =
    choice === 'sqlite' ||
    (choice === 'auto' &&
      Native !== null &&
      (fs.existsSync(sqliteFile) || !fs.existsSync(pgFolder)));
  const open = (): Promise<SqlDatabase> =>
    useSqlite && Native ? openSqlite(Native, sqliteFile) : openPglite(pgFolder);
  try {
    return { db: await open() };
  } catch (error) {
    if (!(error instanceof DatabaseOpenError) || options.onDamaged === 'fail') throw error;
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const from = useSqlite ? sqliteFile : pgFolder;
    const to = `${from}.damaged-${stamp}`;
    fs.renameSync(from, to);
    // SQLite's journal files belong to the damaged file, not to the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (useSqlite && fs.existsSync(from + suffix)) fs.renameSync(from + suffix, to + suffix);
    }
    return { db: await open(), movedAside: { from, to, reason: error.reason } };
  }
}
