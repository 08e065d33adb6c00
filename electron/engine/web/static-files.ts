/**
 * Serves the built renderer (dist/renderer) in web mode, with the same
 * Content-Security-Policy the desktop app enforces, so a page that works here
 * does not rely on anything the app would forbid.
 *
 * Any web page the user opens can send requests to this loopback server, so
 * no path may throw: a path with a NUL byte (`GET /%00`), which makes Node's
 * fs functions throw synchronously, is answered 400 like any other bad path,
 * and whatever fs still throws becomes a 400/404, never an exception that
 * would end the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../contract/content-security-policy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export function createStaticHandler(rootDir: string) {
  const root = path.resolve(rootDir);
  return (request: IncomingMessage, response: ServerResponse): void => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400, headers).end('bad path');
      return;
    }
    if (pathname.includes('\0')) {
      response.writeHead(400, headers).end('bad path');
      return;
    }
    const file = path.resolve(
      root,
      '.' + (pathname.endsWith('/') ? pathname + 'index.html' : pathname),
    );
    if (file !== root && !file.startsWith(root + path.sep)) {
      response.writeHead(403, headers).end('forbidden');
      return;
    }
    const answer = (error: NodeJS.ErrnoException | null, stat?: fs.Stats): void => {
      if (error || !stat?.isFile()) {
        if (!fs.existsSync(path.join(root, 'index.html'))) {
          response
            .writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
            .end('The user interface is not built: run "npm run build".');
          return;
        }
        response
          .writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
          .end('not found');
        return;
      }
      response.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': file.endsWith('.html') ? 'no-store' : 'max-age=3600',
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      fs.createReadStream(file)
        // Gone or unreadable between stat and read: end the answer, keep serving.
        .on('error', () => response.destroy())
        .pipe(response);
    };
    try {
      fs.stat(file, answer);
    } catch {
      // Node refuses the path itself (it throws before any I/O): a bad request.
      response.writeHead(400, headers).end('bad path');
    }
  };
}
