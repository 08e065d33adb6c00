/** A Node client for a web-mode engine (token + origin), for benchmarks. */
import WebSocket from 'ws';
import type { Method, Params, Result } from '../../../electron/contract';

/** One request to whichever engine runs now (a socket of its own: the engine may be new). */
export async function askEngine<M extends Method>(
  engine: { origin: string; token: string },
  method: M,
  params: Params<M>,
): Promise<Result<M>> {
  const socket = await EngineSocket.open(engine.origin, engine.token);
  try {
    return await socket.request(method, params);
  } finally {
    socket.close();
  }
}

export class EngineSocket {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    (message: { ok: boolean; result?: unknown; error?: unknown }) => void
  >();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      if (binary) return;
      const message = JSON.parse(data.toString());
      if (message.t === 'res') this.pending.get(message.id)?.(message);
    });
  }

  static open(origin: string, token: string): Promise<EngineSocket> {
    const url = `${origin.replace(/^http/, 'ws')}/engine?token=${token}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolve(new EngineSocket(ws)));
      ws.once('error', reject);
    });
  }

  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => {
        this.pending.delete(id);
        if (message.ok) resolve(message.result as Result<M>);
        else reject(new Error(JSON.stringify(message.error)));
      });
      this.ws.send(JSON.stringify({ t: 'req', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
