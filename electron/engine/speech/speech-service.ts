/**
 * The engine's speech recognition: runs the speech worker (libvosk) as a child
 * process and keeps streams going across its crashes.
 *
 *   off ──start()──▶ starting ──ready──▶ ready ──worker died / hung──▶ down ──ready──▶ ready
 *                       │                                                │  ▲
 *                       │                        too many crashes ───────┘  │ cool-down over
 *                       │                        (down, 'speech_cooling_down') ─┘
 *                       └──model unusable / dies loading before it ever worked──▶ failed
 *
 * Why so much care about restarts: a libvosk assertion kills the worker
 * mid-call. The caller must not notice more than a short gap, so the service
 * keeps every open stream's settings and stream time, re-opens the streams in
 * the new worker, and feeds it the audio that arrived meanwhile (up to
 * maxBufferMs per stream; older audio is dropped and counted). Stream time
 * stays continuous: the new worker is told the stream time it continues from.
 *
 * A model that cannot load is not a crash to restart from: the folder is
 * checked first (clear message, no worker at all), libvosk's NULL is final at
 * once, and a worker that dies while loading is retried only a few times
 * with growing pauses, then 'failed'.
 *
 * A worker that worked and then crashes again and again (more than
 * maxCrashes within crashWindowMs: a recording that kills libvosk each time)
 * is not restarted at once any more: recognition pauses for a cool-down
 * (coolDownMs: 30 s, then 1, 2, 5 min; back to 30 s once a worker stayed up
 * for crashWindowMs) and then tries again. Status says so ('down' with the
 * reason 'speech_cooling_down'), so the desk is never silently left without
 * recognition until the app restarts.
 *
 * A worker that hangs (stuck in native code, or stopped) does not exit, so
 * the service pings it (heartbeatIntervalMs, 1 s) once it is ready; when
 * nothing has come from it for heartbeatTimeoutMs (2 s) although it was
 * pinged, the worker is killed and handled like a crash. Every message from
 * the worker is checked against the protocol's schema; one that does not fit
 * is a fault of the same kind.
 *
 * The worker gets a minimal environment (workerEnvironment): the path,
 * locale, home and temporary folders, nothing else – no case-system token
 * and no other secret of the engine reaches the process that parses model
 * files and audio.
 *
 * This file is the service and the worker's lifecycle; its parts live next
 * to it: restart-policy.ts (restart, pause, cool-down or give up),
 * worker-heartbeat.ts (the hung check), worker-environment.ts,
 * worker-output.ts (the worker's log lines, libvosk's last complaint),
 * open-stream.ts (a stream's settings, stream time and buffered audio) and
 * speech-options.ts (the options and their defaults).
 */
import { fork, type ChildProcess } from 'node:child_process';
import {
  modelErrorCodeSchema,
  reasonOf,
  type ReasonedError,
  type SpeechStatus,
} from '../../contract';
import { checkModelFolder } from '../models/model-folder';
import {
  parseFromWorker,
  SAMPLE_RATE,
  type FinalEvent,
  type FromWorker,
  type PartialEvent,
  type ToWorker,
  type WorkerStats,
} from './speech-protocol';
import {
  newStreamSettings,
  OpenStream,
  streamSettingsFrom,
  type OpenStreamOptions,
} from './open-stream';
import { RestartPolicy } from './restart-policy';
import {
  resolveSpeechOptions,
  type ResolvedSpeechOptions,
  type SpeechLog,
  type SpeechServiceOptions,
} from './speech-options';
import { WorkerHeartbeat } from './worker-heartbeat';
import { workerEnvironment } from './worker-environment';
import { WorkerOutput } from './worker-output';

export { workerEnvironment } from './worker-environment';
export type { OpenStreamOptions } from './open-stream';
export type { SpeechLog, SpeechServiceOptions } from './speech-options';
export type { FinalEvent, PartialEvent, WorkerStats } from './speech-protocol';
export type { EndpointSettings, TurnEndReason } from './endpointer';

export interface SpeechServiceMetrics {
  /** Model load time inside the worker, last start. */
  modelLoadMs?: number;
  /** Worker exit → new worker ready, last restart. */
  lastRestartMs?: number;
  restarts: number;
  /** Audio dropped per stream because the worker was down too long. */
  droppedMs: Record<string, number>;
}

type Listener<T> = (event: T) => void;

const SILENT_LOG: SpeechLog = { debug() {}, info() {}, warn() {}, error() {} };

