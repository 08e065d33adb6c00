/**
 * Test audio for the speech tests, 16 kHz mono int16: German sentences from
 * espeak-ng (trimmed to the speech, so their times are exact) joined with
 * digital silence where the test says. Cached under test/fixtures/generated/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GENERATED_DIR = fileURLToPath(new URL('../../../../fixtures/generated/', import.meta.url));
export const RATE = 16_000;

/** One spoken phrase, trimmed of leading and trailing silence, normalised to -3 dBFS. */
export async function speech(text: string): Promise<Int16Array> {
  const hash = createHash('sha256').update(`v1 ${text}`).digest('hex').slice(0, 12);
  const target = join(GENERATED_DIR, `speech16k-${hash}.raw`);
  if (!existsSync(target)) {
    mkdirSync(GENERATED_DIR, { recursive: true });
    const wav = `${target}.${process.pid}.wav`;
    const tmp = `${target}.${process.pid}.tmp`;
    await run('espeak-ng', ['-v', 'de', '-w', wav, text]);
    // -D: no dither, so the silence we add stays digital zero; trim both ends.
    await run('sox', [
      '-D',
      wav,
      '-r',
      String(RATE),
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      tmp,
      'silence',
      '1',
      '0.02',
      '1%',
      'reverse',
      'silence',
      '1',
      '0.02',
      '1%',
      'reverse',
      'norm',
      '-3',
    ]);
    renameSync(tmp, target);
  }
  const bytes = readFileSync(target);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function silence(ms: number): Int16Array {
  return new Int16Array((ms * RATE) / 1000);
}

export function msOf(samples: Int16Array): number {
  return (samples.length * 1000) / RATE;
}

export interface Layout {
  audio: Int16Array;
  /** Where each speech part lies, in ms from the start. */
  speech: { startMs: number; endMs: number }[];
}

/** Joins parts; each Int16Array that is not all zero counts as a speech segment. */
export function join16(parts: Int16Array[]): Layout {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const audio = new Int16Array(total);
  const segments: Layout['speech'] = [];
  let at = 0;
  for (const part of parts) {
    audio.set(part, at);
    if (part.some((s) => s !== 0))
      segments.push({ startMs: (at * 1000) / RATE, endMs: ((at + part.length) * 1000) / RATE });
    at += part.length;
  }
  return { audio, speech: segments };
}

/** Splits audio into 20 ms chunks, as the renderer's tap sends it. */
export function* chunks(audio: Int16Array, ms = 20): Generator<Int16Array> {
  const size = (ms * RATE) / 1000;
  for (let i = 0; i < audio.length; i += size) yield audio.subarray(i, i + size);
}
