/**
 * `npm run web`: the engine as a plain Node process, serving the same
 * renderer to a normal browser over a loopback WebSocket. For development and
 * for end-to-end tests in Debian's Chromium.
 *
 *   node dist/electron/web.mjs [--port 5174] [--data-dir DIR] [--renderer-dir DIR]
 *                              [--speech-model DIR]   (or LOTSE_SPEECH_MODEL; default: the active installed model)
 *
 * Two processes from this one file: the one started by hand is the
 * supervisor (web/web-supervisor.ts), small, holding the token and the port;
 * it runs the engine (web/web-engine.ts) as a child in the engine role and
 * starts a new one when it dies, the way the desktop app's main process keeps
 * its engine utility process alive. The engine's code is imported only in
 * the engine role.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WEB_ENGINE_ROLE_ENV, WebSupervisor } from './web/web-supervisor';

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
  const script = fileURLToPath(import.meta.url);
  const here = path.dirname(script);
  const dataDir = values['data-dir'] && path.resolve(values['data-dir']);
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(here, '..', 'renderer'));
  const speechModel = values['speech-model'] ?? process.env.LOTSE_SPEECH_MODEL;

  if (process.env[WEB_ENGINE_ROLE_ENV] === 'engine') {
    const { runWebEngine } = await import('./web/web-engine');
    await runWebEngine({
      port,
      ...(dataDir ? { dataDir } : {}),
      rendererDir,
      workerPath: path.join(here, 'speech-worker.cjs'),
      voiceWorkerPath: path.join(here, 'voice-worker.cjs'),
      ...(speechModel ? { speechModel: path.resolve(speechModel) } : {}),
    });
    return;
  }

  const token = crypto.randomBytes(24).toString('hex');
  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    process.stderr.write(`[lotse web] ${level}: ${message}\n`);
  };
  const supervisor = new WebSupervisor({
    script,
    args: [
      ...(dataDir ? ['--data-dir', dataDir] : []),
      '--renderer-dir',
      rendererDir,
      ...(speechModel ? ['--speech-model', path.resolve(speechModel)] : []),
    ],
    port,
    token,
    log,
  });
  const actualPort = await supervisor.start();
  const url = `http://127.0.0.1:${actualPort}/#token=${token}`;
  process.stdout.write(`Lotse is running in web mode:\n  ${url}\n`);
  process.stdout.write(`LOTSE_URL=${url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `stopping (${signal})`);
    void supervisor.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Lotse web mode could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
