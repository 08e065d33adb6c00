/**
 * Pico side of the speech-model recipe (train.py calls it): speaks a list of
 * texts with the project's own German voice (SVOX Pico WASM, PicoVoice) at a
 * given speed (the project's Sonic time stretch, SpeechRateChanger) and writes
 * each as raw 16 kHz mono int16 little-endian PCM.
 *
 *   npx tsx test/speech-model/pico-words.ts JOBS.json
 *
 * JOBS.json: `[{ "text": "vier fünf", "rate": 1.25, "out": "/tmp/x.raw" }, …]`.
 * The output is deterministic: same text and rate, same samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { picoSpeech } from '../fixtures/digits-speech';

interface Job {
  text: string;
  rate: number;
  out: string;
}

const jobsFile = process.argv[2];
if (!jobsFile) {
  console.error('usage: tsx test/speech-model/pico-words.ts JOBS.json');
  process.exit(2);
}
const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as Job[];
for (const job of jobs) {
  const pcm = await picoSpeech(job.text, job.rate);
  writeFileSync(job.out, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
}
console.log(`pico-words: ${jobs.length} texts written`);
