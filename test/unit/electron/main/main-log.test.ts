/** The shell's main.log: bounded like the engine's, owner-only, no SIP users. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MainLogFile, mainLogRotation, withoutUriUsers } from '../../../../electron/main/main-log';

const DAY = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-main-log-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('main.log', () => {
  it('rotates by size at write time, rolls daily and deletes by age and count; owner-only', () => {
    let t = Date.parse('2026-05-01T08:00:00Z');
    const logs = path.join(dir, 'logs');
    const file = new MainLogFile(
      path.join(logs, 'main.log'),
      { maxBytes: 500, maxFiles: 3, maxAgeDays: 2 },
      () => t,
    );
    for (let i = 0; i < 40; i++) {
      t += 1000;
      file.append(`${new Date(t).toISOString()} INFO  [main] line ${i} ${'x'.repeat(30)}\n`);
      expect(fs.statSync(path.join(logs, 'main.log')).size).toBeLessThanOrEqual(500);
    }
    expect(fs.readdirSync(logs).sort()).toEqual([
      'main.log',
      'main.log.1',
      'main.log.2',
      'main.log.3',
    ]);
    if (process.platform !== 'win32') {
      expect(fs.statSync(logs).mode & 0o777).toBe(0o700);
      for (const name of fs.readdirSync(logs))
        expect(fs.statSync(path.join(logs, name)).mode & 0o777, name).toBe(0o600);
    }
    // Three days later every line is older than two days: the current file rolls, and all go.
    for (const name of fs.readdirSync(logs)) {
      const at = new Date(t);
      fs.utimesSync(path.join(logs, name), at, at);
    }
    t += 3 * DAY;
    file.prune();
    expect(fs.readdirSync(logs)).toEqual([]);
    // And writing goes on in a new file.
    file.append(`${new Date(t).toISOString()} INFO  [main] after\n`);
    expect(fs.readdirSync(logs)).toEqual(['main.log']);
  });

  it('has the engine’s limits, from the same variables', () => {
    expect(mainLogRotation({})).toEqual({
      maxBytes: 5 * 1024 * 1024,
      maxFiles: 20,
      maxAgeDays: 14,
    });
    expect(
      mainLogRotation({
        LOTSE_LOG_MAX_BYTES: '2048',
        LOTSE_LOG_MAX_FILES: 'x',
        LOTSE_RETENTION_LOG_DAYS: '7',
      }),
    ).toEqual({ maxBytes: 2048, maxFiles: 20, maxAgeDays: 7 });
  });

  it('drops the user part of SIP and tel URIs', () => {
    expect(
      withoutUriUsers(
        '[engine] call x (incoming, sip:015209876543@pbx.example) to tel:+49 30 1234567',
      ),
    ).toBe('[engine] call x (incoming, sip:…@pbx.example) to tel:…');
    expect(withoutUriUsers('engine stopped (exit code 0) at 2026-05-01T08:00:00Z')).toBe(
      'engine stopped (exit code 0) at 2026-05-01T08:00:00Z',
    );
  });
});
