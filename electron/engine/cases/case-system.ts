/**
 * What the bot and the caseworker's screen may ask of a case system – the
 * embedded store on the desk or, later, an office's own system over HTTP.
 *
 * The rules from German law shape the interface (§ 35 SGB I, § 67 ff. SGB X,
 * and for the audit Art. 32 GDPR):
 *   - no case fact before verification: every fact-returning method takes a
 *     CaseRef, and only `verify` makes one. CaseRef is a branded type (a plain
 *     string does not type-check) and an opaque, expiring token that the
 *     implementation checks at run time (an invented or expired one throws
 *     CaseAccessError);
 *   - never reveal whether a number exists: `verify` answers `{ verified: false }`
 *     for a wrong date of birth, an unknown number and a malformed input alike,
 *     in the same time; `findByCallerId` gives a hint for routing only, and the
 *     bot must not speak it;
 *   - audit: every read (and every note) names who and why, and is written to
 *     the audit log before the data is returned – no audit row, no data.
 */

import {
  MAX_NOTE_LENGTH,
  noteChannelSchema,
  type ErrorParams,
  type ErrorReason,
  type ReasonedError,
  type ApplicationInfo,
  type ApplicationStatus,
  type ApplicationType,
  type AppointmentInfo,
  type BenefitPeriod,
  type CaseContextView,
  type CaseworkerInfo,
  type ContactNote,
  type HouseholdMember,
  type NextPayment,
} from '../../contract';

declare const caseRefBrand: unique symbol;
/** Proof of a successful verification: opaque, per call, expiring. */
export type CaseRef = string & { readonly [caseRefBrand]: 'CaseRef' };

/** Who reads and why: stored with every read of case data. */
export interface AuditContext {
  /** 'bot' or the staff account, e.g. 'agent:k.beispiel'. */
  who: string;
  /** The purpose, e.g. 'caller asked payment_date'. */
  why: string;
  /** The call the read belongs to, when there is one. */
  callId?: string;
  /**
   * A verification only: the keyed hash (HMAC) of the number or PIN it
   * named, written into the audit row so the data-protection officer sees
   * which person was targeted; never the number itself.
   */
  subject?: string;
}

export type VerifyInput =
  | { customerNumber: string; dateOfBirth: string }
  | { bgNumber: string; dateOfBirth: string }
  | { pin: string };

export type VerifyResult =
  | { verified: true; caseRef: CaseRef }
  | {
      verified: false;
      /**
       * Set by the verification limits (verification-gate.ts) only: no check
       * was made because this number, line or call is locked until then
       * (ISO instant). The caller hears the same words as for a wrong date
       * of birth; the agent's screen says the check is blocked.
       */
      lockedUntil?: string;
    };

/** A caller ID hint: known or not, never whose it is. */
export interface CallerIdHint {
  known: boolean;
}

// The shapes of case data are the contract's (electron/contract/case-context.ts):
// the screen shows what the case system returns, defined once.
export type {
  ApplicationInfo,
  ApplicationStatus,
  ApplicationType,
  AppointmentInfo,
  BenefitPeriod,
  CaseworkerInfo,
  ContactNote,
  HouseholdMember,
  NextPayment,
};

/** Everything the caseworker's screen shows about a verified caller (see CaseContextView). */
export type CaseContext = CaseContextView;

export interface NewContactNote {
  channel: ContactNote['channel'];
  text: string;
  /**
   * The desk's id of this note (the id it waits under in the learning store
   * when a save fails), the same for every try: a connector that can be
   * asked twice (HTTP) derives its idempotency key from it, so a retried save
   * is written once. Not part of the note.
   */
  noteId?: string;
}

export type CaseSystemFailure =
  'unavailable' | 'timeout' | 'bad_response' | 'mismatch' | 'rejected';

/** The reason each kind of failure carries unless a sharper one is given. */
const FAILURE_REASONS = {
  unavailable: 'case_system_unavailable',
  timeout: 'case_system_timeout',
  bad_response: 'case_system_bad_response',
  mismatch: 'case_system_mismatch',
  rejected: 'case_system_rejected',
} as const satisfies Record<CaseSystemFailure, ErrorReason>;

