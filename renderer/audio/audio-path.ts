/**
 * The renderer's audio graph, one AudioContext at 16 kHz for the whole app:
 *
 *   microphone ──▶ mic gain (mute) ──┬──────────────▶ outgoing destination ──▶ sip.js track
 *                                    └─▶ tap "agent"   ▲
 *   engine PCM ──▶ playout worklet ────────────────────┘
 *   remote track (caller) ──▶ tap "caller"
 *   taps ──▶ 20 ms int16 frames ──▶ engine
 *
 * The context runs at the engine's rate so the browser's resampler does the
 * 48 kHz → 16 kHz conversion (and back for the playout), with a proper
 * filter; nothing here drops samples.
 */
import { FRAME_SAMPLES, SAMPLE_RATE, type AudioFrame, type Leg } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';
import playoutUrl from './playout-processor.ts?worker&url';
import tapUrl from './tap-processor.ts?worker&url';

interface CallAudio {
  mic: MediaStream;
  micSource: MediaStreamAudioSourceNode;
  micGain: GainNode;
  micTap: AudioWorkletNode;
  destination: MediaStreamAudioDestinationNode;
  remoteSource?: MediaStreamAudioSourceNode;
  remoteTap?: AudioWorkletNode;
}

export interface AudioProblem {
  message: string;
}

export class AudioPath {
  private context?: AudioContext;
  private starting?: Promise<AudioContext>;
  private playout?: AudioWorkletNode;
  private sink?: GainNode;
  private call?: CallAudio;
  private readonly seq: Record<Leg, number> = { caller: 0, agent: 0, outgoing: 0 };
  private micConstraints: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };

  constructor(
    private readonly client: EngineClient,
    private readonly onProblem: (problem: AudioProblem) => void = () => {},
  ) {
    client.onAudio((frame) => this.play(frame));
  }

  /** Creates the context on first use; call from a user gesture where possible. */
  async ensure(): Promise<AudioContext> {
    if (this.context) {
      if (this.context.state === 'suspended') await this.context.resume();
      return this.context;
    }
    this.starting ??= (async () => {
      const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
      await Promise.all([
        context.audioWorklet.addModule(tapUrl),
        context.audioWorklet.addModule(playoutUrl),
      ]);
      this.sink = context.createGain();
      this.sink.gain.value = 0;
      this.sink.connect(context.destination);
      this.playout = new AudioWorkletNode(context, 'lotse-playout', {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
      });
      this.playout.connect(this.sink);
      if (context.state === 'suspended') await context.resume().catch(() => undefined);
      this.context = context;
      return context;
    })();
    return this.starting;
  }

  setMicConstraints(constraints: MediaTrackConstraints): void {
    this.micConstraints = constraints;
  }

  /** The stream sip.js sends: the agent's microphone mixed with the engine's playout. */
  async createOutgoingStream(): Promise<MediaStream> {
    const context = await this.ensure();
    this.releaseCall();
    let mic: MediaStream;
    try {
      mic = await navigator.mediaDevices.getUserMedia({ audio: this.micConstraints, video: false });
    } catch (error) {
      const message = `Mikrofon nicht verfügbar / microphone unavailable: ${(error as Error).message}`;
      this.onProblem({ message });
      throw new Error(message, { cause: error });
    }
    const micSource = context.createMediaStreamSource(mic);
    const micGain = context.createGain();
    const destination = context.createMediaStreamDestination();
    destination.channelCount = 1;
    micSource.connect(micGain).connect(destination);
    this.playout?.connect(destination);
    const micTap = this.createTap(context, 'agent');
    micGain.connect(micTap);
    this.call = { mic, micSource, micGain, micTap, destination };
    return destination.stream;
  }

  /** Taps the caller's audio (the remote WebRTC stream). */
  async attachRemote(stream: MediaStream): Promise<void> {
    const context = await this.ensure();
    if (!this.call) return;
    this.call.remoteSource?.disconnect();
    if (this.call.remoteTap) retireTap(this.call.remoteTap);
    const remoteSource = context.createMediaStreamSource(stream);
    const remoteTap = this.createTap(context, 'caller');
    remoteSource.connect(remoteTap);
    this.call.remoteSource = remoteSource;
    this.call.remoteTap = remoteTap;
  }

  setMuted(muted: boolean): void {
    if (!this.call || !this.context) return;
    this.call.micGain.gain.setTargetAtTime(muted ? 0 : 1, this.context.currentTime, 0.01);
  }

  /** Drops PCM still queued for play-out (barge-in, hang-up). */
  flushPlayout(): void {
    this.playout?.port.postMessage('flush');
  }

  releaseCall(): void {
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    for (const node of [call.micSource, call.micGain, call.remoteSource]) node?.disconnect();
    retireTap(call.micTap);
    if (call.remoteTap) retireTap(call.remoteTap);
    try {
      this.playout?.disconnect(call.destination);
    } catch {
      // not connected
    }
    call.mic.getTracks().forEach((track) => track.stop());
    call.destination.stream.getTracks().forEach((track) => track.stop());
    this.flushPlayout();
  }

  private createTap(context: AudioContext, leg: Leg): AudioWorkletNode {
    const tap = new AudioWorkletNode(context, 'lotse-tap', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    tap.port.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (!(data instanceof ArrayBuffer)) {
        this.onProblem({
          message: String((data as { error?: string }).error ?? 'audio tap problem'),
        });
        return;
      }
      const samples = new Int16Array(data);
      if (samples.length !== FRAME_SAMPLES) return;
      const frame: AudioFrame = {
        leg,
        seq: this.seq[leg]++,
        sentAt: performance.timeOrigin + performance.now(),
        samples,
      };
      this.client.sendAudio(frame);
    };
    // A worklet is only processed while something pulls on it.
    tap.connect(this.sink ?? context.destination);
    return tap;
  }

  private play(frame: AudioFrame): void {
    if (frame.leg !== 'outgoing' || !this.playout) return;
    const buffer = frame.samples.buffer as ArrayBuffer;
    this.playout.port.postMessage(buffer, [buffer]);
  }
}

/**
 * Ends a tap for good: a disconnected AudioWorkletNode whose processor keeps
 * returning true lives (and holds its port) until the context closes – one
 * leak per call. After "stop" the processor closes its port and returns
 * false, so the node can be collected.
 */
function retireTap(tap: AudioWorkletNode): void {
  tap.port.postMessage('stop');
  tap.port.onmessage = null;
  tap.disconnect();
}
