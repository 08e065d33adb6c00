/**
 * Web mode's carrier: an HTTP server on 127.0.0.1 that serves the renderer and
 * upgrades /engine to a WebSocket speaking the same contract as the desktop
 * app's MessagePort (JSON text messages, binary audio frames).
 *
 * It also takes web mode's model upload (model-upload.ts), guarded the same way.
 *
 * Guarded twice: a per-launch token (in the URL fragment the engine prints, so
 * it never reaches a server log) must be presented, and the Origin header must
 * be the page this server served – another web page open in the same browser
 * cannot drive the engine.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../core/engine';
import type { ScopedLogger } from '../log/logger';
import { createModelUploadHandler } from './model-upload';
import { createStaticHandler } from './static-files';

export interface WebServerOptions {
  engine: Engine;
  rendererDir: string;
  port: number;
  log: ScopedLogger;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const tokenMatches = (given: string): boolean => {
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  };
  // Known once the server listens (the port may be chosen by the system).
  let allowedOrigins = new Set<string>();
  const staticFiles = createStaticHandler(options.rendererDir);
  const modelUpload = createModelUploadHandler({
    uploads: () => options.engine.modelUploads,
    tokenMatches,
    originAllowed: (origin) => origin === undefined || allowedOrigins.has(origin),
    log: options.log,
  });
  const server = http.createServer((request, response) => {
    if (!modelUpload(request, response)) staticFiles(request, response);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${options.port} on 127.0.0.1 is already in use; choose another with --port`,
            )
          : error,
      );
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const tokenOk = tokenMatches(url.searchParams.get('token') ?? '');
    const origin = request.headers.origin;
    const originOk = origin === undefined || allowedOrigins.has(origin);
    if (url.pathname !== '/engine' || !tokenOk || !originOk) {
      options.log.warn(
        `refused WebSocket from ${request.socket.remoteAddress ?? '?'}: ` +
          (url.pathname !== '/engine' ? 'wrong path' : !tokenOk ? 'bad token' : `origin ${origin}`),
      );
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, options));
  });

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'engine stopping');
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let connectionCounter = 0;

function attach(ws: WebSocket, options: WebServerOptions): void {
  const label = `web client ${++connectionCounter}`;
  const handle = options.engine.attach({
    label,
    sendMessage: (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    sendAudio: (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
    },
  });
  ws.on('message', (data, isBinary) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      handle.onAudio(buffer);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8'));
    } catch {
      parsed = { malformed: 'not JSON' };
    }
    handle.onMessage(parsed);
  });
  ws.on('close', () => handle.onClose());
  ws.on('error', (error) => options.log.warn(`${label}: ${error.message}`));
}
