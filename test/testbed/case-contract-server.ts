/**
 * A case-system bridge that implements resources/api/case-system.openapi.json
 * on top of a real EmbeddedCaseSystem: a real node:http server on 127.0.0.1,
 * for the connector's tests and for IT people who want to see the contract
 * work before they build their own bridge (`npm run testbed -- case-server`).
 *
 * Fault injection for tests, per route or for all routes ('*'):
 *
 *   server.faults.set({ route: 'verify', status: 503, failTimes: 2 })
 *
 *   delayMs    wait this long before answering
 *   status     answer with this status and a problem body, without doing the work
 *   malformed  answer 200 with a body that is not JSON
 *   wrongShape do the work, but answer with every field but caseId set to "wrong"
 *   wrongCase  do the work, but answer with another caseId
 *   drop       do the work, then close the connection without an answer
 *   failTimes  the fault applies to the next N matching requests, then clears
 *              (default: until faults.clear())
 *
 * How this bridge learns the case id on a successful verification: it reads
 * the case context once under the verifying request's audit context (the
 * embedded store names no case id otherwise); a real bridge knows its own id.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AUDIT_HEADERS,
  CASE_TOKEN_HEADER,
  IDEMPOTENCY_HEADER,
  newContactNoteSchema,
  verifyRequestSchema,
  callerIdRequestSchema,
  type CaseApiProblem,
} from '../../electron/engine/cases/case-api';
import {
  CaseAccessError,
  type AuditContext,
  type CaseRef,
} from '../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../electron/engine/cases/embedded-case-system';

export const CASE_API_PREFIX = '/lotse/v1/';

export type CaseRoute =
  | 'caller-id-hint'
  | 'verify'
  | 'release'
  | 'next-payment'
  | 'applications'
  | 'next-appointment'
  | 'caseworker'
  | 'household-members'
  | 'benefit-period'
  | 'contact-notes'
  | 'add-contact-note'
  | 'context';

export interface Fault {
  route?: CaseRoute | '*';
  delayMs?: number;
  status?: number;
  malformed?: boolean;
  wrongShape?: boolean;
  wrongCase?: boolean;
  drop?: boolean;
  failTimes?: number;
}

export interface RecordedRequest {
  route: CaseRoute | 'unknown';
  method: string;
  path: string;
  who: string | undefined;
  why: string | undefined;
  callId: string | undefined;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

export class FaultControl {
  private readonly faults = new Map<string, Fault & { left: number }>();

  /** Sets the fault for its route ('*' when none is named), replacing an earlier one. */
  set(fault: Fault): void {
    this.faults.set(fault.route ?? '*', { ...fault, left: fault.failTimes ?? Infinity });
  }

  clear(): void {
    this.faults.clear();
  }

  /** The fault for this request, counted as used; route-specific before global. */
  take(route: CaseRoute): Fault | undefined {
    for (const key of [route, '*']) {
      const fault = this.faults.get(key);
      if (!fault) continue;
      fault.left -= 1;
      if (fault.left <= 0) this.faults.delete(key);
      return fault;
    }
    return undefined;
  }
}

interface ServerSession {
  ref: CaseRef;
  caseId: string;
  expires: number;
}

export interface CaseContractServer {
  /** Base URL for LOTSE_CASE_SYSTEM_URL, e.g. http://127.0.0.1:40123/lotse/v1 */
  url: string;
  port: number;
  cases: EmbeddedCaseSystem;
  faults: FaultControl;
  /** Every request, in order (for tests). */
  requests: RecordedRequest[];
  /** Server tokens currently valid. */
  sessionCount(): number;
  /** Closes the server (and the store, when it was opened here). */
  close(): Promise<void>;
}

export interface CaseContractServerOptions {
  /** 0 or undefined: a free port chosen by the OS. */
  port?: number;
  /** Bearer token the server demands; undefined: none. */
  token?: string;
  /** The store to serve; default: a new in-memory store with demo households. */
  cases?: EmbeddedCaseSystem;
  demoHouseholds?: number;
  /** How long a server case token lives (default 2 h). */
  sessionTtlMs?: number;
}

