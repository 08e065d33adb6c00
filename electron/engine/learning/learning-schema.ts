/**
 * The learning store's schema, as versioned migrations in portable SQL (see
 * store/db/sql-database.ts): the same text runs on SQLite, on PGlite and on a
 * PostgreSQL server. Add a new version for every change; never edit a
 * released one.
 */
import type { Migration } from '../store/db/migrations';

export const LEARNING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'suggestion feedback, wrap-up labels, notes waiting for the case system',
    sql: `
CREATE TABLE IF NOT EXISTS suggestion_feedback (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  action TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  intent TEXT,
  rank_position INTEGER
);
CREATE INDEX IF NOT EXISTS suggestion_feedback_call ON suggestion_feedback (call_id, at);
CREATE INDEX IF NOT EXISTS suggestion_feedback_article ON suggestion_feedback (article_id);
CREATE TABLE IF NOT EXISTS wrap_ups (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  intent TEXT,
  disposition TEXT NOT NULL,
  proposed_intent TEXT,
  proposed_disposition TEXT,
  note_length INTEGER NOT NULL,
  note_sha256 TEXT NOT NULL,
  note_edited INTEGER,
  saved_to TEXT NOT NULL,
  note_id TEXT,
  who TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wrap_ups_call ON wrap_ups (call_id, at);
CREATE TABLE IF NOT EXISTS wrap_up_articles (
  wrap_up_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (wrap_up_id, article_id, role)
);
CREATE INDEX IF NOT EXISTS wrap_up_articles_article ON wrap_up_articles (article_id);
CREATE TABLE IF NOT EXISTS pending_notes (
  id TEXT PRIMARY KEY,
  wrap_up_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  case_id TEXT,
  reason TEXT NOT NULL,
  intent TEXT,
  disposition TEXT NOT NULL,
  sealed TEXT,
  plain_text TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  delivered_note_id TEXT
);
CREATE INDEX IF NOT EXISTS pending_notes_open ON pending_notes (delivered_at, created_at)`,
  },
];
