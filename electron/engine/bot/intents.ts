/**
 * The intent catalogue (DESIGN.md): the bot must know these by these names.
 * Some can only be answered from the caller's case, and those need a verified
 * caller first (§ 35 SGB I, § 67 ff. SGB X).
 */
export const INTENTS = [
  'payment_date',
  'payment_missing',
  'application_status',
  'continuation_application',
  'notice_explanation',
  'objection',
  'appointment',
  'sick_note',
  'change_of_circumstances',
  'document_submission',
  'housing_costs',
  'absence',
  'human_request',
  'emergency',
  'crisis',
  'education_participation',
  'job_support',
  'other',
] as const;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

/** Answered from the caller's own case: only after verification. */
export const CASE_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'payment_date',
  'payment_missing',
  'application_status',
  'continuation_application',
  'appointment',
]);

/** Always a person, at once; emergency and crisis with priority. */
export const URGENT_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['emergency', 'crisis']);
