/**
 * Web mode's engine keeper: the engine runs as a child; when it dies a new
 * one starts on the same port with the same token (so the page reconnects by
 * itself), with a short delay; stop() ends it for good. Against a fake
 * engine (test/fakes/fake-web-engine.mjs) that only listens and says so.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WebSupervisor,
  type WebSupervisorOptions,
} from '../../../../electron/engine/web/web-supervisor';

const FAKE_ENGINE = fileURLToPath(new URL('../../../fakes/fake-web-engine.mjs', import.meta.url));
const TOKEN = 'ab'.repeat(24);
const running: WebSupervisor[] = [];
const FIRST_RESTART_MS = 50;
/**
 * What must not happen (a restart) can only be shown by its absence over a
 * window: six first restart delays, once what can be waited for has happened.
 */
const NO_RESTART_WINDOW_MS = 6 * FIRST_RESTART_MS;

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function supervisor(options: Partial<WebSupervisorOptions> = {}) {
  const logs: string[] = [];
  const listening: { port: number; pid: number; restarts: number }[] = [];
  const s = new WebSupervisor({
    script: FAKE_ENGINE,
    args: [],
    port: 0,
    token: TOKEN,
    execArgv: [],
    log: (level, message) => logs.push(`${level}: ${message}`),
    restartDelaysMs: [FIRST_RESTART_MS, 100],
    onListening: (info) => listening.push(info),
    ...options,
  });
  running.push(s);
  return { s, logs, listening };
}

async function ask(port: number): Promise<{ token: string; pid: number; role: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return (await response.json()) as { token: string; pid: number; role: string };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WebSupervisor', () => {
  it('starts the engine in the engine role with the token and tells its port', async () => {
    const { s } = supervisor();
    const port = await s.start();
    expect(port).toBeGreaterThan(0);
    const answer = await ask(port);
    expect(answer).toEqual({ token: TOKEN, pid: s.enginePid, role: 'engine' });
  });

  it('starts a new engine on the same port with the same token when it is killed', async () => {
    const { s, logs, listening } = supervisor();
    const port = await s.start();
    const first = s.enginePid;
    const killedAt = performance.now();
    process.kill(first ?? -1, 'SIGKILL');
    await until(() => listening.length === 2);
    const backMs = performance.now() - killedAt;
    expect(listening[1]).toMatchObject({ port, restarts: 1 });
    expect(s.enginePid).not.toBe(first);
    expect(await ask(port)).toMatchObject({ token: TOKEN, pid: s.enginePid });
    expect(logs.some((l) => /ended \(signal SIGKILL\).*restarting in 50 ms/.test(l))).toBe(true);
    expect(backMs).toBeLessThan(3_000);
    // Again: the delay grows.
    process.kill(s.enginePid ?? -1, 'SIGKILL');
    await until(() => listening.length === 3);
    expect(logs.some((l) => /restarting in 100 ms/.test(l))).toBe(true);
  });

  it('does not restart after stop(), and the engine is gone', async () => {
    const { s, listening } = supervisor();
    await s.start();
    const pid = s.enginePid ?? -1;
    await s.stop();
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    await new Promise((r) => setTimeout(r, NO_RESTART_WINDOW_MS));
    expect(listening).toHaveLength(1);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('rejects start() when the first engine dies before it listens (no restart loop)', async () => {
    const { s, listening } = supervisor({ env: { ...process.env, FAKE_ENGINE_FAIL: '1' } });
    await expect(s.start()).rejects.toThrow(/ended before it was ready \(exit code 7\)/);
    await new Promise((r) => setTimeout(r, NO_RESTART_WINDOW_MS));
    expect(listening).toHaveLength(0);
    expect(s.enginePid).toBeUndefined();
  });
});
