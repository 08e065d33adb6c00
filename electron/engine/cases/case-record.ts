/**
 * The case record: one household (Bedarfsgemeinschaft) as it is imported into
 * the embedded store – from the demo generator or from a JSON case file. A
 * file is checked record by record: a record with a missing or malformed field
 * is reported with its position, id and field path and skipped; the others
 * still load, so one bad line in an export does not leave the desk without
 * cases.
 */
import { z } from 'zod';
import {
  applicationStatusSchema,
  applicationTypeSchema,
  appointmentKindSchema,
  householdRoleSchema,
  noteChannelSchema,
} from '../../contract';

/**
 * Customer number (Kundennummer) as the store accepts it: 3 digits, 1 capital
 * letter, 5 or 6 digits ("123D45678"). Demo numbers use 99xD then 5 digits.
 */
export const CUSTOMER_NUMBER = /^\d{3}[A-Z]\d{5,6}$/;
/** BG number (Bedarfsgemeinschaftsnummer): 5-digit office, "BG", 7 digits. */
export const BG_NUMBER = /^\d{5}BG\d{7}$/;
/** Telephone PIN: 6 digits. */
export const PIN = /^\d{6}$/;

/** A real calendar date in ISO form; rejects 2025-02-30 and friends. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO instant');
const text = z.string().trim().min(1, 'must not be empty');
const phone = z.string().regex(/^\+\d{6,15}$/, 'expected a phone number in E.164 form (+49…)');

export const memberSchema = z.object({
  firstName: text,
  lastName: text,
  dateOfBirth: isoDate,
  role: householdRoleSchema,
  customerNumber: z.string().regex(CUSTOMER_NUMBER, 'expected e.g. 123D45678').optional(),
});

export const caseRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected letters, digits and dashes'),
  bgNumber: z.string().regex(BG_NUMBER, 'expected e.g. 12345BG0012345'),
  pin: z.string().regex(PIN, 'expected 6 digits').optional(),
  callerIds: z.array(phone).default([]),
  members: z.array(memberSchema).min(1, 'a household has at least one member'),
  caseworker: z.object({ name: text, team: text, phone }).optional(),
  benefitPeriod: z
    .object({ start: isoDate, end: isoDate })
    .refine((p) => p.start <= p.end, 'start must not be after end')
    .optional(),
  payments: z
    .array(
      z.object({
        date: isoDate,
        amountCents: z.number().int().min(0),
        forMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM'),
      }),
    )
    .default([]),
  applications: z
    .array(
      z.object({
        type: applicationTypeSchema,
        receivedDate: isoDate,
        status: applicationStatusSchema,
        missingDocuments: z.array(text).default([]),
      }),
    )
    .default([]),
  appointments: z
    .array(
      z.object({
        date: isoDate,
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
        kind: appointmentKindSchema,
        place: text.optional(),
        phone: phone.optional(),
        topic: text,
      }),
    )
    .default([]),
  notes: z
    .array(
      z.object({
        at: instant,
        author: text,
        channel: noteChannelSchema,
        text,
      }),
    )
    .default([]),
});

export type CaseRecord = z.infer<typeof caseRecordSchema>;
/** What a generator or an exporter writes (defaults may be left out). */
export type CaseRecordInput = z.input<typeof caseRecordSchema>;

/** One problem in one record, named so that someone can find and fix it. */
export interface CaseRecordIssue {
  /** e.g. 'households[3] (id "DEMO-0004")'. */
  record: string;
  /** Dotted path inside the record, e.g. 'members.0.dateOfBirth'. */
  field: string;
  message: string;
}

export class CaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseFileError';
  }
}

export function describeRecord(index: number, raw: unknown): string {
  const id =
    raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? ` (id "${(raw as { id: string }).id}")`
      : '';
  return `households[${index}]${id}`;
}

export function formatIssue(issue: CaseRecordIssue): string {
  return `${issue.record}: ${issue.field || '(record)'}: ${issue.message}`;
}

/**
 * Checks a case file `{ version: 1, households: [...] }` record by record.
 * A file that is not that shape at all is a CaseFileError; a bad record is an
 * issue, and the good records are returned.
 */
export function parseCaseFile(data: unknown): { records: CaseRecord[]; issues: CaseRecordIssue[] } {
  const envelope = z
    .object({ version: z.literal(1), households: z.array(z.unknown()) })
    .safeParse(data);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    throw new CaseFileError(
      `not a Lotse case file (expected { version: 1, households: [...] }): ${
        first ? `${first.path.join('.') || '(top level)'}: ${first.message}` : 'unknown shape'
      }`,
    );
  }
  const records: CaseRecord[] = [];
  const issues: CaseRecordIssue[] = [];
  envelope.data.households.forEach((raw, index) => {
    const parsed = caseRecordSchema.safeParse(raw);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    for (const issue of parsed.error.issues) {
      issues.push({
        record: describeRecord(index, raw),
        field: issue.path.map(String).join('.'),
        message: issue.message,
      });
    }
  });
  return { records, issues };
}
