/**
 * Binary audio frames: 20 ms of 16 kHz mono signed 16-bit PCM with a small
 * header, sent as one binary message (WebSocket) or one transferred
 * ArrayBuffer (MessagePort). Audio never travels as JSON: a frame is 656
 * bytes instead of several kilobytes of text, and needs no parsing.
 *
 * Layout (little endian):
 *   0  u8   magic 0x4c ('L')
 *   1  u8   version (1)
 *   2  u8   leg (0 caller, 1 agent, 2 outgoing)
 *   3  u8   reserved (0)
 *   4  u32  sequence number per leg
 *   8  f64  send time in epoch milliseconds (for transport latency)
 *   16 i16 × 320 samples
 */
import type { Leg } from './messages';

export const SAMPLE_RATE = 16_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
export const FRAME_HEADER_BYTES = 16;
export const FRAME_BYTES = FRAME_HEADER_BYTES + FRAME_SAMPLES * 2;

const MAGIC = 0x4c;
const VERSION = 1;
const LEGS: readonly Leg[] = ['caller', 'agent', 'outgoing'];

export interface AudioFrame {
  leg: Leg;
  seq: number;
  sentAt: number;
  samples: Int16Array;
}

export class AudioFrameError extends Error {
  override name = 'AudioFrameError';
}

export function encodeAudioFrame(frame: AudioFrame): ArrayBuffer {
  if (frame.samples.length !== FRAME_SAMPLES) {
    throw new AudioFrameError(
      `a frame holds ${FRAME_SAMPLES} samples, got ${frame.samples.length}`,
    );
  }
  const buffer = new ArrayBuffer(FRAME_BYTES);
  const view = new DataView(buffer);
  view.setUint8(0, MAGIC);
  view.setUint8(1, VERSION);
  view.setUint8(2, LEGS.indexOf(frame.leg));
  view.setUint8(3, 0);
  view.setUint32(4, frame.seq >>> 0, true);
  view.setFloat64(8, frame.sentAt, true);
  new Int16Array(buffer, FRAME_HEADER_BYTES, FRAME_SAMPLES).set(frame.samples);
  return buffer;
}

/** Decodes and checks a frame; throws AudioFrameError on anything malformed. */
export function decodeAudioFrame(data: ArrayBuffer | ArrayBufferView): AudioFrame {
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength !== FRAME_BYTES) {
    throw new AudioFrameError(`an audio frame is ${FRAME_BYTES} bytes, got ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== MAGIC) throw new AudioFrameError('not an audio frame (bad magic byte)');
  if (view.getUint8(1) !== VERSION) {
    throw new AudioFrameError(`unsupported audio frame version ${view.getUint8(1)}`);
  }
  const leg = LEGS[view.getUint8(2)];
  if (!leg) throw new AudioFrameError(`unknown leg ${view.getUint8(2)}`);
  const sentAt = view.getFloat64(8, true);
  if (!Number.isFinite(sentAt)) throw new AudioFrameError('frame time is not a number');
  // Copy so the samples are aligned and independent of the receive buffer.
  const samples = new Int16Array(FRAME_SAMPLES);
  new Uint8Array(samples.buffer).set(bytes.subarray(FRAME_HEADER_BYTES));
  return { leg, seq: view.getUint32(4, true), sentAt, samples };
}
