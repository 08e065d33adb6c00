/**
 * Entry of the voice thread: Pico (WebAssembly) and Sonic run here, one
 * sentence at a time, so the engine's event loop never waits for them.
 *
 * Why: Pico synthesises a sentence in one synchronous call — 40 ms for "Ja.",
 * 200–400 ms for a long sentence on a busy machine. In the engine's own thread
 * that blocks the 20 ms play-out schedule of every call: with eight bot calls
 * speaking at once the callers heard their bot stutter. Here it only takes
 * this thread's time. Built by esbuild as its own entry
 * (dist/electron/voice-worker.cjs); started by VoiceThread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromVoiceThread, ToVoiceThread, VoiceThreadData } from './voice-protocol';
import { GermanSpeechSynthesizer } from './speech-synthesizer';

const port = parentPort;
if (!port) {
  process.stderr.write('voice-worker must be started by VoiceThread (worker_threads)\n');
  process.exit(2);
}

const send = (message: FromVoiceThread, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const options = (workerData ?? {}) as VoiceThreadData;
GermanSpeechSynthesizer.create({ ...options, log: (line) => send({ type: 'log', line }) }).then(
  (synthesizer) => {
    port.on('message', (message: ToVoiceThread) => {
      if (message.type !== 'speak') return;
      try {
        const spoken = synthesizer.speakSentence(message.sentence, message.rate);
        // Transferred, not copied: a buffer of its own.
        const whole = spoken.byteOffset === 0 && spoken.byteLength === spoken.buffer.byteLength;
        const pcm = whole ? spoken : spoken.slice();
        send({ type: 'pcm', id: message.id, pcm }, [pcm.buffer as ArrayBuffer]);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        send({ type: 'error', id: message.id, name: e.name, message: e.message });
      }
    });
    send({ type: 'ready', sampleRate: synthesizer.sampleRate });
  },
  (error: Error) => send({ type: 'failed', message: error.message }),
);
