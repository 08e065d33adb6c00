/**
 * The desktop app keeps its engine utility process alive (engine-keeper.ts,
 * used by engine-process.ts): a dead engine is started again after a growing
 * pause, the window hears of the exit at once and of the new engine when it
 * is there, and stop() ends the restarts. With a fake child and a hand-moved
 * clock: Electron cannot run here.
 */
import { describe, expect, it } from 'vitest';
import {
  EngineKeeper,
  RESTART_DELAYS_MS,
  STABLE_AFTER_MS,
  type KeptChild,
} from '../../../../electron/main/engine-keeper';

class FakeChild implements KeptChild {
  static next = 100;
  readonly pid = FakeChild.next++;
  killed = false;
  private exitListener?: (code: number) => void;
  once(_event: 'exit', listener: (code: number) => void): this {
    this.exitListener = listener;
    return this;
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  /** The process dies (crash: SIGKILL, abort …). */
  exit(code: number): void {
    this.exitListener?.(code);
  }
}

function setup() {
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const children: FakeChild[] = [];
  const events: string[] = [];
  const keeper = new EngineKeeper<FakeChild>({
    spawn: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    onStarted: (child) => events.push(`started ${child.pid}`),
    onExited: (code) => events.push(`exited ${code}`),
    log: (level, message) => events.push(`${level}: ${message}`),
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const index = timers.indexOf(timer as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  });
  /** Moves the clock on, running the timers that fall due. */
  const advance = (ms: number) => {
    now += ms;
    for (const timer of [...timers].sort((a, b) => a.at - b.at)) {
      if (timer.at > now) continue;
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  return { keeper, children, events, advance, pending: () => timers.length };
}

describe('EngineKeeper (the desktop engine process)', () => {
  it('starts a killed engine again after 0.5 s, then 1 s, 2 s …; the window hears of both', () => {
    const h = setup();
    h.keeper.start();
    expect(h.children).toHaveLength(1);
    h.advance(5_000);
    h.children[0]?.exit(9);
    expect(h.keeper.child).toBeUndefined();
    expect(h.events).toContain('exited 9');
    expect(h.events.at(-1)).toMatch(/exited with code 9 after 5 s; restarting in 500 ms/);
    h.advance(499);
    expect(h.children).toHaveLength(1);
    h.advance(1);
    expect(h.children).toHaveLength(2);
    expect(h.keeper.child).toBe(h.children[1]);
    expect(h.events.filter((e) => e.startsWith('started'))).toHaveLength(2);
    // Dies again at once: the pause grows.
    h.children[1]?.exit(1);
    expect(h.events.at(-1)).toMatch(/restarting in 1000 ms/);
    h.advance(1_000);
    h.children[2]?.exit(1);
    expect(h.events.at(-1)).toMatch(/restarting in 2000 ms/);
    h.advance(2_000);
    expect(h.children).toHaveLength(4);
  });

  it('grows to 10 s at most, and back to 0.5 s once an engine stayed up for 30 s', () => {
    const h = setup();
    h.keeper.start();
    const delays: number[] = [];
    for (let i = 0; i < RESTART_DELAYS_MS.length + 2; i++) {
      h.keeper.child?.exit(1);
      const delay = Number(/restarting in (\d+) ms/.exec(h.events.at(-1) ?? '')?.[1]);
      delays.push(delay);
      h.advance(delay);
    }
    expect(delays).toEqual([...RESTART_DELAYS_MS, 10_000, 10_000]);
    h.advance(STABLE_AFTER_MS);
    h.keeper.child?.exit(1);
    expect(h.events.at(-1)).toMatch(/restarting in 500 ms/);
  });

  it('stop(): no restart after the exit, and a pending restart is cancelled', () => {
    const h = setup();
    h.keeper.start();
    h.children[0]?.exit(1);
    expect(h.pending()).toBe(1);
    expect(h.keeper.stop()).toBeUndefined();
    expect(h.pending()).toBe(0);
    h.advance(60_000);
    expect(h.children).toHaveLength(1);

    const g = setup();
    g.keeper.start();
    expect(g.keeper.stop()).toBe(g.children[0]);
    g.children[0]?.exit(0);
    expect(g.events.at(-1)).toBe('info: engine stopped (exit code 0)');
    g.advance(60_000);
    expect(g.children).toHaveLength(1);
    g.keeper.start();
    expect(g.children).toHaveLength(1);
  });
});
