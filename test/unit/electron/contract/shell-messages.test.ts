/** The shell's side of the contract: the engine's start-up message and the IPC channel names. */
import { describe, expect, it } from 'vitest';
import {
  ENGINE_CLOSED,
  engineInitMessageSchema,
  IPC_CHANNELS,
  type EngineInitMessage,
} from '../../../../electron/contract';

describe('engine start-up message', () => {
  it('accepts what the shell sends and nothing else', () => {
    const init: EngineInitMessage = {
      t: 'init',
      dataDir: '/home/k/.config/Lotse',
      keyBase64: 'a2V5',
      mode: 'desktop',
    };
    expect(engineInitMessageSchema.parse(init)).toEqual(init);
    expect(engineInitMessageSchema.safeParse({ ...init, mode: 'web' }).success).toBe(false);
    expect(engineInitMessageSchema.safeParse({ ...init, dataDir: '' }).success).toBe(false);
    expect(engineInitMessageSchema.safeParse({ ...init, t: 'hello' }).success).toBe(false);
  });
});

describe('IPC channels', () => {
  it('are distinct names in the app’s own namespace', () => {
    const names = Object.values(IPC_CHANNELS);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^lotse:/);
    expect(ENGINE_CLOSED).toBe('closed');
  });
});
