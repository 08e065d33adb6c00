/**
 * The desk's own audit journal of case reads made through a connector. The
 * office's case system keeps its log too, but the desk must be able to show
 * what it read, who asked and why, even when the back office's log is out of
 * reach (social data, § 67 ff. SGB X, whose processing must be traceable,
 * Art. 32 GDPR). The connector writes a row before it hands any data on: no
 * audit row, no data. If the journal cannot be written, the read fails.
 *
 * Stored in the engine's data folder as its own database ('audit'), through
 * the shared store helper (migrations, damaged files moved aside).
 */
import crypto from 'node:crypto';
import type { ReasonedError } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { Migration } from '../store/db/migrations';
import type { DriverChoice } from '../store/db/open-database';
import { openStoreDatabase } from '../store/db/open-store';
import type { SqlDatabase } from '../store/db/sql-database';

export const AUDIT_JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit journal of case reads through a connector',
    sql: `
CREATE TABLE IF NOT EXISTS audit_journal (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  who TEXT NOT NULL,
  case_id TEXT,
  what TEXT NOT NULL,
  why TEXT NOT NULL,
  call_id TEXT,
  outcome TEXT NOT NULL,
  system TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_journal_case ON audit_journal (case_id, created_at)`,
  },
];

export interface JournalEntry {
  /** ISO instant. */
  at: string;
  who: string;
  /** The case in the case system; null where none is named (caller-ID hint, failed verify). */
  caseId: string | null;
  /** What was read or written: 'verify', 'next_payment', 'add_contact_note', … */
  what: string;
  why: string;
  callId: string | null;
  /** 'read', 'written', 'verified', 'not_verified', or 'failed:<code>'. */
  outcome: string;
  /** Which system answered, e.g. the connector's base URL. */
  system: string;
}

export class AuditJournalError extends Error implements ReasonedError {
  readonly reason = 'audit_journal_unwritable';

  constructor(cause: unknown) {
    super(
      `the audit journal cannot be written, so no case data is shown: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'AuditJournalError';
  }
}

const clip = (value: string, max: number) => value.slice(0, max);

export class AuditJournal {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
    /** Where it lives, for messages ('memory' in tests). */
    readonly location: string,
  ) {}

  static async open(
    options: {
      dataDir?: string;
      driver?: DriverChoice;
      sqliteModule?: string;
      now?: () => Date;
      log?: ScopedLogger;
    } = {},
  ): Promise<AuditJournal> {
    const db = await openStoreDatabase(
      {
        name: 'audit',
        component: 'audit-journal',
        migrations: AUDIT_JOURNAL_MIGRATIONS,
        label: 'audit journal',
      },
      options,
    );
    return new AuditJournal(db, options.now ?? (() => new Date()), db.location);
  }

  /** Writes one row; throws AuditJournalError when it cannot (the read must then fail). */
  async record(entry: Omit<JournalEntry, 'at'>): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO audit_journal (id, created_at, who, case_id, what, why, call_id, outcome, system)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          crypto.randomUUID(),
          this.now().toISOString(),
          clip(entry.who, 300),
          entry.caseId === null ? null : clip(entry.caseId, 300),
          clip(entry.what, 100),
          clip(entry.why, 1000),
          entry.callId === null ? null : clip(entry.callId, 300),
          clip(entry.outcome, 100),
          clip(entry.system, 500),
        ],
      );
    } catch (error) {
      throw new AuditJournalError(error);
    }
  }

  /** The journal, newest first (for the data-protection officer and tests). */
  async entries(filter: { caseId?: string; limit?: number } = {}): Promise<JournalEntry[]> {
    const limit = Math.max(1, Math.min(10_000, filter.limit ?? 1000));
    const columns = 'created_at, who, case_id, what, why, call_id, outcome, system';
    const rows = await this.db.query<{
      created_at: string;
      who: string;
      case_id: string | null;
      what: string;
      why: string;
      call_id: string | null;
      outcome: string;
      system: string;
    }>(
      filter.caseId !== undefined
        ? `SELECT ${columns} FROM audit_journal WHERE case_id = $1
           ORDER BY created_at DESC, id LIMIT $2`
        : `SELECT ${columns} FROM audit_journal ORDER BY created_at DESC, id LIMIT $1`,
      filter.caseId !== undefined ? [filter.caseId, limit] : [limit],
    );
    return rows.map((r) => ({
      at: r.created_at,
      who: r.who,
      caseId: r.case_id,
      what: r.what,
      why: r.why,
      callId: r.call_id,
      outcome: r.outcome,
      system: r.system,
    }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
