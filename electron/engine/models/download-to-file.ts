/**
 * Streams one HTTP download into a new file while computing its SHA-256, so a
 * 2 GB model never sits in memory and is hashed in the same pass. Every way a
 * download can go wrong ends in a ModelError with its own code, because the
 * caseworker's next step differs: 'network' (try later / ask IT about the
 * proxy), 'incomplete' (the connection dropped – just retry), 'aborted' (they
 * cancelled), 'too_large' / 'checksum' (the server sends something else than
 * the model we expect – do not retry blindly), 'disk_full'.
 *
 * Not resumable on purpose: the models are small enough to fetch again, and a
 * resumed file is one more way to end up with bytes from two different
 * responses.
 */
import crypto from 'node:crypto';
import fsp, { type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { diskFullError, isDiskFull, ModelError } from './model-error';

export interface DownloadProgress {
  receivedBytes: number;
  /** From Content-Length, else from the catalog; null when unknown. */
  totalBytes: number | null;
}

export interface DownloadRequest {
  url: string;
  /** Created with 'wx': the caller picks a fresh name. */
  file: string;
  fetch: typeof fetch;
  maxBytes: number;
  /** Exact size the file must have (from the catalog), or null. */
  expectedBytes: number | null;
  /** Abort when no byte arrived for this long: a stalled proxy must not hang the UI forever. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Minimum time between two progress events (the last one is always sent). */
  progressIntervalMs?: number;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
}

const MB = 1_000_000;
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

class IdleTimeout extends Error {}

function aborted(cause?: unknown): ModelError {
  return new ModelError('aborted', 'The download was cancelled.', {
    cause,
  });
}

function stalled(ms: number): ModelError {
  return new ModelError(
    'network',
    `The server sent nothing for ${Math.round(ms / 1000)} s; the download was stopped.`,
    { params: { seconds: Math.round(ms / 1000) } },
  );
}

export async function downloadToFile(request: DownloadRequest): Promise<DownloadResult> {
  const { signal, idleTimeoutMs } = request;
  if (signal?.aborted) throw aborted(signal.reason);

  // One controller for fetch and body: aborted by the caller or by the idle timer.
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => controller.abort(new IdleTimeout()), idleTimeoutMs);
  };
  const failure = (cause: unknown): ModelError | undefined => {
    if (cause instanceof ModelError) return cause;
    if (signal?.aborted) return aborted(cause);
    if (controller.signal.reason instanceof IdleTimeout) return stalled(idleTimeoutMs);
    if (isDiskFull(cause)) return diskFullError(cause);
    return undefined;
  };

  let handle: FileHandle | undefined;
  try {
    armIdle();
    let response: Response;
    try {
      response = await request.fetch(request.url, {
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (cause) {
      throw (
        failure(cause) ??
        new ModelError(
          'network',
          `The server cannot be reached (${request.url}): ${(cause as Error).message}.`,
          { cause },
        )
      );
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw new ModelError(
        'network',
        `The server answered ${response.status} ${response.statusText} for ${request.url}.`,
        { params: { status: response.status } },
      );
    }

    const lengthHeader = response.headers.get('content-length');
    const contentLength =
      lengthHeader !== null && /^\d+$/.test(lengthHeader.trim()) ? Number(lengthHeader) : null;
    const sizeMismatch = (actual: number): ModelError =>
      new ModelError(
        'checksum',
        `The server sends ${actual} bytes, but the model has ${request.expectedBytes}; it is not the expected file.`,
      );
    const tooLarge = (): ModelError =>
      new ModelError(
        'too_large',
        `The download is larger than ${mb(request.maxBytes)} MB; stopped.`,
        { params: { maxMb: Number(mb(request.maxBytes)) } },
      );
    if (contentLength !== null && contentLength > request.maxBytes) throw tooLarge();
    if (
      contentLength !== null &&
      request.expectedBytes !== null &&
      contentLength !== request.expectedBytes
    ) {
      throw sizeMismatch(contentLength);
    }
    const totalBytes = contentLength ?? request.expectedBytes;

    handle = await fsp.open(request.file, 'wx');
    const hash = crypto.createHash('sha256');
    let receivedBytes = 0;
    let lastProgress = 0;
    const interval = request.progressIntervalMs ?? 100;
    const report = (force: boolean): void => {
      const now = Date.now();
      if (!force && now - lastProgress < interval) return;
      lastProgress = now;
      try {
        request.onProgress?.({ receivedBytes, totalBytes });
      } catch {
        // A broken progress listener (closed window) must not break the download.
      }
    };
    report(true);

    try {
      const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        armIdle();
        receivedBytes += chunk.length;
        if (receivedBytes > request.maxBytes) throw tooLarge();
        if (contentLength !== null && receivedBytes > contentLength)
          throw sizeMismatch(receivedBytes);
        hash.update(chunk);
        await handle.write(chunk);
        report(false);
      }
    } catch (cause) {
      throw (
        failure(cause) ??
        new ModelError(
          'incomplete',
          `The connection broke off after ${mb(receivedBytes)} of ${totalBytes === null ? '?' : mb(totalBytes)} MB (${(cause as Error).message}).`,
          {
            params: {
              receivedMb: Number(mb(receivedBytes)),
              ...(totalBytes === null ? {} : { totalMb: Number(mb(totalBytes)) }),
            },
            cause,
          },
        )
      );
    }
    const expected = contentLength ?? request.expectedBytes;
    if (expected !== null && receivedBytes < expected) {
      throw new ModelError(
        'incomplete',
        `The download ended after ${mb(receivedBytes)} of ${mb(expected)} MB.`,
        { params: { receivedMb: Number(mb(receivedBytes)), totalMb: Number(mb(expected)) } },
      );
    }
    if (request.expectedBytes !== null && receivedBytes !== request.expectedBytes) {
      throw sizeMismatch(receivedBytes);
    }
    await handle.sync();
    report(true);
    return { sha256: hash.digest('hex'), bytes: receivedBytes };
  } catch (cause) {
    throw failure(cause) ?? cause;
  } finally {
    clearTimeout(idleTimer);
    signal?.removeEventListener('abort', onCallerAbort);
    await handle?.close().catch(() => undefined);
  }
}

/** SHA-256 of a file on disk, streamed (zips for offline import can be gigabytes). */
export async function sha256OfFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash('sha256');
  const handle = await fsp.open(file, 'r');
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      if (signal?.aborted) throw aborted(signal.reason);
      hash.update(chunk as Buffer);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
