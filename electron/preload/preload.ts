/**
 * The preload: exposes exactly one object, `window.lotse`, typed by the
 * contract's LotseBridge, and nothing raw (no ipcRenderer, no channel names,
 * no port). Sandboxed: only 'electron' is required at run time, the rest is
 * bundled.
 *
 * The carrier is a MessagePort straight to the engine utility process. The
 * main process hands one over on IPC_CHANNELS.enginePort after this preload
 * asks for it, and a new one after every engine restart;
 * IPC_CHANNELS.engineStatus = 'closed' says the engine is gone. The port is
 * kept here, private:
 *
 *   connecting --port--> open --closed--> closed --port--> open ...
 *                          \-----------port (replaced)------/
 *
 * - Incoming ArrayBuffers are audio frames, everything else is a JSON
 *   envelope (the renderer validates both, see renderer/bridge).
 * - Requests sent while no port is open wait in a bounded queue (oldest
 *   dropped beyond MAX_QUEUED_REQUESTS); audio frames are dropped, because
 *   stale audio is worse than none.
 * - Audio frames are transferred, not copied, into the port.
 * - A status listener registered late is told the current state once, so a
 *   renderer that starts after the port arrived still learns it is open.
 *
 * Besides the carrier, one call to the shell: chooseModelPath, the system's
 * open dialog for a speech model (the main process shows it; the page gets
 * the chosen path and nothing else).
 *
 * The channel names are the contract's (electron/contract/ipc-channels.ts),
 * imported by path so that zod and the schemas stay out of this bundle.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CarrierStatus, LotseBridge, ModelDialogRequest, RequestEnvelope } from '../contract';
import { ENGINE_CLOSED, IPC_CHANNELS, isModelDialogRequest } from '../contract/ipc-channels';

const MAX_QUEUED_REQUESTS = 100;

let port: MessagePort | undefined;
let status: CarrierStatus = 'connecting';
const queue: RequestEnvelope[] = [];
const messageListeners = new Set<(message: unknown) => void>();
const audioListeners = new Set<(frame: ArrayBuffer) => void>();
const statusListeners = new Set<(status: CarrierStatus) => void>();

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

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

/** Calls every listener; one throwing listener must not starve the others. */
function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (error) {
      console.error('[lotse preload] listener failed', error);
    }
  }
}

function setStatus(next: CarrierStatus): void {
  status = next;
  emit(statusListeners, next);
}

function subscribe<T>(
  listeners: Set<(value: T) => void>,
  listener: unknown,
  name: string,
): () => void {
  if (typeof listener !== 'function')
    throw new TypeError(`lotse.${name}: listener must be a function`);
  const typed = listener as (value: T) => void;
  listeners.add(typed);
  return () => {
    listeners.delete(typed);
  };
}

function closePort(): void {
  if (!port) return;
  port.onmessage = null;
  port.close();
  port = undefined;
}

function adoptPort(next: MessagePort): void {
  closePort();
  port = next;
  next.onmessage = (event: MessageEvent<unknown>) => {
    if (isArrayBuffer(event.data)) emit(audioListeners, event.data);
    else emit(messageListeners, event.data);
  };
  next.start();
  const waiting = queue.splice(0, queue.length);
  for (const message of waiting) next.postMessage(message);
  setStatus('open');
}

ipcRenderer.on(IPC_CHANNELS.enginePort, (event) => {
  const next = event.ports[0];
  if (next) adoptPort(next);
});

ipcRenderer.on(IPC_CHANNELS.engineStatus, (_event, value: unknown) => {
  if (value !== ENGINE_CLOSED) return;
  closePort();
  setStatus(ENGINE_CLOSED);
});

const bridge: LotseBridge = {
  send(message: RequestEnvelope): void {
    if (!isRequestEnvelope(message)) throw new TypeError('lotse.send: not a request envelope');
    if (port) {
      port.postMessage(message);
      return;
    }
    queue.push(message);
    if (queue.length > MAX_QUEUED_REQUESTS) {
      const dropped = queue.shift();
      console.warn(
        `[lotse preload] engine not connected; request ${dropped?.id} (${dropped?.method}) dropped`,
      );
    }
  },
  onMessage(listener) {
    return subscribe(messageListeners, listener, 'onMessage');
  },
  sendAudio(frame: ArrayBuffer): void {
    if (!isArrayBuffer(frame)) throw new TypeError('lotse.sendAudio: frame must be an ArrayBuffer');
    if (!port) return; // no engine: drop, never queue audio
    port.postMessage(frame, [frame]);
  },
  onAudio(listener) {
    return subscribe(audioListeners, listener, 'onAudio');
  },
  onStatus(listener) {
    const unsubscribe = subscribe(statusListeners, listener, 'onStatus');
    if (status !== 'connecting') {
      const current = status;
      queueMicrotask(() => {
        if (statusListeners.has(listener) && status === current) listener(current);
      });
    }
    return unsubscribe;
  },
  async chooseModelPath(request: ModelDialogRequest): Promise<string | null> {
    if (!isModelDialogRequest(request))
      throw new TypeError('lotse.chooseModelPath: not a model dialog request');
    const chosen: unknown = await ipcRenderer.invoke(IPC_CHANNELS.chooseModelPath, {
      kind: request.kind,
      title: request.title,
      filterName: request.filterName,
    });
    return typeof chosen === 'string' && chosen.length > 0 ? chosen : null;
  },
};

contextBridge.exposeInMainWorld('lotse', bridge);
ipcRenderer.send(IPC_CHANNELS.enginePortRequest);
