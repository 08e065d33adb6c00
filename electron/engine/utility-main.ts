/**
 * The engine inside the desktop app: an Electron utility process, so a crash
 * in native code (libvosk) takes down this process only; the main process
 * restarts it and hands the window a new port.
 *
 * Protocol with electron/main: the first message on process.parentPort is
 * the contract's EngineInitMessage `{ t: 'init', dataDir, keyBase64, mode }`
 * carrying one MessagePort; the
 * contract then runs over that port (objects for JSON envelopes, transferred
 * ArrayBuffers for audio). This file only knows the shape of parentPort, it
 * does not import 'electron' (layering rule).
 */
import path from 'node:path';
import { engineInitMessageSchema } from '../contract/engine-init';
import { createEngine } from './core/bootstrap';
import type { Engine } from './core/engine';

interface PortLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}

const parentPort = (process as unknown as { parentPort?: PortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('engine.cjs must be started by the Lotse app as a utility process\n');
  process.exit(2);
}

let engine: Engine | undefined;

parentPort.on('message', (event) => {
  const init = engineInitMessageSchema.safeParse(event.data);
  const port = event.ports[0];
  if (!init.success || !port) {
    process.stderr.write(
      'engine: ignored a message from main that is not a valid init with a port\n',
    );
    return;
  }
  // One engine per process; a reloaded window gets a new port to the same engine.
  engine ??= createEngine({
    mode: 'desktop',
    dataDir: init.data.dataDir,
    key: Buffer.from(init.data.keyBase64, 'base64'),
    ...(init.data.keyProtection ? { keyProtection: init.data.keyProtection } : {}),
    // engine.log has every line; the main process copies this process's
    // stderr into main.log, so the engine's lines are not written there twice.
    stderr: false,
    // Bundled next to this file (dist/electron/); libvosk runs only there.
    speechWorkerPath: path.join(__dirname, 'speech-worker.cjs'),
    // Pico on a thread of its own: the engine's play-out schedule never waits for it.
    voiceWorkerPath: path.join(__dirname, 'voice-worker.cjs'),
  }).engine;
  const handle = engine.attach({
    label: 'desktop window',
    sendMessage: (message) => port.postMessage(message),
    sendAudio: (frame) => port.postMessage(frame, [frame]),
  });
  port.on('message', (e) => {
    if (e.data instanceof ArrayBuffer || ArrayBuffer.isView(e.data)) handle.onAudio(e.data);
    else handle.onMessage(e.data);
  });
  port.on('close', () => handle.onClose());
  port.start();
});
