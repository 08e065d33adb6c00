/**
 * Measures an intent classifier on labelled utterances: accuracy, and
 * precision and recall per intent, because one number hides what matters
 * most here (a missed crisis is far worse than a misrouted payment
 * question). Used by the unit tests and by `evaluate-intents-cli.ts`, which
 * writes resources/nlu/evaluation.md.
 */
import { INTENT_NAMES, type IntentName } from '../../../contract';
import type { LabelledUtterance } from './intent-model';

export interface IntentMetrics {
  intent: IntentName;
  /** How many test utterances have this intent. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationError {
  text: string;
  expected: IntentName;
  predicted: IntentName;
}

export interface EvaluationResult {
  total: number;
  correct: number;
  accuracy: number;
  perIntent: IntentMetrics[];
  errors: EvaluationError[];
}

export function evaluate(
  examples: readonly LabelledUtterance[],
  predict: (text: string) => IntentName,
): EvaluationResult {
  const predictions = examples.map((example) => ({ example, predicted: predict(example.text) }));
  const correct = predictions.filter(
    ({ example, predicted }) => example.intent === predicted,
  ).length;
  const perIntent = INTENT_NAMES.map((intent): IntentMetrics => {
    const truePositive = predictions.filter(
      ({ example, predicted }) => example.intent === intent && predicted === intent,
    ).length;
    const predictedCount = predictions.filter(({ predicted }) => predicted === intent).length;
    const support = examples.filter((example) => example.intent === intent).length;
    const precision =
      predictedCount === 0 ? (support === 0 ? 1 : 0) : truePositive / predictedCount;
    const recall = support === 0 ? 1 : truePositive / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, support, precision, recall, f1 };
  });
  return {
    total: examples.length,
    correct,
    accuracy: examples.length === 0 ? 0 : correct / examples.length,
    perIntent,
    errors: predictions
      .filter(({ example, predicted }) => example.intent !== predicted)
      .map(({ example, predicted }) => ({
        text: example.text,
        expected: example.intent,
        predicted,
      })),
  };
}

export function recallOf(result: EvaluationResult, intent: IntentName): number {
  return result.perIntent.find((metrics) => metrics.intent === intent)?.recall ?? 0;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}
