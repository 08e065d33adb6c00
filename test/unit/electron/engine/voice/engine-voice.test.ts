/** The engine's voice with the real Pico: sentences spoken before come from the cache, unchanged. */
import { describe, expect, it } from 'vitest';
import type { ScopedLogger } from '../../../../../electron/engine/log/logger';
import { EngineVoice } from '../../../../../electron/engine/voice/engine-voice';

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ScopedLogger;

async function speak(voice: EngineVoice, text: string, rate = 1) {
  const started = performance.now();
  const chunks: Int16Array[] = [];
  let first = NaN;
  for await (const chunk of voice.synthesize(text, { rate })) {
    if (Number.isNaN(first)) first = performance.now() - started;
    chunks.push(chunk);
  }
  return { chunks, first };
}

describe('EngineVoice', () => {
  it('speaks prepared prompts from the cache: same samples, first audio at once', async () => {
    const voice = new EngineVoice(log, { warmUp: false });
    await voice.ready;
    const text = 'Entschuldigung, das habe ich nicht verstanden. Sagen Sie bitte, worum es geht.';
    const fresh = await speak(voice, text);
    expect(fresh.chunks).toHaveLength(2);
    expect(await voice.prepare([text])).toBe(2);
    const cached = await speak(voice, text);
    expect(cached.chunks.map((c) => c.length)).toEqual(fresh.chunks.map((c) => c.length));
    expect(cached.chunks[0]).toEqual(fresh.chunks[0]);
    expect(cached.first).toBeLessThan(5);
    // A sentence shared with another text is reused; a new one is synthesised.
    const mixed = await speak(voice, 'Sagen Sie bitte, worum es geht. Danke schön.');
    // (as the turn's first sentence without its lead-in silence: the same samples from there)
    const reused = fresh.chunks[1]!;
    expect(mixed.chunks[0]).toEqual(reused.subarray(reused.length - mixed.chunks[0]!.length));
    expect(mixed.chunks[0]!.length).toBeLessThan(reused.length);
    expect(mixed.chunks).toHaveLength(2);
    // Another rate is another sound.
    const slow = await speak(voice, text, 0.8);
    expect(slow.chunks[0]!.length).toBeGreaterThan(fresh.chunks[0]!.length);
    await expect(speak(voice, text, 9)).rejects.toThrow(RangeError);
  });
});
