/**
 * One audio stream inside the speech worker: a libvosk recognizer, a VAD and
 * an Endpointer, fed in 30 ms frames.
 *
 * Why 30 ms frames: WebRTC VAD decides per 10/20/30 ms frame and the
 * endpointer must act at a frame boundary: when a turn ends, the recognizer
 * is flushed *there*, and the rest of the chunk already belongs to the next
 * utterance. 30 ms is also libvosk's decoder frame with
 * frame-subsampling-factor 3.
 *
 * Times: libvosk reports word times in seconds since its recognizer was
 * created (it keeps counting across utterances). `epochMs` is the stream time
 * at which the current recognizer was created, so a word's stream time is
 * epochMs + its time. libvosk multiplies decoder frames by 30 ms whatever the
 * model's frame-subsampling-factor is; `timeScale` (= factor / 3) puts that right.
 */
import type { RecognizedWord } from '../../contract';
import { Endpointer, type EndpointEvent, type EndpointSettings } from './endpointer';
import type { LibVosk, ModelHandle, RecognizerHandle } from './libvosk';
import {
  SAMPLE_RATE,
  type FinalEvent,
  type PartialEvent,
  type StreamSettings,
} from './speech-protocol';
import { VoiceActivityDetector } from './voice-activity';

const FRAME_SAMPLES = 480;
const FRAME_MS = (FRAME_SAMPLES * 1000) / SAMPLE_RATE;

export interface StreamOutput {
  partial(event: PartialEvent): void;
  final(event: FinalEvent): void;
  warn(message: string): void;
}

interface VoskWord {
  word?: unknown;
  start?: unknown;
  end?: unknown;
  conf?: unknown;
}

interface Utterance {
  text: string;
  words: RecognizedWord[];
  alternatives?: { text: string; confidence: number }[];
}

export class StreamRecognizer {
  private recognizer: RecognizerHandle;
  private readonly vad: VoiceActivityDetector;
  private readonly endpointer: Endpointer;
  private settings: StreamSettings;
  /** Stream time at the end of the audio fed so far. */
  private streamMs: number;
  private epochMs: number;
  /** Samples that did not fill a whole frame yet. */
  private readonly remainder = new Int16Array(FRAME_SAMPLES);
  private remainderLength = 0;
  /** Utterances libvosk ended inside a turn that is still open (useRecognizerEndpoint = false). */
  private pending: Utterance[] = [];
  private lastPartialMs = -Infinity;
  /** For the CPU report. */
  audioMs = 0;
  processingMs = 0;

  constructor(
    private readonly vosk: LibVosk,
    private readonly model: ModelHandle,
    readonly streamId: string,
    startMs: number,
    settings: StreamSettings,
    private readonly timeScale: number,
    private readonly output: StreamOutput,
  ) {
    this.settings = settings;
    this.streamMs = startMs;
    this.epochMs = startMs;
    this.endpointer = new Endpointer(settings.endpoint, startMs);
    this.vad = VoiceActivityDetector.create(settings.endpoint.vadMode);
    try {
      this.recognizer = this.newRecognizer();
    } catch (error) {
      this.vad.dispose();
      throw error;
    }
  }

  /** Feeds audio; events come out through `output` synchronously. */
  accept(samples: Int16Array): void {
    const started = performance.now();
    let offset = 0;
    if (this.remainderLength > 0) {
      const take = Math.min(FRAME_SAMPLES - this.remainderLength, samples.length);
      this.remainder.set(samples.subarray(0, take), this.remainderLength);
      this.remainderLength += take;
      offset = take;
      if (this.remainderLength === FRAME_SAMPLES) {
        this.frame(this.remainder);
        this.remainderLength = 0;
      }
    }
    for (; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
      this.frame(samples.subarray(offset, offset + FRAME_SAMPLES));
    }
    if (offset < samples.length) {
      this.remainder.set(samples.subarray(offset), 0);
      this.remainderLength = samples.length - offset;
    }
    this.audioMs += (samples.length * 1000) / SAMPLE_RATE;
    this.processingMs += performance.now() - started;
  }

