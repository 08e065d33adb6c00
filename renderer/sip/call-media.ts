/**
 * What the phone does with a call's media beyond offer and answer: silence
 * the tracks on hold, send RFC 4733 tones, swap the outgoing track, hear
 * the remote stream. sip.js's Web.SessionDescriptionHandler has these
 * members; the phone asks for them by shape rather than by class, so an
 * in-process session description handler (test/fakes) can stand in for
 * WebRTC.
 */
import type { Session } from 'sip.js';

export interface CallMedia {
  readonly peerConnection: RTCPeerConnection | undefined;
  readonly localMediaStream: MediaStream;
  readonly remoteMediaStream: MediaStream;
  enableSenderTracks(enable: boolean): void;
  enableReceiverTracks(enable: boolean): void;
  sendDtmf(tones: string, options?: { duration: number; interToneGap: number }): boolean;
}

/** The session's media handler, if it is one the phone can work with. */
export function mediaOf(session: Session): CallMedia | undefined {
  const handler = session.sessionDescriptionHandler as Partial<CallMedia> | undefined;
  if (
    !handler ||
    typeof handler.enableSenderTracks !== 'function' ||
    typeof handler.enableReceiverTracks !== 'function' ||
    typeof handler.sendDtmf !== 'function' ||
    !('remoteMediaStream' in handler)
  )
    return undefined;
  return handler as CallMedia;
}