export class SpeechService {
  private readonly options: ResolvedSpeechOptions;
  private readonly log: SpeechLog;
  private statusValue: SpeechStatus = { state: 'off' };
  private child: ChildProcess | undefined;
  private childReady = false;
  private stopping = false;
  private fatalMessage: string | undefined;
  /** The worker's code for it ('invalid_model', 'wrong_sample_rate', 'library' …). */
  private fatalCode: string | undefined;
  /** Restart, pause, cool down or give up when the worker dies. */
  private readonly restartPolicy: RestartPolicy;
  private stableTimer: NodeJS.Timeout | undefined;
  /** Pings the ready worker and finds it when it hangs. */
  private readonly heartbeat: WorkerHeartbeat;
  /** Why the service killed the current worker itself (hung, invalid message), for the log. */
  private killedFor: string | undefined;
  private downSince: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private loadTimer: NodeJS.Timeout | undefined;
  /** The worker's stdout and stderr, in lines; the last ones explain a death. */
  private readonly output = new WorkerOutput();
  private readonly streams = new Map<string, OpenStream>();
  private readonly statusListeners = new Set<Listener<SpeechStatus>>();
  private readonly partialListeners = new Set<Listener<PartialEvent>>();
  private readonly finalListeners = new Set<Listener<FinalEvent>>();
  /** Closes the worker has not confirmed yet ('closed'), per stream, oldest first. */
  private readonly closing = new Map<string, (() => void)[]>();
  private pendingStats: ((stats: WorkerStats) => void)[] = [];
  private startWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly metrics: SpeechServiceMetrics = { restarts: 0, droppedMs: {} };

  constructor(options: SpeechServiceOptions) {
    this.log = options.log ?? SILENT_LOG;
    this.options = resolveSpeechOptions(options);
    this.restartPolicy = new RestartPolicy(this.options);
    this.heartbeat = new WorkerHeartbeat({
      intervalMs: this.options.heartbeatIntervalMs,
      timeoutMs: this.options.heartbeatTimeoutMs,
    });
  }

  get status(): SpeechStatus {
    return this.statusValue;
  }

  onStatus(listener: Listener<SpeechStatus>): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onPartial(listener: Listener<PartialEvent>): () => void {
    this.partialListeners.add(listener);
    return () => this.partialListeners.delete(listener);
  }

  onFinal(listener: Listener<FinalEvent>): () => void {
    this.finalListeners.add(listener);
    return () => this.finalListeners.delete(listener);
  }

  /**
   * Starts the worker and loads the model. Resolves when it is ready; rejects
   * with the reason when the service ends up 'failed'.
   */
  start(): Promise<void> {
    if (this.statusValue.state === 'ready') return Promise.resolve();
    const done = new Promise<void>((resolve, reject) =>
      this.startWaiters.push({ resolve, reject }),
    );
    if (this.child || this.retryTimer) return done;
    this.stopping = false;
    this.fatalMessage = undefined;
    this.fatalCode = undefined;
    this.restartPolicy.reset();
    try {
      checkModelFolder(this.options.modelPath);
    } catch (error) {
      this.fail((error as Error).message, reasonOf(error));
      return done;
    }
    this.setStatus({ state: 'starting' });
    this.spawn();
    return done;
  }

