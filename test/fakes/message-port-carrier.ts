/**
 * The desktop app's carrier in one process, for unit tests: a real
 * MessageChannel (node:worker_threads) between the engine and a LotseBridge,
 * wired on the engine's side as electron/engine/utility-main.ts wires its
 * port (ArrayBuffers and views are audio, anything else a message) and on
 * the window's side as electron/preload/preload.ts does (structured clones,
 * transferred audio, request envelopes checked before they go). `rawPort`
 * is the window's end without the preload's checks: what a broken or
 * hostile renderer could post. Never used by the app.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { CarrierStatus, LotseBridge, RequestEnvelope } from '../../electron/contract';
import type { Engine } from '../../electron/engine/core/engine';

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** The preload's check of what the renderer sends (electron/preload/preload.ts). */
function isRequestEnvelope(value: unknown): value is RequestEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RequestEnvelope>;
  return (
    candidate.t === 'req' &&
    typeof candidate.id === 'number' &&
    Number.isInteger(candidate.id) &&
    candidate.id >= 0 &&
    typeof candidate.method === 'string' &&
    candidate.method.length <= 100
  );
}

export class MessagePortCarrier implements LotseBridge {
  /** The window's end of the channel, without the preload's checks. */
  readonly rawPort: MessagePort;
  private readonly enginePort: MessagePort;
  private readonly messageListeners = new Set<(message: unknown) => void>();
  private readonly audioListeners = new Set<(frame: ArrayBuffer) => void>();
  private readonly statusListeners = new Set<(status: CarrierStatus) => void>();

  constructor(engine: Engine, label = 'desktop window (test)') {
    const { port1, port2 } = new MessageChannel();
    this.enginePort = port1;
    this.rawPort = port2;
    const handle = engine.attach({
      label,
      sendMessage: (message) => port1.postMessage(message),
      sendAudio: (frame) => port1.postMessage(frame, [frame]),
    });
    port1.on('message', (data: unknown) => {
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) handle.onAudio(data);
      else handle.onMessage(data);
    });
    port1.on('close', () => handle.onClose());
    port2.on('message', (data: unknown) => {
      if (isArrayBuffer(data)) this.audioListeners.forEach((l) => l(data));
      else this.messageListeners.forEach((l) => l(data));
    });
    queueMicrotask(() => this.statusListeners.forEach((l) => l('open')));
  }

  send(message: RequestEnvelope): void {
    if (!isRequestEnvelope(message)) throw new TypeError('lotse.send: not a request envelope');
    this.rawPort.postMessage(message);
  }

  sendAudio(frame: ArrayBuffer): void {
    if (!isArrayBuffer(frame)) throw new TypeError('lotse.sendAudio: frame must be an ArrayBuffer');
    this.rawPort.postMessage(frame, [frame]);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onAudio(listener: (frame: ArrayBuffer) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onStatus(listener: (status: CarrierStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The window goes away: both ends close, the engine forgets the connection. */
  close(): void {
    this.rawPort.close();
    this.enginePort.close();
  }
}
