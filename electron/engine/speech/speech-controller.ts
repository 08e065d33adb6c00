/**
 * Keeps speech recognition running on whichever model is active. It is the
 * SpeechBackend the live transcription talks to: when the agent installs or
 * activates another model, the old speech process is stopped, a new one is
 * started on the new model and every open stream is opened again; without a
 * model, status says so ("no_model") and audio is dropped.
 */
import type { SpeechStatus } from '../../contract';
import type { SpeechBackend } from '../transcript/live-transcription';
import {
  SpeechService,
  type FinalEvent,
  type OpenStreamOptions,
  type PartialEvent,
  type SpeechLog,
} from './speech-service';

export interface SpeechControllerOptions {
  workerPath: string;
  log: SpeechLog;
  /** Per-stream defaults (endpointing for a live call). */
  streamOptions?: OpenStreamOptions;
}

export class SpeechController implements SpeechBackend {
  private service?: SpeechService;
  private modelPath?: string;
  private current: SpeechStatus = { state: 'no_model' };
  private readonly streams = new Map<string, OpenStreamOptions>();
  private readonly statusListeners = new Set<(s: SpeechStatus) => void>();
  private readonly partialListeners = new Set<(e: PartialEvent) => void>();
  private readonly finalListeners = new Set<(e: FinalEvent) => void>();

  constructor(private readonly options: SpeechControllerOptions) {}

  get status(): SpeechStatus {
    return this.current;
  }

  get workerPid(): number | undefined {
    return this.service?.workerPid;
  }

  /** Switch to a model (or to none). Resolves when the new model is ready or has failed. */
  async useModel(modelPath: string | null): Promise<void> {
    if (modelPath === this.modelPath) return;
    const old = this.service;
    this.service = undefined;
    this.modelPath = modelPath ?? undefined;
    if (old) await old.stop().catch(() => undefined);
    if (!modelPath) {
      this.setStatus({ state: 'no_model' });
      return;
    }
    const service = new SpeechService({
      workerPath: this.options.workerPath,
      modelPath,
      log: this.options.log,
    });
    this.service = service;
    service.onStatus((status) => {
      if (this.service === service) this.setStatus(status);
    });
    service.onPartial((event) => {
      if (this.service === service) this.partialListeners.forEach((l) => l(event));
    });
    service.onFinal((event) => {
      if (this.service === service) this.finalListeners.forEach((l) => l(event));
    });
    for (const [id, options] of this.streams) service.openStream(id, options);
    try {
      await service.start();
    } catch (error) {
      this.options.log.error(`speech recognition could not start: ${(error as Error).message}`);
    }
  }

  /** Options on top of the per-stream defaults (streamOptions). */
  openStream(streamId: string, options: OpenStreamOptions = {}): void {
    if (this.streams.has(streamId)) return;
    const merged = { ...this.options.streamOptions, ...options };
    this.streams.set(streamId, merged);
    this.service?.openStream(streamId, merged);
  }

  pushAudio(streamId: string, samples: Int16Array): void {
    if (!this.streams.has(streamId) || !this.service) return;
    try {
      this.service.pushAudio(streamId, samples);
    } catch (error) {
      // Bad audio must never reach back into the call path.
      this.options.log.warn(`audio for ${streamId} rejected: ${(error as Error).message}`);
    }
  }

  /** New settings for an open stream (endpointing per dialogue step); kept across restarts. */
  configureStream(streamId: string, options: OpenStreamOptions): void {
    const current = this.streams.get(streamId);
    if (!current) return;
    const merged: OpenStreamOptions = {
      ...current,
      ...options,
      ...(options.endpoint ? { endpoint: { ...current.endpoint, ...options.endpoint } } : {}),
    };
    this.streams.set(streamId, merged);
    try {
      this.service?.configureStream(streamId, options);
    } catch (error) {
      this.options.log.warn(`stream ${streamId} not reconfigured: ${(error as Error).message}`);
    }
  }

  /** Resolves once the stream's last final has come (or none will): SpeechService.closeStream. */
  closeStream(streamId: string): Promise<void> {
    if (!this.streams.delete(streamId)) return Promise.resolve();
    return this.service?.closeStream(streamId) ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    if (service) await service.stop();
  }

  onStatus(listener: (status: SpeechStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onPartial(listener: (event: PartialEvent) => void): () => void {
    this.partialListeners.add(listener);
    return () => this.partialListeners.delete(listener);
  }

  onFinal(listener: (event: FinalEvent) => void): () => void {
    this.finalListeners.add(listener);
    return () => this.finalListeners.delete(listener);
  }

  private setStatus(status: SpeechStatus): void {
    this.current = status;
    this.statusListeners.forEach((l) => l(status));
  }
}
