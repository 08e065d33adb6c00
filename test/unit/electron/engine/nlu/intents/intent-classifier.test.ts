import { beforeAll, describe, expect, it } from 'vitest';
import {
  createIntentClassifier,
  type IntentClassifier,
} from '../../../../../../electron/engine/nlu/intents/intent-classifier';
import {
  evaluate,
  recallOf,
} from '../../../../../../electron/engine/nlu/intents/intent-evaluation';
import { INTENT_NAMES } from '../../../../../../electron/contract';
import {
  findNluDataDirectory,
  loadHeldOutData,
  loadLabelledFile,
  loadTrainingData,
} from '../../../../../../electron/engine/nlu/intents/training-data';
import path from 'node:path';

const today = () => new Date('2025-06-01T12:00:00Z');
const training = loadTrainingData();
const heldOut = loadHeldOutData();
const blind = loadLabelledFile(path.join(findNluDataDirectory(), 'intents-blind.jsonl'));

let classifier: IntentClassifier;
beforeAll(async () => {
  classifier = await createIntentClassifier({ today });
});

describe('intent data', () => {
  it('has at least 60 training utterances for every intent of the catalogue', () => {
    for (const intent of INTENT_NAMES) {
      expect(
        training.filter((item) => item.intent === intent).length,
        intent,
      ).toBeGreaterThanOrEqual(60);
    }
  });

  it('keeps held-out and blind utterances out of training', () => {
    const key = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-zäöüß ]/g, '')
        .trim();
    const trained = new Set(training.map((item) => key(item.text)));
    for (const item of [...heldOut, ...blind])
      expect(trained.has(key(item.text)), item.text).toBe(false);
  });

  it('has a held-out split of about a fifth of the training size', () => {
    expect(heldOut.length / training.length).toBeGreaterThan(0.15);
    expect(heldOut.length / training.length).toBeLessThan(0.3);
  });
});

describe('createIntentClassifier', () => {
  it('reaches at least 90 % accuracy on the held-out utterances', () => {
    const result = evaluate(heldOut, (text) => classifier.classify(text).intent);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('generalises to the blind set (written after tuning)', () => {
    const result = evaluate(blind, (text) => classifier.classify(text).intent);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.88);
  });

  it('never misses an emergency or a crisis in any data set', () => {
    for (const set of [training, heldOut, blind]) {
      const result = evaluate(set, (text) => classifier.classify(text).intent);
      expect(recallOf(result, 'emergency')).toBe(1);
      expect(recallOf(result, 'crisis')).toBe(1);
    }
  });

  it('recognises typed and recogniser forms of the same concern', () => {
    expect(classifier.classify('Wann kommt mein Bürgergeld?').intent).toBe('payment_date');
    expect(classifier.classify('wann kommt mein bürger geld').intent).toBe('payment_date');
    expect(classifier.classify('wie stelle ich den weiter bewilligungs antrag').intent).toBe(
      'continuation_application',
    );
    expect(classifier.classify('ich habe eine krank schreibung').intent).toBe('sick_note');
    expect(classifier.classify('ich möchte wider spruch einlegen').intent).toBe('objection');
  });

  it('returns ranked alternatives without the chosen intent', () => {
    const result = classifier.classify('Ich bin mit dem Bescheid nicht einverstanden.');
    expect(result.intent).toBe('objection');
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.alternatives.map((item) => item.intent)).not.toContain('objection');
    const confidences = result.alternatives.map((item) => item.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('lets the safety rules override the model and names them', () => {
    const result = classifier.classify(
      'Wann ist mein Termin? Ehrlich gesagt will ich nicht mehr leben.',
    );
    expect(result.intent).toBe('crisis');
    expect(result.confidence).toBeGreaterThanOrEqual(0.9);
    expect(result.safetyRules).toContain('not-live-anymore');
  });

  it('returns entities with the intent', () => {
    const result = classifier.classify(
      'meine kundennummer ist eins zwei drei de vier fünf sechs sieben acht neun geboren am ersten dritten neunzehnhundertachtzig',
    );
    expect(result.entities.customerNumber).toBe('123D456789');
    expect(result.entities.dateOfBirth?.iso).toBe('1980-03-01');
  });

  it('is deterministic: two classifiers trained on the same data agree exactly', async () => {
    const again = await createIntentClassifier({ today });
    for (const item of heldOut.slice(0, 60)) {
      expect(again.classify(item.text)).toEqual(classifier.classify(item.text));
    }
  });

  it('trains quickly at start-up', () => {
    // ~80 ms on an idle desk; the bound is for a busy machine, and still far
    // below anything that would delay the bot's first call.
    expect(classifier.trainingMillis).toBeLessThan(5000);
  });
});

describe('bad input', () => {
  it.each(['', '   ', '\n\t'])('empty text %j is other with confidence 0', (text) => {
    expect(classifier.classify(text)).toMatchObject({ intent: 'other', confidence: 0 });
  });

  it('treats non-strings as empty', () => {
    const classify = classifier.classify as (
      input: unknown,
    ) => ReturnType<IntentClassifier['classify']>;
    for (const input of [undefined, null, 42, {}, ['wann kommt das geld']]) {
      expect(classify(input)).toMatchObject({ intent: 'other', confidence: 0 });
    }
  });

  it('handles 10,000 characters in bounded time', () => {
    const long = 'Ich habe eine Frage zu meinem Widerspruch gegen den Bescheid. '
      .repeat(170)
      .slice(0, 10_000);
    const started = performance.now();
    const result = classifier.classify(long);
    // Milliseconds when idle; the bound catches runaway (e.g. backtracking)
    // work, with room for a busy machine.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.intent).toBe('objection');
  });

  it('still finds a crisis said late in a long text', () => {
    const long = `${'bla '.repeat(2400)}ich will mich umbringen`;
    expect(long.length).toBeGreaterThan(9000);
    expect(classifier.classify(long).intent).toBe('crisis');
  });

  it('handles random characters and symbols', () => {
    for (const text of [
      '{}[]()!?%$§',
      '🙂🙂🙂',
      'x'.repeat(10_000),
      '\u0000\u0001',
      '1234567890',
    ]) {
      const result = classifier.classify(text);
      expect(INTENT_NAMES).toContain(result.intent);
      expect(Number.isFinite(result.confidence)).toBe(true);
    }
  });

  it.each([
    'Hello, when will my money arrive on my account?',
    'I would like to speak about my rent and the heating bill',
    'Merhaba, param bu ay gelmedi, ne yapmalıyım?',
    'Bonjour, je voudrais savoir quand je reçois mon argent',
    'Здравствуйте, когда придут деньги?',
  ])('non-German text is other with low confidence: %s', (text) => {
    const result = classifier.classify(text);
    expect(result.intent).toBe('other');
    expect(result.confidence).toBeLessThanOrEqual(0.2);
  });
});
