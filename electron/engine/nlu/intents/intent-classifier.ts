/**
 * The voice bot's understanding of one caller turn: which concern from the
 * catalogue (`intent-names.ts`) it is, how sure the bot is, what else it
 * might be, and the numbers, dates and amounts in it.
 *
 * The pipeline, in order:
 * 1. Empty or non-text input is "other" with confidence 0: nothing was said.
 * 2. The product's own model (`NaiveBayesModel` or `LogisticRegressionModel`,
 *    chosen by measured held-out accuracy, see resources/nlu/evaluation.md)
 *    scores the first `MAX_CLASSIFIER_CHARS` characters.
 * 3. Text that is mostly not German (few words the bot has ever seen) is
 *    "other" with low confidence: the dialogue then asks again or offers a
 *    human, instead of guessing a concern from one stray word.
 * 4. A top score below `MIN_CONFIDENCE` is "other": a wrong concern costs the
 *    caller more than "Wie kann ich Ihnen helfen?" asked once more.
 * 5. The safety rules (`safety-rules.ts`) override everything: crisis and
 *    emergency are never lost to a model's doubt.
 *
 * Training runs at start-up from resources/nlu/intents-train.jsonl; it is
 * deterministic and takes well under a second (measured in `trainingMillis`),
 * so no trained model file has to be shipped and kept in step with the data.
 */
import { extractEntities, type IntentEntities } from './intent-entities';
import type { IntentModel, IntentScore, LabelledUtterance } from './intent-model';
import type { IntentName } from '../../../contract';
import { intentText, intentWords } from './intent-text';
import { LogisticRegressionModel } from './logistic-regression';
import { NaiveBayesModel } from './naive-bayes';
import { matchSafetyRules } from './safety-rules';
import { loadTrainingData } from './training-data';

export interface IntentClassification {
  intent: IntentName;
  /** 0…1; 0 for empty input. For a safety-rule match at least `SAFETY_CONFIDENCE`. */
  confidence: number;
  /** The next most likely intents, best first (at most `MAX_ALTERNATIVES`). */
  alternatives: IntentScore[];
  entities: IntentEntities;
  /** Ids of the safety rules that decided the intent, when they did. */
  safetyRules?: string[];
}

export interface IntentClassifier {
  classify(text: string): IntentClassification;
  /** Which model decides (for logs and the evaluation report). */
  readonly modelName: ModelName;
  /** How long training took at creation, in milliseconds. */
  readonly trainingMillis: number;
}

export type ModelName = 'naive-bayes' | 'logistic-regression';

export interface IntentClassifierOptions {
  /** Folder with intents-train.jsonl (default: found as in `findNluDataDirectory`). */
  dataDirectory?: string;
  /** Training data given directly (tests); overrides `dataDirectory`. */
  training?: readonly LabelledUtterance[];
  model?: ModelName;
  /** "Today" for two-digit years and date-of-birth plausibility (tests fix it). */
  today?: () => Date;
}

/** The model the evaluation chose (resources/nlu/evaluation.md). */
export const DEFAULT_MODEL: ModelName = 'naive-bayes';
/** Below this top score the bot says "other" and asks again. */
export const MIN_CONFIDENCE = 0.3;
/** A safety-rule match is reported at least this sure. */
export const SAFETY_CONFIDENCE = 0.9;
/** Share of known words below which an utterance counts as not German. */
export const MIN_KNOWN_WORD_SHARE = 0.5;
/** Confidence reported for "other" when the text is not German. */
export const FOREIGN_CONFIDENCE = 0.1;
export const MAX_ALTERNATIVES = 3;

/**
 * Everyday German words a caller may use that the training data happens not
 * to contain: they count as German when deciding whether the text is.
 */
const GERMAN_WORDS = new Set(
  (
    'aber als also am an auch auf aus bei bin bis bitte da dann das dass dem den der des die dies doch du ' +
    'durch ein eine einem einen einer es etwas euch euer fuer gegen gibt gut habe haben hat hatte heute ' +
    'hier ich ihm ihn ihnen ihr im in ist ja jetzt kann kein keine koennen man mein meine mich mir mit ' +
    'morgen muss nach nein nicht nichts noch nur ob oder ohne schon sehr sein sich sie sind so ueber um ' +
    'und uns unser von vom vor war warum was weil weiter wenn wer wie wieder will wir wird wo wurde zu zum zur'
  ).split(' '),
);

