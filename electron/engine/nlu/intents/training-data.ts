/**
 * Reads the labelled utterances in resources/nlu/ (JSON lines
 * `{"text": …, "intent": …}`): the training set the bot learns from at
 * start-up and the held-out set its accuracy is measured on.
 *
 * The files are data, not code, so the folder is found at run time the way
 * the Pico voice is (see voice/pico-lingware.ts): an explicit folder, the
 * LOTSE_NLU_DIR variable, the packaged app's resources, the repository next
 * to the built script, the working directory (the repository root for npm
 * scripts, tsx and vitest). No import.meta: the engine is bundled to CommonJS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isIntentName } from '../../../contract';
import type { LabelledUtterance } from './intent-model';

export const TRAINING_FILE = 'intents-train.jsonl';
export const HELD_OUT_FILE = 'intents-heldout.jsonl';

/** Folders that may hold the intent data, most specific first. */
export function nluDataCandidates(
  explicitDirectory?: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const candidates: string[] = [];
  if (explicitDirectory) candidates.push(path.resolve(explicitDirectory));
  if (env.LOTSE_NLU_DIR) candidates.push(path.resolve(env.LOTSE_NLU_DIR));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'resources', 'nlu'));
  // dist/electron/engine.cjs → the repository's resources/ (development builds).
  if (process.argv[1]) {
    candidates.push(path.resolve(path.dirname(process.argv[1]), '..', '..', 'resources', 'nlu'));
  }
  candidates.push(path.join(process.cwd(), 'resources', 'nlu'));
  return [...new Set(candidates)];
}

/** The folder holding the training file; throws listing every folder tried. */
export function findNluDataDirectory(explicitDirectory?: string): string {
  const candidates = nluDataCandidates(explicitDirectory);
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, TRAINING_FILE)));
  if (!found) {
    throw new Error(`intent data (${TRAINING_FILE}) not found in: ${candidates.join(', ')}`);
  }
  return found;
}

/**
 * Parses JSON lines of labelled utterances. A line with an unknown intent or
 * no text is an error naming the line: silently dropping training data would
 * hide a typo in an intent name until the bot misroutes callers.
 */
export function parseLabelledLines(content: string, source = 'intent data'): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  content.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${source}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${where}: not JSON`);
    }
    const record = value as { text?: unknown; intent?: unknown };
    if (typeof record.text !== 'string' || !record.text.trim())
      throw new Error(`${where}: no text`);
    if (!isIntentName(record.intent))
      throw new Error(`${where}: unknown intent ${String(record.intent)}`);
    out.push({ text: record.text, intent: record.intent });
  });
  return out;
}

export function loadLabelledFile(file: string): LabelledUtterance[] {
  return parseLabelledLines(fs.readFileSync(file, 'utf8'), path.basename(file));
}

export function loadTrainingData(directory?: string): LabelledUtterance[] {
  return loadLabelledFile(path.join(findNluDataDirectory(directory), TRAINING_FILE));
}

export function loadHeldOutData(directory?: string): LabelledUtterance[] {
  return loadLabelledFile(path.join(findNluDataDirectory(directory), HELD_OUT_FILE));
}
