/**
 * Opens one store's database in the engine's data folder and brings its
 * schema up to date. A damaged database is moved aside (and said so in the
 * log) so the desk keeps working on a fresh one; if the migrations fail, the
 * database is closed again and the error goes to the caller.
 */
import type { ScopedLogger } from '../../log/logger';
import { migrate, type Migration } from './migrations';
import { openDatabase, type DriverChoice } from './open-database';
import type { SqlDatabase } from './sql-database';

export interface StoreOpenOptions {
  /** The engine's data folder; undefined: in memory (tests). */
  dataDir?: string;
  driver?: DriverChoice;
  sqliteModule?: string;
  now?: () => Date;
  log?: ScopedLogger;
  /** A database that cannot be opened: moved aside (default) or, with 'fail', an error. */
  onDamaged?: 'move-aside' | 'fail';
}

export interface StoreDefinition {
  /** File base name in the data folder (`<name>.sqlite`). */
  name: string;
  /** The component name its migrations are recorded under. */
  component: string;
  migrations: readonly Migration[];
  /** What it is, for the log ("call history", "worklist"). */
  label: string;
}

export async function openStoreDatabase(
  store: StoreDefinition,
  options: StoreOpenOptions,
): Promise<SqlDatabase> {
  const opened = await openDatabase({
    name: store.name,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.sqliteModule ? { sqliteModule: options.sqliteModule } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onDamaged ? { onDamaged: options.onDamaged } : {}),
  });
  if (opened.movedAside) {
    options.log?.error(
      `${store.label} at ${opened.movedAside.from} was damaged (${opened.movedAside.reason}); ` +
        `moved to ${opened.movedAside.to}, starting with an empty ${store.label}`,
    );
  }
  try {
    await migrate(opened.db, store.component, store.migrations, options.now);
  } catch (error) {
    await opened.db.close();
    throw error;
  }
  return opened.db;
}
