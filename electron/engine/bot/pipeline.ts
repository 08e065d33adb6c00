/**
 * A pipeline of processors that frames flow through, front to back (the
 * model is pipecat's). Each processor sees every frame and may pass it on,
 * replace it, or add frames; observers watch every frame at every stage
 * without changing anything (metrics, transcript, supervisor board).
 *
 * Barge-in: when a `user-started-speaking` frame passes, every processor's
 * queued speech is dropped (processors implement `interrupt`), control frames
 * keep flowing. A processor that throws does not stop the pipeline: the
 * error is reported and the frame is dropped at that stage.
 *
 * Frames that leave the last processor go to the pipeline's output listeners
 * (the session that owns the pipeline follows the conversation there). The
 * pipeline ends with an `end` frame through every processor; after it, frames
 * fed in at the front are ignored.
 */
import type { Frame } from './frames';

export type Push = (frame: Frame) => Promise<void>;

export interface FrameProcessor {
  readonly name: string;
  /** Handle one frame; call `push` for whatever goes downstream. */
  process(frame: Frame, push: Push): Promise<void> | void;
  /** The caller started speaking: drop queued or playing speech. */
  interrupt?(): void;
}

export interface FrameObserver {
  onFrame(stage: string, frame: Frame, at: number): void;
}

export class Pipeline {
  private readonly observers = new Set<FrameObserver>();
  private readonly errors: ((stage: string, error: Error) => void)[] = [];
  private readonly outputs: ((frame: Frame) => void)[] = [];
  private ended = false;

  constructor(
    private readonly processors: readonly FrameProcessor[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  observe(observer: FrameObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  onError(listener: (stage: string, error: Error) => void): void {
    this.errors.push(listener);
  }

  /** Frames that leave the last processor. */
  onOutput(listener: (frame: Frame) => void): void {
    this.outputs.push(listener);
  }

  /** Feed a frame in at the front (ignored once the pipeline has ended). */
  push(frame: Frame): Promise<void> {
    if (this.ended) return Promise.resolve();
    return this.runFrom(0, frame);
  }

  /** Sends the `end` frame through every processor, once; nothing is fed in after it. */
  end(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    return this.runFrom(0, { kind: 'end', at: this.now() });
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  private async runFrom(index: number, frame: Frame): Promise<void> {
    const processor = this.processors[index];
    const stage = processor?.name ?? 'output';
    const at = this.now();
    for (const observer of this.observers) observer.onFrame(stage, frame, at);
    if (!processor) {
      for (const listener of this.outputs) listener(frame);
      return;
    }
    // Each stage drops its queued speech as the barge-in frame reaches it.
    if (frame.kind === 'user-started-speaking') processor.interrupt?.();
    try {
      await processor.process(frame, (next) => this.runFrom(index + 1, next));
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      for (const listener of this.errors) listener(stage, e);
    }
  }
}

/** Records how long frames take between stages: the bot's latency metrics. */
export class TimingObserver implements FrameObserver {
  readonly marks: { stage: string; kind: string; at: number }[] = [];

  onFrame(stage: string, frame: Frame, at: number): void {
    this.marks.push({ stage, kind: frame.kind, at });
    if (this.marks.length > 5000) this.marks.splice(0, 1000);
  }

  /** Time from the first frame of `fromKind` to the next `toKind` reaching `toStage`. */
  latency(fromKind: string, toKind: string, toStage: string): number[] {
    const result: number[] = [];
    let start: number | undefined;
    for (const mark of this.marks) {
      if (mark.kind === fromKind && start === undefined) start = mark.at;
      else if (start !== undefined && mark.kind === toKind && mark.stage === toStage) {
        result.push(mark.at - start);
        start = undefined;
      }
    }
    return result;
  }
}
