/**
 * Binary audio frames: 20 ms of 16 kHz mono signed 16-bit PCM with a small
 * header, sent as one binary message (WebSocket) or one transferred
 * ArrayBuffer (MessagePort). Audio never travels as JSON: a frame is 656
 * bytes instead of several kilobytes of text, and needs no parsing.
 *
 * Layout (little endian):
 *   0  u8   magic 0x4c ('L')
 *   1  u8   version: 1 without a call tag, 2 with one
 *   2  u8   leg (0 caller, 1 agent, 2 outgoing)
 *   3  u8   flags: bit 0 "flush" (below); the other bits 0
 *   4  u32  sequence number per leg
 *   8  f64  send time in epoch milliseconds (for transport latency)
 *   16 u64  version 2 only: the call tag, callTagOf(call id)
 *   16 (version 1) or 24 (version 2): i16 × 320 samples
 *
 * The call tag names the call a frame belongs to: the engine tags what it
 * speaks into a call (the bot's voice, a played tone), and the renderer
 * plays a tagged frame only into that call's play-out, so audio meant for
 * one call can never be heard in another (an orphaned bot, a playback that
 * outlived its call). It is the call id's stable 64-bit hash (limits.ts),
 * not the id itself, so every frame keeps one small size. Version 1 frames
 * (the renderer's taps, older engines) carry no tag and decode as before.
 *
 * A frame flagged "flush" is a command, not audio: the receiver drops what it
 * has queued to play for that leg and call (the caller barged in while the
 * engine was ahead of the clock); its samples are silence and not played.
 */
import { stableHash } from './limits';
import type { Leg } from './messages';

export const SAMPLE_RATE = 16_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
export const FRAME_HEADER_BYTES = 16;
/** A version 1 frame (no call tag). */
export const FRAME_BYTES = FRAME_HEADER_BYTES + FRAME_SAMPLES * 2;
export const CALL_TAG_BYTES = 8;
/** A version 2 frame (with a call tag). */
export const TAGGED_FRAME_BYTES = FRAME_BYTES + CALL_TAG_BYTES;

const MAGIC = 0x4c;
const UNTAGGED = 1;
const TAGGED = 2;
const LEGS: readonly Leg[] = ['caller', 'agent', 'outgoing'];
const TAG_FORM = /^[0-9a-f]{16}$/;

export interface AudioFrame {
  leg: Leg;
  seq: number;
  sentAt: number;
  samples: Int16Array;
  /** The call this audio belongs to (callTagOf its id); absent: no call named. */
  callTag?: string;
  /** Drop what is queued to play for this leg and call; the samples are not played. */
  flush?: boolean;
}

const FLAG_FLUSH = 1;

export class AudioFrameError extends Error {
  override name = 'AudioFrameError';
}

/** The tag the frames of call `callId` carry: 16 hex digits. */
export function callTagOf(callId: string): string {
  return stableHash(callId);
}

export function encodeAudioFrame(frame: AudioFrame): ArrayBuffer {
  if (frame.samples.length !== FRAME_SAMPLES) {
    throw new AudioFrameError(
      `a frame holds ${FRAME_SAMPLES} samples, got ${frame.samples.length}`,
    );
  }
  const tag = frame.callTag;
  if (tag !== undefined && !TAG_FORM.test(tag)) {
    throw new AudioFrameError('a call tag is 16 hex digits (callTagOf)');
  }
  const buffer = new ArrayBuffer(tag === undefined ? FRAME_BYTES : TAGGED_FRAME_BYTES);
  const view = new DataView(buffer);
  view.setUint8(0, MAGIC);
  view.setUint8(1, tag === undefined ? UNTAGGED : TAGGED);
  view.setUint8(2, LEGS.indexOf(frame.leg));
  view.setUint8(3, frame.flush ? FLAG_FLUSH : 0);
  view.setUint32(4, frame.seq >>> 0, true);
  view.setFloat64(8, frame.sentAt, true);
  let offset = FRAME_HEADER_BYTES;
  if (tag !== undefined) {
    view.setBigUint64(offset, BigInt(`0x${tag}`), true);
    offset += CALL_TAG_BYTES;
  }
  new Int16Array(buffer, offset, FRAME_SAMPLES).set(frame.samples);
  return buffer;
}

/** Decodes and checks a frame; throws AudioFrameError on anything malformed. */
export function decodeAudioFrame(data: ArrayBuffer | ArrayBufferView): AudioFrame {
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength !== FRAME_BYTES && bytes.byteLength !== TAGGED_FRAME_BYTES) {
    throw new AudioFrameError(
      `an audio frame is ${FRAME_BYTES} or ${TAGGED_FRAME_BYTES} bytes, got ${bytes.byteLength}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== MAGIC) throw new AudioFrameError('not an audio frame (bad magic byte)');
  const version = view.getUint8(1);
  if (version !== UNTAGGED && version !== TAGGED) {
    throw new AudioFrameError(`unsupported audio frame version ${version}`);
  }
  const expected = version === TAGGED ? TAGGED_FRAME_BYTES : FRAME_BYTES;
  if (bytes.byteLength !== expected) {
    throw new AudioFrameError(
      `an audio frame of version ${version} is ${expected} bytes, got ${bytes.byteLength}`,
    );
  }
  const leg = LEGS[view.getUint8(2)];
  if (!leg) throw new AudioFrameError(`unknown leg ${view.getUint8(2)}`);
  const flags = view.getUint8(3);
  if ((flags & ~FLAG_FLUSH) !== 0) throw new AudioFrameError(`unknown frame flags ${flags}`);
  const sentAt = view.getFloat64(8, true);
  if (!Number.isFinite(sentAt)) throw new AudioFrameError('frame time is not a number');
  let offset = FRAME_HEADER_BYTES;
  let callTag: string | undefined;
  if (version === TAGGED) {
    callTag = view.getBigUint64(offset, true).toString(16).padStart(16, '0');
    offset += CALL_TAG_BYTES;
  }
  // Copy so the samples are aligned and independent of the receive buffer.
  const samples = new Int16Array(FRAME_SAMPLES);
  new Uint8Array(samples.buffer).set(bytes.subarray(offset));
  return {
    leg,
    seq: view.getUint32(4, true),
    sentAt,
    samples,
    ...(callTag === undefined ? {} : { callTag }),
    ...(flags & FLAG_FLUSH ? { flush: true } : {}),
  };
}
