import { describe, expect, it } from 'vitest';
import { resolveSpeechOptions } from '../../../../../electron/engine/speech/speech-options';

describe('resolveSpeechOptions', () => {
  it('fills in the defaults: 5 s buffer, 3 load attempts, 5 crashes a minute, 30 s to 5 min cool-downs, 1 s/2 s heartbeat', () => {
    const options = resolveSpeechOptions({ workerPath: 'w.cjs', modelPath: '/m' });
    expect(options).toMatchObject({
      workerPath: 'w.cjs',
      modelPath: '/m',
      execPath: process.execPath,
      execArgv: [],
      env: {},
      maxBufferMs: 5_000,
      maxChunkMs: 1_000,
      maxLoadAttempts: 3,
      retryDelaysMs: [250, 1_000, 3_000],
      loadTimeoutMs: 60_000,
      maxCrashes: 5,
      crashWindowMs: 60_000,
      coolDownMs: [30_000, 60_000, 120_000, 300_000],
      heartbeatIntervalMs: 1_000,
      heartbeatTimeoutMs: 2_000,
      logLevel: -1,
    });
    expect(options.baseEnv).toBe(process.env);
  });

  it('keeps what is given, but an empty cool-down list means the default ones', () => {
    const given = resolveSpeechOptions({
      workerPath: 'w.cjs',
      modelPath: '/m',
      maxCrashes: 0,
      retryDelaysMs: [],
      coolDownMs: [200],
      logLevel: 0,
    });
    expect(given).toMatchObject({
      maxCrashes: 0,
      retryDelaysMs: [],
      coolDownMs: [200],
      logLevel: 0,
    });
    const empty = resolveSpeechOptions({ workerPath: 'w.cjs', modelPath: '/m', coolDownMs: [] });
    expect(empty.coolDownMs).toEqual([30_000, 60_000, 120_000, 300_000]);
  });
});
