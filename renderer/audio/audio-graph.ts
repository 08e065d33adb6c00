/**
 * The pieces every call's audio graph is made of: a 16 kHz context with the
 * tap and play-out worklets loaded, a tap that turns a node's output into
 * 20 ms int16 frames, and the clean end of a worklet node. The agent's call
 * (audio-path.ts) and the bot's lines (bot-line-audio.ts) build on them.
 */
import { FRAME_SAMPLES, SAMPLE_RATE } from '../../electron/contract';
import playoutUrl from './playout-processor.ts?worker&url';
import tapUrl from './tap-processor.ts?worker&url';

/** A running context with the worklets loaded and the play-out in place. */
export interface Graph {
  context: AudioContext;
  /** Silent sink that pulls the worklets (nothing is played locally). */
  sink: GainNode;
  playout: AudioWorkletNode;
}

export async function createGraph(onPlayoutGap?: () => void): Promise<Graph> {
  const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  try {
    await Promise.all([
      context.audioWorklet.addModule(tapUrl),
      context.audioWorklet.addModule(playoutUrl),
    ]);
    const sink = context.createGain();
    sink.gain.value = 0;
    sink.connect(context.destination);
    const playout = new AudioWorkletNode(context, 'lotse-playout', {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    playout.connect(sink);
    // The play-out reports each stutter (a late frame the caller heard as a gap).
    playout.port.onmessage = (event: MessageEvent<unknown>) => {
      if ((event.data as { type?: string } | null)?.type === 'gap') onPlayoutGap?.();
    };
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
    return { context, sink, playout };
  } catch (error) {
    void context.close().catch(() => undefined);
    throw error;
  }
}

/** Longest wait for a worklet processor to confirm "stopped". */
const WORKLET_STOP_TIMEOUT_MS = 1000;

/**
 * Ends a worklet node for good: its port goes quiet at once (no more frames
 * to the engine), and the promise resolves when the processor has returned
 * false. Only then can Chromium collect the node – one that is still
 * "active" when its context closes stays in memory with everything it is
 * connected to.
 */
export function retireWorklet(node: AudioWorkletNode): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      node.port.onmessage = null;
      resolve();
    };
    const timer = setTimeout(done, WORKLET_STOP_TIMEOUT_MS);
    node.port.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data === 'stopped') done();
    };
    node.port.postMessage('stop');
  });
}

/**
 * A tap on `graph`: what is connected to it goes out as 20 ms frames of
 * 16-bit PCM (`send`); a worklet's complaint goes to `problem`.
 */
export function createTap(
  graph: Graph,
  sink: { send(samples: Int16Array): void; problem(message: string): void },
): AudioWorkletNode {
  const tap = new AudioWorkletNode(graph.context, 'lotse-tap', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    channelCount: 1,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
  });
  tap.port.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!(data instanceof ArrayBuffer)) {
      sink.problem(String((data as { error?: string }).error ?? 'audio tap problem'));
      return;
    }
    const samples = new Int16Array(data);
    if (samples.length === FRAME_SAMPLES) sink.send(samples);
  };
  // A worklet is only processed while something pulls on it.
  tap.connect(graph.sink);
  return tap;
}
