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
import { ChainDamagedError, type ChainReport } from '../store/db/hash-chain';
import { openDatabase, type DriverChoice } from '../store/db/open-database';
import { DatabaseOpenError, type SqlDatabase } from '../store/db/sql-database';
import {
  CASE_AUDIT_COMPONENT,
  CASE_AUDIT_MIGRATIONS,
  CaseAuditLog,
  readAuditLog,
  type AuditEntry,
} from './case-audit-log';
import { importCaseFile } from './case-file-import';
import { formatIssue, type CaseRecordIssue } from './case-record';
import { CaseRefRegistry } from './case-ref-registry';
import { CASE_MIGRATIONS, CASE_STORE_COMPONENT } from './case-schema';
import {
  CaseSystemError,
  checkAudit,
  checkNewNote,
  type AppointmentInfo,
  type ApplicationInfo,
  type AuditContext,
  type BenefitPeriod,
  type CallerIdHint,
  type CaseContext,
  type CaseRef,
  type CaseSystem,
  type CaseworkerInfo,
  type ContactNote,
  type HouseholdMember,
  type NewContactNote,
  type NextPayment,
  type VerifyInput,
  type VerifyResult,
} from './case-system';
import { generateDemoHouseholds, DEMO_HOUSEHOLDS, DEMO_SEED } from './demo-households';
import { HouseholdQueries } from './household-queries';
import { matchVerification, type VerificationMatch } from './verification-match';

export interface EmbeddedCaseSystemOptions {
  /** The engine's data folder; undefined: in memory (tests). */
  dataDir?: string;
  driver?: DriverChoice;
  sqliteModule?: string;
  /** Demo households loaded on the store's first start (default); false: none. */
  demo?: false | { seed?: number; households?: number };
  /** Key for the PIN hashes (the engine's key); a PIN is never stored as it is. */
  pinKey?: Buffer;
  /** Key of the audit log's hash chain (the engine's 'audit' key; a fixed one in tests). */
  auditKey?: Buffer;
  /**
   * A database that cannot be opened: 'move-aside' (default) keeps it and
   * starts fresh; 'fail' (the app: its audit log must not be replaced by an
   * empty one) throws, and case access stops until IT has looked at it.
   */
  onDamaged?: 'move-aside' | 'fail';
  /** Every verify takes at least this long, so its time tells nothing (default 250 ms). */
  verifyFloorMs?: number;
  /** How long a CaseRef stays valid (default 2 h: longer than any call). */
  caseRefTtlMs?: number;
  now?: () => Date;
  log?: ScopedLogger;
}

export class EmbeddedCaseSystem implements CaseSystem {
  /** What stands behind each CaseRef: the household and member that verified. */
  private readonly verified: CaseRefRegistry<VerificationMatch>;
  private readonly pinKey: Buffer;
  private readonly verifyFloorMs: number;
  private readonly now: () => Date;
  private readonly audit: CaseAuditLog;
  private readonly log: ScopedLogger | undefined;

  private constructor(
    private readonly db: SqlDatabase,
    options: EmbeddedCaseSystemOptions,
    /** Set when a damaged database was moved aside on this start. */
    readonly movedAside: { from: string; to: string; reason: string } | undefined,
  ) {
    this.pinKey = options.pinKey ?? Buffer.from('lotse-demo-pin-key');
    this.verifyFloorMs = options.verifyFloorMs ?? 250;
    this.now = options.now ?? (() => new Date());
    this.log = options.log;
    this.audit = new CaseAuditLog(
      options.auditKey ?? Buffer.from('lotse-demo-audit-key'),
      this.now,
    );
    this.verified = new CaseRefRegistry({
      ...(options.caseRefTtlMs !== undefined ? { ttlMs: options.caseRefTtlMs } : {}),
      now: this.now,
    });
  }

