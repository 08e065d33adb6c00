import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  WorkerHeartbeat,
  type HeartbeatTarget,
} from '../../../../../electron/engine/speech/worker-heartbeat';

function target(watching = () => true) {
  const pings: number[] = [];
  const hangs: number[] = [];
  const t: HeartbeatTarget = {
    watching,
    ping: (seq) => pings.push(seq),
    hung: (silentMs) => hangs.push(silentMs),
  };
  return { t, pings, hangs };
}

describe('WorkerHeartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pings once per interval and never calls an answering worker hung', () => {
    const heartbeat = new WorkerHeartbeat({ intervalMs: 1_000, timeoutMs: 2_000 });
    const { t, pings, hangs } = target();
    heartbeat.start(t);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(500);
      heartbeat.heard();
    }
    // 10 s: the first check pings, then one ping per second.
    expect(pings).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(hangs).toEqual([]);
    heartbeat.stop();
  });

  it('finds a silent worker within a quarter interval of the timeout, once', () => {
    const heartbeat = new WorkerHeartbeat({ intervalMs: 1_000, timeoutMs: 2_000 });
    const { t, hangs } = target();
    heartbeat.start(t);
    vi.advanceTimersByTime(1_999);
    expect(hangs).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(hangs).toEqual([2_000]);
    // The service stops it when it kills the worker.
    heartbeat.stop();
    vi.advanceTimersByTime(10_000);
    expect(hangs).toEqual([2_000]);
  });

  it('leaves a worker alone that is no longer watched, and numbers pings across restarts', () => {
    const heartbeat = new WorkerHeartbeat({ intervalMs: 1_000, timeoutMs: 2_000 });
    let watched = true;
    const first = target(() => watched);
    heartbeat.start(first.t);
    // Pinged at the first check (250 ms) and one interval later.
    vi.advanceTimersByTime(1_250);
    watched = false;
    vi.advanceTimersByTime(5_000);
    expect(first.pings).toEqual([0, 1]);
    expect(first.hangs).toEqual([]);
    // A new worker: the clock starts again, the ping numbers go on.
    const second = target();
    heartbeat.start(second.t);
    vi.advanceTimersByTime(250);
    expect(second.pings).toEqual([2]);
    // Silent since this start, not since the first worker's last word.
    vi.advanceTimersByTime(1_500);
    expect(second.hangs).toEqual([]);
    heartbeat.stop();
  });
});
