/**
 * Runs one bot frame processor on its own, the way pipecat's `run_test`
 * does: the frames in go through a pipeline of just this processor (so a
 * `user-started-speaking` frame interrupts it as in a call), and whatever
 * leaves it comes back, in order. An error the processor throws is thrown
 * here (a live pipeline only reports it). Frames a processor sends later on
 * its own, such as the output's `bot-stopped-speaking` once the audio has
 * played, are collected until `settle` resolves.
 */
import type { Frame } from '../../electron/engine/bot/frames';
import { Pipeline, type FrameProcessor } from '../../electron/engine/bot/pipeline';

export async function runProcessor(
  processor: FrameProcessor,
  framesIn: readonly Frame[],
  options: { settle?: () => Promise<void> } = {},
): Promise<Frame[]> {
  const pipeline = new Pipeline([processor]);
  const framesOut: Frame[] = [];
  const errors: Error[] = [];
  pipeline.onOutput((frame) => framesOut.push(frame));
  pipeline.onError((_stage, error) => errors.push(error));
  for (const frame of framesIn) {
    await pipeline.push(frame);
    if (errors.length > 0) throw errors[0];
  }
  await options.settle?.();
  if (errors.length > 0) throw errors[0];
  return framesOut;
}

/** The kinds of frames, in order: the usual thing to compare. */
export function kinds(frames: readonly Frame[]): Frame['kind'][] {
  return frames.map((frame) => frame.kind);
}
