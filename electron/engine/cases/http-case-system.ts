/**
 * The CaseSystem over HTTP: an office's own case-management product
 * (Fachverfahren) behind a small REST bridge that implements
 * resources/api/case-system.openapi.json. The desk never hands the server's
 * case token to anyone: `verify` issues this connector's own opaque, expiring
 * CaseRef and keeps the server token and the case id behind it.
 *
 * What can go wrong, and what the caller sees (CaseSystemError codes):
 *
 *   server down, refused, reset, 5xx, 429 (after retries)  -> 'unavailable'
 *   no answer within timeoutMs (per attempt; not retried)   -> 'timeout'
 *   408 (after retries)                                     -> 'timeout'
 *   401/403 (token), other 4xx, 501                         -> 'rejected'
 *   not JSON, or not the contract's shape                   -> 'bad_response'
 *   an answer for another case than the CaseRef's           -> 'mismatch'
 *   410 verification_expired, unknown or expired CaseRef    -> CaseAccessError
 *
 * Retries: idempotent reads, verify and the POST of a note (with the same
 * Idempotency-Key, so a retried POST does not write two notes) are tried up to
 * 1 + retries times with exponential backoff and jitter, on connection errors,
 * 408, 429 and 5xx other than 501. A timed-out attempt is not retried: the
 * caller is on the line, and a server that did not answer in time is not
 * likely to answer the next time; three timeouts in a row would be ten
 * seconds of silence.
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
 * Audit: the server logs every read (the audit headers name who and why);
 * the desk keeps its own journal as well (audit-journal.ts), written before
 * anything is returned. No journal row, no data.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ScopedLogger } from '../log/logger';
import { AuditJournal } from './audit-journal';
import { CaseRefRegistry } from './case-ref-registry';
import {
  AUDIT_HEADERS,
  CASE_TOKEN_HEADER,
  IDEMPOTENCY_HEADER,
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
  problemSchema,
  verifyResponseSchema,
  type CaseApiProblem,
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

export interface HttpCaseSystemOptions {
  /** The bridge's base URL, e.g. https://fachverfahren.example/lotse/v1 */
  baseUrl: string;
  /** Bearer token for the bridge (LOTSE_CASE_SYSTEM_TOKEN). */
  token?: string;
  /** Per attempt (default 3000 ms). */
  timeoutMs?: number;
  /** Further attempts after the first (default 2). */
  retries?: number;
  /** First backoff; doubles per attempt, with jitter (default 200 ms). */
  backoffMs?: number;
  log?: ScopedLogger;
  /** The desk's journal; default: an in-memory one (not kept: pass one in the app). */
  auditLog?: AuditJournal;
  /** Close the journal with this system (when it was opened for it). */
  closeAuditLog?: boolean;
  /** How long a CaseRef stays valid (default 2 h), unless the server says sooner. */
  caseRefTtlMs?: number;
  now?: () => Date;
  /** Jitter source (default Math.random). */
  random?: () => number;
}

/** What stands behind a CaseRef of the connector: the server's case and its token. */
interface Session {
  caseId: string;
  serverToken: string;
}

/** One request as the connector makes it. */
interface ApiRequest<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  schema: S;
  audit: AuditContext;
  /** For the journal and messages: 'next_payment', 'verify', … */
  what: string;
  body?: unknown;
  caseToken?: string;
  idempotencyKey?: string;
  /** Answers a 4xx (other than 401/403/408/410/429) with this instead of 'rejected'. */
  on4xx?: () => z.infer<S>;
  attempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error's own code or its cause's (undici puts ECONNREFUSED on `cause`). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

class RetryableError extends Error {
  constructor(
    readonly final: CaseSystemError,
    readonly retryAfterMs?: number,
  ) {
    super(final.message);
  }
}

export class HttpCaseSystem implements CaseSystem {
  private readonly sessions: CaseRefRegistry<Session>;
  private readonly pending = new Set<Promise<void>>();
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly random: () => number;
  private journal: Promise<AuditJournal> | undefined;
  private readonly ownsJournal: boolean;
  /** Where the answers come from, for the journal: the base URL without credentials. */
  readonly system: string;

