/**
 * The engine as an Electron utility process, kept alive by the main process.
 *
 * Why a utility process: speech recognition runs native code (libvosk through
 * koffi); an assertion there must take down the engine only, never the window
 * with a call in progress. The main process restarts a dead engine with
 * backoff, and the window gets a fresh port to the new one.
 *
 * Protocol (the engine side is electron/engine/utility-main.ts; the message is
 * the contract's EngineInitMessage, electron/contract/engine-init.ts):
 *   fork(engine.cjs) → for every window connection: a new MessageChannelMain,
 *   `child.postMessage({ t: 'init', dataDir, keyBase64, mode: 'desktop' }, [port1])`,
 *   port2 goes to the window. The contract then runs over that port. The
 *   engine keeps one engine per process, so a second init (window reload)
 *   just attaches another port.
 *
 * Lifecycle and restarts: engine-keeper.ts (0.5 s, 1 s, 2 s, 4 s, 8 s, then
 * 10 s; back to 0.5 s once an engine stayed up for 30 s).
 */
import {
  MessageChannelMain,
  utilityProcess,
  type MessagePortMain,
  type UtilityProcess,
} from 'electron';
import type { EngineInitMessage, KeyProtection } from '../contract';
import { EngineKeeper } from './engine-keeper';
import { describeError, log } from './main-log';

const STOP_TIMEOUT_MS = 3000;

export interface EngineProcessOptions {
  /** Absolute path of dist/electron/engine.cjs. */
  modulePath: string;
  dataDir: string;
  key: Buffer;
  /** How the key is kept (the engine tells the window, which warns when it is weak). */
  keyProtection?: KeyProtection;
  /** A new engine process exists: connect the window to it. */
  onStarted: () => void;
  /** The engine process is gone (crash, kill or stop). */
  onExited: (code: number) => void;
}

export class EngineProcess {
  private readonly keeper: EngineKeeper<UtilityProcess>;
  private readonly keyBase64: string;

  constructor(private readonly options: EngineProcessOptions) {
    this.keyBase64 = options.key.toString('base64');
    this.keeper = new EngineKeeper<UtilityProcess>({
      spawn: () => {
        const child = utilityProcess.fork(options.modulePath, [], {
          serviceName: 'Lotse Engine',
          stdio: 'pipe',
        });
        pipeLines(child.stdout, 'info');
        pipeLines(child.stderr, 'warn');
        child.once('spawn', () =>
          log('info', 'engine', `engine process started (pid ${child.pid ?? '?'})`),
        );
        child.on('error', (type, location) =>
          log('error', 'engine', `engine process hit a fatal error (${type}) at ${location}`),
        );
        return child;
      },
      onStarted: () => options.onStarted(),
      onExited: (code) => options.onExited(code),
      log: (level, message) => log(level, 'engine', message),
    });
  }

  /** The running engine's process id (undefined while none runs). */
  get pid(): number | undefined {
    return this.keeper.child?.pid;
  }

  get running(): boolean {
    return this.keeper.child !== undefined;
  }

  start(): void {
    this.keeper.start();
  }

  /**
   * A new channel to the running engine: port1 goes to the engine with the
   * init message, port2 is returned for the window. Undefined when no engine
   * runs (the window then gets a port when the next one starts).
   */
  connect(): MessagePortMain | undefined {
    const child = this.keeper.child;
    if (!child) return undefined;
    const { port1, port2 } = new MessageChannelMain();
    const init: EngineInitMessage = {
      t: 'init',
      dataDir: this.options.dataDir,
      keyBase64: this.keyBase64,
      mode: 'desktop',
      ...(this.options.keyProtection ? { keyProtection: this.options.keyProtection } : {}),
    };
    try {
      child.postMessage(init, [port1]);
    } catch (error) {
      log('error', 'engine', `cannot hand a port to the engine: ${describeError(error)}`);
      port1.close();
      port2.close();
      return undefined;
    }
    return port2;
  }

  /** Ends the engine for good (app quit): no restart, waits for the exit. */
  async stop(): Promise<void> {
    const child = this.keeper.stop();
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const pid = child.pid;
    log('info', 'engine', 'stopping the engine');
    child.kill();
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS)),
    ]);
    if (timedOut && pid !== undefined) {
      log('warn', 'engine', `engine did not stop within ${STOP_TIMEOUT_MS} ms; killing pid ${pid}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/** The engine's stdout/stderr into the main log, line by line (a pipe must be drained). */
function pipeLines(stream: NodeJS.ReadableStream | null, level: 'info' | 'warn'): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log(level, 'engine', line.trimEnd());
  });
  stream.on('end', () => {
    if (rest.trim()) log(level, 'engine', rest.trimEnd());
    rest = '';
  });
}
