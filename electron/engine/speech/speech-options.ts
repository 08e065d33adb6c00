/**
 * What a speech service is configured with (SpeechServiceOptions) and the
 * defaults for everything left out: buffer and chunk sizes, load retries
 * and timeout, crash window and cool-downs, heartbeat, libvosk log level.
 */

/** What the service writes to the engine log (ScopedLogger fits). */
export interface SpeechLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SpeechServiceOptions {
  /** The worker's script: dist/electron/speech-worker.cjs in the app. */
  workerPath: string;
  /** The Vosk model folder (16 kHz). */
  modelPath: string;
  log?: SpeechLog;
  /** Program that runs the worker; default process.execPath (Electron runs it as Node). */
  execPath?: string;
  /** Extra Node options for the worker, e.g. ['--import', 'tsx'] to run the .ts source. */
  execArgv?: string[];
  /**
   * Extra environment for the worker, on top of workerEnvironment()'s
   * minimal one (e.g. a test's own variables). The engine's environment is
   * not passed on.
   */
  env?: NodeJS.ProcessEnv;
  /** The environment the worker's minimal one is taken from (tests); default process.env. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Audio kept per stream while the worker is down. */
  maxBufferMs?: number;
  /** Longest chunk pushAudio accepts. */
  maxChunkMs?: number;
  /** Worker deaths while loading the model before the service gives up. */
  maxLoadAttempts?: number;
  /** Pause before each load retry. */
  retryDelaysMs?: number[];
  /** A worker that is not ready after this long is killed (a big model takes a while). */
  loadTimeoutMs?: number;
  /** More crashes than this within crashWindowMs: pause for a cool-down, then try again. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** The cool-downs, one after another; the last one repeats. */
  coolDownMs?: number[];
  /** How often a ready worker is pinged. */
  heartbeatIntervalMs?: number;
  /** Nothing from the pinged worker for this long: it hangs and is killed. */
  heartbeatTimeoutMs?: number;
  /** libvosk log level: -1 warnings and errors only, 0 adds info. */
  logLevel?: number;
}

/** The options with every default filled in (log, env and baseEnv as the service uses them). */
export type ResolvedSpeechOptions = Required<
  Omit<SpeechServiceOptions, 'log' | 'env' | 'baseEnv'>
> & {
  env: NodeJS.ProcessEnv;
  baseEnv: NodeJS.ProcessEnv;
};

export function resolveSpeechOptions(options: SpeechServiceOptions): ResolvedSpeechOptions {
  return {
    workerPath: options.workerPath,
    modelPath: options.modelPath,
    execPath: options.execPath ?? process.execPath,
    execArgv: options.execArgv ?? [],
    env: options.env ?? {},
    baseEnv: options.baseEnv ?? process.env,
    maxBufferMs: options.maxBufferMs ?? 5_000,
    maxChunkMs: options.maxChunkMs ?? 1_000,
    maxLoadAttempts: options.maxLoadAttempts ?? 3,
    retryDelaysMs: options.retryDelaysMs ?? [250, 1_000, 3_000],
    loadTimeoutMs: options.loadTimeoutMs ?? 60_000,
    maxCrashes: options.maxCrashes ?? 5,
    crashWindowMs: options.crashWindowMs ?? 60_000,
    coolDownMs: options.coolDownMs?.length
      ? options.coolDownMs
      : [30_000, 60_000, 120_000, 300_000],
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 2_000,
    logLevel: options.logLevel ?? -1,
  };
}
