import { describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../../../../electron/contract';
import { createTranscriptStore } from '../../../../renderer/stores/transcript-store';

function segment(
  segmentId: string,
  startMs: number,
  text: string,
  options: Partial<TranscriptSegment> = {},
): TranscriptSegment {
  return {
    callId: 'call-1',
    segmentId,
    speaker: 'caller',
    text,
    startMs,
    endMs: startMs + 500,
    confidence: null,
    final: false,
    ...options,
  };
}

const ids = (store: ReturnType<typeof createTranscriptStore>) =>
  store.getState().segments.map((s) => s.segmentId);

describe('transcript store', () => {
  it('keeps segments in call order and replaces a partial in place by its final', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 0, 'Guten', { speaker: 'bot' }));
    store.getState().upsert(segment('b', 2000, 'Ich'));
    store.getState().upsert(segment('b', 2000, 'Ich habe'));
    expect(ids(store)).toEqual(['a', 'b']);
    expect(store.getState().segments[1]?.text).toBe('Ich habe');
    expect(store.getState().lastFinal).toBeUndefined();
    const revision = store.getState().revision;
    store.getState().upsert(segment('b', 2000, 'Ich habe eine Frage', { final: true }));
    expect(ids(store)).toEqual(['a', 'b']);
    expect(store.getState().segments[1]).toMatchObject({
      text: 'Ich habe eine Frage',
      final: true,
    });
    expect(store.getState().revision).toBeGreaterThan(revision);
    expect(store.getState().lastFinal?.segmentId).toBe('b');
  });

  it('a new call replaces the old call’s lines', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 0, 'alt', { final: true }));
    const oldLines = store.getState().segments;
    store.getState().upsert(segment('x', 0, 'neu', { callId: 'call-2' }));
    expect(store.getState().callId).toBe('call-2');
    expect(ids(store)).toEqual(['x']);
    expect(store.getState().segments).not.toBe(oldLines);
    expect(store.getState().lastFinal).toBeUndefined();
    // A late segment id of the old call is a new line in the new call, not a replacement.
    store.getState().upsert(segment('a', 100, 'noch neu', { callId: 'call-2' }));
    expect(ids(store)).toEqual(['x', 'a']);
  });

  it('a call’s last final after its end replaces its partial; once the next call is on screen, it is dropped', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 0, 'danke'));
    // The call ended; the sentence the caller was in arrives as its final.
    store.getState().upsert(segment('a', 0, 'danke tschüss', { final: true }));
    expect(store.getState().segments).toMatchObject([{ text: 'danke tschüss', final: true }]);
    expect(store.getState().lastFinal?.segmentId).toBe('a');
    // Another line left open, and the next call comes before its final.
    store.getState().upsert(segment('b', 900, 'auf wieder'));
    store.getState().upsert(segment('x', 0, 'hallo', { callId: 'call-2' }));
    const revision = store.getState().revision;
    store.getState().upsert(segment('b', 900, 'auf wiedersehen', { final: true }));
    expect(store.getState()).toMatchObject({ callId: 'call-2', revision });
    expect(ids(store)).toEqual(['x']);
    // New lines of the earlier call (resumed after a consultation) are shown as before.
    store.getState().upsert(segment('c', 5000, 'wieder da'));
    expect(store.getState().callId).toBe('call-1');
    expect(ids(store)).toEqual(['c']);
  });

  it('inserts a segment that arrives out of order where it belongs, and finds it again', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 0, 'eins'));
    store.getState().upsert(segment('c', 3000, 'drei'));
    store.getState().upsert(segment('d', 4000, 'vier'));
    store.getState().upsert(segment('b', 1500, 'zwei', { speaker: 'agent' }));
    expect(ids(store)).toEqual(['a', 'b', 'c', 'd']);
    // The index was moved along: replacing after the insert hits the right lines.
    store.getState().upsert(segment('d', 4000, 'vier!', { final: true }));
    store.getState().upsert(segment('b', 1500, 'zwei!', { final: true, speaker: 'agent' }));
    expect(store.getState().segments.map((s) => s.text)).toEqual([
      'eins',
      'zwei!',
      'drei',
      'vier!',
    ]);
    // Equal start times keep their arrival order.
    store.getState().upsert(segment('c2', 3000, 'drei b'));
    expect(ids(store)).toEqual(['a', 'b', 'c', 'c2', 'd']);
  });

  it('moves a segment whose final starts before its neighbour', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 1000, 'a'));
    store.getState().upsert(segment('b', 1200, 'b', { speaker: 'bot' }));
    store.getState().upsert(segment('a', 1300, 'a final', { final: true }));
    expect(ids(store)).toEqual(['b', 'a']);
    store.getState().upsert(segment('b', 1200, 'b final', { final: true, speaker: 'bot' }));
    expect(store.getState().segments.map((s) => s.text)).toEqual(['b final', 'a final']);
  });

  it('clear empties the transcript and forgets the call', () => {
    const store = createTranscriptStore();
    store.getState().upsert(segment('a', 0, 'eins', { final: true }));
    store.getState().clear();
    expect(store.getState()).toMatchObject({ callId: undefined, lastFinal: undefined });
    expect(store.getState().segments).toHaveLength(0);
    store.getState().upsert(segment('a', 0, 'wieder'));
    expect(ids(store)).toEqual(['a']);
  });

  it('takes 20,000 upserts (partials growing to finals on two legs) in well under a second', () => {
    const store = createTranscriptStore();
    let notified = 0;
    store.subscribe(() => notified++);
    const started = performance.now();
    let upserts = 0;
    for (let n = 0; upserts < 20_000; n++) {
      const speaker = n % 2 === 0 ? 'caller' : 'agent';
      for (let words = 1; words <= 4; words++, upserts++)
        store.getState().upsert(
          segment(`s${n}`, n * 1000, 'wort '.repeat(words).trim(), {
            speaker,
            final: words === 4,
          }),
        );
    }
    const elapsedMs = performance.now() - started;
    expect(store.getState().segments).toHaveLength(5000);
    expect(notified).toBe(20_000);
    // A guard against a gross regression only; the store's figures are in
    // `npm run bench -- suggest` (append latency), not in a timed test.
    expect(elapsedMs).toBeLessThan(3000);
  });

  it('keeps 20,000 upserts fast even when every tenth segment arrives late', () => {
    const store = createTranscriptStore();
    const started = performance.now();
    for (let n = 0; n < 20_000; n++) {
      const startMs = n % 10 === 9 ? (n - 5) * 1000 : n * 1000;
      store.getState().upsert(segment(`s${n}`, startMs, 'wort', { final: true }));
    }
    const elapsedMs = performance.now() - started;
    const starts = store.getState().segments.map((s) => s.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(elapsedMs).toBeLessThan(5000);
  });
});
