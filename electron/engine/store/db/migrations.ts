/**
 * Versioned schema migrations. Each store names its migrations with
 * increasing versions; `migrate` applies the ones not yet recorded, each in
 * its own transaction together with its row in schema_migrations, so a crash
 * never leaves a half-applied version and opening a database twice changes
 * nothing the second time. Several stores can share one database: the
 * `component` column keeps their version counters apart.
 */
import type { SqlDatabase } from './sql-database';

export interface Migration {
  version: number;
  /** What the step does, kept in the table for whoever inspects the database. */
  name: string;
  /**
   * Portable SQL (see sql-database.ts); statements separated by semicolons.
   * Where the two dialects cannot share a text (triggers), one per dialect.
   */
  sql: string | { sqlite: string; postgres: string };
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies the pending migrations of `component`; returns the versions applied now. */
export async function migrate(
  db: SqlDatabase,
  component: string,
  migrations: readonly Migration[],
  now: () => Date = () => new Date(),
): Promise<number[]> {
  const versions = migrations.map((m) => m.version);
  if (
    new Set(versions).size !== versions.length ||
    versions.some((v, i) => i > 0 && v <= versions[i - 1]!)
  ) {
    throw new MigrationError(`${component}: migration versions must be unique and increasing`);
  }
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
  )`);
  const rows = await db.query<{ version: number }>(
    'SELECT version FROM schema_migrations WHERE component = $1',
    [component],
  );
  const applied = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...versions);
  if (newest > known) {
    // A newer Lotse wrote this database; running old code on it could corrupt it.
    throw new MigrationError(
      `${component}: the database is at version ${newest}, this program knows up to ${known}`,
    );
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(typeof migration.sql === 'string' ? migration.sql : migration.sql[db.dialect]);
      await tx.query(
        `INSERT INTO schema_migrations (component, version, name, applied_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (component, version) DO NOTHING`,
        [component, migration.version, migration.name, now().toISOString()],
      );
    });
    done.push(migration.version);
  }
  return done;
}
