/**
 * The heartbeat that finds a hung speech worker (stuck in native code, or
 * stopped): it does not exit, so it is pinged; when nothing at all has come
 * from it for the timeout although it was pinged, it hangs. Owns the ping
 * timer, the ping numbers and when the worker was last heard from; what to
 * send and what to do with a hung worker is the service's.
 */

export interface HeartbeatOptions {
  /** How often a ready worker is pinged. */
  intervalMs: number;
  /** Nothing from the pinged worker for this long: it hangs. */
  timeoutMs: number;
}

/** The worker being watched, seen from the heartbeat. */
export interface HeartbeatTarget {
  /** Whether it is still the worker to watch (current, ready, not being killed). */
  watching(): boolean;
  ping(seq: number): void;
  /** Silent for silentMs although pinged. */
  hung(silentMs: number): void;
}

export class WorkerHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private pingSeq = 0;
  /** When the worker was last heard from (any message; performance.now()). */
  private lastHeardAt = 0;

  constructor(private readonly options: HeartbeatOptions) {}

  /** Something came from the worker. */
  heard(): void {
    this.lastHeardAt = performance.now();
  }

  /**
   * Pings the target every intervalMs; when nothing at all has come from it
   * for timeoutMs although it was pinged, it hangs. Checked four times per
   * interval, so a hang is found within a quarter interval of the timeout.
   */
  start(target: HeartbeatTarget): void {
    this.stop();
    const interval = this.options.intervalMs;
    let lastPingAt = -Infinity;
    this.lastHeardAt = performance.now();
    this.timer = setInterval(
      () => {
        if (!target.watching()) return;
        const now = performance.now();
        const silentMs = now - this.lastHeardAt;
        if (silentMs >= this.options.timeoutMs) {
          target.hung(silentMs);
          return;
        }
        if (now - lastPingAt >= interval) {
          lastPingAt = now;
          target.ping(this.pingSeq++);
        }
      },
      Math.max(20, Math.round(interval / 4)),
    );
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
