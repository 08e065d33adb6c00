/**
 * The renderer's audio graph, at 16 kHz, one AudioContext per call:
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
 *
 * Switching the microphone during a call (another device chosen, or the
 * headset unplugged) replaces only the source in front of the mic gain: the
 * outgoing destination and its track stay, so sip.js sends on without a
 * renegotiation and the caller notices nothing but the other voice.
 *
 * Why a context per call: Chromium keeps every MediaStreamAudioSourceNode
 * (and MediaStreamAudioDestinationNode) alive as long as its context is
 * running, disconnected or not (crbug.com/937231), and with it its
 * MediaStream, the tracks and whatever listens on them – with one
 * app-wide context that was three MediaStreams plus the finished sip.js
 * session per call, for the life of the app. Closing the call's context at
 * hang-up releases the whole call graph at once. The next call's context is
 * prepared (worklets loaded, play-out running) as soon as the previous one
 * is closed, so answering does not wait for it.
 *
 * Engine PCM is played by call (playout-router.ts): the call's context
 * plays only frames tagged for that call (or untagged ones), so a bot or a
 * playback of another call is never heard in this one; nothing is queued
 * into the prepared context of the next call.
 */
import { callTagOf, type AudioFrame, type Leg } from '../../electron/contract';
import type { EngineClient } from '../bridge/engine-client';
import { PlayoutRouter, type DropReason } from './playout-router';
import { createGraph, createTap, retireWorklet, type Graph } from './audio-graph';
import { BotLineAudio } from './bot-line-audio';

interface CallAudio {
  /** Owned by the call: closed when the call is released. */
  graph: Graph;
  mic: MediaStream;
  /** The device asked for ('' = system default). */
  micDeviceId: string;
  /** The track ended by itself (device unplugged): it must be replaced. */
  micEnded: boolean;
  /** Removes the 'ended' listener of the current microphone track. */
  micWatch: AbortController;
  micSource: MediaStreamAudioSourceNode;
  micGain: GainNode;
  micTap: AudioWorkletNode;
  destination: MediaStreamAudioDestinationNode;
  remoteSource?: MediaStreamAudioSourceNode;
  remoteTap?: AudioWorkletNode;
  /** callTagOf the call's id: its taps' frames carry it, so the engine knows whose they are. */
  tag?: string;
}

export interface AudioProblem {
  message: string;
}

/**
 * Why the call's audio could not be set up, as a code the screen words in
 * the agent's language; the message is the English line for the log.
 */
export type AudioErrorCode = 'microphone-unavailable' | 'call-ended';

export class AudioPathError extends Error {
  override name = 'AudioPathError';
  constructor(
    readonly code: AudioErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * What happened to the call's microphone on its own: its track ended (the
 * device was unplugged or the system took it away), or the chosen device
 * could not be opened at the call's start and the system default was used.
 */
export type MicrophoneEvent =
  | { type: 'ended'; deviceId: string; label: string }
  | { type: 'failed'; deviceId: string; error: string };

export class AudioPath {
  /** The prepared graph the next call will take. */
  private spare?: Graph;
  private preparing?: Promise<Graph>;
  private call?: CallAudio;
  /** Bumped by releaseCall: a call set-up still waiting for the microphone gives up. */
  private epoch = 0;
  private readonly seq: Record<Leg, number> = { caller: 0, agent: 0, outgoing: 0 };
  private micConstraints: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };
  /** The microphone to use ('' = system default). */
  private micDeviceId = '';
  /** Microphone switches run one after another (each opens a device). */
  private micQueue: Promise<void> = Promise.resolve();
  private readonly micListeners = new Set<(event: MicrophoneEvent) => void>();
  /** A practice call: the bot to the speakers, the caller from the microphone or a script. */
  private practice?: {
    graph: Graph;
    callerPlayout: AudioWorkletNode;
    callerTap: AudioWorkletNode;
    speaker: GainNode;
    mic?: MediaStream;
    micSource?: MediaStreamAudioSourceNode;
  };

  /** Which play-out takes each engine frame; counts what it drops. */
  private readonly router = new PlayoutRouter((reason, frame) => this.dropped(reason, frame));
  /** Call tags whose dropped audio has been logged (one line per call). */
  private readonly droppedTags = new Set<string>();

  /** The bot's lines: calls with a graph of their own, beside the agent's call. */
  readonly botLines: BotLineAudio;

  constructor(
    private readonly client: EngineClient,
    private readonly onProblem: (problem: AudioProblem) => void = () => {},
    private readonly options: { onPlayoutGap?: () => void } = {},
  ) {
    this.botLines = new BotLineAudio(
      client,
      (message) => onProblem({ message }),
      options.onPlayoutGap,
    );
    client.onAudio((frame) => this.play(frame));
  }

