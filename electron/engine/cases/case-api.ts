/**
 * The REST contract between Lotse and an office's case-management product
 * (Fachverfahren), as zod schemas: the HTTP connector (http-case-system.ts)
 * validates every answer with them, the contract server in the test bed
 * answers with them, and the OpenAPI document (resources/api/
 * case-system.openapi.json) is generated from them, so the three cannot drift
 * apart unnoticed (test/unit/electron/engine/cases/case-api-openapi.test.ts).
 *
 * Objects are not strict: a bridge may send more fields than these, and the
 * connector drops what it does not know, so nothing unknown reaches the
 * screen.
 */
import { z } from 'zod';
import {
  applicationStatusSchema,
  applicationTypeSchema,
  appointmentKindSchema,
  householdRoleSchema,
  MAX_NOTE_LENGTH,
  noteChannelSchema,
} from '../../contract';

/** Version of the contract; the base URL names it (`…/v1`). */
export const CASE_API_VERSION = '1.0.0';

/** Headers every request carries (values UTF-8, percent-encoded as in RFC 3986). */
export const AUDIT_HEADERS = {
  who: 'X-Lotse-Who',
  why: 'X-Lotse-Why',
  callId: 'X-Lotse-Call-Id',
} as const;
/** The server's case token from a verification, sent with every case read. */
export const CASE_TOKEN_HEADER = 'X-Lotse-Case-Token';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const isoDate = z.iso.date().describe('Calendar date, YYYY-MM-DD.');
const instant = z.iso.datetime({ offset: true }).describe('Instant, ISO 8601 with Z or an offset.');
const caseId = z
  .string()
  .min(1)
  .max(200)
  .describe(
    "The household's id in the case system (opaque to Lotse). Echoed in every case answer.",
  );

export const callerIdRequestSchema = z.object({
  phone: z.string().min(1).max(40).describe('The caller ID as received, e.g. +493012345678.'),
});

export const callerIdHintSchema = z.object({
  known: z.boolean().describe('The caller ID is on file; for routing only, never said aloud.'),
});

export const verifyRequestSchema = z.union([
  z.object({
    customerNumber: z
      .string()
      .max(40)
      .describe('Kundennummer as heard or keyed (may lack the letter).'),
    dateOfBirth: z.string().max(40),
  }),
  z.object({
    bgNumber: z.string().max(40).describe('BG-Nummer as heard or keyed.'),
    dateOfBirth: z.string().max(40),
  }),
  z.object({ pin: z.string().max(40).describe('Telephone PIN.') }),
]);

export const verifyResponseSchema = z.discriminatedUnion('verified', [
  z.object({
    verified: z.literal(true),
    caseToken: z
      .string()
      .min(16)
      .max(512)
      .describe('Opaque server-side token for this verification; sent back in X-Lotse-Case-Token.'),
    caseId,
    expiresAt: instant.optional().describe('When the server forgets the token (optional).'),
  }),
  z.object({ verified: z.literal(false) }),
]);

export const nextPaymentSchema = z.object({
  date: isoDate,
  amountCents: z.number().int().min(0),
  forMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM'),
});

export const applicationSchema = z.object({
  type: applicationTypeSchema,
  receivedDate: isoDate,
  status: applicationStatusSchema,
  missingDocuments: z.array(z.string().max(500)),
});

export const appointmentSchema = z.object({
  date: isoDate,
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
  kind: appointmentKindSchema,
  place: z.string().max(500).optional(),
  phone: z.string().max(40).optional(),
  topic: z.string().max(500),
});

export const caseworkerSchema = z.object({
  name: z.string().max(200),
  team: z.string().max(200),
  phone: z.string().max(40),
});

export const householdMemberSchema = z.object({
  firstName: z.string().max(200),
  lastName: z.string().max(200),
  dateOfBirth: isoDate,
  role: householdRoleSchema,
});

export const benefitPeriodSchema = z.object({ start: isoDate, end: isoDate });

export const contactNoteSchema = z.object({
  id: z.string().min(1).max(200),
  at: instant,
  author: z.string().max(200),
  channel: noteChannelSchema,
  text: z.string().max(MAX_NOTE_LENGTH),
});

