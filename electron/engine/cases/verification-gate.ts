/**
 * The limits on verification, in front of whichever case system the desk
 * uses (embedded store or HTTP connector). Every verification — the bot's
 * and the agent's (`case.verify`) — goes through here:
 *
 *   subjects: the number or PIN named, the caller ID, the call (keyed hashes)
 *        │
 *        ▼  one at a time per subject (parallel requests queue up)
 *   locked? ──yes──▶ refused without a check: { verified: false, lockedUntil }
 *        │no
 *        ▼
 *   case system verify (its audit row carries the number's hash as `subject`)
 *        │ verified: forgive number and call        │ not verified: count the
 *        ▼                                          ▼ failure for every subject,
 *   answer                                            then answer
 *
 * The failure is counted before the answer leaves, and requests for the same
 * number, line or call wait for each other, so neither a second call nor a
 * burst of parallel requests (a PIN alone must not be enumerable) gets
 * around the count. A case system that fails (down, slow, damaged audit log)
 * is reported, never counted: not the caller's fault. A counting store that
 * fails stops verification (VerificationStoreError): no check without a count.
 *
 * What each side learns while a lock is in force (§ 35 SGB I: never whether
 * a number exists — locks are counted for numbers that do not exist alike):
 * the caller hears the same words as for a wrong date of birth and is put
 * through to a person (day) or offered a callback (night); the agent's
 * screen says that phone verification for this number or line is blocked
 * until a given time, so the agent asks for another way (in person, with ID)
 * instead of reading the case — a victim of guessing learns why, an
 * attacker learns nothing about the case. Every lock that starts is
 * reported to `onLockout` listeners (the log now; a supervisor board later)
 * with hashes only.
 */
