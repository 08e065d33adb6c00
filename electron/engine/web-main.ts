/**
 * `npm run web`: the engine as a plain Node process, serving the same
 * renderer to a normal browser over a loopback WebSocket. For development and
 * for end-to-end tests in Debian's Chromium.
 *
 *   node dist/electron/web.mjs [--port 5174] [--data-dir DIR] [--renderer-dir DIR]
 *                              [--speech-model DIR]   (or LOTSE_SPEECH_MODEL; default: the active installed model)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine, defaultDataDir } from './core/bootstrap';
import { loadOrCreateKeyFile } from './store/key-file';
import { startWebServer } from './web/web-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.LOTSE_PORT ?? '5174' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'speech-model': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, got "${values.port}"`);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(here, '..', 'renderer'));
  const workerPath = path.join(here, 'speech-worker.cjs');
  const speechModel = values['speech-model'] ?? process.env.LOTSE_SPEECH_MODEL;
  const { engine, logger, close } = createEngine({
    mode: 'web',
    dataDir,
    key: loadOrCreateKeyFile(dataDir),
    // An owner-only file next to the data: web mode is for development and tests.
    keyProtection: 'key-file',
    ...(fs.existsSync(workerPath) ? { speechWorkerPath: workerPath } : {}),
    ...(speechModel ? { speechModelPath: path.resolve(speechModel) } : {}),
  });
  const log = logger.scope('web');
  const server = await startWebServer({ engine, rendererDir, port, log });

  process.stdout.write(`Lotse is running in web mode:\n  ${server.url}\n`);
  process.stdout.write(`LOTSE_URL=${server.url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping (${signal})`);
    void Promise.all([server.close(), close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('uncaughtException', (error) => {
    log.error(`uncaught: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Lotse web mode could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
