/**
 * Measures the digits model on its held-out set and records the result in
 * heldout.json (train.py runs this as its last step):
 *
 *   npx tsx test/speech-model/evaluate.ts test/fixtures/digits-model/heldout.json
 *
 * The model is the folder heldout.json lies in.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateHeldout, readHeldout } from './heldout';

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx test/speech-model/evaluate.ts MODEL/heldout.json');
  process.exit(2);
}
const heldout = readHeldout(file);
const started = performance.now();
const result = await evaluateHeldout(path.dirname(path.resolve(file)), heldout.items);
const seconds = (performance.now() - started) / 1000;
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
for (const name of ['overall', 'espeak', 'pico', 'telephone'] as const) {
  const g = result[name];
  console.log(
    `${name}: WER ${pct(g.wer)} (${g.errors} errors / ${g.words} words, ${g.sentences} sentences)`,
  );
}
for (const m of result.mistakes) console.log(`  ${m.voice}: "${m.expected}" → "${m.got}"`);
console.log(
  `model load ${result.loadMs} ms, decoding ${result.realTimeFactor} × real time, ` +
    `${result.audioSeconds} s of audio, ${seconds.toFixed(1)} s in all`,
);

const prettier = await import('prettier');
const json = JSON.stringify({ ...heldout, result }, null, 2);
const options = (await prettier.resolveConfig(file)) ?? {};
writeFileSync(file, await prettier.format(json, { ...options, parser: 'json' }));
console.log(`written: ${file}`);
