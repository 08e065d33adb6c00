/**
 * The bot's processors, front to back:
 *
 *   KeypadCollector → DialogueProcessor → VoiceProcessor → OutputProcessor
 *
 * Keys are collected into whole entries (a number ends with #, a date after
 * eight digits); the dialogue turns what was heard or keyed into answers,
 * listen expectations and actions; the voice turns answers into PCM; the
 * output plays it into the call and carries out the actions.
 */
import type { BotAction, BotTurn, Dialogue, DialogueEvent } from './dialogue';
import type { Frame, ListenExpectation, WorklistItem } from './frames';
import type { FrameProcessor, Push } from './pipeline';

/** What the processors share about the turn in progress. */
export interface TurnState {
  expect: ListenExpectation;
  /** The bot is speaking (a caller who speaks now barges in). */
  speaking: boolean;
}

export class KeypadCollector implements FrameProcessor {
  readonly name = 'keypad';
  private buffer = '';

  constructor(private readonly turn: TurnState) {}

  async process(frame: Frame, push: Push): Promise<void> {
    if (frame.kind !== 'dtmf') {
      if (frame.kind === 'listen') this.buffer = '';
      await push(frame);
      return;
    }
    const keys = frame.digits.replace(/[^0-9*#]/g, '');
    if (!keys) return;
    const expect = this.turn.expect.type;
    if (expect === 'open' || expect === 'yes-no') {
      await push({ ...frame, digits: keys.slice(0, 1) });
      return;
    }
    this.buffer += keys;
    const complete =
      this.buffer.includes('#') ||
      (expect === 'date' && this.buffer.replace(/\D/g, '').length >= 8);
    if (complete) {
      const digits = this.buffer;
      this.buffer = '';
      await push({ ...frame, digits });
    }
  }
}

export class DialogueProcessor implements FrameProcessor {
  readonly name = 'dialogue';

  constructor(
    private readonly dialogue: Dialogue,
    private readonly turn: TurnState,
  ) {}

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
        at: frame.at,
      });
    }
    if (reply.listen) {
      this.turn.expect = reply.listen;
      await push({ kind: 'listen', expect: reply.listen, at: frame.at });
    }
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
    case 'transcript':
      return { type: 'utterance', text: frame.text, confidence: frame.confidence };
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
  said(text: string, source?: string): void;
  listen(expect: ListenExpectation): void;
  handoff(reason: string, priority: boolean, summary: string): void;
  file(item: WorklistItem): void;
  hangup(): void;
}

export class OutputProcessor implements FrameProcessor {
  readonly name = 'output';

  constructor(
    private readonly output: BotOutput,
    private readonly turn: TurnState,
  ) {}

  interrupt(): void {
    this.output.stopPlayback();
    this.turn.speaking = false;
  }

  async process(frame: Frame, push: Push): Promise<void> {
    switch (frame.kind) {
      case 'answer':
        this.output.said(frame.text, frame.source);
        break;
      case 'speech':
        this.turn.speaking = true;
        this.output.play(frame.pcm);
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
}
