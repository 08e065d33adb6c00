/**
 * The voice on a thread of its own, with the real Pico bundled as the app
 * bundles it (esbuild, the build's own settings): same samples as in the
 * engine's thread, the engine's event loop free meanwhile, clear errors, and a
 * thread that dies is replaced.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopedLogger } from '../../../../../electron/engine/log/logger';
import { EngineVoice } from '../../../../../electron/engine/voice/engine-voice';
import { GermanSpeechSynthesizer } from '../../../../../electron/engine/voice/speech-synthesizer';
import { VoiceThread, VoiceThreadError } from '../../../../../electron/engine/voice/voice-thread';

const ENTRY = fileURLToPath(
  new URL('../../../../../electron/engine/voice/voice-worker.ts', import.meta.url),
);
const CRASHING = fileURLToPath(
  new URL('../../../../fakes/crashing-voice-worker.mjs', import.meta.url),
);
const LONG =
  'Bitte geben Sie Ihre Kundennummer ein, Ziffer für Ziffer, und drücken Sie dann die Raute-Taste.';

let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-voice-thread-'));
  workerPath = path.join(dir, 'voice-worker.cjs');
  await build({
    entryPoints: [ENTRY],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('VoiceThread', () => {
  it('speaks what Pico speaks in this thread, while this thread’s event loop keeps running', async () => {
    const thread = await VoiceThread.start({ workerPath, warmUp: false });
    const here = await GermanSpeechSynthesizer.create({ warmUp: false });
    try {
      expect(thread.sampleRate).toBe(16_000);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const pcm = await thread.speak(LONG, 1);
      clearInterval(timer);
      expect(pcm).toEqual(here.speakSentence(LONG, 1));
      // Several seconds of speech take Pico well over 15 ms: a voice in this
      // thread would have let the timer run at most once meanwhile.
      expect(ticks).toBeGreaterThanOrEqual(3);
      expect(await thread.speak('Ja.', 1.2)).toEqual(here.speakSentence('Ja.', 1.2));
    } finally {
      await thread.close();
    }
  });

  it('answers a bad rate with a RangeError and goes on; after close, a clear error', async () => {
    const thread = await VoiceThread.start({ workerPath, warmUp: false });
    await expect(thread.speak('Ja.', 9)).rejects.toThrow(RangeError);
    expect((await thread.speak('Ja.', 1)).length).toBeGreaterThan(0);
    await thread.close();
    await expect(thread.speak('Ja.', 1)).rejects.toThrow(/closed/);
  });

  it('a voice that cannot be loaded says why', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'no-lingware-'));
    const failed = VoiceThread.start({ workerPath, lingwareDirectory: empty, warmUp: false });
    await expect(failed).rejects.toThrow(VoiceThreadError);
    await expect(failed).rejects.toThrow(/could not be loaded/);
  });

  it('a thread that dies under a sentence: that sentence fails with the reason, the next one gets a new thread', async () => {
    const exits: string[] = [];
    const thread = await VoiceThread.start({
      workerPath: CRASHING,
      lingwareDirectory: path.join(dir, 'died-once'),
      onExit: (reason) => exits.push(reason),
    });
    await expect(thread.speak('Ja.', 1)).rejects.toThrow(/stopped \(exit code 7\)/);
    expect(exits).toHaveLength(1);
    expect((await thread.speak('Ja.', 1)).length).toBe(320);
    await thread.close();
  });
});

describe('EngineVoice on its thread', () => {
  const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ScopedLogger;

  it('speaks sentence by sentence and caches like the voice in the engine’s thread', async () => {
    const threaded = new EngineVoice(log, { workerPath, warmUp: false });
    const local = new EngineVoice(log, { warmUp: false });
    try {
      const text = 'Guten Tag. Ihre nächste Zahlung kommt am 30. November.';
      const collect = async (voice: EngineVoice) => {
        const chunks: Int16Array[] = [];
        for await (const chunk of voice.synthesize(text, { rate: 1 })) chunks.push(chunk);
        return chunks;
      };
      const fromThread = await collect(threaded);
      expect(fromThread).toHaveLength(2);
      expect(fromThread).toEqual(await collect(local));
      expect(await threaded.prepare([text])).toBe(2);
    } finally {
      await threaded.close();
      await local.close();
    }
  });

  it('the thread dying once under a sentence costs the caller nothing: it is spoken on a new thread', async () => {
    const warnings: string[] = [];
    const voice = new EngineVoice(
      { ...log, warn: (line: string) => warnings.push(line) } as unknown as ScopedLogger,
      { workerPath: CRASHING, lingwareDirectory: path.join(dir, 'died-once-engine') },
    );
    const chunks: Int16Array[] = [];
    for await (const chunk of voice.synthesize('Ja.', { rate: 1 })) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([320]);
    expect(warnings.join('\n')).toMatch(/exit code 7/);
    await voice.close();
  });
});
