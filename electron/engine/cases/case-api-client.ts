/**
 * The HTTP side of the case-system connector (http-case-system.ts): one
 * request of the REST contract (case-api.ts) with its audit headers, sent
 * with retries, its answer checked against the contract's schema.
 *
 * What can go wrong, and what the connector gets (CaseSystemError codes;
 * their reasons are the contract's, electron/contract/errors.ts):
 *
 *   server down, refused, reset, 5xx, 429 (after retries)  -> 'unavailable'
 *   no answer within timeoutMs (per attempt; not retried)   -> 'timeout'
 *   408 (after retries)                                     -> 'timeout'
 *   401/403 (token), other 4xx, 501                         -> 'rejected'
 *   not JSON, or not the contract's shape                   -> 'bad_response'
 *   an answer larger than maxResponseBytes (default 1 MiB)  -> 'bad_response'
 *   410 verification_expired                                -> CaseAccessError
 *
 * Retries: idempotent reads, verify and the POST of a note (with the same
 * Idempotency-Key, so a retried POST does not write two notes) are tried up to
 * 1 + retries times with exponential backoff and jitter, on connection errors,
 * 408, 429 and 5xx other than 501. A timed-out attempt is not retried: the
 * caller is on the line, and a server that did not answer in time is not
 * likely to answer the next time; three timeouts in a row would be ten
 * seconds of silence.
 *
 * Transport: https:// only, except on the loopback interface (a bridge on the
 * same machine, the test bed): case data and the bearer token must not cross
 * a network in clear (open-case-system.ts refuses such a setting by name; the
 * constructor here refuses it too, for anyone who builds a client directly).
 * No answer is read beyond maxResponseBytes: a broken or hostile bridge
 * cannot fill the engine's memory, and every answer of the contract is small.
 */
import type { z } from 'zod';
import { isLoopbackHostname } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import {
  AUDIT_HEADERS,
  CASE_TOKEN_HEADER,
  IDEMPOTENCY_HEADER,
  problemSchema,
  type CaseApiProblem,
} from './case-api';
import { CaseAccessError, CaseSystemError, type AuditContext } from './case-system';

export interface CaseApiClientOptions {
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
  /** Jitter source (default Math.random). */
  random?: () => number;
  /** The most bytes of an answer that are read (default 1 MiB); larger: 'bad_response'. */
  maxResponseBytes?: number;
}

/** Every answer of the contract is a few kilobytes; a megabyte is far beyond any of them. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Whether a case-system URL may carry case data: https, or http to the loopback interface. */
export function isSecureCaseSystemUrl(url: URL): boolean {
  return (
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))
  );
}

/** One request as the connector makes it. */
export interface CaseApiRequest<S extends z.ZodType> {
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

/** An answer's body, read up to a limit: `text` is undefined when it was longer. */
interface CappedBody {
  text: string | undefined;
}

async function readCapped(response: Response, maxBytes: number): Promise<CappedBody> {
  const announced = Number(response.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { text: undefined };
  }
  if (!response.body) return { text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { text: undefined };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

class RetryableError extends Error {
  constructor(
    readonly final: CaseSystemError,
    readonly retryAfterMs?: number,
  ) {
    super(final.message);
  }
}

export class CaseApiClient {
  private readonly base: URL;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly random: () => number;
  private readonly maxResponseBytes: number;
  private readonly log: ScopedLogger | undefined;
  /** Where the answers come from, for the journal: the base URL without credentials. */
  readonly system: string;

  constructor(options: CaseApiClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`case system URL must be http(s): ${options.baseUrl}`);
    }
    if (!isSecureCaseSystemUrl(base)) {
      throw new TypeError(
        `case system URL must be https:// (http:// only on the loopback interface): ${base.origin}`,
      );
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.username = '';
    base.password = '';
    this.base = base;
    this.system = `${base.origin}${base.pathname}`;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.backoffMs = Math.max(0, options.backoffMs ?? 200);
    this.random = options.random ?? Math.random;
    this.maxResponseBytes = Math.max(1, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    this.log = options.log;
  }

  private headers(request: CaseApiRequest<z.ZodType>): Headers {
    const headers = new Headers({ accept: 'application/json' });
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
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
  async send<S extends z.ZodType>(request: CaseApiRequest<S>): Promise<z.infer<S>> {
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
        this.log?.warn(
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

  private async attempt<S extends z.ZodType>(request: CaseApiRequest<S>): Promise<z.infer<S>> {
    let response: Response;
    let body: CappedBody;
    try {
      response = await fetch(this.url(request.path), {
        method: request.method,
        headers: this.headers(request),
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      // Read under the same timeout: a bridge that trickles its answer is a slow bridge.
      body = await readCapped(response, this.maxResponseBytes);
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
    if (status >= 200 && status < 300) {
      if (body.text === undefined) {
        throw new CaseSystemError(
          'bad_response',
          `case system sent an answer to ${request.what} larger than ${this.maxResponseBytes} ` +
            `bytes (HTTP ${status}); answer discarded unread`,
          { params: { what: request.what, maxBytes: this.maxResponseBytes } },
        );
      }
      return this.parse(request, body.text, status);
    }

    // An oversized error page says nothing we need: the status alone decides.
    const problem = body.text === undefined ? undefined : this.problem(body.text);
    const said = problem ? `: ${(problem.detail ?? problem.title).slice(0, 200)}` : '';
    if (status === 410 && (!problem?.code || problem.code === 'verification_expired')) {
      throw new CaseAccessError(
        'the case system no longer knows this verification: verify the caller again',
        'verification_expired',
      );
    }
    if (status === 401 || status === 403) {
      throw this.token
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
      this.log?.warn(
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
    request: CaseApiRequest<S>,
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
}
