/**
 * LiveTranscription on the real speech path: the SpeechService with its
 * worker (run from source through tsx), libvosk and the project's synthetic
 * model (one word per stretch of speech), and the encrypted TranscriptStore.
 * What is checked is the hang-up: the caller's last sentence, still open
 * when the call ends, is flushed by closing the stream and reaches the
 * screen and the stored transcript as a final.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../../../../../electron/contract';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SpeechService } from '../../../../../electron/engine/speech/speech-service';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import { LiveTranscription } from '../../../../../electron/engine/transcript/live-transcription';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';
import { chunks, join16, silence, speech } from '../../../../fixtures/speech-pcm';
import { makeSyntheticVoskModel, SYNTHETIC_WORD } from '../../../../fixtures/synthetic-vosk-model';

const WORKER = fileURLToPath(
  new URL('../../../../../electron/engine/speech/speech-worker.ts', import.meta.url),
);

let modelPath: string;
let sentence: Int16Array;
let dir: string;
let service: SpeechService | undefined;

beforeAll(async () => {
  modelPath = await makeSyntheticVoskModel();
  sentence = await speech('Ich brauche einen Termin für nächste Woche');
}, 30_000);
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-transcript-speech-'));
});
afterEach(async () => {
  await service?.stop();
  service = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LiveTranscription with the speech worker (libvosk, synthetic model)', () => {
  it('the caller hangs up right after a sentence: its final is shown and stored', async () => {
    const key = crypto.randomBytes(32);
    const log = new Logger({ stderr: false }).scope('t');
    service = new SpeechService({ workerPath: WORKER, modelPath, execArgv: ['--import', 'tsx'] });
    await service.start();
    const store = new TranscriptStore(dir, new SecretBox(key), log);
    const emitted: TranscriptSegment[] = [];
    const live = new LiveTranscription(service, store, (s) => emitted.push(s));

    live.callConnected('call-hang-up');
    // 300 ms after the sentence the caller is gone: far too soon for the turn to end.
    for (const chunk of chunks(join16([silence(500), sentence, silence(300)]).audio))
      live.audio('caller', chunk);
    await service.workerStats(); // every chunk has been recognised
    await until(() => emitted.some((s) => s.speaker === 'caller' && !s.final));
    expect(emitted.filter((s) => s.final)).toEqual([]);

    await live.callEnded('call-hang-up');

    const caller = emitted.filter((s) => s.speaker === 'caller');
    const last = caller.at(-1);
    expect(last).toMatchObject({ final: true, text: SYNTHETIC_WORD, callId: 'call-hang-up' });
    // The final replaces the partials' line on screen: nothing stays "(vorläufig)".
    expect(new Set(caller.map((s) => s.segmentId))).toEqual(new Set([last?.segmentId]));
    expect(last?.confidence).not.toBeNull();
    // In the stored transcript, read back from its encrypted file (the call is closed).
    expect(store.stored().map((f) => f.live)).toEqual([false]);
    expect(store.get('call-hang-up').map((s) => [s.speaker, s.text, s.final])).toEqual([
      ['caller', SYNTHETIC_WORD, true],
    ]);
    expect(
      new TranscriptStore(dir, new SecretBox(key), log).get('call-hang-up').map((s) => s.text),
    ).toEqual([SYNTHETIC_WORD]);
  }, 30_000);
});
