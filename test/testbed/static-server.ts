/**
 * A tiny static file server on 127.0.0.1 for test pages.
 *
 * Why not Playwright's request interception (page.route): Chromium 156 treats
 * an intercepted page as coming from nowhere in particular and blocks its
 * ws://127.0.0.1 connection (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
 * A page served by a real HTTP server on 127.0.0.1 is itself local and may
 * open the WebSocket to Kamailio.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** Base URL with trailing slash, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  close(): Promise<void>;
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Serves `dir` (and nothing outside it) on a free port of 127.0.0.1. */
export function serveDirectory(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
        let filePath = resolve(join(root, pathname));
        if (filePath !== root && !filePath.startsWith(root + sep)) {
          res.writeHead(403).end('forbidden');
          return;
        }
        if ((await stat(filePath).catch(() => undefined))?.isDirectory())
          filePath = join(filePath, 'index.html');
        const body = await readFile(filePath);
        res.writeHead(200, {
          'content-type': contentTypeFor(filePath),
          'content-length': body.length,
          // Tests rebuild pages between runs; never let Chromium serve a stale bundle.
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    })();
  });
  // Keep-alive sockets from Chromium would otherwise delay close() until they time out.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('static-server: no address'));
        return;
      }
      resolvePromise({
        url: `http://127.0.0.1:${address.port}/`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