  /** Engine frames not played (another call's, or no call to play them in), by reason. */
  get droppedFrames(): PlayoutRouter['dropped'] {
    return this.router.dropped;
  }

  /**
   * Makes sure the next call's context is ready (created, worklets loaded,
   * running); call before dialling or answering, from a user gesture where
   * possible.
   */
  async ensure(): Promise<AudioContext> {
    return (await this.prepare()).context;
  }

  setMicConstraints(constraints: MediaTrackConstraints): void {
    this.micConstraints = constraints;
  }

  /** Tells about a microphone that ended or could not be opened; returns the unsubscribe. */
  onMicrophoneEvent(listener: (event: MicrophoneEvent) => void): () => void {
    this.micListeners.add(listener);
    return () => this.micListeners.delete(listener);
  }

  /**
   * Uses this microphone from now on ('' = system default). During a call
   * the new device is opened first and swapped in front of the mic gain, so
   * mute and the outgoing track stay as they are; the old device is closed
   * after. If the new device cannot be opened, the call keeps the old one
   * (or, if that one ended, has no microphone) and the promise rejects.
   */
  setMicrophone(deviceId: string): Promise<void> {
    this.micDeviceId = deviceId;
    const run = this.micQueue.then(() => this.switchMicrophone(deviceId));
    this.micQueue = run.catch(() => undefined);
    return run;
  }

  /** The device the current call's microphone was opened with, and its name. */
  currentMicrophone(): { deviceId: string; label: string; live: boolean } | undefined {
    const call = this.call;
    const track = call?.mic.getAudioTracks()[0];
    if (!call || !track) return undefined;
    return {
      deviceId: call.micDeviceId,
      label: track.label,
      live: track.readyState === 'live' && !call.micEnded,
    };
  }

  /**
   * The stream sip.js sends for call `callId`: the agent's microphone mixed
   * with the engine's play-out of that call's audio.
   */
  async createOutgoingStream(
    options: { muted?: boolean; callId?: string } = {},
  ): Promise<MediaStream> {
    // A real call ends a practice call on this desk.
    this.stopPractice();
    this.releaseCall();
    const epoch = this.epoch;
    const graph = await this.prepare();
    let mic: MediaStream;
    let micDeviceId = this.micDeviceId;
    try {
      mic = await this.openMicrophone(micDeviceId);
    } catch (error) {
      if (micDeviceId === '') throw this.micUnavailable(error);
      // The chosen device is gone or busy: the call goes ahead on the default.
      this.emitMic({ type: 'failed', deviceId: micDeviceId, error: describeError(error) });
      try {
        micDeviceId = '';
        mic = await this.openMicrophone('');
      } catch (fallbackError) {
        throw this.micUnavailable(fallbackError);
      }
    }
    if (epoch !== this.epoch || this.spare !== graph) {
      // The call ended (or another one started) while the microphone opened.
      mic.getTracks().forEach((track) => track.stop());
      throw new AudioPathError('call-ended', 'the call ended while its audio was being set up');
    }
    // From here the graph belongs to this call; the next call gets a new one.
    this.spare = undefined;
    const { context, playout } = graph;
    playout.port.postMessage('flush');
    const micSource = context.createMediaStreamSource(mic);
    const micGain = context.createGain();
    if (options.muted) micGain.gain.value = 0;
    const destination = context.createMediaStreamDestination();
    destination.channelCount = 1;
    micSource.connect(micGain).connect(destination);
    playout.connect(destination);
    const tag = options.callId === undefined ? undefined : callTagOf(options.callId);
    const micTap = this.createTap(graph, 'agent', tag);
    micGain.connect(micTap);
    const call: CallAudio = {
      graph,
      mic,
      micDeviceId,
      micEnded: false,
      micWatch: new AbortController(),
      micSource,
      micGain,
      micTap,
      destination,
      ...(tag === undefined ? {} : { tag }),
    };
    this.call = call;
    this.router.callStarted(options.callId);
    this.watchMicrophone(call);
    if (this.micDeviceId !== micDeviceId) {
      // Another device was chosen while this one opened: switch to it now.
      const wanted = this.micDeviceId;
      void this.setMicrophone(wanted).catch((error: unknown) =>
        this.emitMic({ type: 'failed', deviceId: wanted, error: describeError(error) }),
      );
    }
    return destination.stream;
  }

