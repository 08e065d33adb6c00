/**
 * Failed verification attempts, counted across calls and kept on disk: the
 * customer number is printed on every letter, so a limit per call alone
 * lets anyone who redials guess dates of birth until one fits (§ 35 SGB I,
 * § 67 ff. SGB X; Art. 32 GDPR). Counted per subject:
 *
 *   number  the customer or BG number (or PIN) a verification named
 *   caller  the caller ID (the line the call came from), when there is one
 *   call    the call itself (so parallel requests in one call gain nothing)
 *
 * Each subject is stored only as a keyed hash (HMAC with the engine's
 * 'verification' key, see verification-gate.ts): never a number, and the
 * same hash whether the number exists or not.
 *
 * The rule (LOCKOUT_RULE): the third failure locks the subject for 15
 * minutes, every further failure doubles the lock (30 min, 1 h, 2 h …) up to
 * 24 hours. Failures are forgotten after 24 hours without a failure and
 * without a lock in force, and a successful verification forgives the number
 * and the call (the person proved they know it) but not the caller ID — or
 * one could verify oneself between guesses at someone else's number.
 *
 * Every lock that starts, and every verification refused because of one, is
 * written to `verification_lockouts`: append-only and hash-chained like the
 * audit log (store/db/hash-chain.ts), for the data-protection officer.
 *
 * A database that cannot be opened is not moved aside (that would forget
 * every lock): verification stops until IT has looked at it.
 */
import crypto from 'node:crypto';
import type { ScopedLogger } from '../log/logger';
import { appendOnlySql } from '../store/db/append-only';
import { HashChain, type ChainReport } from '../store/db/hash-chain';
import type { Migration } from '../store/db/migrations';
import type { DriverChoice } from '../store/db/open-database';
import { openStoreDatabase } from '../store/db/open-store';
import type { SqlDatabase, SqlExecutor } from '../store/db/sql-database';

export const VERIFICATION_ATTEMPTS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'failed verification attempts per subject (keyed hash), and the lockout journal',
    sql: `
CREATE TABLE IF NOT EXISTS verification_limits (
  subject_kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL,
  locked_until TEXT,
  PRIMARY KEY (subject_kind, subject)
);
CREATE TABLE IF NOT EXISTS verification_lockouts (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  event TEXT NOT NULL,
  subjects TEXT NOT NULL,
  locked_until TEXT NOT NULL,
  call_id TEXT,
  who TEXT NOT NULL,
  seq INTEGER,
  mac TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS verification_lockouts_seq ON verification_lockouts (seq)`,
  },
  {
    version: 2,
    name: 'lockout journal append-only',
    sql: appendOnlySql('verification_lockouts'),
  },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface LockoutRule {
  /** The failure that starts the first lock. */
  lockAfter: number;
  /** How long the first lock lasts; each further failure doubles it. */
  firstLockMs: number;
  /** The longest lock. */
  maxLockMs: number;
  /** Failures are forgotten this long after the last failure or lock. */
  forgetMs: number;
}

export const LOCKOUT_RULE: LockoutRule = {
  lockAfter: 3,
  firstLockMs: 15 * MINUTE,
  maxLockMs: 24 * HOUR,
  forgetMs: 24 * HOUR,
};

/** How long a subject with this many failures is locked (0: not locked). */
export function lockDuration(failures: number, rule: LockoutRule = LOCKOUT_RULE): number {
  if (failures < rule.lockAfter) return 0;
  return Math.min(rule.maxLockMs, rule.firstLockMs * 2 ** (failures - rule.lockAfter));
}

export type SubjectKind = 'number' | 'caller' | 'call';

/** One thing attempts are counted for: its kind and its keyed hash. */
export interface Subject {
  kind: SubjectKind;
  key: string;
}

/** A lock that started (for the log, the lockout journal and a supervisor board). */
export interface Lockout extends Subject {
  failures: number;
  /** ISO instant. */
  until: string;
  callId: string | null;
  who: string;
}

/** A row of the lockout journal. */
export interface LockoutJournalEntry {
  at: string;
  /** 'locked': a failure started these locks; 'refused': a verification was refused by them. */
  event: 'locked' | 'refused';
  locks: { kind: SubjectKind; key: string; failures: number; until: string }[];
  callId: string | null;
  who: string;
}

const CHAINED = {
  table: 'verification_lockouts',
  columns: ['id', 'created_at', 'event', 'subjects', 'locked_until', 'call_id', 'who'],
  label: 'lockout journal',
} as const;

interface LimitRow {
  subject_kind: string;
  subject: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

export interface VerificationAttemptsOptions {
  /** The engine's data folder; undefined: in memory (tests). */
  dataDir?: string;
  driver?: DriverChoice;
  sqliteModule?: string;
  /** Key of the lockout journal's hash chain (the engine's 'audit' key). */
  key?: Buffer;
  rule?: LockoutRule;
  now?: () => Date;
  log?: ScopedLogger;
}

export class VerificationAttempts {
  private readonly chain: HashChain;

  private constructor(
    private readonly db: SqlDatabase,
    private readonly rule: LockoutRule,
    key: Buffer,
  ) {
    this.chain = new HashChain(CHAINED, key);
  }

  static async open(options: VerificationAttemptsOptions = {}): Promise<VerificationAttempts> {
    const db = await openStoreDatabase(
      {
        name: 'verification',
        component: 'verification-attempts',
        migrations: VERIFICATION_ATTEMPTS_MIGRATIONS,
        label: 'verification attempts store',
      },
      { ...options, onDamaged: 'fail' },
    );
    return new VerificationAttempts(
      db,
      options.rule ?? LOCKOUT_RULE,
      options.key ?? Buffer.from('lotse-demo-audit-key'),
    );
  }