  /** New settings; a new grammar means a new recognizer (libvosk cannot change it in place). */
  configure(
    change: Partial<Omit<StreamSettings, 'endpoint'>> & {
      endpoint?: Partial<EndpointSettings>;
    },
  ): void {
    const { endpoint, ...rest } = change;
    const grammarChanged =
      change.grammar !== undefined &&
      JSON.stringify(change.grammar) !== JSON.stringify(this.settings.grammar);
    this.settings = {
      ...this.settings,
      ...rest,
      endpoint: { ...this.settings.endpoint, ...endpoint },
    };
    this.endpointer.configure(this.settings.endpoint);
    if (endpoint?.vadMode !== undefined) this.vad.setMode(endpoint.vadMode);
    if (grammarChanged) {
      this.flush();
      const next = this.newRecognizer();
      this.vosk.recognizerFree(this.recognizer);
      this.recognizer = next;
      this.epochMs = this.streamMs;
    } else if (change.maxAlternatives !== undefined) {
      this.vosk.setMaxAlternatives(this.recognizer, change.maxAlternatives);
    }
  }

  /** Ends the current turn (if any) with reason 'flush'. */
  flush(): void {
    const end = this.endpointer.flush();
    if (end?.type === 'turn-end') this.finishTurn(end);
    else this.emitLoose(this.read(this.vosk.finalResult(this.recognizer)), 'flush');
  }

  close(): void {
    this.flush();
    this.vosk.recognizerFree(this.recognizer);
    this.vad.dispose();
  }

  private newRecognizer(): RecognizerHandle {
    const { grammar, maxAlternatives } = this.settings;
    let recognizer: RecognizerHandle | null;
    if (grammar) {
      const phrases = grammar.includes('[unk]') ? grammar : [...grammar, '[unk]'];
      const unknown = [
        ...new Set(phrases.flatMap((phrase) => phrase.split(/\s+/).filter(Boolean))),
      ].filter((word) => word !== '[unk]' && this.vosk.modelFindWord(this.model, word) < 0);
      if (unknown.length > 0)
        this.output.warn(
          `stream ${this.streamId}: grammar words not in the model's vocabulary: ${unknown.join(', ')}`,
        );
      recognizer = this.vosk.recognizerNewGrammar(this.model, SAMPLE_RATE, JSON.stringify(phrases));
    } else {
      recognizer = this.vosk.recognizerNew(this.model, SAMPLE_RATE);
    }
    if (!recognizer) throw new Error(`libvosk could not create a recognizer for ${this.streamId}`);
    this.vosk.setWords(recognizer, true);
    if (maxAlternatives > 0) this.vosk.setMaxAlternatives(recognizer, maxAlternatives);
    return recognizer;
  }

  private frame(frame: Int16Array): void {
    const state = this.vosk.acceptWaveform(this.recognizer, frame);
    if (state < 0) throw new Error(`libvosk rejected audio of stream ${this.streamId}`);
    this.streamMs += FRAME_MS;
    if (state === 1) this.recognizerEndpoint();
    const events = this.endpointer.frame(this.vad.isSpeech(frame), FRAME_MS);
    for (const event of events) {
      if (event.type === 'turn-end') this.finishTurn(event);
      else this.lastPartialMs = -Infinity; // a partial right at the turn start
    }
    if (
      this.endpointer.inTurn &&
      this.streamMs - this.lastPartialMs >= this.settings.partialIntervalMs
    ) {
      this.lastPartialMs = this.streamMs;
      const partial = this.readPartial();
      const text = [...this.pending.map((u) => u.text), partial].filter(Boolean).join(' ');
      // The whole turn so far: whether it sounds finished depends on all of it.
      this.endpointer.partial(text);
      this.output.partial({
        streamId: this.streamId,
        text,
        startMs: this.endpointer.turnStartMs ?? this.streamMs,
        endMs: this.streamMs,
        atMs: this.streamMs,
      });
    }
  }

