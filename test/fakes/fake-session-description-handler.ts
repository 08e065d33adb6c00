/**
 * A sip.js SessionDescriptionHandler fake: offers and answers plain SDP
 * text instead of running WebRTC, so the softphone's calls work in Node.
 * It records what the phone asked of the media: each description with its
 * hold direction (sendonly on hold, RFC 3264 8.4) and ICE restart (a new
 * ice-ufrag, RFC 8445 9), the remote descriptions it was given, RFC 4733
 * tones, and whether the sender / receiver tracks are on. Like sip.js's
 * Web handler it asks its media stream factory for the outgoing stream
 * when it makes its first description. Never used by the app.
 */
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
} from 'sip.js';
import { FakeMediaStream, FakeMediaTrack } from './fake-phone-audio';

export interface FakeDescription {
  hold: boolean;
  iceRestart: boolean;
  ufrag: string;
  sdp: string;
}

export class FakeSessionDescriptionHandler implements SessionDescriptionHandler {
  readonly descriptions: FakeDescription[] = [];
  readonly remoteDescriptions: string[] = [];
  readonly tones: string[] = [];
  senderTracksEnabled = true;
  receiverTracksEnabled = true;
  closed = false;
  /** False: the call has no telephone-event (RFC 4733), sendDtmf fails. */
  telephoneEvent = true;
  /** Rejects the next remote description (an offer the browser cannot use). */
  failNextRemoteDescription?: Error;
  localMediaStream = new FakeMediaStream();
  remoteMediaStream = new FakeMediaStream([new FakeMediaTrack('remote')]);
  /** The one audio transceiver a WebRTC call has; replaceTrack swaps the sender's track. */
  readonly peerConnection = {
    sender: { track: undefined as FakeMediaTrack | undefined },
    getTransceivers: () => [
      {
        receiver: { track: { kind: 'audio' } },
        sender: {
          replaceTrack: async (track: FakeMediaTrack | null) => {
            this.peerConnection.sender.track = track ?? undefined;
          },
        },
      },
    ],
  };
  private ufragCount = 1;
  private haveStream = false;

  constructor(
    readonly session: Session,
    private readonly mediaStreamFactory: () => Promise<MediaStream>,
  ) {}

  async getDescription(options?: object): Promise<BodyAndContentType> {
    if (this.closed) throw new Error('session description handler closed');
    if (!this.haveStream) {
      this.haveStream = true;
      const stream = (await this.mediaStreamFactory()) as unknown as FakeMediaStream;
      this.localMediaStream = stream;
      this.peerConnection.sender.track = stream.getAudioTracks()[0];
    }
    const o = (options ?? {}) as { hold?: boolean; offerOptions?: { iceRestart?: boolean } };
    const iceRestart = o.offerOptions?.iceRestart === true;
    if (iceRestart) this.ufragCount++;
    const hold = o.hold === true;
    const ufrag = `ufrag${this.ufragCount}`;
    const sdp = [
      'v=0',
      `o=- 7 ${this.descriptions.length + 1} IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 101',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:101 telephone-event/8000',
      `a=ice-ufrag:${ufrag}`,
      `a=${hold ? 'sendonly' : 'sendrecv'}`,
      '',
    ].join('\r\n');
    this.descriptions.push({ hold, iceRestart, ufrag, sdp });
    return { body: sdp, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('session description handler closed');
    const failure = this.failNextRemoteDescription;
    if (failure) {
      this.failNextRemoteDescription = undefined;
      throw failure;
    }
    this.remoteDescriptions.push(sdp);
  }

  async rollbackDescription(): Promise<void> {}

  sendDtmf(tones: string): boolean {
    if (!this.telephoneEvent) return false;
    this.tones.push(tones);
    return true;
  }

  enableSenderTracks(enabled: boolean): void {
    this.senderTracksEnabled = enabled;
  }

  enableReceiverTracks(enabled: boolean): void {
    this.receiverTracksEnabled = enabled;
  }

  close(): void {
    this.closed = true;
  }
}

/** Every handler made, in order, for the test to look at. */
export class FakeMedia {
  readonly handlers: FakeSessionDescriptionHandler[] = [];
  /** The next handler made rejects the first remote description it is given. */
  failNextRemoteDescription?: Error;

  /** What SipPhoneDeps.sipStack.sessionDescriptionHandlerFactory expects. */
  readonly factory = (
    mediaStreamFactory: () => Promise<MediaStream>,
  ): SessionDescriptionHandlerFactory => {
    return (session: Session) => {
      const handler = new FakeSessionDescriptionHandler(session, mediaStreamFactory);
      handler.failNextRemoteDescription = this.failNextRemoteDescription;
      this.failNextRemoteDescription = undefined;
      this.handlers.push(handler);
      return handler;
    };
  };

  /** The handler of the session with this Call-ID. */
  of(callId: string): FakeSessionDescriptionHandler {
    const handler = this.handlers.find((h) => {
      const session = h.session as unknown as { request?: { callId: string } };
      return session.request?.callId === callId;
    });
    if (!handler) throw new Error(`no media for call ${callId}`);
    return handler;
  }
}
