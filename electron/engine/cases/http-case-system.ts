/**
 * The CaseSystem over HTTP: an office's own case-management product
 * (Fachverfahren) behind a small REST bridge that implements
 * resources/api/case-system.openapi.json. The desk never hands the server's
 * case token to anyone: `verify` issues this connector's own opaque, expiring
 * CaseRef and keeps the server token and the case id behind it. The HTTP
 * itself – audit headers, retries, what each failure becomes – is
 * case-api-client.ts; here, an answer for another case than the CaseRef's is
 * a CaseSystemError 'mismatch' and is discarded, and an unknown, released or
 * expired CaseRef (or a 410 from the server) is a CaseAccessError.
 *
 * verify when the server cannot answer: it throws CaseSystemError (it does
 * not answer `{ verified: false }`), so the bot and the screen can say "the
 * system cannot be reached" rather than "not verified", and the caller does
 * not use up a verification attempt. This discloses nothing about the
 * number: the failure does not depend on it. The contract answers 200
 * `{ verified: false }` for an unknown number and a wrong date alike; a bridge
 * that answers 400/404/422 instead is treated as `{ verified: false }` too
 * (and logged), so a careless bridge cannot make "unknown number" sound
 * different from "wrong date of birth".
 *
 * verify takes a fixed minimum time (verifyFloorMs, default 800 ms), like the
 * embedded store's floor: whatever the bridge does for a known number (a
 * lookup, a hash, a second query), the desk answers no sooner than the floor,
 * so the time of "not verified" does not tell whether the number exists. The
 * floor is higher than the embedded store's 250 ms because a network and a
 * bridge vary more than a local query (the contract asks bridges for a floor
 * of a few hundred milliseconds of their own). A failure (timeout, server
 * down) is padded the same way and is still reported as that failure.
 *
 * A contact note's Idempotency-Key is derived from the note, not drawn at
 * random: from the desk's id of the note (NewContactNote.noteId, the id it is
 * kept under in the learning store while it waits), the call and the SHA-256
 * of the text (noteIdempotencyKey). A save that is tried again – the same
 * request after a lost answer, or the agent's second press after "kept on the
 * desk" – sends the same key, and the bridge writes the note once. A changed
 * text is a new note (a new key, never a 422 for a reused one).
 *
 * Audit: the server logs every read (the audit headers name who and why);
 * the desk keeps its own journal as well (audit-journal.ts), written before
 * anything is returned. No journal row, no data.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { AuditJournal } from './audit-journal';
import { CaseRefRegistry } from './case-ref-registry';
import { CaseApiClient, type CaseApiClientOptions, type CaseApiRequest } from './case-api-client';
import {
  applicationsResponseSchema,
  benefitPeriodResponseSchema,
  callerIdHintSchema,
  caseContextSchema,
  caseworkerResponseSchema,
  contactNoteResponseSchema,
  contactNotesResponseSchema,
  householdMembersResponseSchema,
  nextAppointmentResponseSchema,
  nextPaymentResponseSchema,
  verifyResponseSchema,
} from './case-api';
import {
  checkAudit,
  checkNewNote,
  CaseAccessError,
  CaseSystemError,
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

/** The bridge (URL, token, timeouts, retries: case-api-client.ts), the desk's journal and the CaseRefs. */
export interface HttpCaseSystemOptions extends CaseApiClientOptions {
  /** The desk's journal; default: an in-memory one (not kept: pass one in the app). */
  auditLog?: AuditJournal;
  /** Close the journal with this system (when it was opened for it). */
  closeAuditLog?: boolean;
  /** How long a CaseRef stays valid (default 2 h), unless the server says sooner. */
  caseRefTtlMs?: number;
  /** Every verify takes at least this long, answer or failure (default 800 ms). */
  verifyFloorMs?: number;
  now?: () => Date;
}

/** The least time a verify takes over HTTP (see the top of this file). */
export const DEFAULT_HTTP_VERIFY_FLOOR_MS = 800;

/**
 * The Idempotency-Key of a contact note: a UUID (version 8, RFC 9562 B.2:
 * name-based with SHA-256) of the desk's note id, the call and the text's
 * SHA-256. The same note tried again gets the same key; the random note id
 * makes it unguessable from the text.
 */
