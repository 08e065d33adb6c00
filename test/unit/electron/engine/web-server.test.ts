import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { FRAME_SAMPLES, encodeAudioFrame } from '../../../../electron/contract';
import { createEngine } from '../../../../electron/engine/core/bootstrap';
import { startWebServer, type WebServer } from '../../../../electron/engine/web/web-server';

let dir: string;
let server: WebServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-web-'));
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Lotse</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  const { engine, logger } = createEngine({
    mode: 'web',
    dataDir: path.join(dir, 'data'),
    key: crypto.randomBytes(32),
    stderr: false,
    voice: null,
  });
  server = await startWebServer({ engine, rendererDir, port: 0, log: logger.scope('web') });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${server.port}/engine${query}`,
      origin ? { origin } : {},
    );
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function next(ws: WebSocket, predicate: (m: { t: string; [k: string]: unknown }) => boolean) {
  return new Promise<{ t: string; [k: string]: unknown }>((resolve) => {
    const onMessage = (data: WebSocket.RawData, binary: boolean) => {
      if (binary) return;
      const message = JSON.parse(data.toString());
      if (predicate(message)) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('web mode server', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('')).rejects.toThrow(/403/);
    await expect(connect('?token=' + 'ab'.repeat(24))).rejects.toThrow(/403/);
    await expect(connect(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('speaks the contract: JSON requests, binary audio, level events', async () => {
    const ws = await connect(`?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    const reply = next(ws, (m) => m.t === 'res' && m.id === 1);
    ws.send(
      JSON.stringify({ t: 'req', id: 1, method: 'engine.hello', params: { client: 'test' } }),
    );
    expect(await reply).toMatchObject({ ok: true, result: { mode: 'web' } });

    const level = next(ws, (m) => m.t === 'evt' && m.event === 'audio.level');
    const samples = new Int16Array(FRAME_SAMPLES).fill(8000);
    ws.send(
      encodeAudioFrame({
        leg: 'caller',
        seq: 3,
        sentAt: performance.timeOrigin + performance.now(),
        samples,
      }),
    );
    expect(await level).toMatchObject({ data: { leg: 'caller', seq: 3, speech: true } });

    // Not JSON at all: logged, the connection stays usable.
    ws.send('this is not json');
    const again = next(ws, (m) => m.t === 'res' && m.id === 2);
    ws.send(JSON.stringify({ t: 'req', id: 2, method: 'engine.stats', params: {} }));
    expect(await again).toMatchObject({ ok: true, result: { framesReceived: 1 } });
    ws.close();
  });

  it('serves the renderer with the CSP and nothing outside its folder', async () => {
    const index = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>Lotse</title>');
    const traversal = await fetch(`http://127.0.0.1:${server.port}/..%2fsecret.txt`);
    expect([403, 404]).toContain(traversal.status);
    expect(await traversal.text()).not.toContain('do not serve');
    expect((await fetch(`http://127.0.0.1:${server.port}/missing.js`)).status).toBe(404);
  });

  it('answers a path Node refuses (a NUL byte) with 400 and keeps serving', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    for (const bad of ['/%00', '/%00.js', '/assets/a%00b.css', '/x%00/']) {
      const response = await fetch(base + bad);
      expect(response.status, bad).toBe(400);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await fetch(`${base}/`)).status).toBe(200);
  });

  it('names a busy port clearly', async () => {
    const { engine, logger } = createEngine({
      mode: 'web',
      dataDir: path.join(dir, 'data2'),
      key: crypto.randomBytes(32),
      stderr: false,
      voice: null,
    });
    await expect(
      startWebServer({ engine, rendererDir: dir, port: server.port, log: logger.scope('web') }),
    ).rejects.toThrow(/already in use/);
  });
});

describe('web mode as a process', () => {
  it('any web page’s GET /%00 does not end the engine', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-web-process-'));
    const rendererDir = path.join(root, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Lotse</title>');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/engine/web-main.ts',
        '--port',
        '0',
        '--data-dir',
        path.join(root, 'data'),
        '--renderer-dir',
        rendererDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(output).toMatch(/LOTSE_URL=/), {
        timeout: 30_000,
        interval: 50,
      });
      const origin = new URL(/LOTSE_URL=(\S+)/.exec(output)![1]!).origin;
      expect((await fetch(`${origin}/%00`)).status).toBe(400);
      // Still there: it serves the next request.
      expect((await fetch(`${origin}/`)).status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(root, { recursive: true, force: true });
    }
    expect(output).not.toMatch(/uncaught/);
  }, 40_000);
});
