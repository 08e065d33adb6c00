/**
 * Starts Lotse in web mode (the built engine, `dist/electron/web.mjs`) as a
 * real Node process on a free loopback port with a fresh data folder, exactly
 * as `npm run web` does, and stops it at the end. `restart()` stops it and
 * starts it again on the same data folder, as an agent's machine does after
 * a reboot (a new port and token).
 *
 * web.mjs is a supervisor that runs the engine as a child process and starts
 * a new one when it dies (electron/engine/web/web-supervisor.ts): `pid` is
 * the supervisor's, `enginePid()` the engine's; a fault test kills the
 * engine (`killEngine`) and waits for the next one (`waitForEngine`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const WEB_ENTRY = path.join(ROOT, 'dist/electron/web.mjs');
/** How long the engine may take to print its address (a loaded two-core machine is slow). */
const START_TIMEOUT_MS = 30_000;
const KILL_AFTER_MS = 3_000;

export interface EngineLogEntry {
  time: string;
  level: string;
  scope: string;
  message: string;
}

export interface LotseWeb {
  /** The printed address, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly pid: number;
  /** The running engine process (the supervisor's child), as the supervisor last announced it. */
  enginePid(): number | undefined;
  /** Sends `signal` (SIGKILL: a crash) to the engine process; returns its pid. */
  killEngine(signal?: NodeJS.Signals): number;
  /** Waits until an engine other than `previous` listens (the supervisor restarted it); its pid. */
  waitForEngine(previous: number, timeoutMs?: number): Promise<number>;
  /** Everything the process printed, over all restarts. */
  output(): string;
  /** The engine's JSON-lines log file, parsed. */
  engineLog(): EngineLogEntry[];
  /** The messages of the engine log's "phone" scope (what the desk's SIP phone reported). */
  phoneLog(): string[];
  /** Stops the engine and starts it again on the same data folder (a new address and token). */
  restart(): Promise<void>;
  /** SIGTERM, SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LotseWebOptions {
  dataDir?: string;
  speechModel?: string;
  /** Extra environment, e.g. LOTSE_CASE_SYSTEM_URL for the HTTP connector. */
  env?: Record<string, string>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** The engine's log lines as a reader wants them: time, level, scope, message. */
export function formatEngineLog(entries: readonly EngineLogEntry[]): string {
  return entries.map((l) => `${l.time} ${l.level} [${l.scope}] ${l.message}`).join('\n');
}

class LotseWebProcess implements LotseWeb {
  private child: ChildProcess | undefined;
  private printed = '';
  private address = '';
  private stopped = true;

  constructor(
    readonly dataDir: string,
    private readonly options: LotseWebOptions,
  ) {}

  get url(): string {
    return this.address;
  }

  get origin(): string {
    return new URL(this.address).origin;
  }

  get token(): string {
    return /token=([0-9a-f]+)/.exec(new URL(this.address).hash)?.[1] ?? '';
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  output(): string {
    return this.printed;
  }

  enginePid(): number | undefined {
    const announced = [...this.printed.matchAll(/engine process (\d+) listening on port/g)];
    const last = announced.at(-1)?.[1];
    // A web.mjs without a supervisor (before h13) is the engine itself.
    return last ? Number(last) : this.child?.pid;
  }

  killEngine(signal: NodeJS.Signals = 'SIGKILL'): number {
    const pid = this.enginePid();
    if (pid === undefined) throw new Error(`no engine process announced yet:\n${this.printed}`);
    process.kill(pid, signal);
    return pid;
  }

  async waitForEngine(previous: number, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.enginePid();
      if (pid !== undefined && pid !== previous) return pid;
      if (Date.now() > deadline)
        throw new Error(`no new engine within ${timeoutMs} ms:\n${this.printed.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  engineLog(): EngineLogEntry[] {
    const file = path.join(this.dataDir, 'logs', 'engine.log');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EngineLogEntry);
  }

  phoneLog(): string[] {
    return this.engineLog()
      .filter((entry) => entry.scope === 'phone')
      .map((entry) => entry.message);
  }

  async start(): Promise<void> {
    const args = [WEB_ENTRY, '--port', '0', '--data-dir', this.dataDir];
    if (this.options.speechModel) args.push('--speech-model', this.options.speechModel);
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    this.child = child;
    this.stopped = false;
    running.add(child);
    let output = '';
    const append = (d: Buffer) => {
      output += d.toString();
      this.printed += d.toString();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`web mode did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`),
          ),
        START_TIMEOUT_MS,
      );
      const check = () => {
        const match = /LOTSE_URL=(\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`web mode exited with ${code}:\n${output}`));
      });
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  }
}

export async function startLotseWeb(options: LotseWebOptions = {}): Promise<LotseWeb> {
  if (!fs.existsSync(WEB_ENTRY))
    throw new Error(`${WEB_ENTRY} is missing: run "npm run build" first`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-e2e-'));
  const lotse = new LotseWebProcess(dataDir, options);
  try {
    await lotse.start();
  } catch (error) {
    await lotse.stop();
    throw error;
  }
  return lotse;
}
