/**
 * What the engine adds to the intent catalogue: the intents that are safety
 * rules, and those answered from the caller's own case. The catalogue itself
 * (names, type, check) is the contract's (electron/contract/intents.ts).
 */
import type { IntentName } from '../../../contract';

/**
 * Intents that always go to a human at once, with priority. The classifier
 * never lets a model's doubt hide them: see `safety-rules.ts`.
 */
export const URGENT_INTENT_NAMES = ['emergency', 'crisis'] as const satisfies readonly IntentName[];
export type UrgentIntent = (typeof URGENT_INTENT_NAMES)[number];
export const URGENT_INTENTS: ReadonlySet<IntentName> = new Set(URGENT_INTENT_NAMES);

/**
 * Intents answered from the caller's own case: only after the caller is
 * verified (§ 35 SGB I, § 67 ff. SGB X).
 */
export const CASE_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>([
  'payment_date',
  'payment_missing',
  'application_status',
  'continuation_application',
  'appointment',
]);
