/**
 * Which call owns the audio path. One call at a time has the microphone,
 * the engine's play-out, the caller tap and the <audio> element: the
 * foreground call that is not held. A call takes the path when it is
 * answered or dialled (its offer's media stream factory asks for the
 * outgoing stream), or when it is resumed or swapped in: then its sender
 * gets a fresh outgoing stream and the previous owner's microphone is
 * released, so the engine always hears the call the agent talks to.
 */
import { Invitation } from 'sip.js';
import type { AudioPath } from '../audio/audio-path';
import type { PhoneStore } from '../phone/phone-store';
import type { CallLines, Line } from './call-lines';
import { mediaOf } from './call-media';

/** What the phone needs of the audio path: a call's microphone, play-out and caller tap. */
export type PhoneAudio = Pick<
  AudioPath,
  'ensure' | 'createOutgoingStream' | 'attachRemote' | 'setMuted' | 'releaseCall'
> & {
  /** The bot's lines (absent: this desk has none; every call uses the agent's path). */
  readonly botLines?: Pick<AudioPath['botLines'], 'create' | 'attachRemote' | 'release'>;
};

export class AudioOwnership {
  private owner?: Line;

  constructor(
    private readonly store: PhoneStore,
    private readonly lines: CallLines,
    private readonly audio: PhoneAudio,
    /** The <audio> element the agent hears the caller through. */
    private readonly remoteAudio: () => HTMLAudioElement | null,
  ) {}

  owns(line: Line): boolean {
    return this.owner === line;
  }

  /**
   * `line` takes the path: its answer or INVITE is being made, and the
   * stream factory below gives it the outgoing stream.
   */
  take(line: Line): void {
    this.owner = line;
  }

  /**
   * The outgoing stream for the call being answered or dialled, named by
   * the call's id: the engine's audio for this call (and no other) plays
   * into it. An incoming call the bot answers first starts with the agent's
   * microphone off: the caller must not hear the office before the bot
   * greets them.
   */
  readonly outgoingStream = (
    _constraints?: MediaStreamConstraints,
    handler?: unknown,
  ): Promise<MediaStream> => {
    // A bot line's answer: its own audio, never the agent's microphone.
    const botLine =
      handler === undefined
        ? undefined
        : this.lines.botLines().find((line) => line.session.sessionDescriptionHandler === handler);
    if (botLine && this.audio.botLines) return this.audio.botLines.create(botLine.id);
    return this.audio.createOutgoingStream({
      muted: this.owner?.session instanceof Invitation && this.store.getState().policy.botFirst,
      ...(this.owner ? { callId: this.owner.id } : {}),
    });
  };

  setMuted(line: Line, muted: boolean): void {
    if (this.owner === line) this.audio.setMuted(muted);
  }

  /** On hold nothing is heard either way (as sip.js's SimpleUser does); resumed, both come back. */
  enableTracks(line: Line, enabled: boolean): void {
    const media = mediaOf(line.session);
    if (!media?.peerConnection) return;
    media.enableSenderTracks(enabled);
    media.enableReceiverTracks(enabled);
  }

  /**
   * Gives `line` the audio path: a fresh outgoing stream (microphone +
   * engine play-out) on its sender, its remote stream on the <audio>
   * element and the caller tap. The previous owner's microphone and audio
   * context are released.
   */
  async bind(line: Line, options: { muted?: boolean } = {}): Promise<void> {
    if (this.owner === line) return;
    const media = mediaOf(line.session);
    if (!media?.peerConnection) return;
    this.owner = line;
    const muted = options.muted ?? this.lines.info(line)?.muted ?? false;
    const stream = await this.audio.createOutgoingStream({ callId: line.id, muted });
    if (this.owner !== line || !this.lines.has(line)) return;
    // What sip.js's (protected) setLocalMediaStream does: the new track on
    // the audio sender, and in the handler's local stream instead of the old.
    const track = stream.getAudioTracks()[0];
    const sender = media.peerConnection
      ?.getTransceivers()
      .find((t) => t.receiver.track.kind === 'audio')?.sender;
    if (!track || !sender) return;
    await sender.replaceTrack(track);
    const local = media.localMediaStream;
    for (const old of local.getAudioTracks()) {
      old.stop();
      local.removeTrack(old);
    }
    local.addTrack(track);
    this.audio.setMuted(muted);
    this.attachRemote(line);
  }

  /**
   * A bot line the bot hands over, now that the agent is free: its own audio
   * is released and it gets the agent's path, with the microphone off until
   * the agent takes the call.
   */
  async bindHandoff(line: Line): Promise<void> {
    this.audio.botLines?.release(line.id);
    await this.bind(line, { muted: true });
  }

  /** The agent hears `line` (if it owns the path), and the engine taps it as the caller leg. */
  attachRemote(line: Line): void {
    if (this.lines.info(line)?.botLine) {
      const stream = mediaOf(line.session)?.remoteMediaStream;
      if (stream) void this.audio.botLines?.attachRemote(line.id, stream);
      return;
    }
    if (this.owner !== line) return;
    const media = mediaOf(line.session);
    if (!media) return;
    const stream = media.remoteMediaStream;
    const element = this.remoteAudio();
    if (element && element.srcObject !== stream) {
      // The element plays whatever tracks this stream holds, also a track
      // sip.js swaps in later. (Do not re-assign the same stream: headless
      // Chromium then feeds WebAudio silence.)
      element.srcObject = stream;
      void element.play().catch(() => undefined);
    }
    void this.audio.attachRemote(stream);
    // sip.js replaces the remote track in this same stream when a
    // renegotiation (re-INVITE) brings a new one, and fires addtrack; a
    // MediaStreamSource keeps the track it was made with: remake it.
    stream.addEventListener(
      'addtrack',
      () => {
        if (this.owner === line) void this.audio.attachRemote(stream);
      },
      { signal: line.listeners.signal },
    );
  }

  /** `line` ended: if it had the path, the microphone and its audio context are released. */
  release(line: Line): void {
    this.audio.botLines?.release(line.id);
    if (this.owner !== line) return;
    this.owner = undefined;
    // Closing the call's audio context frees its audio nodes and the streams they hold.
    this.audio.releaseCall();
    const element = this.remoteAudio();
    if (element) element.srcObject = null;
  }
}
