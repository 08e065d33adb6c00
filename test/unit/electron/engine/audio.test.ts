import { describe, expect, it } from 'vitest';
import { LevelTracker, rmsDbfs } from '../../../../electron/engine/audio/levels';
import { ToneSource } from '../../../../electron/engine/audio/pcm-streamer';
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

describe('ToneSource', () => {
  it('renders the asked frequency with fades at the ends', () => {
    const tone = new ToneSource(1000, 100, -6);
    expect(tone.frames).toBe(5);
    const first = new Int16Array(320);
    tone.render(0, first);
    expect(first[0]).toBe(0);
    const middle = new Int16Array(320);
    tone.render(2, middle);
    // zero crossings of 1 kHz in 20 ms: 40
    let crossings = 0;
    for (let i = 1; i < middle.length; i++)
      if ((middle[i - 1] ?? 0) < 0 !== (middle[i] ?? 0) < 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(39);
    expect(crossings).toBeLessThanOrEqual(41);
    expect(Math.max(...middle)).toBeCloseTo(32767 * 10 ** (-6 / 20), -2);
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
