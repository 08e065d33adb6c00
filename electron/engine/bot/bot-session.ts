/**
 * One bot conversation: the pipeline for one call, fed by what the speech
 * engine hears and what the caller keys, speaking through a BotOutput (the
 * call's outgoing leg in the engine, or a recorder in the simulator).
 *
 * It also owns the conversation's clock, and follows the conversation only
 * through the frames that leave the pipeline: when the dialogue has asked
 * something (`listen`) and the bot has stopped speaking
 * (`bot-stopped-speaking`), a silence timer runs; if the caller says nothing,
 * the dialogue gets a silence event. A caller keying an entry (`keying`: part
 * of a number or date is in) gets a longer timer from the last key, so a
 * pause to find the next digits goes by and only a long one is answered (the
 * dialogue keeps the digits and asks for the rest); a key or a word always
 * cancels a timer that is running or about to start.
 *
 * The greeting with the AI disclosure is heard in full (AI Act Art. 50): no
 * barge-in until it has been played. What the caller says or keys meanwhile
 * is held and goes to the dialogue right after it, in order — the words of
 * one stretch as one turn, marked as held, so the dialogue answers a request
 * (and acts on an emergency or a crisis) but never counts them as not
 * understood. A noise the recogniser made words of is no turn at all.
 */
import { isNoise } from './caller-input';
import { Dialogue } from './dialogue';
import type { DialogueDeps, DialogueOutcome } from './dialogue-types';
import type { Frame } from './frames';
import { Pipeline, TimingObserver } from './pipeline';
import {
  DialogueProcessor,
  OutputProcessor,
  UnderstandingProcessor,
  VoiceProcessor,
  type BotOutput,
} from './processors';
import type { Understand } from './understanding';

/** How long a caller in a call may stay silent after a question before the bot answers the silence (ms). */
export const SILENCE_TIMEOUT_MS = 6000;

/**
 * The clock the silence timers run on: the real one in a call, a virtual one
 * in the simulator (virtual-clock.ts), where a scripted pause lets it run.
 */
export interface SilenceClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: SilenceClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What one conversation needs: the dialogue's lookups and the classifier. */
export interface BotDeps extends DialogueDeps {
  understand: Understand;
}

export interface BotSessionOptions {
  deps: BotDeps;
  synthesize: (text: string, rate: number) => AsyncIterable<Int16Array>;
  output: BotOutput;
  /** How long the caller may stay silent before a reprompt (ms); absent: no timer. */
  silenceTimeoutMs?: number;
  /**
   * How long a caller may pause in the middle of keying a number or date
   * before being asked for the rest (ms); default twice `silenceTimeoutMs`.
   */
  keyingTimeoutMs?: number;
  /** The silence timers' clock (default: the real one). */
  clock?: SilenceClock;
  onError?: (stage: string, error: Error) => void;
}

export class BotSession {
  readonly dialogue: Dialogue;
  readonly timing = new TimingObserver();
  private readonly pipeline: Pipeline;
  /** The bot is speaking, as the output said: a caller who speaks now barges in. */
  private speaking = false;
  /** The bot waits for an answer: the silence timer runs once it has stopped speaking. */
  private waiting = false;
  /** The event in the pipeline made the dialogue ask something (a `listen` or `keying` came out). */
  private asked = false;
  /** How long the silence timer runs for what the caller is answering now (ms). */
  private timeoutMs: number | undefined;
  private silenceTimer?: unknown;
  private readonly clock: SilenceClock;
  private ended = false;
  /** Serialises caller events: one turn is decided before the next starts. */
  private queue: Promise<void> = Promise.resolve();
  /** The greeting is being said and cannot be interrupted; `queued`: all of it is with the output. */
  private greeting?: { queued: boolean; over: () => void };
  /** Resolves when the greeting has been heard (at once if there is none). */
  private greetingOver: Promise<void> = Promise.resolve();
  /** What the caller said or keyed during the greeting, in order. */
  private held: ({ words: string } | { keys: string })[] = [];

  constructor(private readonly options: BotSessionOptions) {
    this.dialogue = new Dialogue(options.deps);
    this.clock = options.clock ?? REAL_CLOCK;
    this.pipeline = new Pipeline([
      new UnderstandingProcessor(options.deps.understand),
      new DialogueProcessor(this.dialogue),
      new VoiceProcessor(options.synthesize),
      new OutputProcessor(options.output),
    ]);
    this.pipeline.observe(this.timing);
    this.pipeline.onOutput((frame) => this.follow(frame));
    if (options.onError) this.pipeline.onError(options.onError);
  }

  get outcome(): DialogueOutcome {
    return this.dialogue.result;
  }

  /**
   * The call is answered; the caller ID (if any) is offered for callbacks.
   * The greeting is said, and cannot be interrupted until it has been heard.
   */
  start(callerId?: string): Promise<void> {
    if (this.greeting || this.ended) return this.queue;
    this.greetingOver = new Promise((over) => (this.greeting = { queued: false, over }));
    return this.enqueue(
      { kind: 'start', ...(callerId ? { callerId } : {}), at: performance.now() },
      () => {
        if (!this.greeting) return;
        this.greeting.queued = true;
        // Nothing is playing (no voice, or all of it heard already): it is over.
        if (!this.speaking) this.greeted();
      },
    );
  }

