/**
 * Multinomial logistic regression over the same sparse n-gram features as
 * the naive Bayes model, trained by plain stochastic gradient descent: the
 * discriminative alternative in the measured comparison
 * (resources/nlu/evaluation.md). Kept because with more training data it may
 * overtake naive Bayes; switch `DEFAULT_MODEL` only on a measured gain.
 *
 * Determinism: examples are shuffled by a seeded generator and features are
 * visited in a fixed order, so the same data always gives the same weights.
 */
import { intentFeatures } from './intent-features';
import { INTENT_NAMES, type IntentName } from '../../../contract';
import {
  rankScores,
  softmax,
  type IntentModel,
  type IntentScore,
  type LabelledUtterance,
} from './intent-model';
import { intentText } from './intent-text';
import { seededRandom, shuffled } from '../../util/seeded-random';

export interface LogisticRegressionOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per update; keeps rare n-grams from dominating. */
  l2?: number;
  seed?: number;
}

interface Example {
  features: number[];
  label: number;
}

export class LogisticRegressionModel implements IntentModel {
  private constructor(
    private readonly labels: readonly IntentName[],
    private readonly featureIndex: ReadonlyMap<string, number>,
    /** Row-major: weights[feature * labels + label]. */
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  static train(
    data: readonly LabelledUtterance[],
    options: LogisticRegressionOptions = {},
  ): LogisticRegressionModel {
    const epochs = options.epochs ?? 30;
    const learningRate = options.learningRate ?? 0.5;
    const l2 = options.l2 ?? 1e-5;
    const labels = INTENT_NAMES.filter((name) => data.some((item) => item.intent === name));
    const labelIndex = new Map(labels.map((name, index) => [name, index]));
    const featureIndex = new Map<string, number>();
    const examples: Example[] = data.map((item) => ({
      label: labelIndex.get(item.intent) ?? 0,
      features: intentFeatures(intentText(item.text)).map((feature) => {
        let index = featureIndex.get(feature);
        if (index === undefined) {
          index = featureIndex.size;
          featureIndex.set(feature, index);
        }
        return index;
      }),
    }));
    const k = labels.length;
    const weights = new Float64Array(featureIndex.size * k);
    const bias = new Float64Array(k);
    const random = seededRandom(options.seed ?? 20_240_601);
    const logits = new Float64Array(k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = learningRate / (1 + epoch * 0.2);
      for (const example of shuffled(examples, random)) {
        // Binary features scaled to unit length: long and short utterances
        // then move the weights equally.
        const value = 1 / Math.sqrt(Math.max(1, example.features.length));
        logits.set(bias);
        for (const feature of example.features) {
          const row = feature * k;
          for (let c = 0; c < k; c++)
            logits[c] = (logits[c] ?? 0) + (weights[row + c] ?? 0) * value;
        }
        const probabilities = softmax(logits);
        for (let c = 0; c < k; c++) {
          const gradient = (probabilities[c] ?? 0) - (c === example.label ? 1 : 0);
          bias[c] = (bias[c] ?? 0) - rate * gradient;
          const step = rate * gradient * value;
          for (const feature of example.features) {
            const at = feature * k + c;
            const w = weights[at] ?? 0;
            weights[at] = w - step - rate * l2 * w;
          }
        }
      }
    }
    return new LogisticRegressionModel(labels, featureIndex, weights, bias);
  }

  scores(normalised: string): IntentScore[] {
    const k = this.labels.length;
    const all = intentFeatures(normalised);
    const features = all
      .map((feature) => this.featureIndex.get(feature))
      .filter((index): index is number => index !== undefined);
    const value = 1 / Math.sqrt(Math.max(1, all.length));
    const logits = new Float64Array(this.bias);
    for (const feature of features) {
      const row = feature * k;
      for (let c = 0; c < k; c++)
        logits[c] = (logits[c] ?? 0) + (this.weights[row + c] ?? 0) * value;
    }
    return rankScores(this.labels, softmax(logits));
  }
}
