/**
 * Entry of the speech worker: a child process of the engine that owns libvosk.
 *
 * Why a process of its own: libvosk answers damaged model files (and a few
 * other conditions) with a C++ assertion that calls abort(). In here that
 * kills only this process; SpeechService sees the exit, reports 'down' and
 * starts a new worker. Nothing in the engine process ever loads libvosk.
 *
 * One model per worker, shared by all streams (a model is read-only and
 * thread-safe in libvosk; recognizers are per stream). Built by esbuild as its
 * own entry (dist/electron/speech-worker.cjs); koffi and
 * @echogarden/fvad-wasm stay external.
 */
import { checkModelFolder } from '../models/model-folder';
import { ModelError } from '../models/model-error';
import { loadLibVosk, type LibVosk, type ModelHandle } from './libvosk';
import type { FromWorker, ToWorker } from './speech-protocol';
import { StreamRecognizer } from './stream-recognizer';
import { loadVoiceActivityModule } from './voice-activity';

if (!process.send) {
  process.stderr.write(
    'speech-worker must be started by SpeechService (child_process.fork with an IPC channel)\n',
  );
  process.exit(2);
}

function send(message: FromWorker): void {
  // After the engine has closed the channel (shutdown), results have nowhere
  // to go: drop them instead of dying on EPIPE.
  if (!process.connected) return;
  process.send?.(message, undefined, {}, (error: Error | null) => {
    if (error && process.connected)
      process.stderr.write(`speech worker: send failed: ${error.message}\n`);
  });
}

let vosk: LibVosk | undefined;
let model: ModelHandle | undefined;
let timeScale = 1;
const streams = new Map<string, StreamRecognizer>();

async function load(modelPath: string, logLevel: number): Promise<void> {
  const started = performance.now();
  let info;
  try {
    info = checkModelFolder(modelPath);
  } catch (error) {
    const code =
      error instanceof ModelError && error.code === 'wrong_sample_rate'
        ? 'wrong_sample_rate'
        : 'invalid_model';
    send({ type: 'error', fatal: true, code, message: (error as Error).message });
    return;
  }
  try {
    vosk = loadLibVosk();
    await loadVoiceActivityModule();
  } catch (error) {
    send({ type: 'error', fatal: true, code: 'library', message: (error as Error).message });
    return;
  }
  vosk.setLogLevel(logLevel);
  // A damaged file may abort() right here: the service counts that as a failed load.
  const handle = vosk.modelNew(info.path);
  if (!handle) {
    send({
      type: 'error',
      fatal: true,
      code: 'invalid_model',
      message: `libvosk could not load the speech model in ${info.path} (damaged or incompatible files)`,
    });
    return;
  }
  model = handle;
  // libvosk reports word times as decoder frames × 30 ms (see stream-recognizer.ts).
  timeScale = info.frameSubsamplingFactor / 3;
  send({
    type: 'ready',
    modelLoadMs: Math.round((performance.now() - started) * 10) / 10,
    libraryPath: vosk.libraryPath,
    grammarSupported: info.grammarSupported,
  });
}

function handle(message: ToWorker): void {
  if (message.type === 'load') {
    void load(message.modelPath, message.logLevel);
    return;
  }
  if (message.type === 'ping') {
    // Answered in turn with everything else: a worker stuck in libvosk (or
    // stopped) answers late or never, and SpeechService restarts it.
    send({ type: 'pong', seq: message.seq });
    return;
  }
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      audioMs: Object.fromEntries([...streams].map(([id, s]) => [id, s.audioMs])),
      processingMs: Object.fromEntries([...streams].map(([id, s]) => [id, s.processingMs])),
    });
    return;
  }
  const { streamId } = message;
  if (!vosk || !model) {
    send({ type: 'error', fatal: false, code: 'stream', streamId, message: 'no model loaded yet' });
    return;
  }
  try {
    switch (message.type) {
      case 'open': {
        streams.get(streamId)?.close();
        streams.set(
          streamId,
          new StreamRecognizer(
            vosk,
            model,
            streamId,
            message.startMs,
            message.settings,
            timeScale,
            {
              partial: (event) => send({ type: 'partial', ...event }),
              final: (event) => send({ type: 'final', ...event }),
              warn: (text) => send({ type: 'log', level: 'warn', message: text }),
            },
          ),
        );
        return;
      }
      case 'audio': {
        const stream = streams.get(streamId);
        if (!stream) throw new Error(`audio for stream ${streamId}, which is not open`);
        if (!(message.samples instanceof Int16Array))
          throw new Error(`audio for stream ${streamId} is not Int16Array PCM`);
        stream.accept(message.samples);
        return;
      }
      case 'configure': {
        const stream = streams.get(streamId);
        if (!stream) throw new Error(`configure for stream ${streamId}, which is not open`);
        const { type: _type, streamId: _id, ...change } = message;
        stream.configure(change);
        return;
      }
      case 'close': {
        const stream = streams.get(streamId);
        streams.delete(streamId);
        try {
          stream?.close();
        } finally {
          // Confirmed even when the flush failed (its error follows): the engine waits for it.
          send({ type: 'closed', streamId });
        }
        return;
      }
    }
  } catch (error) {
    send({
      type: 'error',
      fatal: false,
      code: 'stream',
      streamId,
      message: (error as Error).message,
    });
  }
}

process.on('message', (message) => handle(message as ToWorker));
// The engine went away (or closed the channel to stop us): nothing left to do.
process.on('disconnect', () => process.exit(0));
