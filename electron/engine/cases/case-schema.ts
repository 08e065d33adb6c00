/**
 * The embedded case store's schema, as versioned migrations in portable SQL
 * (see store/db/sql-database.ts): the same text runs on SQLite, on PGlite and
 * on a PostgreSQL server. Add a new version for every change; never edit a
 * released one.
 */
import type { Migration } from '../store/db/migrations';

export const CASE_STORE_COMPONENT = 'cases';

export const CASE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'households, members, payments, applications, appointments, notes, audit',
    sql: `
CREATE TABLE IF NOT EXISTS households (
  id TEXT PRIMARY KEY,
  bg_number TEXT NOT NULL UNIQUE,
  pin_hash TEXT UNIQUE,
  caseworker_name TEXT,
  caseworker_team TEXT,
  caseworker_phone TEXT,
  benefit_start TEXT,
  benefit_end TEXT,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  member_role TEXT NOT NULL,
  customer_number TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS members_household ON members (household_id);
CREATE TABLE IF NOT EXISTS caller_ids (
  phone TEXT NOT NULL,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  PRIMARY KEY (phone, household_id)
);
CREATE TABLE IF NOT EXISTS payments (
  id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  pay_date TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  for_month TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_household_date ON payments (household_id, pay_date);
CREATE TABLE IF NOT EXISTS applications (
  id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  application_type TEXT NOT NULL,
  received_date TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_household ON applications (household_id);
CREATE TABLE IF NOT EXISTS missing_documents (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS missing_documents_application ON missing_documents (application_id);
CREATE TABLE IF NOT EXISTS appointments (
  id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  appointment_date TEXT NOT NULL,
  appointment_time TEXT NOT NULL,
  kind TEXT NOT NULL,
  place TEXT,
  phone TEXT,
  topic TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS appointments_household_date ON appointments (household_id, appointment_date);
CREATE TABLE IF NOT EXISTS contact_notes (
  id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  channel TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contact_notes_household ON contact_notes (household_id, created_at);
CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  who TEXT NOT NULL,
  household_id TEXT,
  what TEXT NOT NULL,
  why TEXT NOT NULL,
  call_id TEXT,
  outcome TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS store_meta (
  meta_key TEXT PRIMARY KEY,
  meta_value TEXT NOT NULL
)`,
  },
  {
    version: 2,
    name: 'audit log index for the data-protection officer (per case, by time)',
    sql: `CREATE INDEX IF NOT EXISTS audit_log_household_time ON audit_log (household_id, created_at)`,
  },
];