  /** Stops the worker; open streams are forgotten. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.loadTimer);
    this.heartbeat.stop();
    clearTimeout(this.stableTimer);
    this.retryTimer = undefined;
    this.streams.clear();
    this.settleCloses();
    const child = this.child;
    this.child = undefined;
    this.childReady = false;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Closing the channel lets the worker exit by itself; kill if it does not.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    }
    if (this.statusValue.state !== 'failed') this.setStatus({ state: 'off' });
    this.rejectWaiters(new Error('speech service stopped'));
  }

  openStream(streamId: string, options: OpenStreamOptions = {}): void {
    if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200)
      throw new TypeError('streamId must be a non-empty string of at most 200 characters');
    if (this.streams.has(streamId)) throw new Error(`stream ${streamId} is already open`);
    const stream = new OpenStream(newStreamSettings(options), options.startMs ?? 0);
    this.streams.set(streamId, stream);
    if (this.childReady) this.openInWorker(streamId, stream);
  }

  configureStream(streamId: string, options: OpenStreamOptions): void {
    const stream = this.requireStream(streamId);
    stream.settings = streamSettingsFrom(stream.settings, options);
    if (this.childReady && stream.inWorker) {
      this.sendToWorker({
        type: 'configure',
        streamId,
        ...(options.grammar !== undefined ? { grammar: stream.settings.grammar } : {}),
        ...(options.endpoint ? { endpoint: stream.settings.endpoint } : {}),
        ...(options.partialIntervalMs !== undefined
          ? { partialIntervalMs: stream.settings.partialIntervalMs }
          : {}),
        ...(options.maxAlternatives !== undefined
          ? { maxAlternatives: stream.settings.maxAlternatives }
          : {}),
      });
    }
  }

  /** 16 kHz mono int16 PCM, in chunks of at most maxChunkMs. */
  pushAudio(streamId: string, samples: Int16Array): void {
    if (!(samples instanceof Int16Array))
      throw new TypeError(`audio for ${streamId} must be an Int16Array of 16 kHz PCM`);
    const maxSamples = (this.options.maxChunkMs * SAMPLE_RATE) / 1000;
    if (samples.length === 0 || samples.length > maxSamples)
      throw new RangeError(
        `audio chunk for ${streamId} has ${samples.length} samples; 1 to ${maxSamples} expected`,
      );
    const stream = this.requireStream(streamId);
    if (this.childReady && stream.inWorker) {
      this.sendToWorker({ type: 'audio', streamId, samples });
      stream.sent(samples.length);
      return;
    }
    // Down (or starting): keep the newest audio; the oldest goes first.
    if (stream.keep(samples, this.options.maxBufferMs))
      this.metrics.droppedMs[streamId] = stream.droppedMs;
  }

