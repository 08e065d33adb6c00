/**
 * The desk's own audit journal of case reads made through a connector. The
 * office's case system keeps its log too, but the desk must be able to show
 * what it read, who asked and why, even when the back office's log is out of
 * reach (social data, § 67 ff. SGB X, whose processing must be traceable,
 * Art. 32 GDPR). The connector writes a row before it hands any data on: no
 * audit row, no data. If the journal cannot be written, the read fails.
 *
 * Stored in the engine's data folder as its own database ('audit'), through
 * the shared store helper (migrations). Its rows are chained with a keyed
 * hash and the database refuses UPDATE and DELETE on them, as the embedded
 * store's audit log (case-audit-log.ts): a tampered journal is found before
 * the next row, and a damaged one is neither moved aside nor replaced by an
 * empty one – case access stops (`audit_log_damaged`) until IT has looked.
 */
import crypto from 'node:crypto';
import type { ReasonedError } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import { appendOnlySql } from '../store/db/append-only';
import {
  ChainDamagedError,
  chainColumnsSql,
  HashChain,
  type ChainReport,
} from '../store/db/hash-chain';
import type { Migration } from '../store/db/migrations';
import type { DriverChoice } from '../store/db/open-database';
import { openStoreDatabase } from '../store/db/open-store';
import { DatabaseOpenError, type SqlDatabase } from '../store/db/sql-database';

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
  {
    version: 2,
    name: 'journal rows chained (seq, mac) and the verified subject (keyed hash)',
    sql: chainColumnsSql('audit_journal'),
  },
  {
    version: 3,
    name: 'journal append-only: UPDATE, DELETE and unchained rows refused',
    sql: appendOnlySql('audit_journal'),
  },
];

const CHAINED = {
  table: 'audit_journal',
  columns: [
    'id',
    'created_at',
    'who',
    'case_id',
    'what',
    'why',
    'call_id',
    'outcome',
    'system',
    'subject',
  ],
  label: 'audit journal',
} as const;

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
  /** A verification: keyed hash of the number or PIN it named (never the number); else null. */
  subject?: string | null;
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
  private readonly chain: HashChain;

  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
    /** Where it lives, for messages ('memory' in tests). */
    readonly location: string,
    key: Buffer,
  ) {
    this.chain = new HashChain(CHAINED, key);
  }

  static async open(
    options: {
      dataDir?: string;
      driver?: DriverChoice;
      sqliteModule?: string;
      now?: () => Date;
      log?: ScopedLogger;
      /** Key of the hash chain (the engine's 'audit' key; a fixed one in tests). */
      key?: Buffer;
    } = {},
  ): Promise<AuditJournal> {
    let db: SqlDatabase;
    try {
      db = await openStoreDatabase(
        {
          name: 'audit',
          component: 'audit-journal',
          migrations: AUDIT_JOURNAL_MIGRATIONS,
          label: 'audit journal',
        },
        { ...options, onDamaged: 'fail' },
      );
    } catch (error) {
      if (!(error instanceof DatabaseOpenError)) throw error;
      options.log?.error(
        `audit journal at ${error.location} cannot be opened (${error.reason}); ` +
          'case access stops until IT has checked or moved the file',
      );
      throw new ChainDamagedError('audit journal', error.reason);
    }
    return new AuditJournal(
      db,
      options.now ?? (() => new Date()),
      db.location,
      options.key ?? Buffer.from('lotse-demo-audit-key'),
    );
  }

  /**
   * Writes one row; throws AuditJournalError when it cannot, ChainDamagedError
   * when the journal was tampered with (the read must then fail either way).
   */
  async record(entry: Omit<JournalEntry, 'at'>): Promise<void> {
    try {
      await this.db.transaction((tx) =>
        this.chain.append(tx, {
          id: crypto.randomUUID(),
          created_at: this.now().toISOString(),
          who: clip(entry.who, 300),
          case_id: entry.caseId === null ? null : clip(entry.caseId, 300),
          what: clip(entry.what, 100),
          why: clip(entry.why, 1000),
          call_id: entry.callId === null ? null : clip(entry.callId, 300),
          outcome: clip(entry.outcome, 100),
          system: clip(entry.system, 500),
          subject: entry.subject ? clip(entry.subject, 100) : null,
        }),
      );
    } catch (error) {
      if (error instanceof ChainDamagedError) throw error;
      throw new AuditJournalError(error);
    }
  }

  /** Checks the journal's hash chain from its first row (for the data-protection officer). */
  verify(): Promise<ChainReport> {
    return this.chain.verify(this.db);
  }

  /** The journal, newest first (for the data-protection officer and tests). */
  async entries(filter: { caseId?: string; limit?: number } = {}): Promise<JournalEntry[]> {
    const limit = Math.max(1, Math.min(10_000, filter.limit ?? 1000));
    const columns = 'created_at, who, case_id, what, why, call_id, outcome, system, subject';
    const rows = await this.db.query<{
      created_at: string;
      who: string;
      case_id: string | null;
      what: string;
      why: string;
      call_id: string | null;
      outcome: string;
      system: string;
      subject: string | null;
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
      subject: r.subject,
    }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
