/**
 * The renderer's typed view of the engine, on top of either carrier. Replies
 * are validated against the contract's result schema and events against the
 * event schema before anything in the renderer sees them.
 */
import {
  decodeAudioFrame,
  encodeAudioFrame,
  engineToRendererSchema,
  eventSchema,
  modelUploadReplySchema,
  requestSchemas,
  type AudioFrame,
  type CarrierStatus,
  type EngineEvent,
  type ErrorCode,
  type ErrorParams,
  type ErrorReason,
  type LotseBridge,
  type Method,
  type ModelDialogRequest,
  type PageFile,
  type Params,
  type Result,
} from '../../electron/contract';

/**
 * A request the engine refused or never answered: the kind of failure, the
 * contract's reason and its params (worded on screen by renderer/i18n), and
 * the engine's English message for the log.
 */
export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(
    readonly code: ErrorCode | 'timeout' | 'invalid_reply' | 'disconnected',
    message: string,
    readonly reason?: ErrorReason,
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

interface Pending {
  method: Method;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly audioListeners = new Set<(frame: AudioFrame) => void>();
  private readonly statusListeners = new Set<(status: CarrierStatus) => void>();
  private readonly problemListeners = new Set<(problem: string) => void>();
  status: CarrierStatus = 'connecting';

  constructor(private readonly bridge: LotseBridge) {
    bridge.onMessage((message) => this.receive(message));
    bridge.onAudio((buffer) => {
      let frame: AudioFrame;
      try {
        frame = decodeAudioFrame(buffer);
      } catch (error) {
        this.problem(`audio frame from engine rejected: ${(error as Error).message}`);
        return;
      }
      this.audioListeners.forEach((l) => l(frame));
    });
    bridge.onStatus((status) => {
      this.status = status;
      if (status === 'closed') {
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new EngineRequestError('disconnected', `engine went away during ${p.method}`));
          this.pending.delete(id);
        }
      }
      this.statusListeners.forEach((l) => l(status));
    });
  }

  request<M extends Method>(method: M, params: Params<M>, timeoutMs = 10_000): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new EngineRequestError(
            'timeout',
            `engine did not answer ${method} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.bridge.send({ t: 'req', id, method, params });
    });
  }

  sendAudio(frame: AudioFrame): void {
    this.bridge.sendAudio(encodeAudioFrame(frame));
  }

  /**
   * How a speech model file reaches the engine on this carrier: the desktop
   * shell's open dialog ('dialog', then models.import with the path), an
   * upload of the file the person chose in the page ('upload', web mode), or
   * only a path typed by hand ('path').
   */
  get modelFileAccess(): 'dialog' | 'upload' | 'path' {
    if (this.bridge.chooseModelPath) return 'dialog';
    if (this.bridge.uploadModel) return 'upload';
    return 'path';
  }

  /** The shell's open dialog for a model zip or folder: the chosen path, or null (cancelled). */
  async chooseModelPath(request: ModelDialogRequest): Promise<string | null> {
    if (!this.bridge.chooseModelPath)
      throw new EngineRequestError('unavailable', 'no open dialog on this carrier');
    return this.bridge.chooseModelPath(request);
  }

  /**
   * Uploads a model zip to the engine, which imports it (web mode); the
   * installed model, or an EngineRequestError worded like a request's.
   */
  async uploadModel(file: PageFile, name: string): Promise<Result<'models.import'>> {
    if (!this.bridge.uploadModel)
      throw new EngineRequestError('unavailable', 'no model upload on this carrier');
    let raw: unknown;
    try {
      raw = await this.bridge.uploadModel(file, name);
    } catch (error) {
      throw new EngineRequestError(
        'disconnected',
        `model upload failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const reply = modelUploadReplySchema.safeParse(raw);
    if (!reply.success)
      throw new EngineRequestError(
        'invalid_reply',
        "engine's answer to the model upload is malformed",
      );
    if (!reply.data.ok) {
      const { code, message, reason, params } = reply.data.error;
      throw new EngineRequestError(code, message, reason, params);
    }
    return reply.data.result;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onAudio(listener: (frame: AudioFrame) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onStatus(listener: (status: CarrierStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Malformed traffic from the engine: reported, never thrown into the UI. */
  onProblem(listener: (problem: string) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  private problem(text: string): void {
    this.problemListeners.forEach((l) => l(text));
  }

  private receive(message: unknown): void {
    const envelope = engineToRendererSchema.safeParse(message);
    if (!envelope.success) {
      this.problem('malformed message from engine ignored');
      return;
    }
    const data = envelope.data;
    if (data.t === 'evt') {
      const event = eventSchema.safeParse({ event: data.event, data: data.data });
      if (!event.success) {
        this.problem(`malformed "${data.event}" event from engine ignored`);
        return;
      }
      this.eventListeners.forEach((l) => l(event.data));
      return;
    }
    const pending = this.pending.get(data.id);
    if (!pending) {
      // Answered twice, or after it timed out: nothing waits for it any more.
      this.problem(`reply to request ${data.id} ignored: no request waits for it`);
      return;
    }
    this.pending.delete(data.id);
    clearTimeout(pending.timer);
    if (!data.ok) {
      const { code, message, reason, params } = data.error;
      pending.reject(new EngineRequestError(code, message, reason, params));
      return;
    }
    const result = requestSchemas[pending.method].result.safeParse(data.result);
    if (!result.success) {
      pending.reject(
        new EngineRequestError('invalid_reply', `engine's reply to ${pending.method} is malformed`),
      );
      return;
    }
    pending.resolve(result.data);
  }
}
