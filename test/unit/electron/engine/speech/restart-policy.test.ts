import { describe, expect, it } from 'vitest';
import {
  RestartPolicy,
  type RestartPolicyOptions,
} from '../../../../../electron/engine/speech/restart-policy';

const OPTIONS: RestartPolicyOptions = {
  maxLoadAttempts: 3,
  retryDelaysMs: [250, 1_000, 3_000],
  maxCrashes: 2,
  crashWindowMs: 60_000,
  coolDownMs: [30_000, 60_000],
};

describe('RestartPolicy', () => {
  it('retries a model that never loaded with growing pauses, then gives up', () => {
    const policy = new RestartPolicy({ ...OPTIONS, maxLoadAttempts: 4 });
    expect(policy.afterExit(false, 0)).toEqual({ action: 'load-retry', delayMs: 250 });
    expect(policy.afterExit(false, 1)).toEqual({ action: 'load-retry', delayMs: 1_000 });
    // Past the list: the last pause repeats.
    expect(policy.afterExit(false, 2)).toEqual({ action: 'load-retry', delayMs: 3_000 });
    expect(policy.afterExit(false, 3)).toEqual({ action: 'give-up', loadFailures: 4 });
  });

  it('restarts a ready worker at once, and one that dies reloading a working model after a short pause', () => {
    const policy = new RestartPolicy(OPTIONS);
    policy.afterExit(false, 0);
    policy.workerReady();
    expect(policy.afterExit(true, 1_000)).toEqual({ action: 'restart' });
    // Not ready yet, but the model has worked: a crash, not a load failure.
    expect(policy.afterExit(false, 2_000)).toEqual({ action: 'retry', delayMs: 250 });
  });

  it('cools down after more than maxCrashes within the window, longer each time, the last repeating', () => {
    const policy = new RestartPolicy(OPTIONS);
    policy.workerReady();
    const loop = (from: number) => [0, 1, 2].map((i) => policy.afterExit(true, from + i * 100));
    expect(loop(0)).toEqual([
      { action: 'restart' },
      { action: 'restart' },
      { action: 'cool-down', delayMs: 30_000, crashes: 3 },
    ]);
    expect(loop(40_000).at(-1)).toEqual({ action: 'cool-down', delayMs: 60_000, crashes: 3 });
    expect(loop(110_000).at(-1)).toEqual({ action: 'cool-down', delayMs: 60_000, crashes: 3 });
    // A worker that stayed up: the next loop starts at the shortest cool-down again.
    policy.workerStayedUp();
    expect(loop(200_000).at(-1)).toEqual({ action: 'cool-down', delayMs: 30_000, crashes: 3 });
  });

  it('forgets crashes older than the crash window', () => {
    const policy = new RestartPolicy(OPTIONS);
    policy.workerReady();
    expect(policy.afterExit(true, 0)).toEqual({ action: 'restart' });
    expect(policy.afterExit(true, 30_000)).toEqual({ action: 'restart' });
    // The first crash is 60 s old: only two within the window.
    expect(policy.afterExit(true, 60_000)).toEqual({ action: 'restart' });
    expect(policy.afterExit(true, 60_001).action).toBe('cool-down');
  });

  it('starts over on reset: the model is unknown again, failures count as load failures', () => {
    const policy = new RestartPolicy(OPTIONS);
    policy.workerReady();
    policy.afterExit(true, 0);
    policy.afterExit(true, 1);
    policy.reset();
    expect(policy.afterExit(false, 2)).toEqual({ action: 'load-retry', delayMs: 250 });
  });
});
