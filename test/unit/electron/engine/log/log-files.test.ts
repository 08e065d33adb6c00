/** The log files stay bounded on a desk that runs for weeks: size at write time, a daily roll, age. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingLogFile } from '../../../../../electron/engine/log/log-files';
import { Logger } from '../../../../../electron/engine/log/logger';

const DAY = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-log-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const names = () => fs.readdirSync(dir).sort();
const line = (t: number, text: string) => `${new Date(t).toISOString()} INFO [x] ${text}\n`;

describe('RotatingLogFile', () => {
  it('rotates by size at write time and keeps at most maxFiles rotated files', () => {
    let t = Date.parse('2026-05-01T08:00:00Z');
    const file = path.join(dir, 'engine.log');
    const log = new RotatingLogFile(
      file,
      { maxBytes: 1000, maxFiles: 3, maxAgeDays: 14 },
      () => new Date(t),
    );
    for (let i = 0; i < 100; i++) {
      t += 1000;
      log.append(line(t, `entry ${i} ${'x'.repeat(60)}`));
      // Never beyond the limit, not even for a moment between two writes.
      expect(fs.statSync(file).size).toBeLessThanOrEqual(1000);
    }
    expect(names()).toEqual(['engine.log', 'engine.log.1', 'engine.log.2', 'engine.log.3']);
    // The newest lines in the current file, the ones before in .1, and so on.
    expect(fs.readFileSync(file, 'utf8')).toContain('entry 99 ');
    const last = fs.readFileSync(`${file}.1`, 'utf8').trim().split('\n').at(-1)!;
    const first = fs.readFileSync(file, 'utf8').split('\n')[0]!;
    expect(Number(/entry (\d+)/.exec(first)![1])).toBe(Number(/entry (\d+)/.exec(last)![1]) + 1);
  });

  it('rolls a file over once its first line is a day old and deletes rolled files by age', () => {
    let t = Date.parse('2026-05-01T08:00:00Z');
    const file = path.join(dir, 'engine.log');
    const rotation = { maxBytes: 5 * 1024 * 1024, maxFiles: 50, maxAgeDays: 14 };
    const log = new RotatingLogFile(file, rotation, () => new Date(t));
    // A quiet night desk: one line an hour for 30 days, never restarted.
    for (let hour = 0; hour < 30 * 24; hour++) {
      t += 3_600_000;
      log.append(line(t, `hour ${hour}`));
      if (hour % 24 === 0) log.prune();
      // What the file system says about the rolled files is what the job looks at.
      for (const name of names().filter((n) => n !== 'engine.log')) {
        const lastLine = fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\n').at(-1)!;
        fs.utimesSync(
          path.join(dir, name),
          new Date(lastLine.slice(0, 24)),
          new Date(lastLine.slice(0, 24)),
        );
      }
    }
    log.prune();
    const all = names()
      .map((n) => fs.readFileSync(path.join(dir, n), 'utf8'))
      .join('');
    const times = all
      .trim()
      .split('\n')
      .map((l) => Date.parse(l.slice(0, 24)));
    // Nothing older than 14 days and the day being rolled; the last days all there.
    expect(t - Math.min(...times)).toBeLessThanOrEqual(15 * DAY);
    expect(t - Math.min(...times)).toBeGreaterThanOrEqual(13 * DAY);
    expect(names().length).toBeLessThanOrEqual(16);
  });

  it('continues a file from before a restart: its age from its first line', () => {
    const file = path.join(dir, 'main.log');
    const start = Date.parse('2026-05-01T08:00:00Z');
    fs.writeFileSync(file, line(start, 'before the restart'));
    const log = new RotatingLogFile(
      file,
      { maxBytes: 1e6, maxFiles: 5, maxAgeDays: 14 },
      () => new Date(start + DAY + 1),
    );
    log.append(line(start + DAY + 1, 'after'));
    expect(names()).toEqual(['main.log', 'main.log.1']);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('before');
  });

  it('creates its folder and files for the owner only', () => {
    if (process.platform === 'win32') return;
    const logger = new Logger({ logDir: path.join(dir, 'logs'), stderr: false });
    logger.scope('t').info('hello');
    expect(fs.statSync(path.join(dir, 'logs')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'logs', 'engine.log')).mode & 0o777).toBe(0o600);
  });

  it('the engine log rotates by the size it is given', () => {
    const logger = new Logger({
      logDir: dir,
      stderr: false,
      rotation: { maxBytes: 2048, maxFiles: 2, maxAgeDays: 14 },
    });
    for (let i = 0; i < 200; i++) logger.scope('t').info(`line ${i} ${'y'.repeat(40)}`);
    expect(names()).toEqual(['engine.log', 'engine.log.1', 'engine.log.2']);
    expect(fs.statSync(path.join(dir, 'engine.log')).size).toBeLessThanOrEqual(2048);
  });
});