  /** Opens the store, applies migrations, and loads the demo households into an empty store. */
  static async open(options: EmbeddedCaseSystemOptions = {}): Promise<EmbeddedCaseSystem> {
    let opened: Awaited<ReturnType<typeof openDatabase>>;
    try {
      opened = await openDatabase({
        name: 'cases',
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        ...(options.driver ? { driver: options.driver } : {}),
        ...(options.sqliteModule ? { sqliteModule: options.sqliteModule } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.onDamaged ? { onDamaged: options.onDamaged } : {}),
      });
    } catch (error) {
      if (!(error instanceof DatabaseOpenError)) throw error;
      // Its audit log with it: no fresh, empty store in its place.
      options.log?.error(
        `case store at ${error.location} cannot be opened (${error.reason}); ` +
          'case access stops until IT has checked or moved the file',
      );
      throw new ChainDamagedError('case store and its audit log', error.reason);
    }
    if (opened.movedAside) {
      options.log?.error(
        `case store at ${opened.movedAside.from} was damaged (${opened.movedAside.reason}); ` +
          `moved to ${opened.movedAside.to}, starting with a fresh store`,
      );
    }
    const store = new EmbeddedCaseSystem(opened.db, options, opened.movedAside);
    try {
      await migrate(opened.db, CASE_STORE_COMPONENT, CASE_MIGRATIONS, store.now);
      await migrate(opened.db, CASE_AUDIT_COMPONENT, CASE_AUDIT_MIGRATIONS, store.now);
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
   * Imports a case file `{ version: 1, households: [...] }` (see
   * case-file-import.ts): bad records are reported and skipped.
   */
  importCaseFile(
    data: unknown,
    source = 'import',
  ): Promise<{ imported: number; issues: CaseRecordIssue[] }> {
    return importCaseFile(this.db, data, {
      source,
      hashPin: (pin) => this.hashPin(pin),
      now: this.now,
    });
  }

  private hashPin(pin: string): string {
    return crypto.createHmac('sha256', this.pinKey).update(pin).digest('hex');
  }

  async findByCallerId(phone: string, audit: AuditContext): Promise<CallerIdHint> {
    checkAudit(audit);
    const normalized = typeof phone === 'string' ? phone.replace(/[\s()/-]/g, '') : '';
    return this.db.transaction(async (tx) => {
      const rows = await tx.query('SELECT household_id FROM caller_ids WHERE phone = $1 LIMIT 1', [
        normalized,
      ]);
      // No case is named in the audit row: the hint is not a verification.
      await this.audit.write(tx, audit, null, 'caller_id_hint', rows.length ? 'known' : 'unknown');
      return { known: rows.length > 0 };
    });
  }

  async verify(input: VerifyInput, audit: AuditContext): Promise<VerifyResult> {
    checkAudit(audit);
    const started = performance.now();
    let found: VerificationMatch | null;
    try {
      found = await matchVerification(this.db, input, (pin) => this.hashPin(pin));
    } catch (error) {
      // The store failed, not the caller: logged and reported (the bot says the
      // system is down, the agent's screen says so), never a failed attempt.
      const message = error instanceof Error ? error.message : String(error);
      this.log?.error(`verify: the case store failed: ${message}`);
      throw new CaseSystemError('unavailable', `the case store failed during verify: ${message}`);
    }
    const householdId = found?.householdId ?? null;
    await this.db.transaction((tx) =>
      this.audit.write(tx, audit, householdId, 'verify', householdId ? 'verified' : 'not_verified'),
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
    work: (household: HouseholdQueries) => Promise<T>,
  ): Promise<T> {
    checkAudit(audit);
    const householdId = this.household(caseRef);
    return this.db.transaction(async (tx) => {
      await this.audit.write(tx, audit, householdId, what, 'read');
      return work(new HouseholdQueries(tx, householdId, this.now));
    });
  }

  nextPayment(caseRef: CaseRef, audit: AuditContext): Promise<NextPayment | null> {
    return this.read(caseRef, audit, 'next_payment', (household) => household.nextPayment());
  }

  applications(caseRef: CaseRef, audit: AuditContext): Promise<ApplicationInfo[]> {
    return this.read(caseRef, audit, 'applications', (household) => household.applications());
  }

  nextAppointment(caseRef: CaseRef, audit: AuditContext): Promise<AppointmentInfo | null> {
    return this.read(caseRef, audit, 'next_appointment', async (household) => {
      const [next] = await household.appointments(1);
      return next ?? null;
    });
  }

  /**
   * The caseworker's picture of a verified caller, in one transaction with
   * one audit row ('case_context').
   */
  async caseContext(caseRef: CaseRef, audit: AuditContext): Promise<CaseContext> {
    // async: an unknown ref must reject the promise, not throw before one exists.
    const { memberId } = this.verified.resolve(caseRef);
    return this.read(caseRef, audit, 'case_context', (household) => household.context(memberId));
  }

  caseworker(caseRef: CaseRef, audit: AuditContext): Promise<CaseworkerInfo | null> {
    return this.read(caseRef, audit, 'caseworker', (household) => household.caseworker());
  }

  householdMembers(caseRef: CaseRef, audit: AuditContext): Promise<HouseholdMember[]> {
    return this.read(caseRef, audit, 'household_members', (household) => household.members());
  }

  benefitPeriod(caseRef: CaseRef, audit: AuditContext): Promise<BenefitPeriod | null> {
    return this.read(caseRef, audit, 'benefit_period', (household) => household.benefitPeriod());
  }

  contactNotes(caseRef: CaseRef, audit: AuditContext, limit = 10): Promise<ContactNote[]> {
    const capped = Math.max(1, Math.min(100, Math.floor(limit)));
    return this.read(caseRef, audit, 'contact_notes', (household) =>
      household.contactNotes(capped),
    );
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
      await this.audit.write(tx, audit, householdId, 'add_contact_note', 'written');
      await tx.query(
        `INSERT INTO contact_notes (id, household_id, created_at, author, channel, body)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [stored.id, householdId, stored.at, stored.author, stored.channel, stored.text],
      );
    });
    return stored;
  }

  /** The audit log, newest first (for the data-protection officer and tests). */
  auditLog(filter: { householdId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return readAuditLog(this.db, filter);
  }

  /** Checks the audit log's hash chain from its first row (for the data-protection officer). */
  verifyAuditLog(): Promise<ChainReport> {
    return this.audit.verify(this.db);
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