  /**
   * Ends the stream; an open turn is flushed and still arrives as a final.
   * Resolves once it has: the worker confirms the close ('closed') after
   * that final. At once when no worker has the stream (nothing to flush), and
   * as soon as the worker dies or the service stops (no final will come).
   * Never rejects; how long to wait for a worker that hangs is the caller's
   * choice (the heartbeat kills it within a few seconds anyway).
   */
  closeStream(streamId: string): Promise<void> {
    const stream = this.streams.get(streamId);
    if (!stream) return Promise.resolve();
    this.streams.delete(streamId);
    const child = this.child;
    if (!this.childReady || !stream.inWorker || !child?.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.closing.get(streamId) ?? [];
      waiting.push(resolve);
      this.closing.set(streamId, waiting);
      this.sendTo(child, { type: 'close', streamId });
    });
  }

  /** CPU use of the worker and audio per stream (for measurements and the status page). */
  workerStats(): Promise<WorkerStats> {
    if (!this.childReady) return Promise.reject(new Error('speech worker is not running'));
    return new Promise((resolve) => {
      this.pendingStats.push(resolve);
      this.sendToWorker({ type: 'stats' });
    });
  }

  /** Process id of the current worker (tests kill it to check recovery). */
  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  private requireStream(streamId: string): OpenStream {
    const stream = this.streams.get(streamId);
    if (!stream) throw new Error(`speech stream ${streamId} is not open`);
    return stream;
  }

  /** Opens the stream in the current worker at its stream time and hands it the kept audio. */
  private openInWorker(streamId: string, stream: OpenStream): void {
    this.sendToWorker({
      type: 'open',
      streamId,
      startMs: stream.resumeAtMs,
      settings: stream.settings,
    });
    stream.inWorker = true;
    for (const samples of stream.takeKept())
      this.sendToWorker({ type: 'audio', streamId, samples });
  }

  private spawn(): void {
    this.childReady = false;
    this.killedFor = undefined;
    this.output.clear();
    let child: ChildProcess;
    try {
      child = fork(this.options.workerPath, [], {
        execPath: this.options.execPath,
        execArgv: this.options.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Minimal: no secret of the engine's environment (workerEnvironment).
        env: workerEnvironment(this.options.baseEnv, this.options.env),
      });
    } catch (error) {
      this.fail(`speech worker could not be started: ${(error as Error).message}`);
      return;
    }
    this.child = child;
    child.on('message', (raw: unknown) => {
      if (this.child !== child || this.killedFor) return;
      const parsed = parseFromWorker(raw);
      if (!parsed.ok) {
        this.killWorker(child, `it sent an invalid message (${parsed.problem})`);
        return;
      }
      this.heartbeat.heard();
      this.onWorkerMessage(parsed.message);
    });
    child.on('error', (error) => this.log.error(`speech worker: ${error.message}`));
    child.on('exit', (code, signal) => this.onWorkerExit(child, code, signal));
    const lines = (level: 'debug' | 'warn') =>
      this.output.lines((line) =>
        this.log[/^LOG \(/.test(line) ? 'debug' : level](`speech worker: ${line}`),
      );
    child.stdout?.on('data', lines('debug'));
    child.stderr?.on('data', lines('warn'));
    this.loadTimer = setTimeout(() => {
      this.log.error(`speech worker not ready after ${this.options.loadTimeoutMs} ms: killing it`);
      child.kill('SIGKILL');
    }, this.options.loadTimeoutMs);
    this.sendTo(child, {
      type: 'load',
      modelPath: this.options.modelPath,
      logLevel: this.options.logLevel,
    });
  }

  private onWorkerMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready': {
        clearTimeout(this.loadTimer);
        this.childReady = true;
        this.restartPolicy.workerReady();
        this.startHeartbeat();
        clearTimeout(this.stableTimer);
        // Up for a whole crash window: the next crash loop starts at the shortest cool-down.
        this.stableTimer = setTimeout(
          () => this.restartPolicy.workerStayedUp(),
          this.options.crashWindowMs,
        );
        this.stableTimer.unref?.();
        this.metrics.modelLoadMs = message.modelLoadMs;
        if (this.downSince !== undefined) {
          this.metrics.lastRestartMs = Math.round(performance.now() - this.downSince);
          this.metrics.restarts++;
          this.log.info(`speech worker back after ${this.metrics.lastRestartMs} ms`);
          this.downSince = undefined;
        }
        this.log.info(
          `speech model ready in ${message.modelLoadMs} ms (${message.libraryPath}${
            message.grammarSupported ? '' : '; this model has no runtime grammars'
          })`,
        );
        for (const [id, stream] of this.streams) this.openInWorker(id, stream);
        this.setStatus({ state: 'ready', model: this.options.modelPath });
        for (const waiter of this.startWaiters.splice(0)) waiter.resolve();
        return;
      }
      case 'partial': {
        const { type: _type, ...event } = message;
        for (const listener of this.partialListeners) this.safely(() => listener(event));
        return;
      }
      case 'final': {
        const { type: _type, ...event } = message;
        for (const listener of this.finalListeners) this.safely(() => listener(event));
        return;
      }
      case 'stats': {
        const { type: _type, ...stats } = message;
        this.pendingStats.shift()?.(stats);
        return;
      }
      case 'closed': {
        // The stream's last final (if any) came before this: its close is done.
        const waiting = this.closing.get(message.streamId);
        waiting?.shift()?.();
        if (waiting?.length === 0) this.closing.delete(message.streamId);
        return;
      }
      case 'pong':
        return;
      case 'log':
        this.log[message.level](`speech worker: ${message.message}`);
        return;
      case 'error': {
        if (message.fatal) {
          // The worker exits when we close it; no restart for a model that cannot work.
          this.fatalMessage = message.message;
          this.fatalCode = message.code;
          this.child?.kill('SIGKILL');
        } else {
          this.log.warn(
            `speech worker${message.streamId ? ` (stream ${message.streamId})` : ''}: ${message.message}`,
          );
        }
        return;
      }
    }
  }

  private onWorkerExit(child: ChildProcess, code: number | null, signal: string | null): void {
    if (this.child !== child) return;
    clearTimeout(this.loadTimer);
    clearTimeout(this.stableTimer);
    this.heartbeat.stop();
    const wasReady = this.childReady;
    const killedFor = this.killedFor;
    this.killedFor = undefined;
    this.child = undefined;
    this.childReady = false;
    for (const stream of this.streams.values()) stream.inWorker = false;
    // The closes it had not confirmed: their finals went with it.
    this.settleCloses();
    for (const resolve of this.pendingStats.splice(0))
      resolve({ cpuUserMs: 0, cpuSystemMs: 0, audioMs: {}, processingMs: {} });
    if (this.stopping) return;
    if (this.fatalMessage) {
      const reason = modelErrorCodeSchema.safeParse(this.fatalCode);
      this.fail(this.fatalMessage, reason.success ? { reason: reason.data } : undefined);
      return;
    }
    const how = killedFor
      ? `killed: ${killedFor}`
      : signal
        ? `signal ${signal}`
        : `exit code ${String(code)}`;
    const detail = killedFor ? '' : this.output.lastComplaint();
    this.downSince ??= performance.now();
    const decision = this.restartPolicy.afterExit(wasReady, Date.now());
    switch (decision.action) {
      case 'cool-down':
        this.coolDown(`${how}${detail}`, decision.delayMs, decision.crashes);
        return;
      case 'restart':
      case 'retry':
        this.log.warn(`speech worker died (${how}${detail}); restarting`);
        this.setStatus({ state: 'down', message: `speech worker died (${how}); restarting` });
        if (decision.action === 'restart') this.spawn();
        // It died again while loading: not at once, a short pause first.
        else this.retryAfter(decision.delayMs);
        return;
      case 'give-up':
        this.fail(
          `speech model ${this.options.modelPath} could not be loaded: the speech worker died ${decision.loadFailures} times while loading it (last: ${how}${detail})`,
        );
        return;
      case 'load-retry':
        this.log.warn(
          `speech worker died while loading the model (${how}${detail}); retry in ${decision.delayMs} ms`,
        );
        this.setStatus({
          state: 'down',
          message: `speech worker died while loading (${how}); retrying`,
        });
        this.retryAfter(decision.delayMs);
        return;
    }
  }

  /**
   * Too many crashes in a row: no worker for a while, then a new try. Audio
   * keeps arriving meanwhile; the newest maxBufferMs of it wait per stream.
   */
  private coolDown(last: string, delay: number, crashes: number): void {
    const seconds = Math.round(delay / 100) / 10;
    const message = `speech worker crashed ${crashes} times within ${this.options.crashWindowMs / 1000} s (last: ${last}); recognition paused, next try in ${seconds} s`;
    this.log.error(message);
    this.setStatus({
      state: 'down',
      message,
      reason: 'speech_cooling_down',
      params: { crashes, seconds },
    });
    this.retryAfter(delay, () => {
      this.log.info('speech cool-down over: starting the speech worker again');
      this.setStatus({ state: 'down', message: 'speech worker restarting after a cool-down' });
    });
  }

  private retryAfter(delay: number, before?: () => void): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopping) return;
      before?.();
      this.spawn();
    }, delay);
  }

  /** Watches the ready worker; a hung one is killed (its exit restarts it). */
  private startHeartbeat(): void {
    const child = this.child;
    if (!child) {
      this.heartbeat.stop();
      return;
    }
    this.heartbeat.start({
      watching: () => this.child === child && this.childReady && !this.killedFor,
      ping: (seq) => this.sendTo(child, { type: 'ping', seq }),
      hung: (silentMs) =>
        this.killWorker(child, `it did not answer for ${Math.round(silentMs)} ms (hung)`),
    });
  }

  /** A worker fault the exit does not show by itself: say why, kill it; the exit restarts. */
  private killWorker(child: ChildProcess, why: string): void {
    if (this.killedFor) return;
    this.killedFor = why;
    this.heartbeat.stop();
    this.log.error(`speech worker (pid ${child.pid ?? '?'}) killed: ${why}`);
    // SIGKILL also ends a stopped (SIGSTOP) process.
    child.kill('SIGKILL');
  }

  private fail(message: string, detail?: ReasonedError): void {
    this.log.error(message);
    this.setStatus({
      state: 'failed',
      message,
      ...(detail ? { reason: detail.reason } : {}),
      ...(detail?.params ? { params: detail.params } : {}),
    });
    this.rejectWaiters(new Error(message));
  }

  /** Every close still waiting for the worker is done (it died, or the service stops). */
  private settleCloses(): void {
    const waiting = [...this.closing.values()].flat();
    this.closing.clear();
    for (const resolve of waiting) resolve();
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.startWaiters.splice(0)) waiter.reject(error);
  }

  private setStatus(status: SpeechStatus): void {
    this.statusValue = status;
    for (const listener of this.statusListeners) this.safely(() => listener(status));
  }

  private sendToWorker(message: ToWorker): void {
    if (this.child) this.sendTo(this.child, message);
  }

  private sendTo(child: ChildProcess, message: ToWorker): void {
    if (!child.connected) return;
    try {
      child.send(message);
    } catch (error) {
      // The worker just died; its exit handler takes over.
      this.log.debug(`speech worker send failed: ${(error as Error).message}`);
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error(`speech listener failed: ${(error as Error).message}`);
    }
  }
}
