/**
 * Test-bed processes and temp folders must never outlive the test process,
 * even when a test throws and afterAll never runs: every helper registers
 * what it starts here, and one exit hook kills and removes what is left.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Child processes still running. */
export const live = new Set<ChildProcess>();
/** Process groups still running (killed as a group: -pid). */
export const liveGroups = new Set<number>();
/** Temp folders not cleaned up yet. */
export const liveDirs = new Set<string>();

let installed = false;

export function installExitHook(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
    live.clear();
    liveGroups.clear();
    liveDirs.clear();
  });
}

/**
 * Tracks a started child until it ends: `exited` resolves when it has, and
 * `info()` then says how (exit code and signal, or the spawn error).
 */
export function watchExit(child: ChildProcess): {
  exited: Promise<void>;
  info: () => string | undefined;
} {
  installExitHook();
  live.add(child);
  let info: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      info = `exit code ${code ?? '-'} signal ${signal ?? '-'}`;
      live.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      info = `spawn error: ${error.message}`;
      live.delete(child);
      resolve();
    });
  });
  return { exited, info: () => info };
}
