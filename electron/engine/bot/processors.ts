/**
 * The bot's processors, front to back:
 *
 *   UnderstandingProcessor → DialogueProcessor → VoiceProcessor → OutputProcessor
 *
 * Understanding classifies each transcript once and sends an `intent` frame;
 * the dialogue turns intents, keys and silences into answers, listen
 * expectations and actions; the voice turns answers into PCM; the output
 * plays it into the call, carries out the actions and says when the bot
 * started and stopped speaking. They share nothing but the frames they send
 * (pipecat's model), so each can be run and tested on its own.
 */
import { cleanText, isNoise } from './caller-input';
import type { Dialogue } from './dialogue';
import type { BotAction, BotTurn, DialogueEvent } from './dialogue-types';
import type { Frame, ListenExpectation, WorklistItem } from './frames';
import type { FrameProcessor, Push } from './pipeline';
import type { Understand } from './understanding';

/** Transcript in, intent out: the one place an utterance is classified. */
export class UnderstandingProcessor implements FrameProcessor {
  readonly name = 'understanding';

  constructor(private readonly understand: Understand) {}

  async process(frame: Frame, push: Push): Promise<void> {
    if (frame.kind !== 'transcript') {
      await push(frame);
      return;
    }
    const { intent, confidence, entities } = this.understand(cleanText(frame.text));
    await push({
      kind: 'intent',
      intent,
      confidence,
      entities,
      text: frame.text,
      ...(frame.held ? { held: true } : {}),
      ...(isNoise(frame.text, frame.confidence) ? { noise: true } : {}),
      at: frame.at,
    });
  }
}

/** Intents, keys and silences in; what the bot says, how it listens and what it does out. */
export class DialogueProcessor implements FrameProcessor {
  readonly name = 'dialogue';

  constructor(private readonly dialogue: Dialogue) {}

  async process(frame: Frame, push: Push): Promise<void> {
    const event = toEvent(frame);
    if (!event) {
      await push(frame);
      return;
    }
    const reply: BotTurn = await this.dialogue.handle(event);
    if (reply.say) {
      await push({
        kind: 'answer',
        text: reply.say,
        rate: reply.rate,
        ...(reply.source ? { source: reply.source } : {}),
        ...(reply.answer ? { answered: reply.answer } : {}),
        at: frame.at,
      });
    }
    if (reply.listen) await push({ kind: 'listen', expect: reply.listen, at: frame.at });
    if (reply.keying) await push({ kind: 'keying', at: frame.at });
    if (reply.action?.type === 'callback' || reply.action?.type === 'message') {
      await push({ kind: 'worklist', item: reply.action, at: frame.at });
    }
    if (reply.action) await push(actionFrame(reply.action, frame.at));
  }
}

function toEvent(frame: Frame): DialogueEvent | undefined {
  switch (frame.kind) {
    case 'start':
      return { type: 'start', ...(frame.callerId ? { callerId: frame.callerId } : {}) };
    case 'intent':
      return {
        type: 'utterance',
        text: frame.text,
        ...(frame.held ? { held: true } : {}),
        ...(frame.noise ? { noise: true } : {}),
        understanding: {
          intent: frame.intent,
          confidence: frame.confidence,
          entities: frame.entities,
        },
      };
    case 'dtmf':
      return { type: 'dtmf', digits: frame.digits };
    case 'silence-timeout':
      return { type: 'silence' };
    default:
      return undefined;
  }
}

function actionFrame(action: BotAction, at: number): Frame {
  switch (action.type) {
    case 'handoff':
      return {
        kind: 'handoff',
        reason: action.reason,
        priority: action.priority,
        summary: action.summary,
        at,
      };
    case 'hangup':
      return { kind: 'hangup', at };
    case 'callback':
    case 'message':
      // Filed as a worklist frame just before; the call ends after the confirmation.
      return { kind: 'hangup', at };
  }
}

/** Text to PCM, sentence by sentence; an interruption abandons the rest. */
export class VoiceProcessor implements FrameProcessor {
  readonly name = 'voice';
  private generation = 0;

  constructor(
    private readonly synthesize: (text: string, rate: number) => AsyncIterable<Int16Array>,
  ) {}

  interrupt(): void {
    this.generation++;
  }

  async process(frame: Frame, push: Push): Promise<void> {
    // The end: whatever is still being synthesised is not wanted any more.
    if (frame.kind === 'end') this.interrupt();
    if (frame.kind !== 'answer') {
      await push(frame);
      return;
    }
    await push(frame); // observers and the transcript see the text
    const generation = this.generation;
    const utteranceId = `u${generation}-${frame.at}`;
    for await (const pcm of this.synthesize(frame.text, frame.rate)) {
      if (generation !== this.generation) return;
      await push({ kind: 'speech', pcm, utteranceId, at: performance.now() });
    }
  }
}

export interface BotOutput {
  /** Queue PCM for the caller; resolves when queued (not when played). */
  play(pcm: Int16Array): void;
  /** Drop everything queued or playing (barge-in). */
  stopPlayback(): void;
  /** Resolves when everything queued has been played. */
  drained(): Promise<void>;
  /**
   * The bot said `text`; `answer` is the part of it that answered the caller
   * (absent: only fixed prompts), `source` where that answer comes from.
   */
  said(text: string, source?: string, answer?: string): void;
  listen(expect: ListenExpectation): void;
  handoff(reason: string, priority: boolean, summary: string): void;
  file(item: WorklistItem): void;
  hangup(): void;
}

/**
 * Into the call: plays speech, carries out the actions, and sends
 * `bot-started-speaking` when a stretch of speech starts playing and
 * `bot-stopped-speaking` when the caller has heard all of it or cut it short.
 */
export class OutputProcessor implements FrameProcessor {
  readonly name = 'output';
  private speaking = false;
  /** Counts stretches of speech, so a late "drained" of an interrupted one is ignored. */
  private stretch = 0;

  constructor(private readonly output: BotOutput) {}

  interrupt(): void {
    this.output.stopPlayback();
  }

  async process(frame: Frame, push: Push): Promise<void> {
    switch (frame.kind) {
      case 'user-started-speaking': {
        const wasSpeaking = this.speaking;
        this.speaking = false;
        this.stretch++;
        await push(frame);
        if (wasSpeaking) await push({ kind: 'bot-stopped-speaking', at: frame.at });
        return;
      }
      case 'speech':
        this.output.play(frame.pcm);
        await push(frame);
        if (!this.speaking) await this.startSpeaking(push, frame.at);
        return;
      case 'answer':
        this.output.said(frame.text, frame.source, frame.answered);
        break;
      case 'listen':
        this.output.listen(frame.expect);
        break;
      case 'handoff':
        // The caller hears the whole sentence before the line rings elsewhere.
        await this.output.drained();
        this.output.handoff(frame.reason, frame.priority, frame.summary);
        break;
      case 'worklist':
        this.output.file(frame.item);
        break;
      case 'hangup':
        await this.output.drained();
        this.output.hangup();
        break;
      default:
        break;
    }
    await push(frame);
  }

  private async startSpeaking(push: Push, at: number): Promise<void> {
    this.speaking = true;
    const stretch = ++this.stretch;
    await push({ kind: 'bot-started-speaking', at });
    void this.output
      .drained()
      .then(async () => {
        if (!this.speaking || stretch !== this.stretch) return;
        this.speaking = false;
        await push({ kind: 'bot-stopped-speaking', at: performance.now() });
      })
      // A call that is gone has no one to tell.
      .catch(() => undefined);
  }
}
