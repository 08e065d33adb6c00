/**
 * The intent classifier as a line filter, the fixed interface behind
 * `npm run -s classify` (run as `tsx electron/engine/nlu/classify-cli.ts`):
 * JSON lines `{"text": "…"}` on stdin, one JSON line
 * `{"text", "intent", "confidence"}` per input line on stdout, in order,
 * written as soon as each line is read (so it can sit in a pipe and answer
 * turn by turn).
 *
 * Why it never crashes on input: it is driven by scripts and acceptance
 * suites that feed whatever they have. A line that is not JSON, not an
 * object or has no string "text" still gets its one answer line, with intent
 * "other", confidence 0 and an "error" field, so line n of the output always
 * belongs to line n of the input.
 */
import readline from 'node:readline';
import { createIntentClassifier, type IntentClassifier } from './intents/intent-classifier';

interface OutputLine {
  text: string;
  intent: string;
  confidence: number;
  error?: string;
}

/** The answer line for one input line. */
export function answerLine(classifier: IntentClassifier | Error, line: string): OutputLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { text: line, intent: 'other', confidence: 0, error: 'input line is not JSON' };
  }
  const text = (value as { text?: unknown } | null)?.text;
  if (typeof value !== 'object' || value === null || typeof text !== 'string') {
    return {
      text: line,
      intent: 'other',
      confidence: 0,
      error: 'input line has no string field "text"',
    };
  }
  if (classifier instanceof Error) {
    return {
      text,
      intent: 'other',
      confidence: 0,
      error: `classifier unavailable: ${classifier.message}`,
    };
  }
  try {
    const result = classifier.classify(text);
    return { text, intent: result.intent, confidence: result.confidence };
  } catch (error) {
    return {
      text,
      intent: 'other',
      confidence: 0,
      error: `classification failed: ${String(error)}`,
    };
  }
}

async function main(): Promise<void> {
  // A reader that closed the pipe early is not our failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  let classifier: IntentClassifier | Error;
  try {
    classifier = await createIntentClassifier();
  } catch (error) {
    classifier = error instanceof Error ? error : new Error(String(error));
    console.error(`classify: ${classifier.message}`);
    process.exitCode = 1;
  }
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const written = process.stdout.write(`${JSON.stringify(answerLine(classifier, line))}\n`);
    if (!written) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
