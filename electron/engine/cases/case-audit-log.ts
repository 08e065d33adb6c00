/**
 * The embedded store's audit log: one row per read of case data (and per
 * note, verification and caller-ID hint), naming who, why, which call and
 * household, and how it went. Written in the same transaction as the read:
 * no audit row, no data (social data, § 67 ff. SGB X, whose processing must
 * be traceable, Art. 32 GDPR).
 *
 * The rows are chained with a keyed hash (store/db/hash-chain.ts) and the
 * database refuses UPDATE and DELETE on them (store/db/append-only.ts): a
 * changed, removed or slipped-in row is found before the next row is
 * written, and from then on no row is written — so no case data is read —
 * until IT has looked at the store (reason `audit_log_damaged`). A
 * verification row carries `subject`, the keyed hash of the number or PIN it
 * named (never the number itself), so the data-protection officer can see
 * which person someone tried to verify as.
 */
import crypto from 'node:crypto';
import { appendOnlySql } from '../store/db/append-only';
import { chainColumnsSql, HashChain, type ChainReport } from '../store/db/hash-chain';
import type { Migration } from '../store/db/migrations';
import type { SqlExecutor } from '../store/db/sql-database';
import type { AuditContext } from './case-system';

/** The audit log's own schema steps, after the case store's (the table is made there). */
export const CASE_AUDIT_COMPONENT = 'case-audit';

export const CASE_AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit log rows chained (seq, mac) and the verified subject (keyed hash)',
    sql: chainColumnsSql('audit_log'),
  },
  {
    version: 2,
    name: 'audit log append-only: UPDATE, DELETE and unchained rows refused',
    sql: appendOnlySql('audit_log'),
  },
];

const CHAINED = {
  table: 'audit_log',
  columns: [
    'id',
    'created_at',
    'who',
    'household_id',
    'what',
    'why',
    'call_id',
    'outcome',
    'subject',
  ],
  label: 'audit log',
} as const;

export interface AuditEntry {
  at: string;
  who: string;
  householdId: string | null;
  what: string;
  why: string;
  callId: string | null;
  outcome: string;
  /** Keyed hash of the number or PIN a verification named; null for other rows. */
  subject: string | null;
}

/** Writes and reads the audit log of one store; one instance per open database. */
export class CaseAuditLog {
  private readonly chain: HashChain;

  constructor(
    key: Buffer,
    private readonly now: () => Date,
  ) {
    this.chain = new HashChain(CHAINED, key);
  }

  /** One row, in the caller's transaction; throws ChainDamagedError when the log was tampered with. */
  async write(
    tx: SqlExecutor,
    audit: AuditContext,
    householdId: string | null,
    what: string,
    outcome: string,
  ): Promise<void> {
    await this.chain.append(tx, {
      id: crypto.randomUUID(),
      created_at: this.now().toISOString(),
      who: audit.who,
      household_id: householdId,
      what,
      why: audit.why,
      call_id: audit.callId ?? null,
      outcome,
      subject: audit.subject ?? null,
    });
  }

  /** Checks every row of the chain. */
  verify(db: SqlExecutor): Promise<ChainReport> {
    return this.chain.verify(db);
  }
}

/** The audit log, newest first (for the data-protection officer and tests). */
export async function readAuditLog(
  db: SqlExecutor,
  filter: { householdId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const limit = Math.max(1, Math.min(10_000, filter.limit ?? 1000));
  const columns = 'created_at, who, household_id, what, why, call_id, outcome, subject';
  const rows = await db.query<{
    created_at: string;
    who: string;
    household_id: string | null;
    what: string;
    why: string;
    call_id: string | null;
    outcome: string;
    subject: string | null;
  }>(
    filter.householdId
      ? `SELECT ${columns} FROM audit_log
         WHERE household_id = $1 ORDER BY created_at DESC, id LIMIT $2`
      : `SELECT ${columns} FROM audit_log ORDER BY created_at DESC, id LIMIT $1`,
    filter.householdId ? [filter.householdId, limit] : [limit],
  );
  return rows.map((r) => ({
    at: r.created_at,
    who: r.who,
    householdId: r.household_id,
    what: r.what,
    why: r.why,
    callId: r.call_id,
    outcome: r.outcome,
    subject: r.subject,
  }));
}
