/**
 * The intent catalogue of the voice bot, by the names the design fixes
 * (DESIGN.md, "The intent catalogue"). The dialogue policy, the supervisor
 * board and the training data all use these exact strings, so they live in
 * one place and everything else is typed by them.
 */
// The list itself is part of the renderer contract (the wrap-up's intent label
// offers the same names): one list, defined there.
import { INTENT_NAMES } from '../../../contract/intents';

export { INTENT_NAMES };

export type IntentName = (typeof INTENT_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(INTENT_NAMES);

export function isIntentName(value: unknown): value is IntentName {
  return typeof value === 'string' && NAMES.has(value);
}

/**
 * Intents that always go to a human at once, with priority. The classifier
 * never lets a model's doubt hide them: see `safety-rules.ts`.
 */
export const URGENT_INTENTS: ReadonlySet<IntentName> = new Set(['emergency', 'crisis']);

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
