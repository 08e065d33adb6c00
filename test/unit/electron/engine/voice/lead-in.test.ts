/** The bot's first word without the voice's lead-in silence: the caller waits for it. */
import { describe, expect, it } from 'vitest';
import { withoutLeadIn } from '../../../../../electron/engine/voice/speech-synthesizer';
import { EngineVoice } from '../../../../../electron/engine/voice/engine-voice';
import { Logger } from '../../../../../electron/engine/log/logger';

/** ms of quiet (below −46 dBFS) before the first audible sample. */
function leadInMs(pcm: Int16Array): number {
  let i = 0;
  while (i < pcm.length && Math.abs(pcm[i]!) < 164) i++;
  return i / 16;
}

describe('withoutLeadIn', () => {
  it('keeps 10 ms before the first audible sample, and leaves audio that starts loud or is silent as it is', () => {
    const pcm = new Int16Array(1600);
    pcm.fill(2000, 800); // 50 ms of silence, then sound
    const trimmed = withoutLeadIn(pcm, 16_000);
    expect(trimmed.length).toBe(1600 - 800 + 160);
    expect(leadInMs(trimmed)).toBe(10);
    const loud = new Int16Array(320).fill(3000);
    expect(withoutLeadIn(loud, 16_000)).toBe(loud);
    const silent = new Int16Array(320);
    expect(withoutLeadIn(silent, 16_000)).toBe(silent);
  });

  it("the engine's voice starts a turn within 10 ms of its first word; later sentences keep their pause", async () => {
    const voice = new EngineVoice(new Logger({ stderr: false }).scope('voice'));
    const chunks: Int16Array[] = [];
    for await (const chunk of voice.synthesize(
      'Entschuldigung, das habe ich nicht verstanden. Ich verbinde Sie mit einer Mitarbeiterin.',
      { rate: 1 },
    ))
      chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    expect(leadInMs(chunks[0]!)).toBeLessThanOrEqual(10);
    expect(leadInMs(chunks[1]!)).toBeGreaterThan(20);
    // The cached sentence said first in a later turn is trimmed too.
    const again: Int16Array[] = [];
    for await (const chunk of voice.synthesize('Ich verbinde Sie mit einer Mitarbeiterin.', {
      rate: 1,
    }))
      again.push(chunk);
    expect(leadInMs(again[0]!)).toBeLessThanOrEqual(10);
  }, 30_000);
});