import type { ErrorReason, ReasonedError } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import {
  checkAudit,
  type ApplicationInfo,
  type AppointmentInfo,
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
import type { Lockout, Subject, VerificationAttempts } from './verification-attempts';

/** The store that counts attempts cannot be used: no verification without a count. */
export class VerificationStoreError extends Error implements ReasonedError {
  readonly reason: ErrorReason = 'verification_store_unavailable';

  constructor(cause: unknown) {
    super(
      `verification attempts cannot be counted, so no verification now: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'VerificationStoreError';
  }
}

export interface VerificationGateOptions {
  /** The attempts store (opened lazily: a failure to open stops verification, with a reason). */
  attempts: () => Promise<VerificationAttempts>;
  /** Keyed hash for the subjects (the engine's 'verification' key). */
  hmac: (value: string) => string;
  /** The caller ID of a live call, as the phone or the bot reported it. */
  callerIdOf?: (callId: string) => string | undefined;
  log?: ScopedLogger;
  now?: () => Date;
}

export class VerificationGate implements CaseSystem {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly lockoutListeners = new Set<(lockout: Lockout) => void>();
  private readonly now: () => Date;

  constructor(
    /** The case system behind the gate. */
    readonly inner: CaseSystem,
    private readonly options: VerificationGateOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Every lock that starts (hashes only): for the log and, later, the supervisor board. */
  onLockout(listener: (lockout: Lockout) => void): () => void {
    this.lockoutListeners.add(listener);
    return () => this.lockoutListeners.delete(listener);
  }

  /** The subjects a verification is counted for. */
  subjects(input: VerifyInput, audit: AuditContext): { number: Subject; all: Subject[] } {
    const number: Subject = { kind: 'number', key: this.options.hmac(numberSubject(input)) };
    const all = [number];
    const callerId = audit.callId ? this.options.callerIdOf?.(audit.callId) : undefined;
    const line = callerId ? normalizeCallerId(callerId) : undefined;
    if (line) all.push({ kind: 'caller', key: this.options.hmac(`caller:${line}`) });
    if (audit.callId) all.push({ kind: 'call', key: this.options.hmac(`call:${audit.callId}`) });
    return { number, all };
  }

  async verify(input: VerifyInput, audit: AuditContext): Promise<VerifyResult> {
    checkAudit(audit);
    const { number, all } = this.subjects(input, audit);
    const context = { callId: audit.callId ?? null, who: audit.who };
    return this.serialized(
      all.map((s) => `${s.kind}:${s.key}`),
      async () => {
        const attempts = await this.attempts();
        const now = this.now();
        const lockedUntil = await this.counting(() => attempts.lockedUntil(all, now));
        if (lockedUntil) {
          await this.counting(() => attempts.recordRefusal(all, context, now));
          this.options.log?.info(
            `verification refused without a check: locked until ${lockedUntil}` +
              (audit.callId ? ` (call ${audit.callId})` : ''),
          );
          return { verified: false, lockedUntil };
        }
        // Errors of the case system pass through uncounted (the caller's
        // words: "the system is down"; the agent's screen: its reason).
        const result = await this.inner.verify(input, { ...audit, subject: number.key });
        if (result.verified) {
          await attempts
            .forgive(all.filter((s) => s.kind !== 'caller'))
            .catch((error: unknown) =>
              this.options.log?.warn(
                `verified, but earlier failures not forgiven: ${(error as Error).message}`,
              ),
            );
          return result;
        }
        const started = await this.counting(() => attempts.recordFailure(all, context, this.now()));
        for (const lockout of started) this.lockedOut(lockout);
        return { verified: false };
      },
    );
  }

  // ── the rest goes straight through ────────────────────────────────────

  findByCallerId(phone: string, audit: AuditContext): Promise<CallerIdHint> {
    return this.inner.findByCallerId(phone, audit);
  }
  release(caseRef: CaseRef): void {
    this.inner.release(caseRef);
  }
  nextPayment(caseRef: CaseRef, audit: AuditContext): Promise<NextPayment | null> {
    return this.inner.nextPayment(caseRef, audit);
  }
  applications(caseRef: CaseRef, audit: AuditContext): Promise<ApplicationInfo[]> {
    return this.inner.applications(caseRef, audit);
  }
  nextAppointment(caseRef: CaseRef, audit: AuditContext): Promise<AppointmentInfo | null> {
    return this.inner.nextAppointment(caseRef, audit);
  }
  caseworker(caseRef: CaseRef, audit: AuditContext): Promise<CaseworkerInfo | null> {
    return this.inner.caseworker(caseRef, audit);
  }
  householdMembers(caseRef: CaseRef, audit: AuditContext): Promise<HouseholdMember[]> {
    return this.inner.householdMembers(caseRef, audit);
  }
  benefitPeriod(caseRef: CaseRef, audit: AuditContext): Promise<BenefitPeriod | null> {
    return this.inner.benefitPeriod(caseRef, audit);
  }
  contactNotes(caseRef: CaseRef, audit: AuditContext, limit?: number): Promise<ContactNote[]> {
    return this.inner.contactNotes(caseRef, audit, limit);
  }
  addContactNote(
    caseRef: CaseRef,
    note: NewContactNote,
    audit: AuditContext,
  ): Promise<ContactNote> {
    return this.inner.addContactNote(caseRef, note, audit);
  }
  caseContext(caseRef: CaseRef, audit: AuditContext): Promise<CaseContext> {
    return this.inner.caseContext(caseRef, audit);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  // ── helpers ───────────────────────────────────────────────────────────

  private async attempts(): Promise<VerificationAttempts> {
    return this.counting(() => this.options.attempts());
  }

  /** A failure of the attempts store: logged, and verification stops with a reason. */
  private async counting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const failure = new VerificationStoreError(error);
      this.options.log?.error(failure.message);
      throw failure;
    }
  }

  private lockedOut(lockout: Lockout): void {
    this.options.log?.warn(
      `verification locked: ${lockout.kind} ${lockout.key} after ${lockout.failures} failed ` +
        `attempts, until ${lockout.until}${lockout.callId ? ` (call ${lockout.callId})` : ''}`,
    );
    for (const listener of this.lockoutListeners) {
      try {
        listener(lockout);
      } catch (error) {
        this.options.log?.error(`lockout listener failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Runs `work` once every earlier request for any of these keys is done
   * (keys taken in sorted order, so two requests never wait for each other).
   */
  private async serialized<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.take(key));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async take(key: string): Promise<() => void> {
    const before = this.queues.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.queues.set(key, tail);
    await before;
    return () => {
      release();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    };
  }
}

/**
 * What a verification names, as the text that is hashed: the kind and the
 * digits (a keypad has no letters: "990D10001" keyed is "99010001", and both
 * count for the same number), or the PIN.
 */
export function numberSubject(input: VerifyInput): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const digits = (value: unknown) => text(value).replace(/\D/g, '');
  if (input && 'pin' in input) return `pin:${text(input.pin).replace(/\s/g, '')}`;
  if (input && 'bgNumber' in input) return `bg:${digits(input.bgNumber)}`;
  return `customer:${digits((input as { customerNumber?: unknown } | undefined)?.customerNumber)}`;
}

/**
 * The line a call came from, comparable across calls: the user part of a
 * SIP or tel URI, digits with a leading + kept; undefined when the caller ID
 * is withheld or empty.
 */
export function normalizeCallerId(raw: string): string | undefined {
  let value = raw.trim();
  const uri = /^(?:"[^"]*"\s*)?<?(?:sips?|tel):([^@;>]+)/i.exec(value);
  if (uri?.[1]) value = uri[1];
  value = value.toLowerCase();
  if (/^\+?[\d\s()/.-]+$/.test(value)) value = value.replace(/[^\d+]/g, '');
  if (!value || /^(anonymous|unknown|restricted|private|unavailable)$/.test(value)) {
    return undefined;
  }
  return value;
}
