/**
 * Serves the built renderer (dist/renderer) for the lotse://app/ scheme.
 *
 * Plain fetch-API Request in, Response out, no 'electron' import, so it can
 * be tested without Electron (app-protocol.ts plugs it into protocol.handle).
 *
 * - Only files below the renderer root: the decoded path is resolved and must
 *   stay inside the root (`..`, encoded `%2e%2e`/`%2f`, backslashes and NUL
 *   bytes cannot escape it).
 * - Only host "app" and only GET/HEAD.
 * - Explicit MIME types (module scripts and AudioWorklets need text/javascript,
 *   WebAssembly.instantiateStreaming needs application/wasm, the ringtone
 *   audio/wav) and `nosniff`.
 * - Every response carries the Content-Security-Policy header.
 * - Single byte ranges, because media elements ask for them.
 * - Paths without an extension fall back to index.html (client-side routes).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../contract/content-security-policy';

export const APP_SCHEME = 'lotse';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a lotse://app/ URL to a file below root, or null when the URL must not
 * be served (wrong scheme or host, traversal, malformed escapes).
 */
export function resolveAppPath(rootDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
  if (file === root || !file.startsWith(root + path.sep)) return null;
  return file;
}

function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });
}

/** Parses a single "bytes=a-b" range; null = ignore the header, 'invalid' = 416. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // multiple or unknown ranges: send the whole file
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'invalid';
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'invalid';
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

async function statFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

export function createRendererFileHandler(
  rootDir: string,
): (request: Request) => Promise<Response> {
  const root = path.resolve(rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    let file = resolveAppPath(root, request.url);
    if (!file) return textResponse(403, 'forbidden');
    if (!(await statFile(file))) {
      const index = path.join(root, 'index.html');
      if (path.extname(file) === '' && (await statFile(index))) {
        file = index;
      } else if (!(await statFile(index))) {
        return textResponse(503, 'The user interface is not built: run "npm run build".');
      } else {
        return textResponse(404, 'not found');
      }
    }
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return textResponse(404, 'not found');
    }
    const headers: Record<string, string> = {
      ...baseHeaders(),
      'Content-Type': mimeTypeOf(file),
      'Accept-Ranges': 'bytes',
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    };
    const range = parseRange(request.headers.get('range'), body.length);
    if (range === 'invalid') {
      return textResponse(416, 'range not satisfiable', {
        'Content-Range': `bytes */${body.length}`,
      });
    }
    let status = 200;
    let payload: Uint8Array = body;
    if (range) {
      status = 206;
      payload = body.subarray(range.start, range.end + 1);
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${body.length}`;
    }
    headers['Content-Length'] = String(payload.length);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(payload), {
      status,
      headers,
    });
  };
}