export const newContactNoteSchema = z.object({
  channel: noteChannelSchema,
  text: z.string().min(1).max(MAX_NOTE_LENGTH),
});

export const nextPaymentResponseSchema = z.object({
  caseId,
  nextPayment: nextPaymentSchema.nullable(),
});
export const applicationsResponseSchema = z.object({
  caseId,
  applications: z.array(applicationSchema).describe('Newest first.'),
});
export const nextAppointmentResponseSchema = z.object({
  caseId,
  nextAppointment: appointmentSchema.nullable(),
});
export const caseworkerResponseSchema = z.object({
  caseId,
  caseworker: caseworkerSchema.nullable(),
});
export const householdMembersResponseSchema = z.object({
  caseId,
  members: z.array(householdMemberSchema),
});
export const benefitPeriodResponseSchema = z.object({
  caseId,
  benefitPeriod: benefitPeriodSchema.nullable(),
});
export const contactNotesResponseSchema = z.object({
  caseId,
  notes: z.array(contactNoteSchema).describe('Newest first.'),
});
export const contactNoteResponseSchema = z.object({ caseId, note: contactNoteSchema });

export const caseContextSchema = z.object({
  caseId,
  bgNumber: z.string().max(40),
  client: householdMemberSchema
    .extend({ customerNumber: z.string().max(40).optional() })
    .describe('The verified person (for a BG number or PIN: the applicant).'),
  members: z.array(householdMemberSchema),
  benefitPeriod: benefitPeriodSchema.nullable(),
  nextPayment: nextPaymentSchema.nullable(),
  applications: z.array(applicationSchema).describe('Newest first.'),
  appointments: z.array(appointmentSchema).describe('From today on, soonest first.'),
  notes: z.array(contactNoteSchema).describe('Recent contact notes, newest first.'),
  caseworker: caseworkerSchema.nullable(),
});

/** Problem codes the connector acts on (the `code` member of a problem body). */
export const PROBLEM_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'verification_expired',
  'case_mismatch',
  'idempotency_conflict',
  'rate_limited',
  'internal',
  'unavailable',
] as const;

export const problemSchema = z.object({
  type: z.string().max(500).optional().describe('URI of the problem type (RFC 9457).'),
  title: z.string().max(500),
  status: z.number().int().min(400).max(599),
  detail: z.string().max(2000).optional(),
  instance: z.string().max(500).optional(),
  code: z.enum(PROBLEM_CODES).optional().describe('Machine-readable reason, see PROBLEM_CODES.'),
});

export type CaseApiProblem = z.infer<typeof problemSchema>;

/** The component schemas of the OpenAPI document, by name. */
export const CASE_API_COMPONENTS = {
  CallerIdRequest: callerIdRequestSchema,
  CallerIdHint: callerIdHintSchema,
  VerifyRequest: verifyRequestSchema,
  VerifyResponse: verifyResponseSchema,
  NextPayment: nextPaymentSchema,
  Application: applicationSchema,
  Appointment: appointmentSchema,
  Caseworker: caseworkerSchema,
  HouseholdMember: householdMemberSchema,
  BenefitPeriod: benefitPeriodSchema,
  ContactNote: contactNoteSchema,
  NewContactNote: newContactNoteSchema,
  NextPaymentResponse: nextPaymentResponseSchema,
  ApplicationsResponse: applicationsResponseSchema,
  NextAppointmentResponse: nextAppointmentResponseSchema,
  CaseworkerResponse: caseworkerResponseSchema,
  HouseholdMembersResponse: householdMembersResponseSchema,
  BenefitPeriodResponse: benefitPeriodResponseSchema,
  ContactNotesResponse: contactNotesResponseSchema,
  ContactNoteResponse: contactNoteResponseSchema,
  CaseContext: caseContextSchema,
  Problem: problemSchema,
} as const;

/** The component schemas as JSON Schema 2020-12 (OpenAPI 3.1), with $refs between them. */
export function caseApiJsonSchemas(): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(CASE_API_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const result: Record<string, Record<string, unknown>> = {};
  for (const id of Object.keys(CASE_API_COMPONENTS)) {
    const { $schema: _schema, $id: _id, ...rest } = schemas[id] ?? {};
    result[id] = rest;
  }
  return result;
}
