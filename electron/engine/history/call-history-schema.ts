/**
 * The call history's schema, as versioned migrations in portable SQL (see
 * store/db/sql-database.ts): the same text runs on SQLite, on PGlite and on a
 * PostgreSQL server. Add a new version for every change; never edit a
 * released one.
 *
 * One row per call. `outcome` is NULL while the call is still on; that, not
 * `ended_at`, marks an open row (a row whose end was never reported is closed
 * by the retention pass with outcome 'failed' and no end time). `search_text`
 * is the number, the name and the number's digits in lower case, so a search
 * is one case-insensitive LIKE on every driver (PostgreSQL's LIKE is
 * case-sensitive, SQLite's is not).
 */
import type { Migration } from '../store/db/migrations';

export const CALL_HISTORY_COMPONENT = 'call_history';

export const CALL_HISTORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'call history: one row per call, indexed by start time and Call-ID',
    sql: `
CREATE TABLE IF NOT EXISTS call_history (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  number TEXT NOT NULL,
  display_name TEXT,
  started_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  duration_ms INTEGER,
  outcome TEXT,
  handled_by TEXT,
  reason TEXT,
  search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS call_history_started ON call_history (started_at, id);
CREATE INDEX IF NOT EXISTS call_history_call_id ON call_history (call_id)`,
  },
];