export function noteIdempotencyKey(
  noteId: string,
  callId: string | undefined,
  text: string,
): string {
  const textHash = crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  const bytes = crypto
    .createHash('sha256')
    .update(JSON.stringify(['lotse/contact-note/1', noteId, callId ?? '', textHash]), 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What stands behind a CaseRef of the connector: the server's case and its token. */
interface Session {
  caseId: string;
  serverToken: string;
}

export class HttpCaseSystem implements CaseSystem {
  private readonly sessions: CaseRefRegistry<Session>;
  private readonly pending = new Set<Promise<void>>();
  private readonly api: CaseApiClient;
  private journal: Promise<AuditJournal> | undefined;
  private readonly ownsJournal: boolean;
  private readonly verifyFloorMs: number;
  /** Where the answers come from, for the journal: the base URL without credentials. */
  readonly system: string;

  constructor(private readonly options: HttpCaseSystemOptions) {
    this.api = new CaseApiClient(options);
    this.system = this.api.system;
    this.verifyFloorMs = Math.max(0, options.verifyFloorMs ?? DEFAULT_HTTP_VERIFY_FLOOR_MS);
    this.sessions = new CaseRefRegistry({
      ...(options.caseRefTtlMs !== undefined ? { ttlMs: options.caseRefTtlMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    if (options.auditLog) {
      this.journal = Promise.resolve(options.auditLog);
      this.ownsJournal = options.closeAuditLog === true;
    } else {
      this.ownsJournal = true;
    }
  }

  private auditJournal(): Promise<AuditJournal> {
    if (!this.journal) {
      this.options.log?.warn('no audit journal given: using one in memory, not kept on disk');
      this.journal = AuditJournal.open({ ...(this.options.now ? { now: this.options.now } : {}) });
    }
    return this.journal;
  }

  /** Journal row first, then the data: if the row cannot be written, nothing is returned. */
  private async record(
    audit: AuditContext,
    what: string,
    caseId: string | null,
    outcome: string,
  ): Promise<void> {
    const journal = await this.auditJournal();
    await journal.record({
      who: audit.who,
      why: audit.why,
      callId: audit.callId ?? null,
      what,
      caseId,
      outcome,
      system: this.system,
      subject: audit.subject ?? null,
    });
  }

  /** A failure is journalled too, where possible; the failure itself is what the caller gets. */
  private async recordFailure(
    audit: AuditContext,
    what: string,
    caseId: string | null,
    error: unknown,
  ): Promise<void> {
    const code =
      error instanceof CaseSystemError
        ? error.code
        : error instanceof CaseAccessError
          ? 'access'
          : 'error';
    try {
      await this.record(audit, what, caseId, `failed:${code}`);
    } catch (journalError) {
      this.options.log?.error(`audit journal: ${(journalError as Error).message}`);
    }
  }

  /** One audited read of a verified case: request, check the case, journal, return. */
  private async read<S extends z.ZodType<{ caseId: string }>, T>(
    caseRef: CaseRef,
    audit: AuditContext,
    what: string,
    path: string,
    schema: S,
    pick: (answer: z.infer<S>) => T,
    extra: Partial<CaseApiRequest<S>> = {},
  ): Promise<T> {
    checkAudit(audit);
    const session = this.sessions.resolve(caseRef);
    let answer: z.infer<S>;
    try {
      answer = await this.api.send({
        method: 'GET',
        path: `cases/${encodeURIComponent(session.caseId)}/${path}`,
        schema,
        audit,
        what,
        caseToken: session.serverToken,
        ...extra,
      });
      this.checkCase(what, session, answer.caseId);
    } catch (error) {
      if (error instanceof CaseAccessError) this.sessions.release(caseRef);
      await this.recordFailure(audit, what, session.caseId, error);
      throw error;
    }
    await this.record(audit, what, session.caseId, extra.method === 'POST' ? 'written' : 'read');
    return pick(answer);
  }

  private checkCase(what: string, session: Session, answered: string): void {
    if (answered === session.caseId) return;
    this.options.log?.error(
      `${what}: case system answered for another case than the verified one; answer discarded`,
    );
    throw new CaseSystemError(
      'mismatch',
      'case system answered for a different case; answer discarded',
    );
  }

  // ── CaseSystem ─────────────────────────────────────────────────────────

  async findByCallerId(phone: string, audit: AuditContext): Promise<CallerIdHint> {
    checkAudit(audit);
    const what = 'caller_id_hint';
    let hint: CallerIdHint;
    try {
      const answer = await this.api.send({
        method: 'POST',
        path: 'caller-id-hint',
        schema: callerIdHintSchema,
        audit,
        what,
        body: { phone: typeof phone === 'string' ? phone.slice(0, 40) : '' },
      });
      hint = { known: answer.known };
    } catch (error) {
      await this.recordFailure(audit, what, null, error);
      throw error;
    }
    await this.record(audit, what, null, hint.known ? 'known' : 'unknown');
    return hint;
  }

  async verify(input: VerifyInput, audit: AuditContext): Promise<VerifyResult> {
    checkAudit(audit);
    const started = performance.now();
    try {
      return await this.verifyOnce(input, audit);
    } finally {
      // Answer or failure, never sooner than the floor: the time tells nothing.
      const wait = this.verifyFloorMs - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async verifyOnce(input: VerifyInput, audit: AuditContext): Promise<VerifyResult> {
    const what = 'verify';
    const body =
      input && 'pin' in input
        ? { pin: String(input.pin ?? '').slice(0, 40) }
        : input && 'bgNumber' in input
          ? {
              bgNumber: String(input.bgNumber ?? '').slice(0, 40),
              dateOfBirth: String(input.dateOfBirth ?? '').slice(0, 40),
            }
          : {
              customerNumber: String(
                (input as { customerNumber?: unknown })?.customerNumber ?? '',
              ).slice(0, 40),
              dateOfBirth: String(
                (input as { dateOfBirth?: unknown } | undefined)?.dateOfBirth ?? '',
              ).slice(0, 40),
            };
    let answer: z.infer<typeof verifyResponseSchema>;
    try {
      answer = await this.api.send({
        method: 'POST',
        path: 'verifications',
        schema: verifyResponseSchema,
        audit,
        what,
        body,
        // A retried verify replays the first answer instead of opening a second session.
        idempotencyKey: crypto.randomUUID(),
        on4xx: () => ({ verified: false as const }),
      });
    } catch (error) {
      await this.recordFailure(audit, what, null, error);
      throw error;
    }
    if (!answer.verified) {
      await this.record(audit, what, null, 'not_verified');
      return { verified: false };
    }
    await this.record(audit, what, answer.caseId, 'verified');
    const serverExpiry = answer.expiresAt ? Date.parse(answer.expiresAt) : Infinity;
    const caseRef = this.sessions.issue(
      { caseId: answer.caseId, serverToken: answer.caseToken },
      serverExpiry,
    );
    return { verified: true, caseRef };
  }

  release(caseRef: CaseRef): void {
    const session = this.sessions.release(caseRef);
    if (!session) return;
    // Fire and forget: the call is over either way; the server's token expires on its own.
    const done = this.api
      .send({
        method: 'DELETE',
        path: `cases/${encodeURIComponent(session.caseId)}/verification`,
        schema: z.unknown(),
        audit: { who: 'lotse', why: 'verification released (call ended)' },
        what: 'release',
        caseToken: session.serverToken,
        attempts: 1,
      })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.options.log?.warn(`release: ${(error as Error).message}`);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  nextPayment(caseRef: CaseRef, audit: AuditContext): Promise<NextPayment | null> {
    return this.read(
      caseRef,
      audit,
      'next_payment',
      'next-payment',
      nextPaymentResponseSchema,
      (a) => a.nextPayment,
    );
  }

  applications(caseRef: CaseRef, audit: AuditContext): Promise<ApplicationInfo[]> {
    return this.read(
      caseRef,
      audit,
      'applications',
      'applications',
      applicationsResponseSchema,
      (a) => a.applications,
    );
  }

  async nextAppointment(caseRef: CaseRef, audit: AuditContext): Promise<AppointmentInfo | null> {
    const appointment = await this.read(
      caseRef,
      audit,
      'next_appointment',
      'next-appointment',
      nextAppointmentResponseSchema,
      (a) => a.nextAppointment,
    );
    return appointment ? withoutUndefined(appointment) : null;
  }

  caseworker(caseRef: CaseRef, audit: AuditContext): Promise<CaseworkerInfo | null> {
    return this.read(
      caseRef,
      audit,
      'caseworker',
      'caseworker',
      caseworkerResponseSchema,
      (a) => a.caseworker,
    );
  }

  householdMembers(caseRef: CaseRef, audit: AuditContext): Promise<HouseholdMember[]> {
    return this.read(
      caseRef,
      audit,
      'household_members',
      'household-members',
      householdMembersResponseSchema,
      (a) => a.members,
    );
  }

  benefitPeriod(caseRef: CaseRef, audit: AuditContext): Promise<BenefitPeriod | null> {
    return this.read(
      caseRef,
      audit,
      'benefit_period',
      'benefit-period',
      benefitPeriodResponseSchema,
      (a) => a.benefitPeriod,
    );
  }

  contactNotes(caseRef: CaseRef, audit: AuditContext, limit = 10): Promise<ContactNote[]> {
    const capped = Math.max(1, Math.min(100, Math.floor(Number(limit) || 10)));
    return this.read(
      caseRef,
      audit,
      'contact_notes',
      `contact-notes?limit=${capped}`,
      contactNotesResponseSchema,
      (a) => a.notes,
    );
  }

  async addContactNote(
    caseRef: CaseRef,
    note: NewContactNote,
    audit: AuditContext,
  ): Promise<ContactNote> {
    checkAudit(audit);
    const text = checkNewNote(note);
    return this.read(
      caseRef,
      audit,
      'add_contact_note',
      'contact-notes',
      contactNoteResponseSchema,
      (a) => a.note,
      {
        method: 'POST',
        body: { channel: note.channel, text },
        // One key for all attempts and for every later save of the same note:
        // the server writes it once. Without the desk's note id, one key per call.
        idempotencyKey:
          typeof note.noteId === 'string' && note.noteId
            ? noteIdempotencyKey(note.noteId, audit.callId, text)
            : crypto.randomUUID(),
      },
    );
  }

  async caseContext(caseRef: CaseRef, audit: AuditContext): Promise<CaseContext> {
    const context = await this.read(
      caseRef,
      audit,
      'case_context',
      'context',
      caseContextSchema,
      (a) => a,
    );
    return {
      ...context,
      client: withoutUndefined(context.client),
      appointments: context.appointments.map(withoutUndefined),
    };
  }

  /** How many verifications this connector holds (for tests and the status screen). */
  get openVerifications(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    this.sessions.clear();
    await Promise.allSettled([...this.pending]);
    if (this.ownsJournal && this.journal) await (await this.journal).close();
  }
}

/** zod's optional fields come out as `key?: T | undefined`; the interface has `key?: T`. */
function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
