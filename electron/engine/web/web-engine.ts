/**
 * Web mode's engine process: the engine and its HTTP/WebSocket server on
 * 127.0.0.1. Started by WebSupervisor (web-supervisor.ts), which hands it the
 * token and the port over the IPC channel and starts a new one should this
 * one die; it exits when the supervisor goes away. Run without a supervisor
 * (no IPC channel) it makes its own token and prints its address.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, defaultDataDir } from '../core/bootstrap';
import { loadOrCreateKeyFile } from '../store/key-file';
import { isWebInitMessage, type WebInitMessage, type WebListeningMessage } from './web-supervisor';
import { startWebServer } from './web-server';

export interface WebEngineOptions {
  port: number;
  /** Default: defaultDataDir() (LOTSE_DATA_DIR, else the user's config folder). */
  dataDir?: string;
  rendererDir: string;
  workerPath: string;
  /** The voice thread's script (dist/electron/voice-worker.cjs). */
  voiceWorkerPath?: string;
  speechModel?: string;
}

/** The token and port from the supervisor (or our own, without one). */
function init(port: number): Promise<WebInitMessage> {
  if (!process.send) {
    return Promise.resolve({ t: 'web-init', token: crypto.randomBytes(24).toString('hex'), port });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no web-init from the supervisor')), 10_000);
    const onMessage = (message: unknown) => {
      if (!isWebInitMessage(message)) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
  });
}

export async function runWebEngine(options: WebEngineOptions): Promise<void> {
  const supervised = Boolean(process.send);
  const { token, port } = await init(options.port);
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const { engine, logger, close } = createEngine({
    mode: 'web',
    dataDir,
    key: loadOrCreateKeyFile(dataDir),
    // An owner-only file next to the data: web mode is for development and tests.
    keyProtection: 'key-file',
    ...(fs.existsSync(options.workerPath) ? { speechWorkerPath: options.workerPath } : {}),
    ...(options.voiceWorkerPath && fs.existsSync(options.voiceWorkerPath)
      ? { voiceWorkerPath: options.voiceWorkerPath }
      : {}),
    ...(options.speechModel ? { speechModelPath: options.speechModel } : {}),
  });
  const log = logger.scope('web');
  const server = await startWebServer({
    engine,
    rendererDir: options.rendererDir,
    port,
    log,
    token,
  });
  log.info(`engine process ${process.pid} serving on port ${server.port}`);

  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping (${why})`);
    void Promise.all([server.close(), close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('uncaughtException', (error) => {
    log.error(`uncaught: ${error.stack ?? error.message}`);
    process.exit(1);
  });
  if (supervised) {
    // The supervisor is gone (killed): so is the reason to run.
    process.on('disconnect', () => stop('supervisor gone'));
    const listening: WebListeningMessage = { t: 'listening', port: server.port };
    process.send?.(listening);
  } else {
    process.stdout.write(`Lotse is running in web mode:\n  ${server.url}\n`);
    process.stdout.write(`LOTSE_URL=${server.url}\n`);
  }
}
