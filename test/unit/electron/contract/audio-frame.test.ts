import { describe, expect, it } from 'vitest';
import {
  AudioFrameError,
  FRAME_BYTES,
  FRAME_SAMPLES,
  TAGGED_FRAME_BYTES,
  callTagOf,
  decodeAudioFrame,
  encodeAudioFrame,
} from '../../../../electron/contract';

describe('audio frames', () => {
  it('round-trips leg, sequence, time and every sample', () => {
    const samples = new Int16Array(FRAME_SAMPLES).map((_, i) => ((i * 97) % 65536) - 32768);
    const buffer = encodeAudioFrame({
      leg: 'agent',
      seq: 4_000_000_001,
      sentAt: 1732467890123.25,
      samples,
    });
    expect(buffer.byteLength).toBe(FRAME_BYTES);
    const frame = decodeAudioFrame(buffer);
    expect(frame.leg).toBe('agent');
    expect(frame.seq).toBe(4_000_000_001);
    expect(frame.sentAt).toBe(1732467890123.25);
    expect(Array.from(frame.samples)).toEqual(Array.from(samples));
  });

  it('decodes from an unaligned view (a Node Buffer slice)', () => {
    const buffer = encodeAudioFrame({
      leg: 'caller',
      seq: 7,
      sentAt: 1,
      samples: new Int16Array(FRAME_SAMPLES).fill(-5),
    });
    const padded = new Uint8Array(FRAME_BYTES + 1);
    padded.set(new Uint8Array(buffer), 1);
    const frame = decodeAudioFrame(padded.subarray(1));
    expect(frame.seq).toBe(7);
    expect(frame.samples[FRAME_SAMPLES - 1]).toBe(-5);
  });

  it.each([
    ['too short', new Uint8Array(10)],
    ['too long', new Uint8Array(FRAME_BYTES + 2)],
    ['bad magic', new Uint8Array(FRAME_BYTES)],
  ])('rejects a frame that is %s', (_name, bytes) => {
    expect(() => decodeAudioFrame(bytes)).toThrow(AudioFrameError);
  });

  it('rejects an unknown leg and a wrong sample count', () => {
    const buffer = encodeAudioFrame({
      leg: 'caller',
      seq: 1,
      sentAt: 1,
      samples: new Int16Array(FRAME_SAMPLES),
    });
    new DataView(buffer).setUint8(2, 9);
    expect(() => decodeAudioFrame(buffer)).toThrow(/unknown leg/);
    expect(() =>
      encodeAudioFrame({ leg: 'caller', seq: 1, sentAt: 1, samples: new Int16Array(100) }),
    ).toThrow(AudioFrameError);
  });

  it('carries the call it belongs to (version 2), and reads version 1 frames as untagged', () => {
    const samples = new Int16Array(FRAME_SAMPLES).map((_, i) => i - 160);
    const callId = `${'x'.repeat(250)}@pbx.example`;
    const tagged = encodeAudioFrame({
      leg: 'outgoing',
      seq: 9,
      sentAt: 2,
      samples,
      callTag: callTagOf(callId),
    });
    expect(tagged.byteLength).toBe(TAGGED_FRAME_BYTES);
    expect(new Uint8Array(tagged)[1]).toBe(2);
    const frame = decodeAudioFrame(tagged);
    expect(frame.callTag).toBe(callTagOf(callId));
    expect(frame.callTag).not.toBe(callTagOf(`${'x'.repeat(250)}@pbx.example2`));
    expect(Array.from(frame.samples)).toEqual(Array.from(samples));

    const untagged = encodeAudioFrame({ leg: 'outgoing', seq: 1, sentAt: 2, samples });
    expect(untagged.byteLength).toBe(FRAME_BYTES);
    expect(new Uint8Array(untagged)[1]).toBe(1);
    expect(decodeAudioFrame(untagged).callTag).toBeUndefined();
  });

  it('rejects a size that does not match the version, an unknown version, a malformed tag', () => {
    const samples = new Int16Array(FRAME_SAMPLES);
    const v1 = new Uint8Array(encodeAudioFrame({ leg: 'caller', seq: 1, sentAt: 1, samples }));
    const v1AsV2 = v1.slice();
    v1AsV2[1] = 2;
    expect(() => decodeAudioFrame(v1AsV2)).toThrow(/version 2 is 664 bytes/);
    const v3 = v1.slice();
    v3[1] = 3;
    expect(() => decodeAudioFrame(v3)).toThrow(/unsupported audio frame version 3/);
    expect(() =>
      encodeAudioFrame({ leg: 'caller', seq: 1, sentAt: 1, samples, callTag: 'call-1' }),
    ).toThrow(AudioFrameError);
  });

  it('carries a flush command (the barge-in) for a call, and refuses unknown flags', () => {
    const samples = new Int16Array(FRAME_SAMPLES);
    const callTag = callTagOf('call-7');
    const flush = decodeAudioFrame(
      encodeAudioFrame({ leg: 'outgoing', seq: 3, sentAt: 1, samples, callTag, flush: true }),
    );
    expect(flush).toMatchObject({ leg: 'outgoing', callTag, flush: true });
    const audio = decodeAudioFrame(
      encodeAudioFrame({ leg: 'outgoing', seq: 4, sentAt: 1, samples, callTag }),
    );
    expect(audio.flush).toBeUndefined();
    const unknown = encodeAudioFrame({ leg: 'outgoing', seq: 5, sentAt: 1, samples });
    new DataView(unknown).setUint8(3, 0x82);
    expect(() => decodeAudioFrame(unknown)).toThrow(/unknown frame flags/);
  });
});
