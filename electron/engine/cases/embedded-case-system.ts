/**
 * The CaseSystem on the desk's own database (store/db): households imported
 * from a case file or, on the first start in demo mode, from the demo
 * generator. Verification issues an opaque CaseRef held only in this process;
 * every read writes its audit row first, in the same transaction as the read,
 * so data is never returned without its audit row.
 */
import crypto from 'node:crypto';
import type { ScopedLogger } from '../log/logger';
import { migrate } from '../store/db/migrations';
import { openDatabase, type DriverChoice } from '../store/db/open-database';
import type { SqlDatabase, SqlExecutor } from '../store/db/sql-database';
import {
  BG_NUMBER,
  CUSTOMER_NUMBER,
  PIN,
  describeRecord,
  formatIssue,
  isIsoDate,
  parseCaseFile,
  type CaseRecord,
  type CaseRecordIssue,
} from './case-record';
import { CaseRefRegistry } from './case-ref-registry';
import { CASE_MIGRATIONS, CASE_STORE_COMPONENT } from './case-schema';
import {
  checkAudit,
  checkNewNote,
  CaseAccessError,
  type AppointmentInfo,
  type ApplicationInfo,
  type AuditContext,
  type BenefitPeriod,
  type CallerIdHint,
  type CaseRef,
  type CaseSystem,
  type CaseworkerInfo,
  type ContactNote,
  type HouseholdMember,
  type NewContactNote,
  type NextPayment,
  type VerifyInput,
  type VerifyResult,
  type CaseContext,
} from './case-system';
import { generateDemoHouseholds, DEMO_HOUSEHOLDS, DEMO_SEED } from './demo-households';

export interface EmbeddedCaseSystemOptions {
  /** The engine's data folder; undefined: in memory (tests). */
  dataDir?: string;
  driver?: DriverChoice;
  sqliteModule?: string;
  /** Demo households loaded on the store's first start (default); false: none. */
  demo?: false | { seed?: number; households?: number };
  /** Key for the PIN hashes (the engine's key); a PIN is never stored as it is. */
  pinKey?: Buffer;
  /** Every verify takes at least this long, so its time tells nothing (default 250 ms). */
  verifyFloorMs?: number;
  /** How long a CaseRef stays valid (default 2 h: longer than any call). */
  caseRefTtlMs?: number;
  now?: () => Date;
  log?: ScopedLogger;
}

export interface AuditEntry {
  at: string;
  who: string;
  householdId: string | null;
  what: string;
  why: string;
  callId: string | null;
  outcome: string;
}

/** What stands behind a CaseRef of the embedded store. */
interface Verified {
  householdId: string;
  /** The member who verified (customer number); null: a BG number or PIN (the applicant). */
  memberId: string | null;
}

/** A verification compares against this when the number is unknown, so both paths do the same work. */
const DUMMY_BIRTH_DATE = '1900-01-01';

function sameText(a: string, b: string): boolean {
  const left = Buffer.alloc(32);
  const right = Buffer.alloc(32);
  left.write(a.slice(0, 32));
  right.write(b.slice(0, 32));
  return crypto.timingSafeEqual(left, right) && a.length === b.length;
}

/**
 * A phone keypad has no letters: callers key the digits of "990D10001" as
 * "99010001". This turns such a digit string into a LIKE pattern with one
 * wildcard per letter ("990_10001"); numbers with letters match exactly.
 */
function keypadPattern(
  digits: string,
  lettersAt: number,
  letterCount: number,
  minLength: number,
  maxLength: number,
): string | undefined {
  if (!/^\d+$/.test(digits) || digits.length < minLength || digits.length > maxLength)
    return undefined;
  return `${digits.slice(0, lettersAt)}${'_'.repeat(letterCount)}${digits.slice(lettersAt)}`;
}

const normalizeNumber = (value: unknown) =>
  typeof value === 'string' ? value.replace(/[\s./-]/g, '').toUpperCase() : '';

export class EmbeddedCaseSystem implements CaseSystem {
  private readonly verified: CaseRefRegistry<Verified>;
  private readonly pinKey: Buffer;
  private readonly verifyFloorMs: number;
  private readonly now: () => Date;

