/**
 * The bot's view of the classifier and the knowledge base: intents with
 * confidence, entities in the dialogue's shape (ISO dates, digit strings), and
 * spoken answers with a one-line source. The understanding processor calls
 * `understand` once per utterance; the dialogue only ever sees the result.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { IntentClassifier } from '../nlu/intents/intent-classifier';
import { isIntentName, type IntentName } from '../../contract';
import type { Entities } from './frames';

export interface Understanding {
  intent: IntentName;
  confidence: number;
  entities: Entities;
}

/** Classifies one (cleaned) utterance. */
export type Understand = (text: string) => Understanding;

export function understandWith(classifier: IntentClassifier): Understand {
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
    const intent: IntentName = isIntentName(result.intent) ? result.intent : 'other';
    return { intent, confidence: result.confidence, entities };
  };
}

export function answersFrom(
  knowledge: KnowledgeBase,
): (intent: IntentName) => { text: string; source: string } | undefined {
  return (intent) => {
    const answer = knowledge.answerFor(intent);
    if (!answer) return undefined;
    const source = answer.source.norm ?? answer.source.title ?? answer.source.url;
    return { text: answer.spoken, source };
  };
}
