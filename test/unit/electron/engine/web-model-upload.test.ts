/**
 * Web mode's model upload against the real server on 127.0.0.1: a real zip
 * file from disk, sent as a browser sends a chosen file, ends up installed
 * in the engine's data folder; everything else is refused and leaves
 * nothing behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MODEL_UPLOAD_NAME_HEADER,
  MODEL_UPLOAD_PATH,
  modelUploadReplySchema,
} from '../../../../electron/contract';
import { createEngine } from '../../../../electron/engine/core/bootstrap';
import { uploadName } from '../../../../electron/engine/web/model-upload';
import { startWebServer, type WebServer } from '../../../../electron/engine/web/web-server';
import { modelZip } from './models/model-fixture';

let dir: string;
let dataDir: string;
let server: WebServer;
let origin: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-upload-'));
  dataDir = path.join(dir, 'data');
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Lotse</title>');
  const { engine, logger } = createEngine({
    mode: 'web',
    dataDir,
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
    retentionTimers: null,
  });
  server = await startWebServer({ engine, rendererDir, port: 0, log: logger.scope('web') });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const uploadUrl = () => `${origin}${MODEL_UPLOAD_PATH}`;
const modelsDir = () => path.join(dataDir, 'models');
const workFolders = () =>
  ['.partial', '.staging', '.trash'].filter((name) => fs.existsSync(path.join(modelsDir(), name)));

/** A zip on disk, as the person's file would be. */
async function zipOnDisk(name: string, top?: string | null): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, await modelZip(top === undefined ? {} : { top }));
  return file;
}

/** POSTs a file the way the page does (fetch with the file as the body). */
async function upload(
  file: string,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<{ status: number; reply: unknown }> {
  const response = await fetch(uploadUrl(), {
    method,
    ...(method === 'POST' ? { body: await fs.openAsBlob(file) } : {}),
    headers: {
      authorization: `Bearer ${server.token}`,
      origin,
      [MODEL_UPLOAD_NAME_HEADER]: encodeURIComponent(path.basename(file)),
      ...headers,
    },
  });
  return { status: response.status, reply: await response.json() };
}

describe('model upload in web mode', () => {
  it('installs a zip sent with the token from the page, and keeps nothing else', async () => {
    const file = await zipOnDisk('vosk-model-test-0.1.zip');
    const { status, reply } = await upload(file);
    expect(status).toBe(200);
    const parsed = modelUploadReplySchema.parse(reply);
    expect(parsed).toMatchObject({ ok: true, result: { id: 'vosk-model-test-0.1', active: true } });
    expect(fs.existsSync(path.join(modelsDir(), 'vosk-model-test-0.1', 'am', 'final.mdl'))).toBe(
      true,
    );
    expect(workFolders()).toEqual([]);
    // The file on the person's disk is left as it was.
    expect(fs.existsSync(file)).toBe(true);
  });

  it('names a zip without a top folder after the file the person chose', async () => {
    const file = await zipOnDisk('Modell für Büro 2.zip', null);
    const { status, reply } = await upload(file);
    expect(status).toBe(200);
    expect(reply).toMatchObject({ ok: true, result: { id: 'Modell-f-r-B-ro-2' } });
    expect(workFolders()).toEqual([]);
  });

  it('refuses a missing or wrong token, a foreign page and other methods', async () => {
    const file = await zipOnDisk('vosk-model-other-0.2.zip', 'vosk-model-other-0.2');
    const refusals: Record<string, string>[] = [
      { authorization: '' },
      { authorization: `Bearer ${'ab'.repeat(24)}` },
      { authorization: `Basic ${server.token}` },
      { origin: 'http://evil.example' },
    ];
    for (const headers of refusals) {
      const { status, reply } = await upload(file, headers);
      expect(status, JSON.stringify(headers)).toBe(403);
      expect(modelUploadReplySchema.parse(reply).ok).toBe(false);
    }
    expect((await upload(file, {}, 'GET')).status).toBe(405);
    expect(fs.existsSync(path.join(modelsDir(), 'vosk-model-other-0.2'))).toBe(false);
    expect(workFolders()).toEqual([]);
  });

  it('answers a file that is no zip with the reason the screen words', async () => {
    const file = path.join(dir, 'notes.zip');
    fs.writeFileSync(file, 'this is not a zip file at all');
    const { status, reply } = await upload(file);
    expect(status).toBe(400);
    expect(reply).toMatchObject({ ok: false, error: { reason: 'invalid_zip' } });
    expect(workFolders()).toEqual([]);
  });

  it('refuses a body larger than a model can be before reading it', async () => {
    const { status, reply } = await new Promise<{ status: number; reply: unknown }>(
      (resolve, reject) => {
        const request = http.request(uploadUrl(), {
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.token}`,
            origin,
            'content-length': String(5 * 1024 ** 3),
          },
        });
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => {
            request.destroy();
            resolve({ status: response.statusCode ?? 0, reply: JSON.parse(text) });
          });
        });
        request.on('error', reject);
        request.write(Buffer.alloc(1024));
      },
    );
    expect(status).toBe(413);
    expect(reply).toMatchObject({ ok: false, error: { reason: 'too_large' } });
    expect(workFolders()).toEqual([]);
  });

  it('removes what arrived when the page goes away during the upload', async () => {
    const request = http.request(uploadUrl(), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.token}`,
        origin,
        'content-length': String(10 * 1024 * 1024),
        [MODEL_UPLOAD_NAME_HEADER]: 'broken-off.zip',
      },
    });
    request.on('error', () => undefined);
    request.write(Buffer.alloc(256 * 1024));
    // The first bytes are on disk in the work folder …
    await expect.poll(() => workFolders(), { timeout: 5000 }).toEqual(['.partial']);
    request.destroy();
    // … and gone once the connection is.
    await expect.poll(() => workFolders(), { timeout: 5000 }).toEqual([]);
    expect(fs.existsSync(path.join(modelsDir(), 'broken-off'))).toBe(false);
  });
});

describe('the uploaded file name', () => {
  it('keeps the last path part only, decoded, without control characters', () => {
    expect(uploadName(encodeURIComponent('vosk-model-small-de-0.15.zip'))).toBe(
      'vosk-model-small-de-0.15.zip',
    );
    expect(uploadName(encodeURIComponent('C:\\Users\\a\\Downloads\\m.zip'))).toBe('m.zip');
    expect(uploadName('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(uploadName('%E0%A4%A')).toBe('model.zip');
    expect(uploadName('..')).toBe('model.zip');
    expect(uploadName(undefined)).toBe('model.zip');
    expect(uploadName('a%0Ab.zip')).toBe('ab.zip');
  });
});