class HttpProblem extends Error {
  constructor(readonly problem: CaseApiProblem) {
    super(problem.title);
  }
}

const problem = (
  status: number,
  code: CaseApiProblem['code'],
  title: string,
  detail?: string,
): HttpProblem =>
  new HttpProblem({
    type: `https://lotse.example/problems/${code ?? 'error'}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(code ? { code } : {}),
  });

const decode = (value: string | string[] | undefined): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

/** The problem code an injected status answers with. */
const FAULT_CODES: Record<number, CaseApiProblem['code']> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'bad_request',
  410: 'verification_expired',
  422: 'bad_request',
  429: 'rate_limited',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw problem(413, 'bad_request', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    throw problem(400, 'bad_request', 'Body is not JSON');
  }
}

const CASE_ROUTES: Record<string, CaseRoute> = {
  'next-payment': 'next-payment',
  applications: 'applications',
  'next-appointment': 'next-appointment',
  caseworker: 'caseworker',
  'household-members': 'household-members',
  'benefit-period': 'benefit-period',
  context: 'context',
};

export async function startCaseContractServer(
  options: CaseContractServerOptions = {},
): Promise<CaseContractServer> {
  const ownsStore = !options.cases;
  const cases =
    options.cases ??
    (await EmbeddedCaseSystem.open({
      demo: { households: options.demoHouseholds ?? 20 },
      verifyFloorMs: 50,
    }));
  const faults = new FaultControl();
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, ServerSession>();
  const ttl = options.sessionTtlMs ?? 2 * 3600_000;
  /** Idempotency-Key -> the answer given (and the request it answered). */
  const replies = new Map<string, { fingerprint: string; answer: Promise<[number, unknown]> }>();

  const route = (
    method: string,
    parts: string[],
  ): { route: CaseRoute; caseId?: string } | undefined => {
    if (parts.length === 1 && method === 'POST' && parts[0] === 'caller-id-hint') {
      return { route: 'caller-id-hint' };
    }
    if (parts.length === 1 && method === 'POST' && parts[0] === 'verifications') {
      return { route: 'verify' };
    }
    if (parts.length !== 3 || parts[0] !== 'cases') return undefined;
    const caseId = parts[1]!;
    const name = parts[2]!;
    if (name === 'verification' && method === 'DELETE') return { route: 'release', caseId };
    if (name === 'contact-notes' && method === 'GET') return { route: 'contact-notes', caseId };
    if (name === 'contact-notes' && method === 'POST') return { route: 'add-contact-note', caseId };
    const read = CASE_ROUTES[name];
    return read && method === 'GET' ? { route: read, caseId } : undefined;
  };

  const auditOf = (request: http.IncomingMessage): AuditContext => {
    const who = decode(request.headers[AUDIT_HEADERS.who.toLowerCase()]);
    const why = decode(request.headers[AUDIT_HEADERS.why.toLowerCase()]);
    const callId = decode(request.headers[AUDIT_HEADERS.callId.toLowerCase()]);
    if (!who?.trim() || !why?.trim()) {
      throw problem(
        400,
        'bad_request',
        'Audit headers missing',
        `${AUDIT_HEADERS.who} and ${AUDIT_HEADERS.why} are required on every request`,
      );
    }
    return { who, why, ...(callId ? { callId } : {}) };
  };

  const sessionOf = (request: http.IncomingMessage, caseId: string): ServerSession => {
    const token = request.headers[CASE_TOKEN_HEADER.toLowerCase()];
    const session = typeof token === 'string' ? sessions.get(token) : undefined;
    if (!session || session.expires <= Date.now()) {
      if (typeof token === 'string') sessions.delete(token);
      throw problem(
        410,
        'verification_expired',
        'Verification unknown or expired',
        'verify the caller again',
      );
    }
    if (session.caseId !== caseId) {
      throw problem(404, 'case_mismatch', 'The case token is for another case');
    }
    return session;
  };

  /** Runs `work` once per Idempotency-Key; a repeat gets the first answer. */
  const once = (
    key: string | undefined,
    fingerprint: string,
    work: () => Promise<[number, unknown]>,
  ): Promise<[number, unknown]> => {
    if (!key) return work();
    const earlier = replies.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw problem(
          422,
          'idempotency_conflict',
          'Idempotency-Key reused for a different request',
        );
      }
      return earlier.answer;
    }
    const answer = work();
    replies.set(key, { fingerprint, answer });
    // A failed attempt may be tried again under the same key.
    answer.catch(() => replies.delete(key));
    return answer;
  };

  const handle = async (
    request: http.IncomingMessage,
    matched: { route: CaseRoute; caseId?: string },
  ): Promise<[number, unknown]> => {
    const audit = auditOf(request);
    const key = decode(request.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
    const caseId = matched.caseId ?? '';
    switch (matched.route) {
      case 'caller-id-hint': {
        const body = callerIdRequestSchema.safeParse(await readBody(request));
        if (!body.success) throw problem(400, 'bad_request', 'Body must be { phone }');
        return [200, await cases.findByCallerId(body.data.phone, audit)];
      }
      case 'verify': {
        const raw = await readBody(request);
        const body = verifyRequestSchema.safeParse(raw);
        // No disclosure: a malformed input is "not verified", like a wrong date of birth.
        if (!body.success) return [200, { verified: false }];
        return once(key, `verify:${JSON.stringify(raw)}`, async () => {
          const result = await cases.verify(body.data, audit);
          if (!result.verified) return [200, { verified: false }];
          const context = await cases.caseContext(result.caseRef, {
            ...audit,
            why: `${audit.why} (verification: case id for the session)`,
          });
          const caseToken = crypto.randomBytes(32).toString('base64url');
          const expires = Date.now() + ttl;
          sessions.set(caseToken, { ref: result.caseRef, caseId: context.caseId, expires });
          return [
            200,
            {
              verified: true,
              caseToken,
              caseId: context.caseId,
              expiresAt: new Date(expires).toISOString(),
            },
          ];
        });
      }
      case 'release': {
        const token = request.headers[CASE_TOKEN_HEADER.toLowerCase()];
        const session = typeof token === 'string' ? sessions.get(token) : undefined;
        if (session && session.caseId === caseId && typeof token === 'string') {
          sessions.delete(token);
          cases.release(session.ref);
        }
        return [204, undefined];
      }
      case 'add-contact-note': {
        const session = sessionOf(request, caseId);
        const raw = await readBody(request);
        const body = newContactNoteSchema.safeParse(raw);
        if (!body.success) throw problem(400, 'bad_request', 'Body must be { channel, text }');
        if (!key) {
          throw problem(400, 'bad_request', `${IDEMPOTENCY_HEADER} header is required`);
        }
        return once(key, `note:${caseId}:${JSON.stringify(raw)}`, async () => [
          201,
          { caseId, note: await cases.addContactNote(session.ref, body.data, audit) },
        ]);
      }
      default: {
        const session = sessionOf(request, caseId);
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        switch (matched.route) {
          case 'next-payment':
            return [200, { caseId, nextPayment: await cases.nextPayment(session.ref, audit) }];
          case 'applications':
            return [200, { caseId, applications: await cases.applications(session.ref, audit) }];
          case 'next-appointment':
            return [
              200,
              { caseId, nextAppointment: await cases.nextAppointment(session.ref, audit) },
            ];
          case 'caseworker':
            return [200, { caseId, caseworker: await cases.caseworker(session.ref, audit) }];
          case 'household-members':
            return [200, { caseId, members: await cases.householdMembers(session.ref, audit) }];
          case 'benefit-period':
            return [200, { caseId, benefitPeriod: await cases.benefitPeriod(session.ref, audit) }];
          case 'contact-notes': {
            const limit = Number(url.searchParams.get('limit') ?? 10);
            if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
              throw problem(400, 'bad_request', 'limit must be a whole number 1–100');
            }
            return [200, { caseId, notes: await cases.contactNotes(session.ref, audit, limit) }];
          }
          case 'context':
            return [200, { ...(await cases.caseContext(session.ref, audit)), caseId }];
          default:
            throw problem(404, 'bad_request', 'No such route');
        }
      }
    }
  };

  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    if (status === 204 || body === undefined) {
      response.writeHead(status).end();
      return;
    }
    const isProblem = status >= 400;
    response
      .writeHead(status, {
        'content-type': isProblem ? 'application/problem+json' : 'application/json',
      })
      .end(JSON.stringify(body));
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      const parts = url.pathname.startsWith(CASE_API_PREFIX)
        ? url.pathname
            .slice(CASE_API_PREFIX.length)
            .split('/')
            .filter(Boolean)
            .map(decodeURIComponent)
        : [];
      const matched = route(method, parts);
      requests.push({
        route: matched?.route ?? 'unknown',
        method,
        path: url.pathname,
        who: decode(request.headers[AUDIT_HEADERS.who.toLowerCase()]),
        why: decode(request.headers[AUDIT_HEADERS.why.toLowerCase()]),
        callId: decode(request.headers[AUDIT_HEADERS.callId.toLowerCase()]),
        idempotencyKey: decode(request.headers[IDEMPOTENCY_HEADER.toLowerCase()]),
        authorization: request.headers.authorization,
      });
      try {
        if (
          options.token !== undefined &&
          request.headers.authorization !== `Bearer ${options.token}`
        ) {
          response.setHeader('www-authenticate', 'Bearer');
          throw problem(401, 'unauthorized', 'Bearer token missing or wrong');
        }
        if (!matched)
          throw problem(404, 'bad_request', 'No such route', `${method} ${url.pathname}`);
        const fault = faults.take(matched.route);
        if (fault?.delayMs) await sleep(fault.delayMs);
        if (response.destroyed) return;
        if (fault?.status) {
          if (fault.status === 503 || fault.status === 429) response.setHeader('retry-after', '0');
          throw problem(fault.status, FAULT_CODES[fault.status] ?? 'internal', 'Injected fault');
        }
        if (fault?.malformed) {
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"caseId": "x", oops');
          return;
        }
        const [status, answer] = await handle(request, matched);
        let body = answer;
        if (fault?.wrongCase && answer && typeof answer === 'object' && 'caseId' in answer) {
          body = { ...answer, caseId: `${String(answer.caseId)}-OTHER` };
        }
        if (fault?.wrongShape && answer && typeof answer === 'object') {
          body = Object.fromEntries(
            Object.entries(answer).map(([k, v]) => [k, k === 'caseId' ? v : 'wrong']),
          );
        }
        if (fault?.drop) {
          request.socket.destroy();
          return;
        }
        send(response, status, body);
      } catch (error) {
        if (response.headersSent || response.destroyed) return;
        if (error instanceof HttpProblem) {
          send(response, error.problem.status, error.problem);
        } else if (error instanceof CaseAccessError) {
          send(
            response,
            410,
            problem(410, 'verification_expired', 'Verification unknown or expired').problem,
          );
        } else if (error instanceof TypeError) {
          send(response, 400, problem(400, 'bad_request', 'Bad request', error.message).problem);
        } else {
          send(response, 500, problem(500, 'internal', 'Internal error').problem);
        }
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${CASE_API_PREFIX.replace(/\/$/, '')}`,
    port,
    cases,
    faults,
    requests,
    sessionCount: () => sessions.size,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsStore) await cases.close();
    },
  };
}
