/**
 * Web mode's model import: the page cannot tell the engine where a file is
 * (a browser never reveals paths), so it sends the zip the person chose:
 * `POST /models/import` (MODEL_UPLOAD_PATH), the file as the body.
 *
 * Guarded like the WebSocket: the per-launch token, here as
 * `Authorization: Bearer …` (a header, so it never lands in a URL or a log),
 * and the Origin of the page this server served; another web page in the
 * same browser can neither read the token nor send the header without a
 * CORS preflight, which this server never grants. The body must announce
 * its length (a browser does for a file) and stay within the model
 * manager's limit; it is streamed to the data folder's models/.partial/,
 * never held in memory, and imported from there (ModelManager.importZipStream).
 *
 * The answer is JSON, a ModelUploadReply: the installed model, or the same
 * error object a failed request carries, so the page words it the same way.
 */
import type http from 'node:http';
import {
  MODEL_UPLOAD_NAME_HEADER,
  MODEL_UPLOAD_PATH,
  type ModelUploadReply,
  type RequestFailure,
  type Result,
} from '../../contract';
import { RequestError } from '../core/request-error';
import type { ScopedLogger } from '../log/logger';

/** What the engine offers the upload (Engine.modelUploads). */
export interface ModelUploads {
  importUpload(
    body: AsyncIterable<Uint8Array>,
    upload: { name: string; sizeBytes?: number; signal?: AbortSignal },
  ): Promise<Result<'models.import'>>;
  readonly maxUploadBytes: number;
}

export interface ModelUploadOptions {
  uploads: () => ModelUploads;
  /** Timing-safe comparison with the per-launch token. */
  tokenMatches(given: string): boolean;
  /** The Origin header of a page this server served (or none: not a browser). */
  originAllowed(origin: string | undefined): boolean;
  log: ScopedLogger;
}

/** The longest file name taken from the header. */
const MAX_NAME_LENGTH = 255;

/** The file's name from the header: URI-decoded, its last path part only, or a default. */
export function uploadName(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw ?? '');
  } catch {
    decoded = '';
  }
  const name = [...(decoded.split(/[\\/]/).at(-1) ?? '')]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return name && name !== '.' && name !== '..' ? name.slice(0, MAX_NAME_LENGTH) : 'model.zip';
}

/** What a failed upload answers: a RequestError as it is, anything else as an internal error. */
function failureOf(error: unknown): RequestFailure {
  return error instanceof RequestError
    ? error.toFailure()
    : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function statusOf(failure: RequestFailure): number {
  if (failure.reason === 'too_large') return 413;
  if (failure.code === 'unavailable') return 503;
  if (failure.code === 'internal') return 500;
  return 400;
}

function answer(
  response: http.ServerResponse,
  status: number,
  reply: ModelUploadReply,
  extra: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const body = JSON.stringify(reply);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  response.end(body);
}

function refuse(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  status: number,
  failure: RequestFailure,
  extra: Record<string, string> = {},
): void {
  // The body is not wanted: read it away, so the browser gets to see the answer.
  request.resume();
  answer(response, status, { ok: false, error: failure }, { Connection: 'close', ...extra });
}

/** The request handler for the upload; answers false for every other path. */
export function createModelUploadHandler(
  options: ModelUploadOptions,
): (request: http.IncomingMessage, response: http.ServerResponse) => boolean {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== MODEL_UPLOAD_PATH) return false;
    if (request.method !== 'POST') {
      refuse(
        request,
        response,
        405,
        { code: 'bad_request', message: 'the model upload takes POST only' },
        { Allow: 'POST' },
      );
      return true;
    }
    const auth = /^Bearer ([0-9a-f]+)$/i.exec(request.headers.authorization ?? '');
    const origin = request.headers.origin;
    if (!auth?.[1] || !options.tokenMatches(auth[1]) || !options.originAllowed(origin)) {
      options.log.warn(
        `refused model upload from ${request.socket.remoteAddress ?? '?'}: ` +
          (!auth?.[1] || !options.tokenMatches(auth[1]) ? 'bad token' : `origin ${origin}`),
      );
      refuse(request, response, 403, {
        code: 'bad_request',
        message: 'model upload refused: wrong token or foreign page',
      });
      return true;
    }
    let uploads: ModelUploads;
    let maxBytes: number;
    try {
      uploads = options.uploads();
      maxBytes = uploads.maxUploadBytes;
    } catch (error) {
      const failure = failureOf(error);
      refuse(request, response, statusOf(failure), failure);
      return true;
    }
    const length = request.headers['content-length'];
    const sizeBytes = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    if (sizeBytes === undefined) {
      refuse(request, response, 411, {
        code: 'bad_request',
        message: 'the model upload needs a Content-Length',
      });
      return true;
    }
    if (sizeBytes > maxBytes) {
      refuse(request, response, 413, {
        code: 'bad_request',
        reason: 'too_large',
        message: `the upload (${sizeBytes} bytes) is larger than ${maxBytes} bytes`,
        params: { maxMb: Math.floor(maxBytes / 1e6) },
      });
      return true;
    }
    const name = uploadName(request.headers[MODEL_UPLOAD_NAME_HEADER]);
    // The page went away (tab closed, reload) before the whole file came: stop writing.
    const stop = new AbortController();
    request.once('close', () => {
      if (!request.complete) stop.abort();
    });
    options.log.info(`model upload of ${sizeBytes} bytes started`);
    uploads
      .importUpload(request, { name, sizeBytes, signal: stop.signal })
      .then((result) => answer(response, 200, { ok: true, result }))
      .catch((error: unknown) => {
        const failure = failureOf(error);
        refuse(request, response, statusOf(failure), failure);
      });
    return true;
  };
}