  private recognizerEndpoint(): void {
    const utterance = this.read(this.vosk.result(this.recognizer));
    const end = this.endpointer.recognizerEndpoint();
    if (end?.type === 'turn-end') {
      this.pending.push(utterance);
      this.emitTurn(end);
    } else if (this.endpointer.inTurn) {
      this.pending.push(utterance);
    } else {
      this.emitLoose(utterance, 'endpoint');
    }
  }

  private finishTurn(end: Extract<EndpointEvent, { type: 'turn-end' }>): void {
    this.pending.push(this.read(this.vosk.finalResult(this.recognizer)));
    this.emitTurn(end);
  }

  private emitTurn(end: Extract<EndpointEvent, { type: 'turn-end' }>): void {
    const parts = this.pending;
    this.pending = [];
    const words = parts.flatMap((u) => u.words);
    const text = parts
      .map((u) => u.text)
      .filter(Boolean)
      .join(' ');
    // Noise the VAD took for speech, or a cough: nothing to transcribe.
    if (!text) return;
    const alternatives = parts.length === 1 ? parts[0]?.alternatives : undefined;
    this.output.final({
      streamId: this.streamId,
      text,
      words,
      ...(alternatives ? { alternatives } : {}),
      startMs: Math.min(end.turnStartMs, words[0]?.startMs ?? Infinity),
      endMs: words.at(-1)?.endMs ?? end.speechEndMs,
      atMs: this.streamMs,
      reason: end.reason,
    });
  }

  /** A result outside any turn (libvosk heard words the VAD did not call speech). */
  private emitLoose(utterance: Utterance, reason: FinalEvent['reason']): void {
    const pending = this.pending;
    this.pending = [];
    const all = [...pending, utterance];
    const text = all
      .map((u) => u.text)
      .filter(Boolean)
      .join(' ');
    if (!text) return;
    const words = all.flatMap((u) => u.words);
    this.output.final({
      streamId: this.streamId,
      text,
      words,
      ...(utterance.alternatives && all.length === 1
        ? { alternatives: utterance.alternatives }
        : {}),
      startMs: words[0]?.startMs ?? this.streamMs,
      endMs: words.at(-1)?.endMs ?? this.streamMs,
      atMs: this.streamMs,
      reason,
    });
  }

  private readPartial(): string {
    try {
      const parsed = JSON.parse(this.vosk.partialResult(this.recognizer)) as { partial?: unknown };
      return typeof parsed.partial === 'string' ? parsed.partial.trim() : '';
    } catch {
      return '';
    }
  }

  /** Parses libvosk's result JSON, in either shape (with or without alternatives). */
  private read(json: string): Utterance {
    let parsed: {
      text?: unknown;
      result?: unknown;
      alternatives?: { text?: unknown; confidence?: unknown; result?: unknown }[];
    };
    try {
      parsed = JSON.parse(json) as typeof parsed;
    } catch {
      this.output.warn(`stream ${this.streamId}: libvosk returned unreadable JSON`);
      return { text: '', words: [] };
    }
    const toMs = (seconds: unknown): number =>
      Math.round(
        this.epochMs + (typeof seconds === 'number' ? seconds : 0) * 1000 * this.timeScale,
      );
    const words = (list: unknown): RecognizedWord[] =>
      (Array.isArray(list) ? (list as VoskWord[]) : [])
        .filter((w) => typeof w.word === 'string')
        .map((w) => ({
          word: String(w.word),
          startMs: toMs(w.start),
          endMs: toMs(w.end),
          conf: typeof w.conf === 'number' ? w.conf : 1,
        }));
    if (Array.isArray(parsed.alternatives)) {
      const best = parsed.alternatives[0];
      return {
        text: typeof best?.text === 'string' ? best.text.trim() : '',
        words: words(best?.result),
        alternatives: parsed.alternatives.map((a) => ({
          text: typeof a.text === 'string' ? a.text.trim() : '',
          confidence: typeof a.confidence === 'number' ? a.confidence : 0,
        })),
      };
    }
    return {
      text: typeof parsed.text === 'string' ? parsed.text.trim() : '',
      words: words(parsed.result),
    };
  }
}
