/**
 * What every intent model offers: trained on labelled utterances, it gives a
 * probability per class. The classifier, the evaluation and the comparison
 * with nlp.js depend on this shape only.
 */
import type { IntentName } from '../../../contract';

export interface LabelledUtterance {
  text: string;
  intent: IntentName;
}

export interface IntentScore {
  intent: IntentName;
  confidence: number;
}

export interface IntentModel {
  /**
   * Scores for every intent the model knows, best first, confidences summing
   * to 1, for an utterance already in `intentText` form (the classifier
   * normalises once and shares the result with rules and vocabulary).
   */
  scores(normalised: string): IntentScore[];
}

/** Softmax of `values`, stable for large magnitudes. */
export function softmax(values: Float64Array): Float64Array {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  const out = new Float64Array(values.length);
  let sum = 0;
  values.forEach((value, index) => {
    const e = Math.exp(value - max);
    out[index] = e;
    sum += e;
  });
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** Scores of `probabilities` (in `labels` order), best first; ties keep label order. */
export function rankScores(
  labels: readonly IntentName[],
  probabilities: Float64Array,
): IntentScore[] {
  return labels
    .map((intent, index) => ({ intent, confidence: probabilities[index] ?? 0 }))
    .sort((a, b) => b.confidence - a.confidence);
}
