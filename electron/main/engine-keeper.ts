/**
 * Keeps one child process alive: starts it, and when it exits starts a new
 * one after a growing pause, until stop(). The desktop app's engine utility
 * process (engine-process.ts) is kept by this; it has no Electron import of
 * its own, so the restart path is unit-tested with a fake child.
 *
 *   stopped --start()--> running --exit--> waiting --delay--> running ...
 *      ^                    |                 |
 *      +------stop()--------+------stop()-----+
 *
 * Delays: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s; back to 0.5 s once a child
 * stayed up for 30 s. Whatever the engine had is gone with it; the window
 * learns of the exit at once (onExited) and rings a person for every bot
 * call (renderer/bridge/engine-reconnect.ts), then reports its live calls to
 * the new engine when it gets its port (onStarted).
 */

export const RESTART_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000] as const;
const MAX_RESTART_DELAY_MS = 10_000;
export const STABLE_AFTER_MS = 30_000;

/** What the keeper needs of a child process (Electron's UtilityProcess has it). */
export interface KeptChild {
  readonly pid: number | undefined;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface EngineKeeperOptions<C extends KeptChild> {
  /** Starts a new child (utilityProcess.fork in the app). */
  spawn: () => C;
  /** A new child exists. */
  onStarted: (child: C) => void;
  /** The child is gone (crash, kill or stop). */
  onExited: (code: number) => void;
  log: (level: 'info' | 'warn', message: string) => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Delay before restart number `attempt` (0-based). */
export function restartDelay(attempt: number): number {
  const index = Math.min(Math.max(attempt, 0), RESTART_DELAYS_MS.length - 1);
  return RESTART_DELAYS_MS[index] ?? MAX_RESTART_DELAY_MS;
}

export class EngineKeeper<C extends KeptChild> {
  private current: C | undefined;
  private startedAt = 0;
  private attempt = 0;
  private restartTimer: unknown;
  private stopping = false;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: EngineKeeperOptions<C>) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  get child(): C | undefined {
    return this.current;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    if (this.current || this.stopping) return;
    this.cancelRestart();
    const child = this.options.spawn();
    this.current = child;
    this.startedAt = this.now();
    child.once('exit', (code) => this.handleExit(child, code));
    this.options.onStarted(child);
  }

  /** No more restarts; the caller ends the child (and waits for it). */
  stop(): C | undefined {
    this.stopping = true;
    this.cancelRestart();
    return this.current;
  }

  private handleExit(child: C, code: number): void {
    if (this.current !== child) return;
    this.current = undefined;
    const uptime = this.now() - this.startedAt;
    this.options.onExited(code);
    if (this.stopping) {
      this.options.log('info', `engine stopped (exit code ${code})`);
      return;
    }
    if (uptime >= STABLE_AFTER_MS) this.attempt = 0;
    const delay = restartDelay(this.attempt);
    this.attempt += 1;
    this.options.log(
      'warn',
      `engine exited with code ${code} after ${Math.round(uptime / 100) / 10} s; restarting in ${delay} ms`,
    );
    this.restartTimer = this.setTimer(() => {
      this.restartTimer = undefined;
      this.start();
    }, delay);
  }

  private cancelRestart(): void {
    if (this.restartTimer !== undefined) this.clearTimer(this.restartTimer);
    this.restartTimer = undefined;
  }
}
