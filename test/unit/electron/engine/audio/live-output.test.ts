/** The bot's paced output: real time, a fixed lead, instant clear, drained when heard. */
import { describe, expect, it, vi } from 'vitest';
import { LiveOutput } from '../../../../../electron/engine/audio/live-output';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LiveOutput', () => {
  it('sends 20 ms frames in real time, a lead ahead, and resolves drained after the last one is played', async () => {
    const sent: { at: number; first: number }[] = [];
    const out = new LiveOutput((s) => sent.push({ at: performance.now(), first: s[0]! }), {
      leadMs: 60,
    });
    const start = performance.now();
    // 500 ms in two uneven chunks: the frame boundary falls inside a chunk.
    out.push(new Int16Array(3000).fill(1));
    out.push(new Int16Array(5000).fill(2));
    expect(out.busy).toBe(true);
    await out.drained();
    const elapsed = performance.now() - start;
    expect(sent).toHaveLength(25);
    // Frame 9 holds samples 2880–3199: starts with chunk one.
    expect(sent[9]!.first).toBe(1);
    expect(sent[10]!.first).toBe(2);
    // At most the lead (3 frames + the first) went out at once.
    expect(sent.filter((f) => f.at - start < 5).length).toBeLessThanOrEqual(4);
    expect(elapsed).toBeGreaterThanOrEqual(480);
    // Paced at real time: 500 ms of audio; late timers on a busy machine may add some.
    expect(elapsed).toBeLessThan(2000);
    expect(out.busy).toBe(false);
  });

  it('clear drops what is queued at once and releases waiters', async () => {
    const sent: number[] = [];
    const out = new LiveOutput(() => sent.push(performance.now()));
    out.push(new Int16Array(16000));
    const drained = out.drained();
    // Mid-playback: beyond the lead (4 frames at once), paced frames going out.
    await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(6), {
      timeout: 8_000,
      interval: 2,
    });
    out.clear();
    const at = performance.now();
    await drained;
    expect(performance.now() - at).toBeLessThan(20);
    const count = sent.length;
    // Nothing more may go out: watched for 150 ms, seven frame periods.
    await wait(150);
    expect(sent.length).toBe(count);
    expect(count).toBeLessThan(15);
  });

  it('after a pause it starts again from now, not with a burst', async () => {
    const sent: number[] = [];
    const out = new LiveOutput(() => sent.push(performance.now()), { leadMs: 40 });
    out.push(new Int16Array(640));
    await out.drained();
    // The pause is the scenario: 200 ms without audio.
    await wait(200);
    const t = performance.now();
    out.push(new Int16Array(3200));
    await out.drained();
    // What went out at once (within 5 ms of the push, by the frames' own
    // times, however late this test looks): the lead, not a burst.
    expect(sent.filter((s) => s >= t && s - t < 5).length).toBeLessThanOrEqual(3);
    expect(sent).toHaveLength(12);
  });

  it('a closed output takes nothing more', async () => {
    const sent: number[] = [];
    const out = new LiveOutput(() => sent.push(1));
    out.close();
    out.push(new Int16Array(320));
    await out.drained();
    expect(sent).toHaveLength(0);
  });

  it('with a flush: sent 300 ms ahead, and a barge-in tells the desk to drop what it holds', () => {
    let t = 1000;
    const sent: Int16Array[] = [];
    let flushes = 0;
    const out = new LiveOutput((s) => sent.push(s), { now: () => t, flush: () => flushes++ });
    out.push(new Int16Array(16000));
    // Due at 1000, 1020, … 1300: sixteen frames at once, the rest paced.
    expect(sent).toHaveLength(16);
    out.clear();
    expect(flushes).toBe(1);
    expect(out.busy).toBe(false);
    // Nothing ahead of the clock any more: nothing to flush.
    out.clear();
    expect(flushes).toBe(1);
    // Everything played (the clock passed it): nothing to flush either.
    out.push(new Int16Array(320));
    t += 1000;
    out.clear();
    expect(flushes).toBe(1);
  });
});