  private constructor(
    private readonly db: SqlDatabase,
    options: EmbeddedCaseSystemOptions,
    /** Set when a damaged database was moved aside on this start. */
    readonly movedAside: { from: string; to: string; reason: string } | undefined,
  ) {
    this.pinKey = options.pinKey ?? Buffer.from('lotse-demo-pin-key');
    this.verifyFloorMs = options.verifyFloorMs ?? 250;
    this.now = options.now ?? (() => new Date());
    this.verified = new CaseRefRegistry({
      ...(options.caseRefTtlMs !== undefined ? { ttlMs: options.caseRefTtlMs } : {}),
      now: this.now,
    });
  }

  /** Opens the store, applies migrations, and loads the demo households into an empty store. */
  static async open(options: EmbeddedCaseSystemOptions = {}): Promise<EmbeddedCaseSystem> {
    const opened = await openDatabase({
      name: 'cases',
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.driver ? { driver: options.driver } : {}),
      ...(options.sqliteModule ? { sqliteModule: options.sqliteModule } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    if (opened.movedAside) {
      options.log?.error(
        `case store at ${opened.movedAside.from} was damaged (${opened.movedAside.reason}); ` +
          `moved to ${opened.movedAside.to}, starting with a fresh store`,
      );
    }
    const store = new EmbeddedCaseSystem(opened.db, options, opened.movedAside);
    try {
      await migrate(opened.db, CASE_STORE_COMPONENT, CASE_MIGRATIONS, store.now);
      if (options.demo !== false) await store.loadDemoOnce(options.demo ?? {}, options.log);
    } catch (error) {
      await opened.db.close();
      throw error;
    }
    return store;
  }

  /**
   * A fictitious caller for the practice call (Übungsanruf): a demo household
   * member whose customer number, keyed without its letter, names only them.
   * null when the store holds no demo households — real cases are never used
   * for practice.
   */
  async demoCaller(): Promise<{ customerNumber: string; dateOfBirth: string } | null> {
    const rows = await this.db.query<{ customer_number: string; date_of_birth: string }>(
      `SELECT m.customer_number, m.date_of_birth FROM members m
       JOIN households h ON h.id = m.household_id
       WHERE h.source = 'demo' AND m.customer_number IS NOT NULL
       ORDER BY h.id, m.seq`,
    );
    const keyed = (number: string) => number.replace(/\D/g, '');
    const counts = new Map<string, number>();
    for (const row of rows) {
      const key = keyed(String(row.customer_number));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const row = rows.find((r) => counts.get(keyed(String(r.customer_number))) === 1);
    return row
      ? { customerNumber: String(row.customer_number), dateOfBirth: String(row.date_of_birth) }
      : null;
  }

  get dialect(): SqlDatabase['dialect'] {
    return this.db.dialect;
  }

  private async loadDemoOnce(
    demo: { seed?: number; households?: number },
    log: ScopedLogger | undefined,
  ): Promise<void> {
    const loaded = await this.db.query(
      "SELECT meta_value FROM store_meta WHERE meta_key = 'demo_loaded'",
    );
    // Only an empty store gets demo households: never mix them into an office's real cases.
    if (loaded.length > 0 || (await this.countHouseholds()) > 0) return;
    const seed = demo.seed ?? DEMO_SEED;
    const households = demo.households ?? DEMO_HOUSEHOLDS;
    const result = await this.importCaseFile(
      { version: 1, households: generateDemoHouseholds({ seed, households, asOf: this.now() }) },
      'demo',
    );
    await this.db.query(
      'INSERT INTO store_meta (meta_key, meta_value) VALUES ($1, $2) ON CONFLICT (meta_key) DO NOTHING',
      ['demo_loaded', JSON.stringify({ seed, households, at: this.now().toISOString() })],
    );
    log?.info(`demo households loaded: ${result.imported} (seed ${seed})`);
    for (const issue of result.issues) log?.warn(`demo record skipped: ${formatIssue(issue)}`);
  }

  /**
   * Imports a case file `{ version: 1, households: [...] }`. Bad records are
   * reported by position, id and field and skipped; the rest are stored,
   * each in its own transaction.
   */
  async importCaseFile(
    data: unknown,
    source = 'import',
  ): Promise<{ imported: number; issues: CaseRecordIssue[] }> {
    const { records, issues } = parseCaseFile(data);
    const households = (data as { households: unknown[] }).households;
    let imported = 0;
    for (const record of records) {
      const index = households.findIndex((raw) => (raw as { id?: unknown })?.id === record.id);
      const name = describeRecord(index, record);
      const conflict = await this.findConflict(record);
      if (conflict) {
        issues.push({ record: name, ...conflict });
        continue;
      }
      try {
        await this.db.transaction((tx) => this.insertRecord(tx, record, source));
        imported += 1;
      } catch (error) {
        issues.push({ record: name, field: '', message: (error as Error).message });
      }
    }
    return { imported, issues };
  }

  private async findConflict(
    record: CaseRecord,
  ): Promise<{ field: string; message: string } | null> {
    if ((await this.db.query('SELECT id FROM households WHERE id = $1', [record.id])).length) {
      return { field: 'id', message: 'a household with this id is already stored' };
    }
    if (
      (await this.db.query('SELECT id FROM households WHERE bg_number = $1', [record.bgNumber]))
        .length
    ) {
      return { field: 'bgNumber', message: 'this BG number is already stored' };
    }
    if (
      record.pin &&
      (
        await this.db.query('SELECT id FROM households WHERE pin_hash = $1', [
          this.hashPin(record.pin),
        ])
      ).length
    ) {
      return { field: 'pin', message: 'this PIN is already in use' };
    }
    const seen = new Set<string>();
    for (const [position, member] of record.members.entries()) {
      if (!member.customerNumber) continue;
      const taken =
        seen.has(member.customerNumber) ||
        (
          await this.db.query('SELECT id FROM members WHERE customer_number = $1', [
            member.customerNumber,
          ])
        ).length > 0;
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

  private async insertRecord(tx: SqlExecutor, record: CaseRecord, source: string): Promise<void> {
    const id = () => crypto.randomUUID();
    await tx.query(
      `INSERT INTO households (id, bg_number, pin_hash, caseworker_name, caseworker_team,
         caseworker_phone, benefit_start, benefit_end, source, imported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        record.id,
        record.bgNumber,
        record.pin ? this.hashPin(record.pin) : null,
        record.caseworker?.name ?? null,
        record.caseworker?.team ?? null,
        record.caseworker?.phone ?? null,
        record.benefitPeriod?.start ?? null,
        record.benefitPeriod?.end ?? null,
        source,
        this.now().toISOString(),
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

  private hashPin(pin: string): string {
    return crypto.createHmac('sha256', this.pinKey).update(pin).digest('hex');
  }

  private async writeAudit(
    tx: SqlExecutor,
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
        this.now().toISOString(),
        audit.who,
        householdId,
        what,
        audit.why,
        audit.callId ?? null,
        outcome,
      ],
    );
  }

  async findByCallerId(phone: string, audit: AuditContext): Promise<CallerIdHint> {
    checkAudit(audit);
    const normalized = typeof phone === 'string' ? phone.replace(/[\s()/-]/g, '') : '';
    return this.db.transaction(async (tx) => {
      const rows = await tx.query('SELECT household_id FROM caller_ids WHERE phone = $1 LIMIT 1', [
        normalized,
      ]);
      // No case is named in the audit row: the hint is not a verification.
      await this.writeAudit(tx, audit, null, 'caller_id_hint', rows.length ? 'known' : 'unknown');
      return { known: rows.length > 0 };
    });
  }

  async verify(input: VerifyInput, audit: AuditContext): Promise<VerifyResult> {
    checkAudit(audit);
    const started = performance.now();
    let found: { householdId: string; memberId: string | null } | null;
    try {
      found = await this.match(input);
    } catch {
      found = null; // a store error must look like any other failure to the caller
    }
    const householdId = found?.householdId ?? null;
    await this.db.transaction((tx) =>
      this.writeAudit(tx, audit, householdId, 'verify', householdId ? 'verified' : 'not_verified'),
    );
    let result: VerifyResult = { verified: false };
    if (householdId) {
      const caseRef = this.verified.issue({ householdId, memberId: found?.memberId ?? null });
      result = { verified: true, caseRef };
    }
    const wait = this.verifyFloorMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return result;
  }

  /** The household whose number and date of birth match; null otherwise. Same work either way. */
  private async match(
    input: VerifyInput,
  ): Promise<{ householdId: string; memberId: string | null } | null> {
    if (input && 'pin' in input) {
      const pin = typeof input.pin === 'string' ? input.pin.replace(/\s/g, '') : '';
      const rows = await this.db.query<{ id: string }>(
        'SELECT id FROM households WHERE pin_hash = $1',
        [this.hashPin(PIN.test(pin) ? pin : `invalid:${pin}`)],
      );
      return rows[0] ? { householdId: rows[0].id, memberId: null } : null;
    }
    const dateOfBirth =
      input && typeof input.dateOfBirth === 'string' && isIsoDate(input.dateOfBirth.trim())
        ? input.dateOfBirth.trim()
        : '';
    let candidates: { id: string; household_id: string; date_of_birth: string }[];
    const byCustomerNumber = Boolean(input && 'customerNumber' in input);
    if (input && 'customerNumber' in input) {
      const number = normalizeNumber(input.customerNumber);
      candidates = await this.db.query(
        'SELECT id, household_id, date_of_birth FROM members WHERE customer_number LIKE $1',
        [CUSTOMER_NUMBER.test(number) ? number : (keypadPattern(number, 3, 1, 8, 9) ?? '')],
      );
    } else {
      const number = normalizeNumber(input && 'bgNumber' in input ? input.bgNumber : '');
      // Only members able to act for the household (those with a customer number) verify.
      candidates = await this.db.query(
        `SELECT m.id, m.household_id, m.date_of_birth FROM members m
         JOIN households h ON h.id = m.household_id
         WHERE h.bg_number LIKE $1 AND m.customer_number IS NOT NULL`,
        [BG_NUMBER.test(number) ? number : (keypadPattern(number, 5, 2, 12, 12) ?? '')],
      );
    }
    // A keyed number matching more than one household identifies nobody.
    if (new Set(candidates.map((c) => c.household_id)).size > 1) candidates = [];
    let found: { householdId: string; memberId: string | null } | null = null;
    const compared = candidates.length
      ? candidates
      : [{ id: '', household_id: '', date_of_birth: DUMMY_BIRTH_DATE }];
    for (const candidate of compared) {
      const same = sameText(String(candidate.date_of_birth), dateOfBirth);
      if (same && candidate.household_id && dateOfBirth && !found) {
        found = {
          householdId: candidate.household_id,
          memberId: byCustomerNumber ? candidate.id : null,
        };
      }
    }
    return found;
  }

  release(caseRef: CaseRef): void {
    this.verified.release(caseRef);
  }

  /** The household behind a CaseRef; throws for anything not issued here or expired. */
  private household(caseRef: CaseRef): string {
    return this.verified.resolve(caseRef).householdId;
  }

  /** Audit row and read in one transaction: no row, no data. */
  private async read<T>(
    caseRef: CaseRef,
    audit: AuditContext,
    what: string,
    work: (tx: SqlExecutor, householdId: string) => Promise<T>,
  ): Promise<T> {
    checkAudit(audit);
    const householdId = this.household(caseRef);
    return this.db.transaction(async (tx) => {
      await this.writeAudit(tx, audit, householdId, what, 'read');
      return work(tx, householdId);
    });
  }

  /** Today in Germany, as the callers count days. */
  private today(): { date: string; time: string } {
    const parts = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(this.now());
    const [date = '', time = ''] = parts.split(' ');
    return { date, time: time.slice(0, 5) };
  }

  nextPayment(caseRef: CaseRef, audit: AuditContext): Promise<NextPayment | null> {
    return this.read(caseRef, audit, 'next_payment', (tx, household) =>
      this.queryNextPayment(tx, household),
    );
  }

  private async queryNextPayment(tx: SqlExecutor, household: string): Promise<NextPayment | null> {
    const rows = await tx.query<{ pay_date: string; amount_cents: number; for_month: string }>(
      `SELECT pay_date, amount_cents, for_month FROM payments
       WHERE household_id = $1 AND pay_date >= $2 ORDER BY pay_date LIMIT 1`,
      [household, this.today().date],
    );
    const row = rows[0];
    return row
      ? { date: row.pay_date, amountCents: Number(row.amount_cents), forMonth: row.for_month }
      : null;
  }

  applications(caseRef: CaseRef, audit: AuditContext): Promise<ApplicationInfo[]> {
    return this.read(caseRef, audit, 'applications', (tx, household) =>
      this.queryApplications(tx, household),
    );
  }

  private async queryApplications(tx: SqlExecutor, household: string): Promise<ApplicationInfo[]> {
    const rows = await tx.query<{
      id: string;
      application_type: string;
      received_date: string;
      status: string;
    }>(
      `SELECT id, application_type, received_date, status FROM applications
       WHERE household_id = $1 ORDER BY received_date DESC, id`,
      [household],
    );
    const result: ApplicationInfo[] = [];
    for (const row of rows) {
      const documents = await tx.query<{ document: string }>(
        'SELECT document FROM missing_documents WHERE application_id = $1 ORDER BY seq',
        [row.id],
      );
      result.push({
        type: row.application_type as ApplicationInfo['type'],
        receivedDate: row.received_date,
        status: row.status as ApplicationInfo['status'],
        missingDocuments: documents.map((d) => d.document),
      });
    }
    return result;
  }

  nextAppointment(caseRef: CaseRef, audit: AuditContext): Promise<AppointmentInfo | null> {
    return this.read(caseRef, audit, 'next_appointment', async (tx, household) => {
      const [next] = await this.queryAppointments(tx, household, 1);
      return next ?? null;
    });
  }

  /** Appointments from now on, soonest first. */
  private async queryAppointments(
    tx: SqlExecutor,
    household: string,
    limit: number,
  ): Promise<AppointmentInfo[]> {
    const { date, time } = this.today();
    const rows = await tx.query<{
      appointment_date: string;
      appointment_time: string;
      kind: string;
      place: string | null;
      phone: string | null;
      topic: string;
    }>(
      `SELECT appointment_date, appointment_time, kind, place, phone, topic FROM appointments
       WHERE household_id = $1
         AND (appointment_date > $2 OR (appointment_date = $2 AND appointment_time >= $3))
       ORDER BY appointment_date, appointment_time LIMIT $4`,
      [household, date, time, limit],
    );
    return rows.map((row) => ({
      date: row.appointment_date,
      time: row.appointment_time,
      kind: row.kind as AppointmentInfo['kind'],
      ...(row.place ? { place: row.place } : {}),
      ...(row.phone ? { phone: row.phone } : {}),
      topic: row.topic,
    }));
  }

  /**
   * The caseworker's picture of a verified caller, in one transaction with
   * one audit row ('case_context').
   */
  async caseContext(caseRef: CaseRef, audit: AuditContext): Promise<CaseContext> {
    // async: an unknown ref must reject the promise, not throw before one exists.
    const { memberId } = this.verified.resolve(caseRef);
    return this.read(caseRef, audit, 'case_context', async (tx, household) => {
      const [head] = await tx.query<{ bg_number: string }>(
        'SELECT bg_number FROM households WHERE id = $1',
        [household],
      );
      const people = await tx.query<{
        id: string;
        first_name: string;
        last_name: string;
        date_of_birth: string;
        member_role: string;
        customer_number: string | null;
      }>(
        `SELECT id, first_name, last_name, date_of_birth, member_role, customer_number
         FROM members WHERE household_id = $1 ORDER BY seq`,
        [household],
      );
      const person = (row: (typeof people)[number]): HouseholdMember => ({
        firstName: row.first_name,
        lastName: row.last_name,
        dateOfBirth: row.date_of_birth,
        role: row.member_role as HouseholdMember['role'],
      });
      const clientRow =
        people.find((p) => p.id === memberId) ??
        people.find((p) => p.member_role === 'applicant') ??
        people[0];
      if (!head || !clientRow) throw new CaseAccessError('the verified case no longer exists');
      return {
        caseId: household,
        bgNumber: head.bg_number,
        client: {
          ...person(clientRow),
          ...(clientRow.customer_number ? { customerNumber: clientRow.customer_number } : {}),
        },
        members: people.map(person),
        benefitPeriod: await this.queryBenefitPeriod(tx, household),
        nextPayment: await this.queryNextPayment(tx, household),
        applications: await this.queryApplications(tx, household),
        appointments: await this.queryAppointments(tx, household, 10),
        notes: await this.queryContactNotes(tx, household, 10),
        caseworker: await this.queryCaseworker(tx, household),
      };
    });
  }

  caseworker(caseRef: CaseRef, audit: AuditContext): Promise<CaseworkerInfo | null> {
    return this.read(caseRef, audit, 'caseworker', (tx, household) =>
      this.queryCaseworker(tx, household),
    );
  }

  private async queryCaseworker(
    tx: SqlExecutor,
    household: string,
  ): Promise<CaseworkerInfo | null> {
    const rows = await tx.query<{
      caseworker_name: string | null;
      caseworker_team: string | null;
      caseworker_phone: string | null;
    }>('SELECT caseworker_name, caseworker_team, caseworker_phone FROM households WHERE id = $1', [
      household,
    ]);
    const row = rows[0];
    if (!row?.caseworker_name) return null;
    return {
      name: row.caseworker_name,
      team: row.caseworker_team ?? '',
      phone: row.caseworker_phone ?? '',
    };
  }

  householdMembers(caseRef: CaseRef, audit: AuditContext): Promise<HouseholdMember[]> {
    return this.read(caseRef, audit, 'household_members', (tx, household) =>
      this.queryHouseholdMembers(tx, household),
    );
  }

  private async queryHouseholdMembers(
    tx: SqlExecutor,
    household: string,
  ): Promise<HouseholdMember[]> {
    const rows = await tx.query<{
      first_name: string;
      last_name: string;
      date_of_birth: string;
      member_role: string;
    }>(
      `SELECT first_name, last_name, date_of_birth, member_role FROM members
       WHERE household_id = $1 ORDER BY seq`,
      [household],
    );
    return rows.map((r) => ({
      firstName: r.first_name,
      lastName: r.last_name,
      dateOfBirth: r.date_of_birth,
      role: r.member_role as HouseholdMember['role'],
    }));
  }

  benefitPeriod(caseRef: CaseRef, audit: AuditContext): Promise<BenefitPeriod | null> {
    return this.read(caseRef, audit, 'benefit_period', (tx, household) =>
      this.queryBenefitPeriod(tx, household),
    );
  }

  private async queryBenefitPeriod(
    tx: SqlExecutor,
    household: string,
  ): Promise<BenefitPeriod | null> {
    const rows = await tx.query<{ benefit_start: string | null; benefit_end: string | null }>(
      'SELECT benefit_start, benefit_end FROM households WHERE id = $1',
      [household],
    );
    const row = rows[0];
    return row?.benefit_start && row.benefit_end
      ? { start: row.benefit_start, end: row.benefit_end }
      : null;
  }

  contactNotes(caseRef: CaseRef, audit: AuditContext, limit = 10): Promise<ContactNote[]> {
    const capped = Math.max(1, Math.min(100, Math.floor(limit)));
    return this.read(caseRef, audit, 'contact_notes', (tx, household) =>
      this.queryContactNotes(tx, household, capped),
    );
  }

  private async queryContactNotes(
    tx: SqlExecutor,
    household: string,
    capped: number,
  ): Promise<ContactNote[]> {
    const rows = await tx.query<{
      id: string;
      created_at: string;
      author: string;
      channel: string;
      body: string;
    }>(
      `SELECT id, created_at, author, channel, body FROM contact_notes
       WHERE household_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [household, capped],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.created_at,
      author: r.author,
      channel: r.channel as ContactNote['channel'],
      text: r.body,
    }));
  }

  async addContactNote(
    caseRef: CaseRef,
    note: NewContactNote,
    audit: AuditContext,
  ): Promise<ContactNote> {
    checkAudit(audit);
    const text = checkNewNote(note);
    const householdId = this.household(caseRef);
    const stored: ContactNote = {
      id: crypto.randomUUID(),
      at: this.now().toISOString(),
      author: audit.who,
      channel: note.channel,
      text,
    };
    await this.db.transaction(async (tx) => {
      await this.writeAudit(tx, audit, householdId, 'add_contact_note', 'written');
      await tx.query(
        `INSERT INTO contact_notes (id, household_id, created_at, author, channel, body)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [stored.id, householdId, stored.at, stored.author, stored.channel, stored.text],
      );
    });
    return stored;
  }

  /** The audit log, newest first (for the data-protection officer and tests). */
  async auditLog(filter: { householdId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = Math.max(1, Math.min(10_000, filter.limit ?? 1000));
    const rows = await this.db.query<{
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

  async countHouseholds(): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'SELECT CAST(count(*) AS INTEGER) AS n FROM households',
    );
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    this.verified.clear();
    await this.db.close();
  }
}
