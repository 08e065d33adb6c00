/**
 * The bot's lines: calls the bot takes while the agent's audio path is
 * busy (the agent talks, or the bot already has the first call). Each line
 * has an audio graph of its own, with no microphone in it:
 *
 *   engine PCM tagged for the call ──▶ playout worklet ──▶ outgoing stream ──▶ sip.js
 *   the call's remote track ──▶ tap "caller" (frames tagged with the call) ──▶ engine
 *
 * Nothing of a bot line reaches the agent's speakers or microphone, and
 * nothing of the agent's call reaches a bot line: the engine's frames are
 * played only into the line their tag names. When the agent takes a line
 * over, its graph is released and the call gets the agent's audio path.
 */
import { callTagOf, type AudioFrame } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';
import { createGraph, createTap, retireWorklet, type Graph } from './audio-graph';

interface Line {
  callId: string;
  graph: Graph;
  destination: MediaStreamAudioDestinationNode;
  /** The remote stream also plays (muted) in an element: headless Chromium feeds WebAudio silence otherwise. */
  element?: HTMLAudioElement;
  remoteSource?: MediaStreamAudioSourceNode;
  remoteTap?: AudioWorkletNode;
  seq: number;
}

export class BotLineAudio {
  /** Lines by the tag their frames carry. */
  private readonly lines = new Map<string, Line>();
  private readonly creating = new Map<string, Promise<MediaStream>>();

  constructor(
    private readonly client: EngineClient,
    private readonly onProblem: (message: string) => void = () => {},
    private readonly onPlayoutGap?: () => void,
  ) {}

  /** Bot lines whose audio is set up. */
  get inUse(): number {
    return this.lines.size;
  }

  has(callId: string): boolean {
    return this.lines.has(callTagOf(callId));
  }

  /** The stream sip.js sends for bot line `callId`: the engine's play-out of that call only. */
  create(callId: string): Promise<MediaStream> {
    const tag = callTagOf(callId);
    const known = this.lines.get(tag);
    if (known) return Promise.resolve(known.destination.stream);
    let creating = this.creating.get(tag);
    if (!creating) {
      creating = createGraph(this.onPlayoutGap)
        .then((graph) => {
          const destination = graph.context.createMediaStreamDestination();
          destination.channelCount = 1;
          graph.playout.connect(destination);
          this.lines.set(tag, { callId, graph, destination, seq: 0 });
          return destination.stream;
        })
        .finally(() => this.creating.delete(tag));
      this.creating.set(tag, creating);
    }
    return creating;
  }

  /** Taps the caller of bot line `callId` (its remote WebRTC stream) for the engine. */
  async attachRemote(callId: string, stream: MediaStream): Promise<void> {
    const tag = callTagOf(callId);
    const line = this.lines.get(tag);
    if (!line) return;
    const { context } = line.graph;
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
    if (this.lines.get(tag) !== line) return;
    if (!line.element) {
      line.element = new Audio();
      line.element.muted = true;
    }
    if (line.element.srcObject !== stream) {
      line.element.srcObject = stream;
      void line.element.play().catch(() => undefined);
    }
    line.remoteSource?.disconnect();
    const previous = line.remoteTap;
    if (previous) void retireWorklet(previous).then(() => previous.disconnect());
    const remoteSource = context.createMediaStreamSource(stream);
    const remoteTap = createTap(line.graph, {
      send: (samples) =>
        this.client.sendAudio({
          leg: 'caller',
          seq: line.seq++,
          sentAt: performance.timeOrigin + performance.now(),
          samples,
          callTag: tag,
        }),
      problem: (message) => this.onProblem(`bot line ${callId}: ${message}`),
    });
    remoteSource.connect(remoteTap);
    line.remoteSource = remoteSource;
    line.remoteTap = remoteTap;
  }

  /**
   * An engine frame for one of the bot lines: played into that line (the
   * bot's voice), and true. False: the frame is not a bot line's.
   */
  play(frame: AudioFrame): boolean {
    if (frame.callTag === undefined) return false;
    const line = this.lines.get(frame.callTag);
    if (!line) return false;
    if (frame.leg !== 'outgoing') return true;
    if (frame.flush) {
      line.graph.playout.port.postMessage('flush');
      return true;
    }
    const buffer = frame.samples.buffer as ArrayBuffer;
    line.graph.playout.port.postMessage(buffer, [buffer]);
    return true;
  }

  /** Bot line `callId` ended or was taken over: its graph and streams are released. */
  release(callId: string): void {
    const tag = callTagOf(callId);
    const line = this.lines.get(tag);
    if (!line) return;
    this.lines.delete(tag);
    if (line.element) line.element.srcObject = null;
    line.remoteSource?.disconnect();
    line.destination.stream.getTracks().forEach((track) => track.stop());
    const { context, playout } = line.graph;
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const worklets = [line.remoteTap, playout].filter((node) => node !== undefined);
    void Promise.all(worklets.map((node) => retireWorklet(node)))
      .then(() => context.close())
      .catch(() => undefined);
  }
}
