/**
 * The engine's side of the voice thread (voice-worker.ts): sentences in, PCM
 * out, without the engine's event loop ever waiting for the synthesiser.
 *
 * Requests are answered in order (the thread speaks one sentence at a time).
 * If the thread dies (an error inside the WebAssembly module, out of memory),
 * what was asked of it fails with the reason and the next request starts a
 * new thread; a voice that cannot be created at all fails every request with
 * that reason instead of hanging.
 */
import { Worker } from 'node:worker_threads';
import type { FromVoiceThread, ToVoiceThread, VoiceThreadData } from './voice-protocol';

export class VoiceThreadError extends Error {
  override readonly name = 'VoiceThreadError';
}

interface Pending {
  resolve: (pcm: Int16Array) => void;
  reject: (error: Error) => void;
}

interface Running {
  worker: Worker;
  ready: Promise<Loaded>;
}

export interface VoiceThreadOptions extends VoiceThreadData {
  /** The thread's script: dist/electron/voice-worker.cjs in the app. */
  workerPath: string;
  /** The synthesiser's own diagnostic lines. */
  log?: (line: string) => void;
  /** A thread stopped unexpectedly (logged by the owner). */
  onExit?: (reason: string) => void;
}

type Loaded = { sampleRate: number };

export class VoiceThread {
  private running?: Running;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private loaded?: Loaded;

  private constructor(private readonly options: VoiceThreadOptions) {}

  /** Starts the thread and waits until its voice is loaded. */
  static async start(options: VoiceThreadOptions): Promise<VoiceThread> {
    const voice = new VoiceThread(options);
    voice.loaded = await voice.thread().ready;
    return voice;
  }

  get sampleRate(): number {
    return this.loaded?.sampleRate ?? 0;
  }

  /** One sentence at `rate`; rejects with the thread's error (RangeError for a bad rate). */
  async speak(sentence: string, rate: number): Promise<Int16Array> {
    if (this.closed) throw new VoiceThreadError('the voice has been closed');
    const { worker, ready } = this.thread();
    await ready;
    const id = this.nextId++;
    return new Promise<Int16Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'speak', id, sentence, rate } satisfies ToVoiceThread);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = undefined;
    this.failAll(new VoiceThreadError('the voice has been closed'));
    await running?.worker.terminate();
  }

  private thread(): Running {
    if (this.running) return this.running;
    const { workerPath, log, onExit: _onExit, ...data } = this.options;
    const worker = new Worker(workerPath, { workerData: data satisfies VoiceThreadData });
    // The voice alone does not keep the engine alive.
    worker.unref();
    let settle!: { resolve: (loaded: Loaded) => void; reject: (error: Error) => void };
    const ready = new Promise<Loaded>((resolve, reject) => (settle = { resolve, reject }));
    // A failed start is reported to whoever waits for it, never as unhandled.
    ready.catch(() => {});
    const running: Running = { worker, ready };
    this.running = running;
    const fail = (reason: string): void => {
      settle.reject(new VoiceThreadError(reason));
      this.stop(running, reason);
    };
    worker.on('message', (message: FromVoiceThread) => {
      switch (message.type) {
        case 'ready':
          settle.resolve({ sampleRate: message.sampleRate });
          break;
        case 'failed':
          fail(`the voice could not be loaded: ${message.message}`);
          break;
        case 'log':
          log?.(message.line);
          break;
        case 'pcm':
          this.take(message.id)?.resolve(message.pcm);
          break;
        case 'error':
          this.take(message.id)?.reject(
            message.name === 'RangeError'
              ? new RangeError(message.message)
              : new Error(message.message),
          );
          break;
      }
    });
    worker.on('error', (error) => fail(`the voice thread failed: ${error.message}`));
    worker.on('exit', (code) => fail(`the voice thread stopped (exit code ${code})`));
    return running;
  }

  /** The thread is gone: what it owed fails; the next request starts a new one. */
  private stop(running: Running, reason: string): void {
    if (this.running !== running) return;
    this.running = undefined;
    void running.worker.terminate();
    this.failAll(new VoiceThreadError(reason));
    // A voice that never loaded is reported by whoever waits for it.
    if (!this.closed && this.loaded) this.options.onExit?.(reason);
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach((p) => p.reject(error));
  }
}
