import { describe, expect, it } from 'vitest';
import { LevelTracker, rmsDbfs } from '../../../../electron/engine/audio/levels';
import { streamPcm, toneChunks } from '../../../../electron/engine/audio/pcm-streamer';
import { RollingStats, quantile } from '../../../../electron/engine/metrics/rolling-stats';

describe('levels', () => {
  it('gives -100 dBFS for digital silence and ~-3 dBFS for a full-scale sine', () => {
    expect(rmsDbfs(new Int16Array(320))).toBe(-100);
    const sine = new Int16Array(320).map((_, i) =>
      Math.round(32767 * Math.sin((2 * Math.PI * i) / 32)),
    );
    expect(rmsDbfs(sine)).toBeCloseTo(-3.01, 1);
  });

  it('calls speech only clearly above the adaptive noise floor', () => {
    const tracker = new LevelTracker();
    for (let i = 0; i < 200; i++) tracker.update(-45); // 4 s of steady noise
    expect(tracker.update(-44)).toBe(false);
    expect(tracker.update(-20)).toBe(true);
    expect(tracker.update(-80)).toBe(false);
  });
});

describe('toneChunks', () => {
  it('renders the asked frequency with fades at the ends', async () => {
    const chunks: Int16Array[] = [];
    for await (const chunk of toneChunks(1000, 100, -6)) chunks.push(chunk);
    expect(chunks).toHaveLength(5);
    expect(chunks[0]?.[0]).toBe(0);
    const middle = chunks[2] ?? new Int16Array();
    // zero crossings of 1 kHz in 20 ms: 40
    let crossings = 0;
    for (let i = 1; i < middle.length; i++)
      if ((middle[i - 1] ?? 0) < 0 !== (middle[i] ?? 0) < 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(39);
    expect(crossings).toBeLessThanOrEqual(41);
    expect(Math.max(...middle)).toBeCloseTo(32767 * 10 ** (-6 / 20), -2);
  });
});

describe('streamPcm', () => {
  it('re-frames uneven chunks into 20 ms frames, pads the last, and paces them', async () => {
    async function* chunks() {
      yield new Int16Array(500).fill(1);
      await new Promise((r) => setTimeout(r, 30));
      yield new Int16Array(700).fill(2);
    }
    const frames: Int16Array[] = [];
    const started = performance.now();
    const handle = streamPcm('t', chunks(), (samples) => frames.push(samples));
    const result = await handle.done;
    expect(result).toEqual({ how: 'finished', frames: 4 });
    expect(frames.map((f) => f.length)).toEqual([320, 320, 320, 320]);
    expect(frames[1]?.[179]).toBe(1);
    expect(frames[1]?.[180]).toBe(2);
    expect(frames[3]?.[239]).toBe(2);
    expect(frames[3]?.[240]).toBe(0);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('stops at once and reports a failing source', async () => {
    async function* endless() {
      for (;;) {
        yield new Int16Array(320);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const handle = streamPcm('s', endless(), () => undefined);
    handle.stop();
    expect((await handle.done).how).toBe('stopped');
    async function* broken(): AsyncGenerator<Int16Array> {
      yield new Int16Array(10);
      throw new Error('synthesis failed');
    }
    const failed = await streamPcm('f', broken(), () => undefined).done;
    expect(failed.how).toBe('failed');
    expect(failed.error?.message).toBe('synthesis failed');
  });
});

describe('RollingStats', () => {
  it('reports median and p95 of the last N values', () => {
    const stats = new RollingStats(100);
    expect(stats.summary()).toEqual({ count: 0, medianMs: null, p95Ms: null });
    for (let i = 1; i <= 200; i++) stats.add(i);
    const s = stats.summary();
    expect(s.count).toBe(100);
    expect(s.medianMs).toBeCloseTo(150.5);
    expect(s.p95Ms).toBeCloseTo(195.05);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
  });
});
