/**
 * The intent catalogue of the voice bot: this list is its definition (the
 * sentences that teach each one are in resources/nlu/intents-train.jsonl).
 * The engine classifies into these; the screen offers them as the final
 * intent label of a call (the learning loop).
 */
import { z } from 'zod';

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

export const intentNameSchema = z.enum(INTENT_NAMES);
export type IntentName = z.infer<typeof intentNameSchema>;

const NAMES: ReadonlySet<unknown> = new Set(INTENT_NAMES);

export function isIntentName(value: unknown): value is IntentName {
  return NAMES.has(value);
}