  /** Until when any of these subjects is locked (the latest), or null. */
  async lockedUntil(subjects: readonly Subject[], now: Date): Promise<string | null> {
    let until: string | null = null;
    for (const row of await this.rows(this.db, subjects)) {
      const lock = row.locked_until;
      if (lock && Date.parse(lock) > now.getTime() && (!until || lock > until)) until = lock;
    }
    return until;
  }

  /**
   * Counts one failure for each subject, in one transaction; returns the
   * locks this failure started (each also written to the lockout journal).
   */
  async recordFailure(
    subjects: readonly Subject[],
    context: { callId: string | null; who: string },
    now: Date,
  ): Promise<Lockout[]> {
    return this.db.transaction(async (tx) => {
      const known = new Map((await this.rows(tx, subjects)).map((r) => [rowKey(r), r]));
      const started: Lockout[] = [];
      for (const subject of subjects) {
        const row = known.get(`${subject.kind}:${subject.key}`);
        const failures = (row && !this.forgotten(row, now) ? Number(row.failures) : 0) + 1;
        const lockMs = lockDuration(failures, this.rule);
        const until = lockMs > 0 ? new Date(now.getTime() + lockMs).toISOString() : null;
        await tx.query(
          `INSERT INTO verification_limits
             (subject_kind, subject, failures, last_failure_at, locked_until)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (subject_kind, subject) DO UPDATE SET
             failures = excluded.failures,
             last_failure_at = excluded.last_failure_at,
             locked_until = excluded.locked_until`,
          [subject.kind, subject.key, failures, now.toISOString(), until],
        );
        if (until) started.push({ ...subject, failures, until, ...context });
      }
      // One journal row per transaction (the chain's rule): the locks of one failure together.
      if (started.length > 0) await this.journal(tx, 'locked', started, now);
      return started;
    });
  }

  /** A verification refused because of a lock in force: written to the lockout journal. */
  async recordRefusal(
    subjects: readonly Subject[],
    context: { callId: string | null; who: string },
    now: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const locked = (await this.rows(tx, subjects)).filter(
        (r) => r.locked_until && Date.parse(r.locked_until) > now.getTime(),
      );
      if (locked.length === 0) return;
      await this.journal(
        tx,
        'refused',
        locked.map((r) => ({
          kind: r.subject_kind as SubjectKind,
          key: r.subject,
          failures: Number(r.failures),
          until: String(r.locked_until),
          ...context,
        })),
        now,
      );
    });
  }

  /** A successful verification: these subjects start again from zero. */
  async forgive(subjects: readonly Subject[]): Promise<void> {
    if (subjects.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const subject of subjects) {
        await tx.query('DELETE FROM verification_limits WHERE subject_kind = $1 AND subject = $2', [
          subject.kind,
          subject.key,
        ]);
      }
    });
  }

  /** The failures counted for one subject now (0 when forgotten or never failed; tests). */
  async failures(subject: Subject, now: Date): Promise<number> {
    const [row] = await this.rows(this.db, [subject]);
    return row && !this.forgotten(row, now) ? Number(row.failures) : 0;
  }

  /**
   * The lockout journal, newest first (for the data-protection officer and
   * tests): one entry per failure that started locks, and per verification
   * refused because of one, with every subject concerned.
   */
  async lockouts(limit = 1000): Promise<LockoutJournalEntry[]> {
    const rows = await this.db.query<{
      created_at: string;
      event: string;
      subjects: string;
      call_id: string | null;
      who: string;
    }>(
      `SELECT created_at, event, subjects, call_id, who
       FROM verification_lockouts ORDER BY seq DESC LIMIT $1`,
      [Math.max(1, Math.min(10_000, limit))],
    );
    return rows.map((r) => ({
      at: r.created_at,
      event: r.event as LockoutJournalEntry['event'],
      locks: JSON.parse(r.subjects) as LockoutJournalEntry['locks'],
      callId: r.call_id,
      who: r.who,
    }));
  }

  /** Checks the lockout journal's hash chain. */
  verifyJournal(): Promise<ChainReport> {
    return this.chain.verify(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private forgotten(row: LimitRow, now: Date): boolean {
    const last = Math.max(
      Date.parse(row.last_failure_at),
      row.locked_until ? Date.parse(row.locked_until) : 0,
    );
    return now.getTime() - last > this.rule.forgetMs;
  }

  private async rows(db: SqlExecutor, subjects: readonly Subject[]): Promise<LimitRow[]> {
    const found: LimitRow[] = [];
    for (const subject of subjects) {
      const rows = await db.query<LimitRow & Record<string, string | number | null>>(
        `SELECT subject_kind, subject, failures, last_failure_at, locked_until
         FROM verification_limits WHERE subject_kind = $1 AND subject = $2`,
        [subject.kind, subject.key],
      );
      if (rows[0]) found.push(rows[0]);
    }
    return found;
  }

  /** One chained row per event, naming every subject it concerns (the chain takes one row per transaction). */
  private async journal(
    tx: SqlExecutor,
    event: 'locked' | 'refused',
    locks: readonly Lockout[],
    now: Date,
  ): Promise<void> {
    const latest = locks.reduce((a, b) => (b.until > a.until ? b : a));
    await this.chain.append(tx, {
      id: crypto.randomUUID(),
      created_at: now.toISOString(),
      event,
      subjects: JSON.stringify(
        locks.map((l) => ({ kind: l.kind, key: l.key, failures: l.failures, until: l.until })),
      ),
      locked_until: latest.until,
      call_id: latest.callId,
      who: latest.who,
    });
  }
}

function rowKey(row: LimitRow): string {
  return `${row.subject_kind}:${row.subject}`;
}
