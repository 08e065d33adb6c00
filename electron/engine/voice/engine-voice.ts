/**
 * The engine's voice as the engine uses it: created once in the background at
 * start-up (Pico's cold start takes a few hundred milliseconds, which a caller
 * should never wait for), shared by every call afterwards. If the voice cannot
 * be created, requests to speak fail with that reason instead of hanging.
 *
 * In the app the synthesiser runs on a thread of its own (voice-thread.ts):
 * a sentence takes Pico 40–400 ms of one synchronous call, and the engine's
 * thread keeps every call's 20 ms play-out schedule meanwhile. Without a
 * thread script (unit tests, command-line tools) it runs in this thread.
 */
import type { VoicePort } from './voice-port';
import type { ScopedLogger } from '../log/logger';
import { DEFAULT_MAX_SENTENCE_CHARS, splitSentences } from './sentence-splitter';
import { checkSpeechRate } from './speech-rate';
import {
  GermanSpeechSynthesizer,
  withoutLeadIn,
  type SpeechSynthesizerOptions,
} from './speech-synthesizer';
import { VoiceThread, VoiceThreadError } from './voice-thread';

export interface EngineVoiceOptions extends SpeechSynthesizerOptions {
  /** The voice thread's script (dist/electron/voice-worker.cjs); without it Pico runs in this thread. */
  workerPath?: string;
}

/** What speaks one sentence, here or on the voice thread. */
export interface SentenceSpeaker {
  readonly sampleRate: number;
  speak(sentence: string, rate: number): Promise<Int16Array>;
  close(): Promise<void>;
}

export class EngineVoice implements VoicePort {
  readonly ready: Promise<SentenceSpeaker>;
  private readonly maxSentenceChars: number;

  constructor(log: ScopedLogger, options: EngineVoiceOptions = {}) {
    const started = performance.now();
    const { workerPath, ...voiceOptions } = options;
    this.maxSentenceChars = options.maxSentenceChars ?? DEFAULT_MAX_SENTENCE_CHARS;
    this.ready = workerPath
      ? threadSpeaker(workerPath, voiceOptions, log)
      : GermanSpeechSynthesizer.create(voiceOptions).then(inThisThread);
    this.ready.then(
      () =>
        log.info(
          `German voice ready in ${Math.round(performance.now() - started)} ms${workerPath ? ' (own thread)' : ''}`,
        ),
      (error: Error) => log.error(`German voice unavailable: ${error.message}`),
    );
  }

  sentences(text: string): string[] {
    return splitSentences(text, { maxChars: this.maxSentenceChars });
  }

  /**
   * Speaks `text` sentence by sentence. Sentences spoken before come from a
   * cache (the bot's fixed prompts – greeting, reprompt, menu – are the same
   * words every call, like an IVR's recorded prompts), so a turn's first audio
   * does not wait for the synthesizer.
   */
  async *synthesize(text: string, options: { rate: number }): AsyncGenerator<Int16Array> {
    const synthesizer = await this.ready;
    checkSpeechRate(options.rate);
    let first = true;
    for (const sentence of this.sentences(text)) {
      const key = `${options.rate}|${sentence}`;
      let pcm = this.cache.get(key);
      if (pcm) {
        // Most recently used last: the oldest entries go first when full.
        this.cache.delete(key);
        this.cache.set(key, pcm);
      } else {
        pcm = await synthesizer.speak(sentence, options.rate);
        this.remember(key, pcm);
      }
      // The turn's first word without the voice's lead-in silence (see withoutLeadIn).
      if (first) pcm = withoutLeadIn(pcm, synthesizer.sampleRate);
      first = false;
      if (pcm.length > 0) yield pcm;
    }
  }

  /** Stops the voice thread (engine shutdown); a voice that never loaded has nothing to stop. */
  async close(): Promise<void> {
    await this.ready.then(
      (speaker) => speaker.close(),
      () => undefined,
    );
  }

  /** Synthesizes texts ahead into the cache (in the background, between other work). */
  async prepare(texts: readonly string[], rate = 1): Promise<number> {
    let sentences = 0;
    for (const text of texts) {
      for await (const pcm of this.synthesize(text, { rate })) if (pcm.length > 0) sentences++;
    }
    return sentences;
  }

  private readonly cache = new Map<string, Int16Array>();
  private cachedSamples = 0;

  private remember(key: string, pcm: Int16Array): void {
    this.cache.set(key, pcm);
    this.cachedSamples += pcm.length;
    for (const [oldKey, old] of this.cache) {
      if (this.cachedSamples <= MAX_CACHED_SAMPLES) break;
      this.cache.delete(oldKey);
      this.cachedSamples -= old.length;
    }
  }
}

function inThisThread(synthesizer: GermanSpeechSynthesizer): SentenceSpeaker {
  return {
    sampleRate: synthesizer.sampleRate,
    speak: async (sentence, rate) => {
      // The event loop gets a turn before each sentence.
      await new Promise((resolve) => setImmediate(resolve));
      return synthesizer.speakSentence(sentence, rate);
    },
    close: async () => {},
  };
}

async function threadSpeaker(
  workerPath: string,
  options: SpeechSynthesizerOptions,
  log: ScopedLogger,
): Promise<SentenceSpeaker> {
  const { log: _ignored, maxSentenceChars: _split, ...data } = options;
  const thread = await VoiceThread.start({
    workerPath,
    ...data,
    log: (line) => log.debug(line),
    onExit: (reason) => log.warn(`${reason}; the next sentence starts a new one`),
  });
  return {
    sampleRate: thread.sampleRate,
    speak: async (sentence, rate) => {
      try {
        return await thread.speak(sentence, rate);
      } catch (error) {
        // The thread died under this sentence: once more, on a new thread.
        if (!(error instanceof VoiceThreadError)) throw error;
        return thread.speak(sentence, rate);
      }
    },
    close: () => thread.close(),
  };
}

/** About 8 minutes of 16 kHz speech (16 MB). */
const MAX_CACHED_SAMPLES = 8 * 60 * 16_000;
