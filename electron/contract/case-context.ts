/**
 * A household's case as the caseworker's screen sees it, and the words a case
 * is made of: kinds and states of applications, household roles, kinds of
 * appointment, contact-note channels and the longest contact note. Defined
 * once here; the case systems (embedded store, HTTP connector, import format)
 * and the wording in the engine take their enums and types from these
 * schemas, so a new value is added in one place.
 */
import { z } from 'zod';

/** The longest contact note (wrap-up note, worklist note) a case system or the desk takes. */
export const MAX_NOTE_LENGTH = 4000;

/** Where a person stands in the household (Bedarfsgemeinschaft). */
export const householdRoleSchema = z.enum(['applicant', 'partner', 'child', 'other']);
export type HouseholdRole = z.infer<typeof householdRoleSchema>;

/** The kinds of application a case holds. */
export const applicationTypeSchema = z.enum([
  'first_application',
  'continuation_application',
  'change_application',
  'one_off_need',
]);
export type ApplicationType = z.infer<typeof applicationTypeSchema>;

/** Where an application stands. */
export const applicationStatusSchema = z.enum([
  'received',
  'in_review',
  'documents_missing',
  'decided',
]);
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

/** An appointment in the office, or a call at an agreed time. */
export const appointmentKindSchema = z.enum(['in_person', 'phone']);
export type AppointmentKind = z.infer<typeof appointmentKindSchema>;

/** How a contact note came about. */
export const noteChannelSchema = z.enum(['phone', 'letter', 'visit', 'email', 'bot']);
export type NoteChannel = z.infer<typeof noteChannelSchema>;

export const householdMemberSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  /** ISO date. */
  dateOfBirth: z.string(),
  role: householdRoleSchema,
});
export type HouseholdMember = z.infer<typeof householdMemberSchema>;

export const nextPaymentSchema = z.object({
  /** ISO date the money is transferred (start of month, § 42 SGB II). */
  date: z.string(),
  amountCents: z.number(),
  /** The month it is for, 'YYYY-MM'. */
  forMonth: z.string(),
});
export type NextPayment = z.infer<typeof nextPaymentSchema>;

export const applicationInfoSchema = z.object({
  type: applicationTypeSchema,
  receivedDate: z.string(),
  status: applicationStatusSchema,
  missingDocuments: z.array(z.string()),
});
export type ApplicationInfo = z.infer<typeof applicationInfoSchema>;

export const appointmentInfoSchema = z.object({
  date: z.string(),
  /** 'HH:MM', local time. */
  time: z.string(),
  kind: appointmentKindSchema,
  /** Address and room for an appointment in person. */
  place: z.string().optional(),
  /** The number that will call, or to call, for a phone appointment. */
  phone: z.string().optional(),
  topic: z.string(),
});
export type AppointmentInfo = z.infer<typeof appointmentInfoSchema>;

export const contactNoteSchema = z.object({
  id: z.string(),
  /** ISO instant. */
  at: z.string(),
  author: z.string(),
  channel: noteChannelSchema,
  text: z.string(),
});
export type ContactNote = z.infer<typeof contactNoteSchema>;

export const caseworkerInfoSchema = z.object({
  name: z.string(),
  team: z.string(),
  phone: z.string(),
});
export type CaseworkerInfo = z.infer<typeof caseworkerInfoSchema>;

export const benefitPeriodSchema = z.object({ start: z.string(), end: z.string() });
export type BenefitPeriod = z.infer<typeof benefitPeriodSchema>;

/**
 * Everything the caseworker's screen shows about a verified caller, read in
 * one go (one audit row, one round trip to a back office). `caseId` names the
 * household in the case system; a connector checks that an answer is for the
 * case it asked about, so nothing of someone else's reaches the screen.
 */
export const caseContextSchema = z.object({
  caseId: z.string(),
  bgNumber: z.string(),
  /** The verified person (for a BG number or PIN: the applicant). */
  client: householdMemberSchema.extend({ customerNumber: z.string().optional() }),
  members: z.array(householdMemberSchema),
  benefitPeriod: benefitPeriodSchema.nullable(),
  nextPayment: nextPaymentSchema.nullable(),
  /** Open and recently decided applications, newest first, with missing documents. */
  applications: z.array(applicationInfoSchema),
  /** Appointments from today on, soonest first. */
  appointments: z.array(appointmentInfoSchema),
  /** Recent contact notes, newest first. */
  notes: z.array(contactNoteSchema),
  caseworker: caseworkerInfoSchema.nullable(),
});
export type CaseContextView = z.infer<typeof caseContextSchema>;
