/**
 * CPU cost of the speech worker per stream (real libvosk, synthetic model).
 * The synthetic model is far cheaper than a real one in the nnet and the
 * search; what this measures is the fixed cost of the path around it (IPC,
 * MFCC, VAD, endpointing, JSON), per second of audio and stream.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeechService } from '../../../../../electron/engine/speech/speech-service';
import { makeSyntheticVoskModel } from '../../../../fixtures/synthetic-vosk-model';
import { chunks, join16, msOf, silence, speech } from '../../../../fixtures/speech-pcm';

const WORKER = fileURLToPath(
  new URL('../../../../../electron/engine/speech/speech-worker.ts', import.meta.url),
);

let modelPath: string;
let audio: Int16Array;
const results: string[] = [];

beforeAll(async () => {
  modelPath = await makeSyntheticVoskModel();
  const sentence = await speech('Meine Kundennummer ist vier fünf sechs');
  const parts: Int16Array[] = [];
  for (let i = 0; i < 5; i++) parts.push(silence(700), sentence);
  audio = join16(parts).audio; // ~12.5 s, about 70 % speech
}, 30_000);

afterAll(() => console.log(`[speech] CPU per second of audio per stream:\n${results.join('\n')}`));

describe('speech worker load', () => {
  for (const streams of [1, 4, 8]) {
    it(`${streams} stream(s) at once`, async () => {
      const service = new SpeechService({
        workerPath: WORKER,
        modelPath,
        execArgv: ['--import', 'tsx'],
      });
      try {
        await service.start();
        const ids = Array.from({ length: streams }, (_, i) => `s${i}`);
        for (const id of ids) service.openStream(id);
        const before = await service.workerStats();
        const all = [...chunks(audio)];
        const wallStart = performance.now();
        for (const chunk of all) for (const id of ids) service.pushAudio(id, chunk);
        const after = await service.workerStats();
        const wallMs = performance.now() - wallStart;
        const audioS = msOf(audio) / 1000;
        const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
        const perStream = cpuMs / streams / audioS;
        const inVosk =
          ids.reduce((n, id) => n + (after.processingMs[id] ?? 0), 0) / streams / audioS;
        results.push(
          `  ${streams} stream(s): ${perStream.toFixed(1)} ms CPU (worker process) / s audio / stream, ` +
            `${inVosk.toFixed(1)} ms of it in libvosk+VAD; ${(streams * audioS).toFixed(1)} s audio in ${wallMs.toFixed(0)} ms wall`,
        );
        expect(Object.keys(after.audioMs)).toHaveLength(streams);
        expect(perStream).toBeLessThan(100);
      } finally {
        await service.stop();
      }
    }, 30_000);
  }
});
