/**
 * nlp.js (v4, German via @nlpjs/lang-de: tokenizer, stemmer, stop words) as
 * an intent model, for the measured comparison with the product's own model
 * (resources/nlu/evaluation.md). The product does not use it: see the report
 * for why. Runs offline: no model download, no network.
 *
 * nlp.js answers asynchronously, so `scoreAll` asks it once per utterance and
 * `scores` then reads the answers synchronously, keyed by the normalised
 * text the classifier pipeline passes in.
 */
import { Nlp } from '@nlpjs/nlp';
import { LangDe } from '@nlpjs/lang-de';
import { isIntentName } from '../../../contract';
import type { IntentModel, IntentScore, LabelledUtterance } from './intent-model';
import { intentText } from './intent-text';

export class NlpJsModel implements IntentModel {
  private readonly answers = new Map<string, IntentScore[]>();

  private constructor(private readonly nlp: Nlp) {}

  static async train(data: readonly LabelledUtterance[]): Promise<NlpJsModel> {
    const nlp = new Nlp({
      languages: ['de'],
      autoSave: false,
      autoLoad: false,
      forceNER: false,
      nlu: { log: false },
    });
    nlp.use(LangDe);
    for (const item of data) nlp.addDocument('de', item.text, item.intent);
    await nlp.train();
    return new NlpJsModel(nlp);
  }

  /** Asks nlp.js about every text (raw, as nlp.js normalises on its own) and keeps the answers. */
  async scoreAll(texts: readonly string[]): Promise<void> {
    for (const text of texts) {
      const result = await this.nlp.process('de', text);
      const scores: IntentScore[] = (result.classifications ?? [])
        .filter((item) => isIntentName(item.intent))
        .map((item) => ({ intent: item.intent as IntentScore['intent'], confidence: item.score }));
      // nlp.js says "None" when nothing fits: that is our "other".
      if (scores.length === 0 || result.intent === 'None') {
        scores.unshift({ intent: 'other', confidence: 1 });
      }
      this.answers.set(
        intentText(text),
        scores.sort((a, b) => b.confidence - a.confidence),
      );
    }
  }

  scores(normalised: string): IntentScore[] {
    return this.answers.get(normalised) ?? [{ intent: 'other', confidence: 1 }];
  }
}
