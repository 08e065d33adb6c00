/**
 * The engine's voice as the engine uses it: created once in the background at
 * start-up (Pico's cold start takes a few hundred milliseconds, which a caller
 * should never wait for), shared by every call afterwards. If the voice cannot
 * be created, requests to speak fail with that reason instead of hanging.
 */
import type { VoicePort } from './voice-port';
import type { ScopedLogger } from '../log/logger';
import { splitSentences } from './sentence-splitter';
import { checkSpeechRate } from './speech-rate';
import {
  GermanSpeechSynthesizer,
  withoutLeadIn,
  type SpeechSynthesizerOptions,
} from './speech-synthesizer';

export class EngineVoice implements VoicePort {
  readonly ready: Promise<GermanSpeechSynthesizer>;

  constructor(log: ScopedLogger, options: SpeechSynthesizerOptions = {}) {
    const started = performance.now();
    this.ready = GermanSpeechSynthesizer.create(options);
    this.ready.then(
      () => log.info(`German voice ready in ${Math.round(performance.now() - started)} ms`),
      (error: Error) => log.error(`German voice unavailable: ${error.message}`),
    );
  }

  sentences(text: string): string[] {
    return splitSentences(text);
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
    for (const sentence of synthesizer.sentences(text)) {
      const key = `${options.rate}|${sentence}`;
      let pcm = this.cache.get(key);
      if (pcm) {
        // Most recently used last: the oldest entries go first when full.
        this.cache.delete(key);
        this.cache.set(key, pcm);
      } else {
        await new Promise((resolve) => setImmediate(resolve));
        pcm = synthesizer.speakSentence(sentence, options.rate);
        this.remember(key, pcm);
      }
      // The turn's first word without the voice's lead-in silence (see withoutLeadIn).
      if (first) pcm = withoutLeadIn(pcm, synthesizer.sampleRate);
      first = false;
      if (pcm.length > 0) yield pcm;
    }
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

/** About 8 minutes of 16 kHz speech (16 MB). */
const MAX_CACHED_SAMPLES = 8 * 60 * 16_000;
