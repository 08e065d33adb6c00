/**
 * Web mode's carrier: the contract over a loopback WebSocket to the engine's
 * Node process. The per-launch token comes from the URL fragment the engine
 * printed (#token=…); it is moved to sessionStorage and removed from the
 * address bar. Reconnects with backoff (250 ms doubling to 1 s) when the
 * engine goes away; its supervisor brings a new one up on the same address.
 * A speech model the person picks is uploaded to the engine with the same
 * token (uploadModel; a browser cannot tell the engine the file's path).
 */
import {
  MODEL_UPLOAD_NAME_HEADER,
  MODEL_UPLOAD_PATH,
  type CarrierStatus,
  type LotseBridge,
  type PageFile,
  type RequestEnvelope,
} from '../../electron/contract';

const TOKEN_KEY = 'lotse.engineToken';
/** Longest pause between two connection attempts. */
const MAX_RETRY_MS = 1_000;

export function takeEngineToken(): string | null {
  const match = /(?:^#|&)token=([0-9a-f]+)/i.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function createWebSocketCarrier(token: string): LotseBridge {
  const messageListeners = new Set<(message: unknown) => void>();
  const audioListeners = new Set<(frame: ArrayBuffer) => void>();
  const statusListeners = new Set<(status: CarrierStatus) => void>();
  const queue: string[] = [];
  let socket: WebSocket | undefined;
  let retryMs = 250;

  const setStatus = (status: CarrierStatus): void => statusListeners.forEach((l) => l(status));

  const connect = (): void => {
    setStatus('connecting');
    const url = new URL('/engine', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      for (const text of queue.splice(0)) ws.send(text);
      setStatus('open');
    };
    ws.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data instanceof ArrayBuffer) {
        const frame = event.data;
        audioListeners.forEach((l) => l(frame));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        parsed = undefined;
      }
      messageListeners.forEach((l) => l(parsed));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setStatus('closed');
      setTimeout(connect, retryMs);
      // Loopback: a failed attempt costs nothing, and a restarted engine
      // (web-supervisor.ts) is back within seconds – look often.
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
  };
  connect();

  const subscribe =
    <T>(set: Set<T>) =>
    (listener: T): (() => void) => {
      set.add(listener);
      return () => set.delete(listener);
    };

  return {
    send(message: RequestEnvelope) {
      const text = JSON.stringify(message);
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
      else if (queue.length < 100) queue.push(text);
    },
    sendAudio(frame: ArrayBuffer) {
      // Audio is real time: a frame that cannot go now is dropped, not queued.
      if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
    },
    onMessage: subscribe(messageListeners),
    onAudio: subscribe(audioListeners),
    onStatus: subscribe(statusListeners),
    async uploadModel(file: PageFile, name: string): Promise<unknown> {
      // The browser streams the file from disk; the token goes as a header, never in the URL.
      const response = await fetch(new URL(MODEL_UPLOAD_PATH, window.location.href), {
        method: 'POST',
        body: file as Blob,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/zip',
          [MODEL_UPLOAD_NAME_HEADER]: encodeURIComponent(name),
        },
        cache: 'no-store',
        credentials: 'omit',
      });
      return response.json();
    },
  };
}