export async function createIntentClassifier(
  options: IntentClassifierOptions = {},
): Promise<IntentClassifier> {
  const started = performance.now();
  const training = options.training ?? loadTrainingData(options.dataDirectory);
  const modelName = options.model ?? DEFAULT_MODEL;
  const model: IntentModel =
    modelName === 'logistic-regression'
      ? LogisticRegressionModel.train(training)
      : NaiveBayesModel.train(training);
  const vocabulary = new Vocabulary(training);
  const trainingMillis = performance.now() - started;
  const today = options.today ?? (() => new Date());
  return {
    modelName,
    trainingMillis,
    classify: (text) => classifyWith(model, vocabulary, text, today()),
  };
}

/** Words seen in training, and their five-letter stems, to tell German from other languages. */
export class Vocabulary {
  private readonly words = new Set<string>();
  private readonly stems = new Set<string>();

  constructor(training: readonly LabelledUtterance[]) {
    for (const item of training) {
      for (const word of intentWords(intentText(item.text))) {
        this.words.add(word);
        if (word.length >= 5) this.stems.add(word.slice(0, 5));
      }
    }
  }

  /** Share of `normalised`'s words (digits aside) that look German; 1 when there are none. */
  knownShare(normalised: string): number {
    const words = intentWords(normalised).filter((word) => !/^\d+$/.test(word));
    if (words.length === 0) return 1;
    const known = words.filter(
      (word) =>
        this.words.has(word) ||
        GERMAN_WORDS.has(word) ||
        (word.length >= 5 && this.stems.has(word.slice(0, 5))),
    );
    return known.length / words.length;
  }
}

/** The classification pipeline (see the module comment) for a trained model. */
export function classifyWith(
  model: IntentModel,
  vocabulary: Vocabulary,
  input: unknown,
  today: Date = new Date(),
): IntentClassification {
  const text = typeof input === 'string' ? input : '';
  if (!text.trim()) return { intent: 'other', confidence: 0, alternatives: [], entities: {} };
  const normalised = intentText(text);
  const entities = extractEntities(text, today);
  const ranked = normalised ? model.scores(normalised) : [];
  const safety = matchSafetyRules(text);
  if (safety) {
    const own = ranked.find((score) => score.intent === safety.intent)?.confidence ?? 0;
    return {
      intent: safety.intent,
      confidence: round(Math.max(own, SAFETY_CONFIDENCE)),
      alternatives: alternativesOf(ranked, safety.intent),
      entities,
      safetyRules: safety.rules,
    };
  }
  const best = ranked[0];
  if (!best) return { intent: 'other', confidence: 0, alternatives: [], entities };
  const known = vocabulary.knownShare(normalised);
  if (known < MIN_KNOWN_WORD_SHARE) {
    return {
      intent: 'other',
      confidence: round(Math.min(FOREIGN_CONFIDENCE, best.confidence * known)),
      alternatives: alternativesOf(ranked, 'other'),
      entities,
    };
  }
  if (best.confidence < MIN_CONFIDENCE && best.intent !== 'other') {
    const other = ranked.find((score) => score.intent === 'other')?.confidence ?? 0;
    return {
      intent: 'other',
      confidence: round(Math.max(other, 1 - best.confidence) * best.confidence),
      alternatives: alternativesOf(ranked, 'other'),
      entities,
    };
  }
  return {
    intent: best.intent,
    confidence: round(best.confidence),
    alternatives: alternativesOf(ranked, best.intent),
    entities,
  };
}

function alternativesOf(ranked: readonly IntentScore[], chosen: IntentName): IntentScore[] {
  return ranked
    .filter((score) => score.intent !== chosen)
    .slice(0, MAX_ALTERNATIVES)
    .map((score) => ({ intent: score.intent, confidence: round(score.confidence) }));
}

/** Four decimals: enough for thresholds, short in logs and JSON lines. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
