/**
 * The dialogue's view of the classifier and the knowledge base: intents with
 * confidence, entities in the dialogue's shape (ISO dates, digit strings), and
 * spoken answers with a one-line source.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { IntentClassifier } from '../nlu/intents/intent-classifier';
import type { Understanding } from './dialogue';
import type { Entities } from './frames';
import { isIntent, type Intent } from './intents';

export function understandWith(classifier: IntentClassifier): (text: string) => Understanding {
  return (text) => {
    const result = classifier.classify(text);
    const e = result.entities;
    const entities: Entities = {
      ...(e.customerNumber ? { customerNumber: e.customerNumber } : {}),
      ...(e.bgNumber ? { bgNumber: e.bgNumber } : {}),
      ...(e.dateOfBirth?.iso ? { dateOfBirth: e.dateOfBirth.iso } : {}),
      ...(e.date?.iso ? { date: e.date.iso } : {}),
      ...(e.amountEuro !== undefined ? { amount: e.amountEuro } : {}),
      ...((e.spokenDigits ?? e.digitStrings?.[0])
        ? { digits: e.spokenDigits ?? e.digitStrings?.[0] }
        : {}),
    };
    const intent: Intent = isIntent(result.intent) ? result.intent : 'other';
    return { intent, confidence: result.confidence, entities };
  };
}

export function answersFrom(
  knowledge: KnowledgeBase,
): (intent: Intent) => { text: string; source: string } | undefined {
  return (intent) => {
    const answer = knowledge.answerFor(intent);
    if (!answer) return undefined;
    const source = answer.source.norm ?? answer.source.title ?? answer.source.url;
    return { text: answer.spoken, source };
  };
}