  constructor(private readonly options: HttpCaseSystemOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`case system URL must be http(s): ${options.baseUrl}`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.username = '';
    base.password = '';
    this.base = base;
    this.system = `${base.origin}${base.pathname}`;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.backoffMs = Math.max(0, options.backoffMs ?? 200);
    this.sessions = new CaseRefRegistry({
      ...(options.caseRefTtlMs !== undefined ? { ttlMs: options.caseRefTtlMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.random = options.random ?? Math.random;
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

  // ── HTTP ───────────────────────────────────────────────────────────────

  private headers(request: ApiRequest<z.ZodType>): Headers {
    const headers = new Headers({ accept: 'application/json' });
    if (this.options.token) headers.set('authorization', `Bearer ${this.options.token}`);
    headers.set(AUDIT_HEADERS.who, encodeURIComponent(request.audit.who));
    headers.set(AUDIT_HEADERS.why, encodeURIComponent(request.audit.why));
    if (request.audit.callId) {
      headers.set(AUDIT_HEADERS.callId, encodeURIComponent(request.audit.callId));
    }
    if (request.caseToken) headers.set(CASE_TOKEN_HEADER, request.caseToken);
    if (request.idempotencyKey) headers.set(IDEMPOTENCY_HEADER, request.idempotencyKey);
    if (request.body !== undefined) headers.set('content-type', 'application/json');
    return headers;
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  /** Sends the request, with retries; returns the validated answer or throws. */
  private async send<S extends z.ZodType>(request: ApiRequest<S>): Promise<z.infer<S>> {
    const attempts = request.attempts ?? 1 + this.retries;
    let last: CaseSystemError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.attempt(request);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        last = error.final;
        if (attempt === attempts) break;
        const backoff = this.backoffMs * 2 ** (attempt - 1);
        const jittered = backoff / 2 + (this.random() * backoff) / 2;
        const wait = Math.min(Math.max(jittered, error.retryAfterMs ?? 0), this.timeoutMs);
        this.options.log?.warn(
          `${request.method} ${request.path}: attempt ${attempt} of ${attempts} failed ` +
            `(${error.message}); next in ${Math.round(wait)} ms`,
        );
        await sleep(wait);
      }
    }
    const final = last ?? new CaseSystemError('unavailable', 'case system: no attempt made');
    throw new CaseSystemError(
      final.code,
      `${final.message} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`,
      { reason: final.reason, params: { ...final.params, attempts } },
    );
  }

  private async attempt<S extends z.ZodType>(request: ApiRequest<S>): Promise<z.infer<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.url(request.path), {
        method: request.method,
        headers: this.headers(request),
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') {
        throw new CaseSystemError('timeout', `case system timed out after ${this.timeoutMs} ms`, {
          params: { timeoutMs: this.timeoutMs },
        });
      }
      throw new RetryableError(
        new CaseSystemError('unavailable', `case system unreachable (${networkReason(error)})`, {
          reason: 'case_system_unreachable',
        }),
      );
    }
    const { status } = response;
    if (status >= 200 && status < 300) return this.parse(request, text, status);

    const problem = this.problem(text);
    const said = problem ? `: ${(problem.detail ?? problem.title).slice(0, 200)}` : '';
    if (status === 410 && (!problem?.code || problem.code === 'verification_expired')) {
      throw new CaseAccessError(
        'the case system no longer knows this verification: verify the caller again',
        'verification_expired',
      );
    }
    if (status === 401 || status === 403) {
      throw this.options.token
        ? new CaseSystemError(
            'rejected',
            `case system rejected the access token in LOTSE_CASE_SYSTEM_TOKEN (HTTP ${status}${said})`,
            { reason: 'case_system_token_rejected', params: { status } },
          )
        : new CaseSystemError(
            'rejected',
            `case system requires an access token; LOTSE_CASE_SYSTEM_TOKEN is not set (HTTP ${status}${said})`,
            { reason: 'case_system_token_missing', params: { status } },
          );
    }
    const retryAfterMs = this.retryAfter(response.headers.get('retry-after'));
    if (status === 408) {
      throw new RetryableError(
        new CaseSystemError('timeout', `case system timed out (HTTP 408${said})`, {
          params: { status },
        }),
        retryAfterMs,
      );
    }
    if (status === 429 || (status >= 500 && status !== 501)) {
      throw new RetryableError(
        new CaseSystemError('unavailable', `case system unavailable (HTTP ${status}${said})`, {
          params: { status },
        }),
        retryAfterMs,
      );
    }
    if (status >= 400 && status < 500 && request.on4xx) {
      this.options.log?.warn(
        `${request.method} ${request.path}: HTTP ${status} where the contract answers 200; ` +
          'treated as a failed verification',
      );
      return request.on4xx();
    }
    throw new CaseSystemError(
      'rejected',
      `case system rejected the request (HTTP ${status}${said})`,
      { params: { status } },
    );
  }

  private parse<S extends z.ZodType>(
    request: ApiRequest<S>,
    text: string,
    status: number,
  ): z.infer<S> {
    let json: unknown;
    try {
      json = text === '' && status === 204 ? null : JSON.parse(text);
    } catch {
      throw new CaseSystemError(
        'bad_response',
        `case system sent a malformed answer to ${request.what} (not JSON, HTTP ${status})`,
        { params: { what: request.what } },
      );
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : '';
      throw new CaseSystemError(
        'bad_response',
        `case system sent a malformed answer to ${request.what} (${where})`,
        { params: { what: request.what } },
      );
    }
    return parsed.data;
  }

  private problem(text: string): CaseApiProblem | undefined {
    try {
      const parsed = problemSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Retry-After in seconds or as a date; capped by the caller. */
  private retryAfter(value: string | null): number | undefined {
    if (!value) return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
  }

  /** One audited read of a verified case: request, check the case, journal, return. */
  private async read<S extends z.ZodType<{ caseId: string }>, T>(
    caseRef: CaseRef,
    audit: AuditContext,
    what: string,
    path: string,
    schema: S,
    pick: (answer: z.infer<S>) => T,
    extra: Partial<ApiRequest<S>> = {},
  ): Promise<T> {
    checkAudit(audit);
    const session = this.sessions.resolve(caseRef);
    let answer: z.infer<S>;
    try {
      answer = await this.send({
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
      const answer = await this.send({
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
      answer = await this.send({
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
    const done = this.send({
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
        // One key for all attempts: the server writes the note once.
        idempotencyKey: crypto.randomUUID(),
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
