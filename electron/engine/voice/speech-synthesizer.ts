/**
 * The bot's German voice as a stream: text in, 16 kHz PCM out, one chunk per
 * sentence, each yielded as soon as it is synthesised.
 *
 * Why per sentence: the caller hears the first sentence after one sentence's
 * synthesis time (tens of milliseconds) instead of the whole answer's, and
 * barge-in can stop the answer between sentences without wasting work. The
 * generator is lazy: the next sentence is synthesised only when the consumer
 * asks for it, and before each one the event loop gets a turn, so the real-time
 * PCM streamer keeps its 20 ms schedule while the voice works.
 *
 * Structurally this is the engine's `VoicePort` (voice-port.ts).
 */
import { PicoVoice, type PicoVoiceOptions, type PicoStartupTimes } from './pico-voice';
import {
  DEFAULT_MAX_SENTENCE_CHARS,
  splitSentences,
  type SentenceSplitOptions,
} from './sentence-splitter';
import { checkSpeechRate, SpeechRateChanger } from './speech-rate';

export interface SpeechSynthesizerOptions extends PicoVoiceOptions {
  /** Longest piece synthesised at once; default 200 characters. */
  maxSentenceChars?: number;
}

export interface SynthesizeOptions {
  /** Speed factor, 0.5–2 (recommended 0.7–1.3); 1 = Pico's own pace. Pitch is kept. */
  rate?: number;
}

/** Timings of the set-up, for logs and metrics. */
export interface SpeechSynthesizerStartup extends PicoStartupTimes {
  /** Loading Sonic (time stretch). */
  rateMs: number;
  /** Everything, from the call to create() until ready. */
  totalMs: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class GermanSpeechSynthesizer {
  readonly sampleRate: number;
  private readonly split: SentenceSplitOptions;

  private constructor(
    private readonly voice: PicoVoice,
    private readonly rateChanger: SpeechRateChanger,
    maxSentenceChars: number,
    readonly startup: SpeechSynthesizerStartup,
  ) {
    this.sampleRate = voice.sampleRate;
    this.split = { maxChars: maxSentenceChars };
  }

  /** Loads Pico with the German voice and Sonic; create once per process and reuse. */
  static async create(options: SpeechSynthesizerOptions = {}): Promise<GermanSpeechSynthesizer> {
    const started = performance.now();
    const { maxSentenceChars = DEFAULT_MAX_SENTENCE_CHARS, ...voiceOptions } = options;
    // Validate before the expensive part.
    splitSentences('', { maxChars: maxSentenceChars });
    const voice = await PicoVoice.create(voiceOptions);
    const rateStarted = performance.now();
    let rateChanger: SpeechRateChanger;
    try {
      rateChanger = await SpeechRateChanger.create(voiceOptions.log);
    } catch (error) {
      voice.dispose();
      throw error;
    }
    const done = performance.now();
    return new GermanSpeechSynthesizer(voice, rateChanger, maxSentenceChars, {
      ...voice.startup,
      rateMs: done - rateStarted,
      totalMs: done - started,
    });
  }

  /** The pieces `synthesize` will speak, in order (for counting and transcripts). */
  sentences(text: string): string[] {
    return splitSentences(text, this.split);
  }

  /**
   * Speaks `text` sentence by sentence. Empty text yields nothing; sentences
   * with nothing to say (only emoji, another script) are skipped. Throws a
   * RangeError at once for a bad rate, and an Error naming the Pico or Sonic
   * step if synthesis fails.
   */
  synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<Int16Array> {
    const rate = options.rate ?? 1;
    checkSpeechRate(rate);
    const sentences = this.sentences(text);
    return this.stream(sentences, rate);
  }

  private async *stream(sentences: string[], rate: number): AsyncGenerator<Int16Array> {
    for (const sentence of sentences) {
      await nextTurn();
      const pcm = this.speakSentence(sentence, rate);
      if (pcm.length > 0) yield pcm;
    }
  }

  /** One sentence, synchronously: Pico, then the rate change. */
  speakSentence(sentence: string, rate = 1): Int16Array {
    checkSpeechRate(rate);
    const pcm = this.voice.speak(sentence);
    return rate === 1 ? pcm : this.rateChanger.change(pcm, rate, this.sampleRate);
  }

  /** The whole text as one buffer (prompts cached ahead, tests). */
  async synthesizeAll(text: string, options: SynthesizeOptions = {}): Promise<Int16Array> {
    const chunks: Int16Array[] = [];
    for await (const chunk of this.synthesize(text, options)) chunks.push(chunk);
    const all = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  /** Frees the WebAssembly memory of the voice. */
  dispose(): void {
    this.voice.dispose();
  }
}

/** Below this a sample is lead-in silence (about −46 dBFS). */
const LEAD_IN_LEVEL = 164;
/** What is kept before the first audible sample, so a soft onset is not clipped. */
const LEAD_IN_KEPT_MS = 10;

/**
 * `pcm` from LEAD_IN_KEPT_MS before its first audible sample (unchanged if it
 * starts loud). Pico starts each sentence with 30–60 ms of near-silence; the
 * engine's voice (engine-voice.ts) drops it before a turn's first word, which
 * the caller is waiting for, and keeps it between sentences (the rhythm).
 */
export function withoutLeadIn(pcm: Int16Array, sampleRate: number): Int16Array {
  let first = 0;
  while (first < pcm.length && Math.abs(pcm[first]!) < LEAD_IN_LEVEL) first++;
  if (first === pcm.length) return pcm;
  const start = Math.max(0, first - Math.round((sampleRate * LEAD_IN_KEPT_MS) / 1000));
  return start === 0 ? pcm : pcm.subarray(start);
}
