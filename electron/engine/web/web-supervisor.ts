/**
 * Web mode's keeper of the engine: what electron/main/engine-process.ts is
 * for the desktop app. `npm run web` starts this small process; it runs the
 * engine as a child process and starts a new one when it dies, on the same
 * port and with the same token, so the page in the browser reconnects by
 * itself (its carrier retries) and goes on with the new engine.
 *
 * Why: the engine runs native code (through the speech process) and a lot of
 * the desk's logic; should it die during a call, the call must not be left
 * without an engine until somebody restarts `npm run web`. The renderer
 * rings a person for a bot call at once when the engine goes away (the bot
 * is gone, the caller is on the line) and reports its live calls again to
 * the new engine.
 *
 * Protocol (child_process.fork, an IPC channel):
 *   supervisor → engine  { t: 'web-init', token, port }   port 0 at the first start
 *   engine → supervisor  { t: 'listening', port }          the port it got
 * The engine exits when the channel closes (the supervisor is gone).
 *
 * Lifecycle:
 *
 *   starting ──listening──▶ running ──exit──▶ waiting ──delay──▶ running …
 *      │                                          │
 *      └─exit before the first listening: start() rejects (bad port, …)
 *   stop(): SIGTERM to the engine, SIGKILL after stopTimeoutMs, no restart.
 *
 * Delays: 250 ms, 0.5, 1, 2, then 5 s; back to 250 ms once an engine stayed
 * up for 30 s.
 */
import { fork, type ChildProcess } from 'node:child_process';

export const WEB_ENGINE_ROLE_ENV = 'LOTSE_WEB_ROLE';

/** supervisor → engine */
export interface WebInitMessage {
  t: 'web-init';
  token: string;
  port: number;
}

/** engine → supervisor */
export interface WebListeningMessage {
  t: 'listening';
  port: number;
}

export function isWebInitMessage(message: unknown): message is WebInitMessage {
  const m = message as Partial<WebInitMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.t === 'web-init' &&
    typeof m.token === 'string' &&
    /^[0-9a-f]{16,128}$/.test(m.token) &&
    Number.isInteger(m.port) &&
    (m.port ?? -1) >= 0 &&
    (m.port ?? 65536) <= 65535
  );
}

function isListeningMessage(message: unknown): message is WebListeningMessage {
  const m = message as Partial<WebListeningMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.t === 'listening' &&
    Number.isInteger(m.port) &&
    (m.port ?? 0) > 0
  );
}

export interface WebSupervisorOptions {
  /** The engine's script (web mode: this same web.mjs, run in the engine role). */
  script: string;
  /** Its arguments (data folder, renderer folder, speech model); the port goes in web-init. */
  args: string[];
  /** The port asked for; 0 = any free one (kept for every restart once known). */
  port: number;
  token: string;
  /** The engine's environment (default: this process's, plus the role). */
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  execArgv?: string[];
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  restartDelaysMs?: readonly number[];
  stableAfterMs?: number;
  stopTimeoutMs?: number;
  /** A new engine is listening (the first one, and every restarted one). */
  onListening?: (info: { port: number; pid: number; restarts: number }) => void;
}

export const WEB_RESTART_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000] as const;

export class WebSupervisor {
  private child: ChildProcess | undefined;
  private port: number;
  private startedAt = 0;
  private attempt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  private everListening = false;
  private restartCount = 0;

  constructor(private readonly options: WebSupervisorOptions) {
    this.port = options.port;
  }

  /** The running engine's process id (undefined between two engines). */
  get enginePid(): number | undefined {
    return this.child?.pid;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Starts the first engine; resolves with its port once it listens. */
  start(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.launch({ resolve, reject });
    });
  }

  /** Stops the engine for good (no restart); resolves when it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 3_000);
    await exited;
    clearTimeout(timer);
  }

  private launch(first?: {
    resolve: (port: number) => void;
    reject: (error: Error) => void;
  }): void {
    if (this.stopping) return;
    const child = fork(this.options.script, this.options.args, {
      execPath: this.options.execPath ?? process.execPath,
      execArgv: this.options.execArgv ?? process.execArgv,
      env: { ...(this.options.env ?? process.env), [WEB_ENGINE_ROLE_ENV]: 'engine' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.startedAt = Date.now();
    let listening = false;
    child.on('message', (message: unknown) => {
      if (this.child !== child || !isListeningMessage(message)) return;
      listening = true;
      this.port = message.port;
      if (this.everListening) this.restartCount++;
      this.everListening = true;
      this.options.log(
        'info',
        `engine process ${child.pid ?? '?'} listening on port ${message.port}`,
      );
      this.options.onListening?.({
        port: message.port,
        pid: child.pid ?? -1,
        restarts: this.restartCount,
      });
      first?.resolve(message.port);
    });
    child.on('error', (error) => this.options.log('error', `engine process: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      const how = signal ? `signal ${signal}` : `exit code ${String(code)}`;
      if (first && !listening) {
        first.reject(new Error(`the engine ended before it was ready (${how})`));
        return;
      }
      if (this.stopping) return;
      this.scheduleRestart(how);
    });
    const init: WebInitMessage = { t: 'web-init', token: this.options.token, port: this.port };
    child.send(init, (error) => {
      if (error) this.options.log('error', `engine process: init not sent: ${error.message}`);
    });
  }

  private scheduleRestart(how: string): void {
    const uptime = Date.now() - this.startedAt;
    if (uptime >= (this.options.stableAfterMs ?? 30_000)) this.attempt = 0;
    const delays = this.options.restartDelaysMs ?? WEB_RESTART_DELAYS_MS;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 5_000;
    this.attempt++;
    this.options.log(
      'warn',
      `engine process ended (${how}) after ${Math.round(uptime / 100) / 10} s; restarting in ${delay} ms`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, delay);
  }
}
