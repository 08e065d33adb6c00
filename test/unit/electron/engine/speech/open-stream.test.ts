import { describe, expect, it } from 'vitest';
import {
  newStreamSettings,
  OpenStream,
  streamSettingsFrom,
} from '../../../../../electron/engine/speech/open-stream';

/** ms of 16 kHz audio, each sample its index (to see which audio was kept). */
const audio = (ms: number, from = 0): Int16Array =>
  Int16Array.from({ length: ms * 16 }, (_, i) => (from + i) % 32_000);

describe('stream settings', () => {
  it('puts the given options on top of the base and keeps the rest', () => {
    const base = newStreamSettings({ grammar: ['Ja', ' nein '], partialIntervalMs: 300 });
    expect(base.grammar).toEqual(['ja', 'nein']);
    const next = streamSettingsFrom(base, { endpoint: { silenceMs: 1_200 }, maxAlternatives: 3 });
    expect(next).toEqual({
      grammar: ['ja', 'nein'],
      endpoint: { ...base.endpoint, silenceMs: 1_200 },
      partialIntervalMs: 300,
      maxAlternatives: 3,
    });
    expect(streamSettingsFrom(next, { grammar: null }).grammar).toBeNull();
  });

  it('refuses options out of range', () => {
    const base = newStreamSettings({});
    expect(() => streamSettingsFrom(base, { grammar: [] })).toThrow(TypeError);
    expect(() => streamSettingsFrom(base, { grammar: ['ja', ' '] })).toThrow(TypeError);
    expect(() => streamSettingsFrom(base, { partialIntervalMs: 10 })).toThrow(RangeError);
    expect(() => streamSettingsFrom(base, { maxAlternatives: 1.5 })).toThrow(RangeError);
    expect(() => new OpenStream(base, -1)).toThrow(/startMs/);
  });
});

describe('OpenStream', () => {
  it('keeps the newest audio while no worker takes it and counts the dropped part as stream time', () => {
    const stream = new OpenStream(newStreamSettings({}), 1_000);
    stream.sent(audio(500).length);
    expect(stream.resumeAtMs).toBe(1_500);
    expect(stream.keep(audio(300, 0), 500)).toBe(false);
    // 300 + 300 ms > 500 ms: the oldest 100 ms go.
    expect(stream.keep(audio(300, 4_800), 500)).toBe(true);
    expect(stream.droppedMs).toBe(100);
    expect(stream.resumeAtMs).toBe(1_600);
    const kept = stream.takeKept();
    expect(kept.reduce((n, c) => n + c.length, 0)).toBe(500 * 16);
    expect(kept[0]?.[0]).toBe(100 * 16);
    // Handed over: counted as sent, the stream time goes on from after it.
    expect(stream.resumeAtMs).toBe(2_100);
    expect(stream.takeKept()).toEqual([]);
  });

  it('keeps a copy, not the caller’s buffer', () => {
    const stream = new OpenStream(newStreamSettings({}), 0);
    const chunk = audio(10);
    stream.keep(chunk, 1_000);
    chunk.fill(0);
    expect(stream.takeKept()[0]?.[5]).toBe(5);
  });
});
