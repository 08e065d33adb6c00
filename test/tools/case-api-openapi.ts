/**
 * Generates resources/api/case-system.openapi.json: the REST contract an
 * office's IT implements as a bridge to its case-management product. The
 * component schemas come from the zod schemas the connector validates with
 * (electron/engine/cases/case-api.ts); paths and prose are written here.
 *
 *   npx tsx test/tools/case-api-openapi.ts          write the document
 *   npx tsx test/tools/case-api-openapi.ts --check  fail if it is out of date
 *
 * A unit test (case-api-openapi.test.ts) fails when the checked-in document
 * drifts from this output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  AUDIT_HEADERS,
  CASE_API_VERSION,
  CASE_TOKEN_HEADER,
  IDEMPOTENCY_HEADER,
  PROBLEM_CODES,
  caseApiJsonSchemas,
} from '../../electron/engine/cases/case-api';

export const OPENAPI_FILE = 'resources/api/case-system.openapi.json';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const problemContent = { 'application/problem+json': { schema: ref('Problem') } };

const DESCRIPTION = `Die Schnittstelle, über die Lotse (Telefon-Begleiter für Jobcenter-Hotlines) ein Fachverfahren abfragt. Die IT eines Jobcenters implementiert sie als Brücke zu ihrem Fallverwaltungsprodukt; Lotse ist der Client (\`LOTSE_CASE_SYSTEM_URL\` = Basis-URL inklusive \`/v1\`).

The interface through which Lotse queries a job centre's case-management system. The job centre's IT implements it as a bridge; Lotse is the client.

**Rules from German law (the bridge must keep them):**
- *No case fact before verification* (§ 35 SGB I, § 67 ff. SGB X): every case read carries the opaque \`${CASE_TOKEN_HEADER}\` from a successful \`POST /verifications\`, and the \`caseId\` in the path must be the one the token was issued for.
- *No disclosure whether a number exists*: \`POST /verifications\` answers **200 \`{"verified": false}\`** for an unknown number, a wrong date of birth and a malformed input alike, in similar time (a constant floor of a few hundred ms is recommended). Never 404 for an unknown number. Lotse treats 400/404/422 on this endpoint as \`{"verified": false}\` as well, so a bridge cannot leak it by accident. \`POST /caller-id-hint\` is for routing only and is never said to the caller.
- *Audit*: every request names who reads and why (\`${AUDIT_HEADERS.who}\`, \`${AUDIT_HEADERS.why}\`, and the call in \`${AUDIT_HEADERS.callId}\`; values UTF-8, percent-encoded as in RFC 3986). The bridge must write its audit row before it returns data (no audit row, no data) and refuse a request without these headers (400). Lotse keeps its own journal on the desk as well.
- The bot informs, it never decides on benefits (Art. 22 GDPR): this API is read-only except for contact notes.

**Robustness:** every case answer echoes \`caseId\`; Lotse discards an answer for any other case. Errors use \`application/problem+json\` (RFC 9457) with a \`code\` from: ${PROBLEM_CODES.join(', ')}. Lotse retries connection errors, 408, 429 and 5xx (except 501) with backoff and honours \`Retry-After\`; reads are idempotent, \`POST /verifications\` and \`POST …/contact-notes\` carry an \`${IDEMPOTENCY_HEADER}\`: a repeat with the same key must return the first answer and must not write twice. An unknown or expired case token is **410** with code \`verification_expired\`. Authentication: optional bearer token (\`LOTSE_CASE_SYSTEM_TOKEN\`). Transport: Lotse connects over HTTPS only (plain HTTP only to a bridge on the same machine, 127.0.0.1 / ::1 / localhost) and reads at most 1 MiB of an answer.`;

const auditParameters = [
  { $ref: '#/components/parameters/Who' },
  { $ref: '#/components/parameters/Why' },
  { $ref: '#/components/parameters/CallId' },
];
const caseParameters = [
  ...auditParameters,
  { $ref: '#/components/parameters/CaseId' },
  { $ref: '#/components/parameters/CaseToken' },
];

const errorResponses = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
  '429': { $ref: '#/components/responses/RateLimited' },
  '500': { $ref: '#/components/responses/InternalError' },
  '503': { $ref: '#/components/responses/Unavailable' },
};
const caseErrorResponses = {
  ...errorResponses,
  '404': { $ref: '#/components/responses/CaseMismatch' },
  '410': { $ref: '#/components/responses/VerificationExpired' },
};

function caseRead(
  operationId: string,
  summary: string,
  description: string,
  schema: string,
  extraParameters: unknown[] = [],
) {
  return {
    get: {
      operationId,
      summary,
      description: `${description}\n\nAudit: one row per call (what: \`${operationId}\`). The answer echoes \`caseId\`.`,
      tags: ['case'],
      parameters: [...caseParameters, ...extraParameters],
      responses: {
        '200': { description: 'The case data.', content: json(ref(schema)) },
        ...caseErrorResponses,
      },
    },
  };
}

export function buildCaseApiOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lotse case-system bridge (Fachverfahren-Anbindung)',
      version: CASE_API_VERSION,
      description: DESCRIPTION,
      license: { name: 'UNLICENSED' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: '{baseUrl}',
        description: 'The bridge, e.g. https://fachverfahren.example/lotse/v1',
        variables: { baseUrl: { default: 'http://127.0.0.1:8090/lotse/v1' } },
      },
    ],
    security: [{}, { bearer: [] }],
    tags: [
      { name: 'verification', description: 'Verification and caller-ID hint' },
      { name: 'case', description: 'Reads of a verified case (audited)' },
      { name: 'notes', description: 'Contact notes (Gesprächsvermerke)' },
    ],
    paths: {
      '/caller-id-hint': {
        post: {
          operationId: 'caller_id_hint',
          summary: 'Is this caller ID on file? (routing hint only)',
          description:
            'Answers only known/unknown, never whose number it is. For routing only; the bot never says it. ' +
            'POST so the phone number stays out of URLs and access logs. Audit: one row, no case named.',
          tags: ['verification'],
          parameters: auditParameters,
          requestBody: { required: true, content: json(ref('CallerIdRequest')) },
          responses: {
            '200': { description: 'The hint.', content: json(ref('CallerIdHint')) },
            ...errorResponses,
          },
        },
      },
      '/verifications': {
        post: {
          operationId: 'verify',
          summary: 'Verify a caller (customer or BG number plus date of birth, or PIN)',
          description:
            'On success returns an opaque, expiring `caseToken` (sent back in `' +
            CASE_TOKEN_HEADER +
            '`) and the `caseId`. **Always 200**: `{"verified": false}` for an unknown number, a wrong ' +
            'date of birth and a malformed input alike, in similar time (§ 35 SGB I: never disclose ' +
            'whether a number exists). Numbers arrive as heard or keyed: a keypad has no letters, so ' +
            '"99010001" may stand for "990D10001"; a keyed number matching more than one person ' +
            'verifies nobody. Only household members able to act for the household verify with a BG ' +
            'number. Audit: one row (verified / not verified; no case named when not verified). ' +
            `With \`${IDEMPOTENCY_HEADER}\`, a repeat returns the first answer (no second session).`,
          tags: ['verification'],
          parameters: [
            ...auditParameters,
            { $ref: '#/components/parameters/IdempotencyKeyOptional' },
          ],
          requestBody: { required: true, content: json(ref('VerifyRequest')) },
          responses: {
            '200': { description: 'Verified or not.', content: json(ref('VerifyResponse')) },
            ...errorResponses,
          },
        },
      },
      '/cases/{caseId}/verification': {
        delete: {
          operationId: 'release',
          summary: 'Forget a verification (the call is over)',
          description:
            'Invalidates the case token. Lotse sends it once, fire and forget; the token must also ' +
            'expire on its own. Unknown tokens are answered 204 as well.',
          tags: ['verification'],
          parameters: caseParameters,
          responses: { '204': { description: 'Forgotten.' }, ...errorResponses },
        },
      },
      '/cases/{caseId}/next-payment': caseRead(
        'next_payment',
        'The next payment from today on',
        'The next transfer (date, amount in cents, month it is for) or null.',
        'NextPaymentResponse',
      ),
      '/cases/{caseId}/applications': caseRead(
        'applications',
        'Open and recently decided applications',
        'Newest first, with missing documents.',
        'ApplicationsResponse',
      ),
      '/cases/{caseId}/next-appointment': caseRead(
        'next_appointment',
        'The next appointment from now on',
        'Soonest first; null when none.',
        'NextAppointmentResponse',
      ),
      '/cases/{caseId}/caseworker': caseRead(
        'caseworker',
        'The responsible caseworker',
        'Name, team and phone of the responsible caseworker, or null.',
        'CaseworkerResponse',
      ),
      '/cases/{caseId}/household-members': caseRead(
        'household_members',
        'Members of the household (Bedarfsgemeinschaft)',
        'All members, applicant first.',
        'HouseholdMembersResponse',
      ),
      '/cases/{caseId}/benefit-period': caseRead(
        'benefit_period',
        'The current benefit period (Bewilligungszeitraum)',
        'Start and end, or null.',
        'BenefitPeriodResponse',
      ),
      '/cases/{caseId}/context': caseRead(
        'case_context',
        "The caseworker's whole picture in one read",
        "Everything the caseworker's screen shows, in one round trip with **one** audit row " +
          '(what: `case_context`). `client` is the verified person (for a BG number or PIN: the applicant).',
        'CaseContext',
      ),
      '/cases/{caseId}/contact-notes': {
        ...caseRead(
          'contact_notes',
          'Recent contact notes',
          'Newest first.',
          'ContactNotesResponse',
          [
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: 'How many, 1–100 (default 10).',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
            },
          ],
        ),
        post: {
          operationId: 'add_contact_note',
          summary: 'Add a contact note',
          description:
            `Writes one note; the author is \`${AUDIT_HEADERS.who}\`. \`${IDEMPOTENCY_HEADER}\` is ` +
            'required: a repeat with the same key returns the first note (200 or 201) and writes ' +
            'nothing; the same key with a different body is 422 `idempotency_conflict`. ' +
            'Audit: one row (what: `add_contact_note`).',
          tags: ['notes'],
          parameters: [...caseParameters, { $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: json(ref('NewContactNote')) },
          responses: {
            '201': { description: 'Written.', content: json(ref('ContactNoteResponse')) },
            '200': {
              description: 'Written before under this key (replay).',
              content: json(ref('ContactNoteResponse')),
            },
            ...caseErrorResponses,
            '422': { $ref: '#/components/responses/IdempotencyConflict' },
          },
        },
      },
    },
    components: {
      schemas: caseApiJsonSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Optional. Lotse sends LOTSE_CASE_SYSTEM_TOKEN when it is set.',
        },
      },
      parameters: {
        Who: {
          name: AUDIT_HEADERS.who,
          in: 'header',
          required: true,
          description:
            "Who reads: 'bot' or the staff account, e.g. 'agent:k.beispiel' (UTF-8, percent-encoded).",
          schema: { type: 'string', maxLength: 900 },
        },
        Why: {
          name: AUDIT_HEADERS.why,
          in: 'header',
          required: true,
          description:
            "Why: the purpose, e.g. 'caller asked: payment_date' (UTF-8, percent-encoded).",
          schema: { type: 'string', maxLength: 3000 },
        },
        CallId: {
          name: AUDIT_HEADERS.callId,
          in: 'header',
          required: false,
          description: 'The call the read belongs to, when there is one (percent-encoded).',
          schema: { type: 'string', maxLength: 900 },
        },
        CaseId: {
          name: 'caseId',
          in: 'path',
          required: true,
          description: 'The caseId from the verification.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
        CaseToken: {
          name: CASE_TOKEN_HEADER,
          in: 'header',
          required: true,
          description:
            'The caseToken from the verification; must belong to the caseId in the path.',
          schema: { type: 'string', minLength: 16, maxLength: 512 },
        },
        IdempotencyKey: {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: true,
          description:
            'Unique per note; the same for every retry of it, also for a later save of the same note after a failed one (Lotse sends a UUID derived from its own id of the note, the call and the text).',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
        IdempotencyKeyOptional: {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          description: 'Unique per verification; the same for every retry of it.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      },
      responses: {
        BadRequest: {
          description: 'Malformed request or audit headers missing (code bad_request).',
          content: problemContent,
        },
        Unauthorized: {
          description: 'Bearer token missing or wrong (code unauthorized). Lotse does not retry.',
          content: problemContent,
        },
        Forbidden: {
          description: 'Token valid but not allowed (code forbidden). Lotse does not retry.',
          content: problemContent,
        },
        CaseMismatch: {
          description: 'The case token belongs to another caseId (code case_mismatch).',
          content: problemContent,
        },
        VerificationExpired: {
          description:
            'Case token unknown or expired (code verification_expired): the caller must verify again.',
          content: problemContent,
        },
        IdempotencyConflict: {
          description: 'Idempotency-Key reused for a different body (code idempotency_conflict).',
          content: problemContent,
        },
        RateLimited: {
          description: 'Too many requests (code rate_limited); Lotse retries after Retry-After.',
          content: problemContent,
        },
        InternalError: {
          description: 'Internal error (code internal); Lotse retries with backoff.',
          content: problemContent,
        },
        Unavailable: {
          description:
            'Back end down or in maintenance (code unavailable); Lotse retries after Retry-After.',
          content: problemContent,
        },
      },
    },
  };
}

/** The document as it is checked in: formatted by prettier with the project's settings. */
export async function caseApiOpenApiText(file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(buildCaseApiOpenApi()), { ...config, parser: 'json' });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const file = path.join(root, OPENAPI_FILE);
  const text = await caseApiOpenApiText(file);
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== text) {
      console.error(`${OPENAPI_FILE} is out of date: run npx tsx test/tools/case-api-openapi.ts`);
      process.exit(1);
    }
    console.log(`${OPENAPI_FILE} is up to date`);
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${OPENAPI_FILE}`);
  }
}
