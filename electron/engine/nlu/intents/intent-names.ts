/**
 * The intents that are safety rules, not just topics. The catalogue itself
 * (names, type, check) is the contract's (electron/contract/intents.ts).
 */
import { INTENT_NAMES, isIntentName, type IntentName } from '../../../contract';

// Still imported from here by electron/engine/bot/intents.ts; new code takes
// them from the contract.
export { INTENT_NAMES, isIntentName, type IntentName };

/**
 * Intents that always go to a human at once, with priority. The classifier
 * never lets a model's doubt hide them: see `safety-rules.ts`.
 */
export const URGENT_INTENT_NAMES = ['emergency', 'crisis'] as const satisfies readonly IntentName[];
export type UrgentIntent = (typeof URGENT_INTENT_NAMES)[number];
export const URGENT_INTENTS: ReadonlySet<IntentName> = new Set(URGENT_INTENT_NAMES);
