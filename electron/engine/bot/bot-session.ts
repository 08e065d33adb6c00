/**
 * One bot conversation: the pipeline for one call, fed by what the speech
 * engine hears and what the caller keys, speaking through a BotOutput (the
 * call's outgoing leg in the engine, or a recorder in the simulator).
 *
 * It also owns the conversation's clock: when the bot has finished speaking
 * and waits for an answer, a silence timer runs; if the caller says nothing,
 * the dialogue gets a silence event (reprompt, then keypad, then a person).
 */
import { Dialogue, type DialogueDeps, type DialogueOutcome } from './dialogue';
import type { Frame } from './frames';
import { Pipeline, TimingObserver } from './pipeline';
import {
  DialogueProcessor,
  KeypadCollector,
  OutputProcessor,
  VoiceProcessor,
  type BotOutput,
  type TurnState,
} from './processors';

export interface BotSessionOptions {
  deps: DialogueDeps;
  synthesize: (text: string, rate: number) => AsyncIterable<Int16Array>;
  output: BotOutput;
  /** How long the caller may stay silent before a reprompt (ms). */
  silenceTimeoutMs?: number;
  onError?: (stage: string, error: Error) => void;
}

export class BotSession {
  readonly dialogue: Dialogue;
  readonly timing = new TimingObserver();
  private readonly pipeline: Pipeline;
  private readonly turn: TurnState = {
    expect: { type: 'open', silenceMs: 800, completeSilenceMs: 200, dtmf: true },
    speaking: false,
  };
  private silenceTimer?: ReturnType<typeof setTimeout>;
  private ended = false;
  /** Serialises caller events: one turn is decided before the next starts. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: BotSessionOptions) {
    this.dialogue = new Dialogue(options.deps);
    const target = options.output;
    // The session watches the end of the conversation and the start of each
    // listening phase; everything else goes straight to the real output.
    const output: BotOutput = {
      play: (pcm) => target.play(pcm),
      stopPlayback: () => target.stopPlayback(),
      drained: () => target.drained(),
      said: (text, source) => target.said(text, source),
      file: (item) => target.file(item),
      hangup: () => {
        this.stop();
        target.hangup();
      },
      handoff: (reason, priority, summary) => {
        this.stop();
        target.handoff(reason, priority, summary);
      },
      listen: (expect) => {
        target.listen(expect);
        this.armSilenceTimer();
      },
    };
    this.pipeline = new Pipeline([
      new KeypadCollector(this.turn),
      new DialogueProcessor(this.dialogue, this.turn),
      new VoiceProcessor(options.synthesize),
      new OutputProcessor(output, this.turn),
    ]);
    this.pipeline.observe(this.timing);
    if (options.onError) this.pipeline.onError(options.onError);
  }

  get outcome(): DialogueOutcome {
    return this.dialogue.result;
  }

  /** The call is answered; the caller ID (if any) is offered for callbacks. */
  start(callerId?: string): Promise<void> {
    return this.enqueue({
      kind: 'start',
      ...(callerId ? { callerId } : {}),
      at: performance.now(),
    });
  }

  /** A final transcript of the caller. */
  heard(text: string, confidence: number | null = null): Promise<void> {
    this.clearSilenceTimer();
    return this.enqueue({ kind: 'transcript', text, confidence, at: performance.now() });
  }

  keyed(digits: string): Promise<void> {
    this.clearSilenceTimer();
    return this.enqueue({ kind: 'dtmf', digits, at: performance.now() });
  }

  /** The caller started to speak (a partial result): barge-in if the bot talks. */
  callerSpeaking(): void {
    this.clearSilenceTimer();
    if (this.turn.speaking)
      void this.pipeline.push({ kind: 'user-started-speaking', at: performance.now() });
  }

  silence(): Promise<void> {
    return this.enqueue({ kind: 'silence-timeout', at: performance.now() });
  }

  stop(): void {
    this.ended = true;
    this.clearSilenceTimer();
  }

  /** Resolves when every event so far has gone through the pipeline. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(frame: Frame): Promise<void> {
    if (this.ended) return this.queue;
    this.queue = this.queue.then(() => this.pipeline.push(frame));
    return this.queue;
  }

  private armSilenceTimer(): void {
    const timeout = this.options.silenceTimeoutMs;
    if (!timeout || this.ended) return;
    this.clearSilenceTimer();
    // Count from when the caller has heard the whole question.
    void this.options.output.drained().then(() => {
      if (this.ended) return;
      this.turn.speaking = false;
      this.clearSilenceTimer();
      this.silenceTimer = setTimeout(() => void this.silence(), timeout);
    });
  }

  private clearSilenceTimer(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }
}
