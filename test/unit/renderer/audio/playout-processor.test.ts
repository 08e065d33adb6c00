/**
 * The play-out worklet outside a browser: the AudioWorklet globals are
 * stood in for, the processor class is driven quantum by quantum as the
 * audio thread would.
 */
import { beforeAll, describe, expect, it } from 'vitest';

type Processor = {
  port: { onmessage: ((event: { data: unknown }) => void) | null };
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
};
let Playout: new () => Processor;
const posted: unknown[] = [];

beforeAll(async () => {
  const scope = globalThis as Record<string, unknown>;
  scope.sampleRate = 16_000;
  scope.AudioWorkletProcessor = class {
    port = {
      onmessage: null as ((event: { data: unknown }) => void) | null,
      postMessage: (data: unknown) => posted.push(data),
      close: () => undefined,
    };
  };
  scope.registerProcessor = (_name: string, processor: new () => Processor) => {
    Playout = processor;
  };
  // A worklet script, not a module: loaded for its registerProcessor call.
  await import('../../../../renderer/audio/playout-processor.ts?worklet' as string);
});

function send(processor: Processor, ms: number): void {
  const samples = new Int16Array((16 * ms) | 0).fill(1000);
  processor.port.onmessage?.({ data: samples.buffer });
}

/** Plays `ms` of output (128-sample quanta). */
function play(processor: Processor, ms: number): void {
  for (let n = 0; n < (16 * ms) / 128; n++) processor.process([], [[new Float32Array(128)]]);
}

const gaps = () => posted.filter((m) => (m as { type?: string }).type === 'gap').length;

describe('playout worklet', () => {
  it('reports a gap when audio comes late in the middle of speech, not after a pause', () => {
    const processor = new Playout();
    posted.length = 0;
    send(processor, 200);
    play(processor, 300); // plays 200 ms, runs dry
    send(processor, 200); // 100 ms after running dry: the caller heard a gap
    expect(gaps()).toBe(1);
    play(processor, 1200); // plays it, then a long pause
    send(processor, 200); // a new utterance: no gap
    expect(gaps()).toBe(1);
  });
});
