/**
 * Multinomial naive Bayes over character n-grams and words
 * (`intent-features.ts`): the product's intent model. It measured best on
 * the held-out set against nlp.js and our logistic regression
 * (resources/nlu/evaluation.md), trains in about 0.1 s from the JSON lines
 * (counting, no iterations, hence deterministic), and needs no native code
 * or model file.
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

export class NaiveBayesModel implements IntentModel {
  private constructor(
    private readonly labels: readonly IntentName[],
    private readonly logLikelihood: ReadonlyMap<string, Float64Array>,
    private readonly unseen: Float64Array,
    private readonly logPrior: Float64Array,
  ) {}

  static train(data: readonly LabelledUtterance[], alpha = 0.1): NaiveBayesModel {
    const labels = INTENT_NAMES.filter((name) => data.some((item) => item.intent === name));
    const k = labels.length;
    const counts = new Map<string, Float64Array>();
    const totals = new Float64Array(k);
    const documents = new Float64Array(k);
    for (const item of data) {
      const label = labels.indexOf(item.intent);
      documents[label] = (documents[label] ?? 0) + 1;
      for (const feature of intentFeatures(intentText(item.text))) {
        let row = counts.get(feature);
        if (!row) {
          row = new Float64Array(k);
          counts.set(feature, row);
        }
        row[label] = (row[label] ?? 0) + 1;
        totals[label] = (totals[label] ?? 0) + 1;
      }
    }
    const vocabulary = counts.size;
    const denominators = totals.map((total) => Math.log(total + alpha * vocabulary));
    const logLikelihood = new Map<string, Float64Array>();
    for (const [feature, row] of counts) {
      logLikelihood.set(
        feature,
        row.map((count, c) => Math.log(count + alpha) - (denominators[c] ?? 0)),
      );
    }
    const unseen = denominators.map((denominator) => Math.log(alpha) - denominator);
    // Uniform prior: how many examples an intent has says how much we wrote
    // for it, not how often callers have it (and crisis, with the most
    // examples, must not win a tie by count).
    const logPrior = documents.map(() => -Math.log(k));
    return new NaiveBayesModel(labels, logLikelihood, unseen, logPrior);
  }

  scores(normalised: string): IntentScore[] {
    const k = this.labels.length;
    const sums = new Float64Array(this.logPrior);
    const features = intentFeatures(normalised).filter((f) => this.logLikelihood.has(f));
    for (const feature of features) {
      const row = this.logLikelihood.get(feature) ?? this.unseen;
      for (let c = 0; c < k; c++) sums[c] = (sums[c] ?? 0) + (row[c] ?? 0);
    }
    // Naive Bayes is overconfident (overlapping n-grams are far from
    // independent): scaled by features^0.7 (measured on the held-out set),
    // right answers mostly score above 0.9 and wrong ones around 0.5, so the
    // classifier's confidence floor can send doubtful turns to "other".
    const scale = Math.max(1, features.length ** 0.7);
    return rankScores(this.labels, softmax(sums.map((sum) => sum / scale)));
  }
}
