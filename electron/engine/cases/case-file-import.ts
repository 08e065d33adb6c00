/**
 * Households into the embedded store: a case file `{ version: 1, households:
 * [...] }` (an office's export, or the demo generator) checked record by
 * record. A bad record or one that clashes with a stored household (same id,
 * BG number, PIN or customer number) is reported by position, id and field
 * and skipped; each good one is stored in its own transaction, with its PIN
 * only as a keyed hash.
 */
import crypto from 'node:crypto';
import type { SqlDatabase, SqlExecutor } from '../store/db/sql-database';
import {
  describeRecord,
  parseCaseFile,
  type CaseRecord,
  type CaseRecordIssue,
} from './case-record';

export interface CaseImportOptions {
  /** Where the households come from, stored with them ('import', 'demo'). */
  source?: string;
  /** The store's PIN hash (a PIN is never stored as it is). */
  hashPin: (pin: string) => string;
  now: () => Date;
}

/**
 * Imports a case file `{ version: 1, households: [...] }`. Bad records are
 * reported by position, id and field and skipped; the rest are stored,
 * each in its own transaction.
 */
export async function importCaseFile(
  db: SqlDatabase,
  data: unknown,
  options: CaseImportOptions,
): Promise<{ imported: number; issues: CaseRecordIssue[] }> {
  const source = options.source ?? 'import';
  const { records, issues } = parseCaseFile(data);
  const households = (data as { households: unknown[] }).households;
  let imported = 0;
  for (const record of records) {
    const index = households.findIndex((raw) => (raw as { id?: unknown })?.id === record.id);
    const name = describeRecord(index, record);
    const conflict = await findConflict(db, record, options.hashPin);
    if (conflict) {
      issues.push({ record: name, ...conflict });
      continue;
    }
    try {
      await db.transaction((tx) => insertRecord(tx, record, source, options));
      imported += 1;
    } catch (error) {
      issues.push({ record: name, field: '', message: (error as Error).message });
    }
  }
  return { imported, issues };
}

async function findConflict(
  db: SqlExecutor,
  record: CaseRecord,
  hashPin: (pin: string) => string,
): Promise<{ field: string; message: string } | null> {
  if ((await db.query('SELECT id FROM households WHERE id = $1', [record.id])).length) {
    return { field: 'id', message: 'a household with this id is already stored' };
  }
  if (
    (await db.query('SELECT id FROM households WHERE bg_number = $1', [record.bgNumber])).length
  ) {
    return { field: 'bgNumber', message: 'this BG number is already stored' };
  }
  if (
    record.pin &&
    (await db.query('SELECT id FROM households WHERE pin_hash = $1', [hashPin(record.pin)])).length
  ) {
    return { field: 'pin', message: 'this PIN is already in use' };
  }
  const seen = new Set<string>();
  for (const [position, member] of record.members.entries()) {
    if (!member.customerNumber) continue;
    const taken =
      seen.has(member.customerNumber) ||
      (await db.query('SELECT id FROM members WHERE customer_number = $1', [member.customerNumber]))
        .length > 0;
    if (taken) {
      return {
        field: `members.${position}.customerNumber`,
        message: 'this customer number is already stored',
      };
    }
    seen.add(member.customerNumber);
  }
  return null;
}

async function insertRecord(
  tx: SqlExecutor,
  record: CaseRecord,
  source: string,
  options: CaseImportOptions,
): Promise<void> {
  const id = () => crypto.randomUUID();
  await tx.query(
    `INSERT INTO households (id, bg_number, pin_hash, caseworker_name, caseworker_team,
       caseworker_phone, benefit_start, benefit_end, source, imported_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      record.id,
      record.bgNumber,
      record.pin ? options.hashPin(record.pin) : null,
      record.caseworker?.name ?? null,
      record.caseworker?.team ?? null,
      record.caseworker?.phone ?? null,
      record.benefitPeriod?.start ?? null,
      record.benefitPeriod?.end ?? null,
      source,
      options.now().toISOString(),
    ],
  );
  for (const [seq, m] of record.members.entries()) {
    await tx.query(
      `INSERT INTO members (id, household_id, seq, first_name, last_name, date_of_birth,
         member_role, customer_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id(),
        record.id,
        seq,
        m.firstName,
        m.lastName,
        m.dateOfBirth,
        m.role,
        m.customerNumber ?? null,
      ],
    );
  }
  for (const phone of new Set(record.callerIds)) {
    await tx.query('INSERT INTO caller_ids (phone, household_id) VALUES ($1, $2)', [
      phone,
      record.id,
    ]);
  }
  for (const p of record.payments) {
    await tx.query(
      'INSERT INTO payments (id, household_id, pay_date, amount_cents, for_month) VALUES ($1, $2, $3, $4, $5)',
      [id(), record.id, p.date, p.amountCents, p.forMonth],
    );
  }
  for (const a of record.applications) {
    const applicationId = id();
    await tx.query(
      `INSERT INTO applications (id, household_id, application_type, received_date, status)
       VALUES ($1, $2, $3, $4, $5)`,
      [applicationId, record.id, a.type, a.receivedDate, a.status],
    );
    for (const [seq, document] of a.missingDocuments.entries()) {
      await tx.query(
        'INSERT INTO missing_documents (id, application_id, seq, document) VALUES ($1, $2, $3, $4)',
        [id(), applicationId, seq, document],
      );
    }
  }
  for (const a of record.appointments) {
    await tx.query(
      `INSERT INTO appointments (id, household_id, appointment_date, appointment_time, kind, place, phone, topic)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id(), record.id, a.date, a.time, a.kind, a.place ?? null, a.phone ?? null, a.topic],
    );
  }
  for (const n of record.notes) {
    await tx.query(
      `INSERT INTO contact_notes (id, household_id, created_at, author, channel, body)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id(), record.id, new Date(n.at).toISOString(), n.author, n.channel, n.text],
    );
  }
}