  /**
   * A final transcript of the caller. During the greeting it is held for
   * right after it (a noise is dropped); resolves when it has been answered.
   */
  heard(text: string, confidence: number | null = null): Promise<void> {
    if (this.greeting) {
      if (!isNoise(text, confidence)) this.hold({ words: text });
      return this.idle();
    }
    this.answered();
    return this.enqueue({ kind: 'transcript', text, confidence, at: performance.now() });
  }

  /**
   * Keys from the caller (held during the greeting). Keys that only add to
   * an entry get no answer: the bot keeps waiting, and the keying timer
   * starts again from this key.
   */
  keyed(digits: string): Promise<void> {
    if (this.greeting) {
      this.hold({ keys: digits });
      return this.idle();
    }
    this.answered();
    return this.enqueue({ kind: 'dtmf', digits, at: performance.now() }, () => this.stillWaiting());
  }

  /**
   * The caller started to speak (a partial result): barge-in if the bot
   * talks — not during the greeting, which is always heard in full.
   */
  callerSpeaking(): void {
    if (this.greeting) return;
    this.answered();
    if (this.speaking)
      void this.pipeline.push({ kind: 'user-started-speaking', at: performance.now() });
  }

  silence(): Promise<void> {
    this.answered();
    return this.enqueue({ kind: 'silence-timeout', at: performance.now() });
  }

  /** The bot's part is over: no timer, no more events, and the pipeline ends. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.answered();
    this.held = [];
    this.greeting?.over();
    this.greeting = undefined;
    void this.pipeline.end();
  }

  /**
   * Resolves when every event so far has gone through the pipeline (what
   * is held, once the greeting is over and it has been answered).
   */
  idle(): Promise<void> {
    return this.greeting && this.held.length > 0
      ? this.greetingOver.then(() => this.queue)
      : this.queue;
  }

  private hold(item: { words: string } | { keys: string }): void {
    const last = this.held.at(-1);
    // One stretch of words is one turn: answered once.
    if ('words' in item && last && 'words' in last) last.words = `${last.words} ${item.words}`;
    else this.held.push(item);
  }

  /** The greeting has been heard: what the caller said or keyed meanwhile, in order. */
  private greeted(): void {
    const greeting = this.greeting;
    if (!greeting) return;
    this.greeting = undefined;
    const held = this.held.splice(0);
    if (held.length > 0) this.answered();
    for (const item of held) {
      if ('keys' in item) {
        void this.enqueue({ kind: 'dtmf', digits: item.keys, at: performance.now() }, () =>
          this.stillWaiting(),
        );
      } else {
        const frame: Frame = {
          kind: 'transcript',
          text: item.words,
          confidence: null,
          held: true,
          at: performance.now(),
        };
        void this.enqueue(frame, () => this.stillWaiting());
      }
    }
    greeting.over();
  }

  /** After a key or held words the dialogue left unanswered: the question stands, its timer runs. */
  private stillWaiting(): void {
    if (!this.asked) this.awaitAnswer();
  }

  private enqueue(frame: Frame, after?: () => void): Promise<void> {
    if (this.ended) return this.queue;
    this.queue = this.queue.then(async () => {
      this.asked = false;
      await this.pipeline.push(frame);
      after?.();
    });
    return this.queue;
  }

  /** The conversation as it leaves the pipeline. */
  private follow(frame: Frame): void {
    switch (frame.kind) {
      case 'bot-started-speaking':
        this.speaking = true;
        break;
      case 'bot-stopped-speaking':
        this.speaking = false;
        // Count from when the caller has heard the whole question.
        if (this.waiting) this.startSilenceTimer();
        if (this.greeting?.queued) this.greeted();
        break;
      case 'listen':
        this.asked = true;
        this.awaitAnswer(this.options.silenceTimeoutMs);
        break;
      case 'keying':
        this.asked = true;
        this.awaitAnswer(this.keyingTimeoutMs);
        break;
      case 'handoff':
      case 'hangup':
        this.stop();
        break;
      default:
        break;
    }
  }

  private get keyingTimeoutMs(): number | undefined {
    const silence = this.options.silenceTimeoutMs;
    return this.options.keyingTimeoutMs ?? (silence ? 2 * silence : undefined);
  }

  private awaitAnswer(timeoutMs = this.options.silenceTimeoutMs): void {
    if (this.ended) return;
    this.waiting = true;
    this.timeoutMs = timeoutMs;
    if (!this.speaking) this.startSilenceTimer();
  }

  /** The caller did something (or the silence is being answered): no timer now. */
  private answered(): void {
    this.waiting = false;
    if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private startSilenceTimer(): void {
    const timeout = this.timeoutMs;
    if (!timeout || this.ended) return;
    if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.clock.setTimeout(() => {
      this.silenceTimer = undefined;
      void this.silence();
    }, timeout);
  }
}
