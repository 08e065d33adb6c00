/**
 * The embedded store's audit log: one row per read of case data (and per
 * note, verification and caller-ID hint), naming who, why, which call and
 * household, and how it went. Written in the same transaction as the read:
 * no audit row, no data (social data, § 67 ff. SGB X, whose processing must
 * be traceable, Art. 32 GDPR).
 */
import crypto from 'node:crypto';
import type { SqlExecutor } from '../store/db/sql-database';
import type { AuditContext } from './case-system';

export interface AuditEntry {
  at: string;
  who: string;
  householdId: string | null;
  what: string;
  why: string;
  callId: string | null;
  outcome: string;
}

export async function writeAudit(
  tx: SqlExecutor,
  now: () => Date,
  audit: AuditContext,
  householdId: string | null,
  what: string,
  outcome: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (id, created_at, who, household_id, what, why, call_id, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      crypto.randomUUID(),
      now().toISOString(),
      audit.who,
      householdId,
      what,
      audit.why,
      audit.callId ?? null,
      outcome,
    ],
  );
}

/** The audit log, newest first (for the data-protection officer and tests). */
export async function readAuditLog(
  db: SqlExecutor,
  filter: { householdId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const limit = Math.max(1, Math.min(10_000, filter.limit ?? 1000));
  const rows = await db.query<{
    created_at: string;
    who: string;
    household_id: string | null;
    what: string;
    why: string;
    call_id: string | null;
    outcome: string;
  }>(
    filter.householdId
      ? `SELECT created_at, who, household_id, what, why, call_id, outcome FROM audit_log
         WHERE household_id = $1 ORDER BY created_at DESC, id LIMIT $2`
      : `SELECT created_at, who, household_id, what, why, call_id, outcome FROM audit_log
         ORDER BY created_at DESC, id LIMIT $1`,
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
  }));
}
