/**
 * The intent catalogue of the voice bot, by the names the design fixes
 * (DESIGN.md, "The intent catalogue"). The engine classifies into these; the
 * screen offers them as the final intent label of a call (the learning loop).
 */
export const INTENT_NAMES = [
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
