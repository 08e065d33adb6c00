/**
 * The intent catalogue as the dialogue uses it. The names themselves live in
 * one place, nlu/intents/intent-names.ts; this adds which of them need a
 * verified caller: those answered from the caller's own case (§ 35 SGB I,
 * § 67 ff. SGB X).
 */
import {
  INTENT_NAMES,
  isIntentName,
  URGENT_INTENTS,
  type IntentName,
} from '../nlu/intents/intent-names';

export const INTENTS = INTENT_NAMES;
export type Intent = IntentName;
export const isIntent = (value: string): value is Intent => isIntentName(value);
export { URGENT_INTENTS };

/** Answered from the caller's own case: only after verification. */
export const CASE_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'payment_date',
  'payment_missing',
  'application_status',
  'continuation_application',
  'appointment',
]);