/**
 * A back office that cannot answer as it should: down, slow, an error, a
 * malformed or mismatched answer. `code` is the kind (what a connector acts
 * on), `reason` and `params` what the screen words; the message is English,
 * for the log. The call goes on.
 */
export class CaseSystemError extends Error implements ReasonedError {
  readonly reason: ErrorReason;
  readonly params: ErrorParams | undefined;

  constructor(
    readonly code: CaseSystemFailure,
    message: string,
    detail: { reason?: ErrorReason; params?: ErrorParams } = {},
  ) {
    super(message);
    this.name = 'CaseSystemError';
    this.reason = detail.reason ?? FAILURE_REASONS[code];
    this.params = detail.params;
  }
}

const NOTE_CHANNELS: readonly string[] = noteChannelSchema.options;

/** Every implementation's first check: a read names who reads and why. */
export function checkAudit(audit: AuditContext): void {
  if (!audit || typeof audit.who !== 'string' || !audit.who.trim()) {
    throw new TypeError('audit.who is required: every read of case data names who reads');
  }
  if (typeof audit.why !== 'string' || !audit.why.trim()) {
    throw new TypeError('audit.why is required: every read of case data names its purpose');
  }
}

/** A contact note a case system does not take (a TypeError: the caller's mistake, not the system's). */
export class ContactNoteError extends TypeError implements ReasonedError {
  override readonly name = 'ContactNoteError';

  constructor(
    message: string,
    readonly reason: 'note_empty' | 'note_too_long' | 'note_channel_unknown',
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

/** A new note as every implementation takes it: its trimmed text, or a ContactNoteError saying why not. */
export function checkNewNote(note: NewContactNote): string {
  const text = typeof note?.text === 'string' ? note.text.trim() : '';
  if (!text) throw new ContactNoteError('a contact note needs text', 'note_empty');
  if (text.length > MAX_NOTE_LENGTH) {
    throw new ContactNoteError(
      `a contact note has at most ${MAX_NOTE_LENGTH} characters`,
      'note_too_long',
      { max: MAX_NOTE_LENGTH },
    );
  }
  if (!NOTE_CHANNELS.includes(note.channel)) {
    throw new ContactNoteError(
      `unknown note channel "${String(note.channel)}"`,
      'note_channel_unknown',
      { channel: String(note.channel) },
    );
  }
  return text;
}

/** Thrown for a CaseRef that this system did not issue, that was released or has expired. */
export class CaseAccessError extends Error implements ReasonedError {
  constructor(
    message = 'no verified case: verify the caller first',
    readonly reason: 'caller_not_verified' | 'verification_expired' = 'caller_not_verified',
  ) {
    super(message);
    this.name = 'CaseAccessError';
  }
}

export interface CaseSystem {
  /** At most a hint that the caller ID is on file; for routing, never said aloud. */
  findByCallerId(phone: string, audit: AuditContext): Promise<CallerIdHint>;
  /** Same shape and similar time whether or not the number exists. */
  verify(input: VerifyInput, audit: AuditContext): Promise<VerifyResult>;
  /** Ends a verification early (the call is over); later use of the ref throws. */
  release(caseRef: CaseRef): void;

  nextPayment(caseRef: CaseRef, audit: AuditContext): Promise<NextPayment | null>;
  applications(caseRef: CaseRef, audit: AuditContext): Promise<ApplicationInfo[]>;
  nextAppointment(caseRef: CaseRef, audit: AuditContext): Promise<AppointmentInfo | null>;
  caseworker(caseRef: CaseRef, audit: AuditContext): Promise<CaseworkerInfo | null>;
  householdMembers(caseRef: CaseRef, audit: AuditContext): Promise<HouseholdMember[]>;
  benefitPeriod(caseRef: CaseRef, audit: AuditContext): Promise<BenefitPeriod | null>;
  /** Newest first. */
  contactNotes(caseRef: CaseRef, audit: AuditContext, limit?: number): Promise<ContactNote[]>;
  addContactNote(caseRef: CaseRef, note: NewContactNote, audit: AuditContext): Promise<ContactNote>;
  /** The whole picture for the caseworker's screen, with one audit row ('case_context'). */
  caseContext(caseRef: CaseRef, audit: AuditContext): Promise<CaseContext>;

  close(): Promise<void>;
}
