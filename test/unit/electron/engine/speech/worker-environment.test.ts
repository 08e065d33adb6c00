import { describe, expect, it } from 'vitest';
import { workerEnvironment } from '../../../../../electron/engine/speech/worker-environment';

describe('workerEnvironment', () => {
  it('keeps the path, locale, home and temp folders and drops every other variable', () => {
    const env = workerEnvironment({
      PATH: '/usr/bin',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      LC_NUMERIC: 'C',
      HOME: '/home/agent',
      TMPDIR: '/tmp',
      LOTSE_LIBVOSK: '/opt/vosk/libvosk.so',
      LOTSE_CASE_SYSTEM_TOKEN: 'secret',
      SOME_PASSWORD: 'hunter2',
      NODE_OPTIONS: '--inspect',
      UNSET: undefined,
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      LC_NUMERIC: 'C',
      HOME: '/home/agent',
      TMPDIR: '/tmp',
      LOTSE_LIBVOSK: '/opt/vosk/libvosk.so',
      ELECTRON_RUN_AS_NODE: '1',
    });
  });

  it('matches the names without case, as Windows does (Path, SystemRoot)', () => {
    const env = workerEnvironment({ Path: 'C:\\Windows', systemroot: 'C:\\Windows', Lc_all: 'x' });
    // LC_ is a prefix on Unix names: only the known names are case-insensitive.
    expect(env).toEqual({
      Path: 'C:\\Windows',
      systemroot: 'C:\\Windows',
      ELECTRON_RUN_AS_NODE: '1',
    });
  });

  it('adds the extra variables on top, but ELECTRON_RUN_AS_NODE always wins', () => {
    const env = workerEnvironment(
      { PATH: '/bin' },
      { LOTSE_FAKE: 'env', ELECTRON_RUN_AS_NODE: '0' },
    );
    expect(env).toEqual({ PATH: '/bin', LOTSE_FAKE: 'env', ELECTRON_RUN_AS_NODE: '1' });
  });
});
