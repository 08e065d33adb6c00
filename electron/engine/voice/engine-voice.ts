/**
 * The engine's voice as the engine uses it: created once in the background at
 * start-up (Pico's cold start takes a few hundred milliseconds, which a caller
 * should never wait for), shared by every call afterwards. If the voice cannot
 * be created, requests to speak fail with that reason instead of hanging.
 */
import type { VoicePort } from '../core/engine';
import type { ScopedLogger } from '../log/logger';
import { splitSentences } from './sentence-splitter';
import { GermanSpeechSynthesizer, type SpeechSynthesizerOptions } from './speech-synthesizer';

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

  async *synthesize(text: string, options: { rate: number }): AsyncGenerator<Int16Array> {
    const synthesizer = await this.ready;
    yield* synthesizer.synthesize(text, { rate: options.rate });
  }
}
