/**
 * Audio frames coming in from the engine's peers: decoded (what cannot be
 * decoded is rejected, counted and logged, never thrown into the carrier),
 * handed to speech recognition, and measured: transport latency for
 * engine.stats, and a level event per frame with speech detection per leg
 * and peer.
 */
import { decodeAudioFrame, type EngineEvent, type Leg } from '../../contract';
import { LevelTracker, rmsDbfs } from '../audio/levels';
import { RollingStats } from '../metrics/rolling-stats';
import type { LiveTranscription } from '../transcript/live-transcription';
import type { RejectLog } from './reject-log';

/** One peer's incoming audio: takes a binary frame as the carrier delivers it. */
export type AudioReceiver = (data: ArrayBuffer | ArrayBufferView) => void;

export interface AudioIntakeOptions {
  rejects: RejectLog;
  broadcast(event: EngineEvent): void;
  /** Absent when speech recognition is switched off. */
  transcription?: LiveTranscription;
  /** The wall clock in ms (a frame's `sentAt` is on it). */
  now(): number;
}

export class AudioIntake {
  private received = 0;
  private readonly latency = new RollingStats(3000);

  constructor(private readonly options: AudioIntakeOptions) {}

  /** Frames decoded and taken in so far. */
  get framesReceived(): number {
    return this.received;
  }

  /** How long frames took from the peer to the engine, lately. */
  latencySummary(): ReturnType<RollingStats['summary']> {
    return this.latency.summary();
  }

  resetLatency(): void {
    this.latency.reset();
  }

  /** A receiver for one peer (named by `label` in the log), with its own level trackers. */
  receiver(label: string): AudioReceiver {
    const levels = new Map<Leg, LevelTracker>();
    return (data) => this.receive(label, levels, data);
  }

  private receive(
    label: string,
    levels: Map<Leg, LevelTracker>,
    data: ArrayBuffer | ArrayBufferView,
  ): void {
    let frame;
    try {
      frame = decodeAudioFrame(data);
    } catch (error) {
      // Whatever a carrier hands over (a wrong size, a bad header, not bytes
      // at all): counted and logged, never thrown into the carrier.
      const message = error instanceof Error ? error.message : String(error);
      this.options.rejects.frame(`audio frame from ${label} rejected: ${message}`);
      return;
    }
    this.received++;
    this.latency.add(Math.max(0, this.options.now() - frame.sentAt));
    this.options.transcription?.audio(frame.leg, frame.samples, frame.callTag);
    // The meters show the call the agent's screen is on, not the bot's other lines.
    if (this.options.transcription && !this.options.transcription.isForeground(frame.callTag)) {
      return;
    }
    let tracker = levels.get(frame.leg);
    if (!tracker) {
      tracker = new LevelTracker();
      levels.set(frame.leg, tracker);
    }
    const dbfs = rmsDbfs(frame.samples);
    const speech = tracker.update(dbfs);
    this.options.broadcast({
      event: 'audio.level',
      data: { leg: frame.leg, seq: frame.seq, rmsDbfs: Math.round(dbfs * 10) / 10, speech },
    });
  }
}
