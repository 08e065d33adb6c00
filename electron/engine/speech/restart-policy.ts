/**
 * What the speech service does after its worker died: restart it at once,
 * after a short pause, after a cool-down (crashed too often), retry loading
 * the model, or give up. Owns the crash count within the crash window, the
 * cool-downs in a row and the load failures; no timers, no process – the
 * service asks, then acts (and logs).
 */

export interface RestartPolicyOptions {
  /** Worker deaths while loading the model before the service gives up. */
  maxLoadAttempts: number;
  /** Pause before each load retry. */
  retryDelaysMs: number[];
  /** More crashes than this within crashWindowMs: pause for a cool-down, then try again. */
  maxCrashes: number;
  crashWindowMs: number;
  /** The cool-downs, one after another; the last one repeats. */
  coolDownMs: number[];
}

export type RestartDecision =
  /** A ready worker crashed: a new one at once. */
  | { action: 'restart' }
  /** The model worked before, but the worker died again while loading: a short pause first. */
  | { action: 'retry'; delayMs: number }
  /** Too many crashes within the window: no worker for delayMs. */
  | { action: 'cool-down'; delayMs: number; crashes: number }
  /** The worker died loading a model that never worked: try again after delayMs. */
  | { action: 'load-retry'; delayMs: number }
  /** It died loading too often: the model cannot be used. */
  | { action: 'give-up'; loadFailures: number };

export class RestartPolicy {
  private crashTimes: number[] = [];
  /** A worker has been ready once: the model works, failures are crashes. */
  private everReady = false;
  /** Cool-downs in a row (the index into coolDownMs); 0 again once a worker stays up. */
  private coolDowns = 0;
  private loadFailures = 0;

  constructor(private readonly options: RestartPolicyOptions) {}

  /** A fresh start(): nothing is known about the model yet. */
  reset(): void {
    this.crashTimes = [];
    this.everReady = false;
    this.coolDowns = 0;
    this.loadFailures = 0;
  }

  /** A worker loaded the model. */
  workerReady(): void {
    this.everReady = true;
    this.loadFailures = 0;
  }

  /** A worker stayed up for a whole crash window: the next crash loop starts at the shortest cool-down. */
  workerStayedUp(): void {
    this.coolDowns = 0;
  }

  /** The worker died (not on purpose, not for a fatal model error); `now` is Date.now(). */
  afterExit(wasReady: boolean, now: number): RestartDecision {
    const { retryDelaysMs } = this.options;
    if (wasReady || this.everReady) {
      // The model worked: this is a crash (or a hang, or garbage), not a model that cannot load.
      this.crashTimes = [
        ...this.crashTimes.filter((t) => now - t < this.options.crashWindowMs),
        now,
      ];
      if (this.crashTimes.length > this.options.maxCrashes) return this.coolDown();
      if (wasReady) return { action: 'restart' };
      return { action: 'retry', delayMs: retryDelaysMs[0] ?? 250 };
    }
    this.loadFailures++;
    if (this.loadFailures >= this.options.maxLoadAttempts)
      return { action: 'give-up', loadFailures: this.loadFailures };
    const delayMs = retryDelaysMs[this.loadFailures - 1] ?? retryDelaysMs.at(-1) ?? 1_000;
    return { action: 'load-retry', delayMs };
  }

  private coolDown(): RestartDecision {
    const delays = this.options.coolDownMs;
    const delayMs = delays[Math.min(this.coolDowns, delays.length - 1)] ?? 30_000;
    const crashes = this.crashTimes.length;
    this.coolDowns++;
    this.crashTimes = [];
    return { action: 'cool-down', delayMs, crashes };
  }
}