  /** Taps the caller's audio (the remote WebRTC stream). */
  async attachRemote(stream: MediaStream): Promise<void> {
    const call = this.call;
    if (!call) return;
    const { context } = call.graph;
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
    if (this.call !== call) return;
    call.remoteSource?.disconnect();
    const previous = call.remoteTap;
    if (previous) void retireWorklet(previous).then(() => previous.disconnect());
    const remoteSource = context.createMediaStreamSource(stream);
    const remoteTap = this.createTap(call.graph, 'caller', call.tag);
    remoteSource.connect(remoteTap);
    call.remoteSource = remoteSource;
    call.remoteTap = remoteTap;
  }

  setMuted(muted: boolean): void {
    const call = this.call;
    if (!call) return;
    call.micGain.gain.setTargetAtTime(muted ? 0 : 1, call.graph.context.currentTime, 0.01);
  }

  /** Drops PCM still queued for play-out (barge-in, hang-up). */
  flushPlayout(): void {
    (this.call?.graph ?? this.spare)?.playout.port.postMessage('flush');
  }

  /**
   * A practice call without SIP, in the same graph a call uses: the bot's
   * voice (engine PCM, play-out worklet) goes to the speakers instead of a
   * call; the caller's leg is tapped from the microphone (the user plays the
   * caller) or from the engine's scripted caller (a second play-out worklet,
   * heard on the speakers too). The tap sends the same 16 kHz frames to the
   * engine as in a real call.
   */
  async startPractice(options: { microphone: boolean }): Promise<void> {
    this.stopPractice();
    this.releaseCall();
    const graph = await this.prepare();
    this.spare = undefined;
    const { context, playout } = graph;
    playout.port.postMessage('flush');
    const speaker = context.createGain();
    speaker.connect(context.destination);
    playout.connect(speaker);
    const callerPlayout = new AudioWorkletNode(context, 'lotse-playout', {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    const callerTap = this.createTap(graph, 'caller');
    callerPlayout.connect(callerTap);
    callerPlayout.connect(speaker);
    const practice: NonNullable<AudioPath['practice']> = {
      graph,
      callerPlayout,
      callerTap,
      speaker,
    };
    this.practice = practice;
    this.router.practiceStarted();
    if (options.microphone) {
      try {
        const mic = await this.openMicrophone(this.micDeviceId);
        if (this.practice !== practice) {
          mic.getTracks().forEach((track) => track.stop());
          return;
        }
        practice.mic = mic;
        practice.micSource = context.createMediaStreamSource(mic);
        practice.micSource.connect(callerTap);
      } catch (error) {
        this.stopPractice();
        throw this.micUnavailable(error);
      }
    }
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
  }

  /** The practice call's id, once the engine named it: only its audio plays from now on. */
  practiceCall(callId: string): void {
    if (this.practice) this.router.practiceCall(callId);
  }

  stopPractice(): void {
    const practice = this.practice;
    if (!practice) return;
    this.practice = undefined;
    this.router.practiceStopped();
    practice.mic?.getTracks().forEach((track) => track.stop());
    practice.micSource?.disconnect();
    practice.speaker.disconnect();
    const { context, playout } = practice.graph;
    void Promise.all(
      [practice.callerTap, practice.callerPlayout, playout].map((node) => retireWorklet(node)),
    )
      .then(() => context.close())
      .catch(() => undefined);
    void this.prepare().catch(() => undefined);
  }

  /** Ends the call's audio: stops the microphone and closes the call's context. */
  releaseCall(): void {
    this.epoch++;
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    this.router.callReleased();
    call.micWatch.abort();
    call.mic.getTracks().forEach((track) => track.stop());
    call.destination.stream.getTracks().forEach((track) => track.stop());
    // Closing the context releases the call's MediaStream nodes, and with
    // them the streams. A worklet node, though, stays alive until its
    // processor has finished (returned false with no live input), which can
    // only happen while the context still runs: cut the worklets' inputs,
    // stop them, and close the context once they confirmed.
    for (const node of [call.micSource, call.micGain, call.remoteSource]) node?.disconnect();
    const { context, playout } = call.graph;
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const worklets = [call.micTap, call.remoteTap, playout].filter((node) => node !== undefined);
    void Promise.all(worklets.map((node) => retireWorklet(node)))
      .then(() => context.close())
      .catch(() => undefined);
    // Have the next call's context ready before it rings.
    void this.prepare().catch(() => undefined);
  }

  private async switchMicrophone(deviceId: string): Promise<void> {
    const call = this.call;
    // No call: the next call opens the chosen device. Superseded: a newer choice runs next.
    if (!call || deviceId !== this.micDeviceId) return;
    const current = call.mic.getAudioTracks()[0];
    if (
      call.micDeviceId === deviceId &&
      !call.micEnded &&
      current !== undefined &&
      current.readyState === 'live'
    )
      return;
    const mic = await this.openMicrophone(deviceId);
    if (this.call !== call) {
      // The call ended while the device opened.
      mic.getTracks().forEach((track) => track.stop());
      return;
    }
    const micSource = call.graph.context.createMediaStreamSource(mic);
    // New source first, then the old one out: no gap, the outgoing track stays.
    micSource.connect(call.micGain);
    call.micSource.disconnect();
    call.micWatch.abort();
    call.mic.getTracks().forEach((track) => track.stop());
    call.mic = mic;
    call.micSource = micSource;
    call.micDeviceId = deviceId;
    call.micEnded = false;
    call.micWatch = new AbortController();
    this.watchMicrophone(call);
  }

  private openMicrophone(deviceId: string): Promise<MediaStream> {
    const audio: MediaTrackConstraints = deviceId
      ? { ...this.micConstraints, deviceId: { exact: deviceId } }
      : this.micConstraints;
    return navigator.mediaDevices.getUserMedia({ audio, video: false });
  }

  private micUnavailable(error: unknown): Error {
    const message = `microphone unavailable: ${describeError(error)}`;
    this.onProblem({ message });
    return new AudioPathError('microphone-unavailable', message, { cause: error });
  }

  /** A track that ends by itself (unplugged) is reported; track.stop() by us does not fire this. */
  private watchMicrophone(call: CallAudio): void {
    const { signal } = call.micWatch;
    for (const track of call.mic.getAudioTracks()) {
      track.addEventListener(
        'ended',
        () => {
          if (this.call !== call || call.micEnded) return;
          call.micEnded = true;
          this.emitMic({ type: 'ended', deviceId: call.micDeviceId, label: track.label });
        },
        { signal },
      );
    }
  }

  private emitMic(event: MicrophoneEvent): void {
    for (const listener of this.micListeners) {
      try {
        listener(event);
      } catch (error) {
        this.onProblem({ message: describeError(error) });
      }
    }
  }

  private async prepare(): Promise<Graph> {
    const spare = this.spare;
    if (spare) {
      if (spare.context.state === 'suspended') await spare.context.resume();
      return spare;
    }
    this.preparing ??= createGraph(this.options.onPlayoutGap).then(
      (graph) => {
        this.preparing = undefined;
        this.spare = graph;
        return graph;
      },
      (error: unknown) => {
        this.preparing = undefined;
        throw error;
      },
    );
    return this.preparing;
  }

  private createTap(graph: Graph, leg: Leg, callTag?: string): AudioWorkletNode {
    return createTap(graph, {
      send: (samples) =>
        this.client.sendAudio({
          leg,
          seq: this.seq[leg]++,
          sentAt: performance.timeOrigin + performance.now(),
          samples,
          ...(callTag === undefined ? {} : { callTag }),
        }),
      problem: (message) => this.onProblem({ message }),
    });
  }

  private play(frame: AudioFrame): void {
    if (this.botLines.play(frame)) return;
    const target = this.router.route(frame);
    const playout =
      target === 'practice-caller'
        ? this.practice?.callerPlayout
        : target === 'practice-bot'
          ? this.practice?.graph.playout
          : target === 'call'
            ? this.call?.graph.playout
            : undefined;
    if (!playout) return;
    // The engine was ahead of the clock and the caller barged in.
    if (frame.flush) {
      playout.port.postMessage('flush');
      return;
    }
    const buffer = frame.samples.buffer as ArrayBuffer;
    playout.port.postMessage(buffer, [buffer]);
  }

  /**
   * The first frame of each other call that arrives while this call has the
   * audio path is logged (the router counts every dropped frame): the
   * engine still speaks into a call this desk does not play. The last few
   * frames of a call that just ended (no call on) are only counted.
   */
  private dropped(reason: DropReason, frame: AudioFrame): void {
    if (reason !== 'other-call' || frame.callTag === undefined) return;
    if (this.droppedTags.has(frame.callTag)) return;
    if (this.droppedTags.size > 100) this.droppedTags.clear();
    this.droppedTags.add(frame.callTag);
    const here = this.practice
      ? 'the practice call'
      : `call ${this.router.currentCallId ?? '(without id)'}`;
    this.onProblem({
      message: `engine audio for another call (tag ${frame.callTag}) dropped, not played into ${here}`,
    });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error instanceof DOMException) return error.message || error.name;
  return String(error);
}
