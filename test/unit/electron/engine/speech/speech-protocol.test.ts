/**
 * What the engine accepts from the speech worker: the protocol's messages
 * as the worker sends them, and nothing that merely looks like one (a worker
 * running native code on untrusted files may send anything).
 */
import { describe, expect, it } from 'vitest';
import { parseFromWorker } from '../../../../../electron/engine/speech/speech-protocol';

const final = {
  type: 'final',
  streamId: 'caller|abc@host',
  text: 'ja',
  words: [{ word: 'ja', startMs: 1200, endMs: 1500, conf: 0.93 }],
  startMs: 1200,
  endMs: 1500,
  atMs: 1900,
  reason: 'vad',
};

describe('parseFromWorker', () => {
  it('accepts every message of the protocol as the worker sends it', () => {
    for (const message of [
      { type: 'ready', modelLoadMs: 2.1, libraryPath: '/x/libvosk.so', grammarSupported: true },
      { type: 'partial', streamId: 's', text: 'j', startMs: 0, endMs: 200, atMs: 200 },
      final,
      { ...final, alternatives: [{ text: 'ja', confidence: 0.9 }] },
      { type: 'closed', streamId: 's' },
      { type: 'stats', cpuUserMs: 1, cpuSystemMs: 0, audioMs: { s: 100 }, processingMs: {} },
      { type: 'error', fatal: true, code: 'invalid_model', message: 'damaged' },
      { type: 'error', fatal: false, streamId: 's', message: 'not open' },
      { type: 'log', level: 'warn', message: 'LOG (VoskAPI…)' },
      { type: 'pong', seq: 7 },
    ]) {
      const parsed = parseFromWorker(message);
      expect(parsed, JSON.stringify(message)).toEqual({ ok: true, message });
    }
  });

  it.each([
    ['not an object', 'ready'],
    ['null', null],
    ['an unknown type', { type: 'exec', command: 'rm -rf /' }],
    ['a text that is a number', { ...final, text: 42 }],
    ['a missing time', { ...final, endMs: undefined }],
    ['NaN as a time', { ...final, startMs: Number.NaN }],
    ['Infinity as a time', { ...final, atMs: Number.POSITIVE_INFINITY }],
    ['a negative stream time', { ...final, startMs: -5 }],
    ['an unknown turn end', { ...final, reason: 'because' }],
    ['an empty stream id', { type: 'closed', streamId: '' }],
    ['an overlong stream id', { type: 'closed', streamId: 'x'.repeat(201) }],
    ['a word that is not one', { ...final, words: [{ word: 1 }] }],
    ['a huge text', { ...final, text: 'a'.repeat(20_001) }],
    ['a log level of its own', { type: 'log', level: 'error', message: 'x' }],
    ['an error code of its own', { type: 'error', fatal: true, code: 'oops', message: 'x' }],
  ])('refuses %s, saying where', (_what, message) => {
    const parsed = parseFromWorker(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.length).toBeGreaterThan(3);
  });
});
