import { describe, expect, it } from 'vitest';
import {
  codecMismatch,
  offeredAudioCodecs,
  supportedAudioCodecs,
} from '../../../../renderer/sip/sdp-codecs';

const offer = (mline: string, attributes: string[] = []) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    mline,
    ...attributes,
    '',
  ].join('\r\n');

const chrome = supportedAudioCodecs({
  codecs: [
    { mimeType: 'audio/opus' },
    { mimeType: 'audio/PCMU' },
    { mimeType: 'audio/PCMA' },
    { mimeType: 'audio/G722' },
    { mimeType: 'audio/telephone-event' },
    { mimeType: 'audio/CN' },
  ],
});

describe('SDP codec check', () => {
  it('reads static and dynamic payload types, skipping DTMF and comfort noise', () => {
    const sdp = offer('m=audio 4000 RTP/AVP 8 0 101 13', ['a=rtpmap:101 telephone-event/8000']);
    expect(offeredAudioCodecs(sdp)).toEqual(['PCMA', 'PCMU']);
    expect(codecMismatch(sdp, chrome)).toBeUndefined();
  });

  it('finds no common codec in a G.729-only offer and names what was offered', () => {
    const sdp = offer('m=audio 4000 RTP/AVP 18 101', [
      'a=rtpmap:18 G729/8000',
      'a=rtpmap:101 telephone-event/8000',
    ]);
    expect(codecMismatch(sdp, chrome)).toEqual(['G729']);
  });

  it('treats a rejected or missing audio stream', () => {
    expect(codecMismatch(offer('m=audio 0 RTP/AVP 0'), chrome)).toEqual([]);
    expect(codecMismatch(offer('m=video 4000 RTP/AVP 96'), chrome)).toBeUndefined();
    expect(codecMismatch('', chrome)).toBeUndefined();
  });

  it('knows opus from a WebRTC offer', () => {
    const sdp = offer('m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', [
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:63 red/48000/2',
    ]);
    expect(offeredAudioCodecs(sdp)).toEqual(['OPUS', 'G722', 'PCMU', 'PCMA', 'PT110', 'PT126']);
    expect(codecMismatch(sdp, chrome)).toBeUndefined();
  });

  it('falls back to the codecs every WebRTC endpoint has', () => {
    expect([...supportedAudioCodecs(null)].sort()).toEqual(['OPUS', 'PCMA', 'PCMU']);
  });
});
