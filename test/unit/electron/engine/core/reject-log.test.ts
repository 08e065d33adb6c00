/** Rejected input: counted per kind, logged at most a line a second, the rest summed up. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clip,
  RejectLog,
  REJECT_LOG_INTERVAL_MS,
} from '../../../../../electron/engine/core/reject-log';
import { Logger } from '../../../../../electron/engine/log/logger';

let clock = 0;
let lines: string[];
let rejects: RejectLog;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  lines = [];
  const logger = new Logger({ stderr: false });
  logger.addSink((entry) => lines.push(`${entry.level} [${entry.scope}] ${entry.message}`));
  rejects = new RejectLog(logger.scope('engine'), () => clock);
});
afterEach(() => vi.useRealTimers());

/** Moves the clock and the timers on together. */
function advance(ms: number): void {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

describe('RejectLog', () => {
  it('counts messages and frames apart', () => {
    rejects.message('bad message');
    rejects.frame('bad frame');
    rejects.frame('bad frame');
    expect(rejects.messagesRejected).toBe(1);
    expect(rejects.framesRejected).toBe(2);
  });

  it('logs the first of a flood on its own line and sums up the rest a second later', () => {
    rejects.message('first');
    advance(10);
    rejects.frame('second');
    rejects.message('third');
    expect(lines).toEqual(['warn [engine] first']);
    advance(REJECT_LOG_INTERVAL_MS);
    expect(lines).toEqual([
      'warn [engine] first',
      'warn [engine] 2 more rejected (bad messages or audio frames, one line a second); the last: third',
    ]);
    // Right after the summary the next one is summed up again; a second later it has a line of its own.
    rejects.message('fourth');
    advance(REJECT_LOG_INTERVAL_MS);
    expect(lines.at(-1)).toMatch(/^warn \[engine\] 1 more rejected .*the last: fourth$/);
    advance(REJECT_LOG_INTERVAL_MS + 1);
    rejects.message('fifth');
    expect(lines.at(-1)).toBe('warn [engine] fifth');
    expect(lines).toHaveLength(4);
    expect(rejects.messagesRejected + rejects.framesRejected).toBe(5);
  });

  it('clips long text from outside for the log', () => {
    expect(clip('short')).toBe('short');
    expect(clip('x'.repeat(12), 5)).toBe('xxxxx… (12 characters)');
  });
});
