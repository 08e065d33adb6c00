/**
 * The live transcript of the current call as the engine streams it: partial
 * segments are replaced in place by later partials and by their final.
 *
 * A two-hour call brings thousands of segments and many partials per second,
 * so an update must not copy or sort the whole transcript: `segments` is one
 * array per call that the store changes in place, with an index by
 * segmentId. Appending and replacing (the common case: the newest partial of
 * a leg becomes longer, then final) cost O(1); only a segment that starts
 * before the last one (out of order, rare) is inserted by binary search.
 *
 * Because the array keeps its identity within a call, a subscriber follows
 * `revision` (a new number with every change), not `segments`' reference;
 * `segments` itself gets a new identity only when a new call starts or the
 * transcript is cleared.
 *
 * A call's last final can come after the call has ended (the engine flushes
 * the sentence the caller was in when they hung up): it replaces its partial
 * like any final. Should the next call's lines be on screen by then, that
 * late final of a line left open is dropped instead: it must not push the
 * current call away. (Anything else of an earlier call, a call resumed after
 * a consultation, is shown as before.)
 */
import { createStore } from 'zustand/vanilla';
import type { SpeechStatus, TranscriptSegment } from '../../electron/contract';

export interface TranscriptState {
  callId?: string;
  /** In call order (startMs, then arrival). Read-only: the store changes it in place. */
  segments: readonly TranscriptSegment[];
  /** Changes with every change of `segments`: what a view subscribes to. */
  revision: number;
  /** The newest final segment (for announcing it, and for whatever follows each final). */
  lastFinal?: TranscriptSegment;
  speech: SpeechStatus;
  upsert(segment: TranscriptSegment): void;
  setSpeech(status: SpeechStatus): void;
  clear(): void;
}

/** The first index whose startMs is greater than `startMs` (equal ones keep arrival order). */
function upperBound(segments: readonly TranscriptSegment[], startMs: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (segments[middle]!.startMs <= startMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many lines left open by replaced calls are remembered (their late finals are dropped). */
const LEFT_OPEN_KEPT = 50;

export function createTranscriptStore() {
  // The current call's lines and where each segmentId sits in them.
  let lines: TranscriptSegment[] = [];
  let index = new Map<string, number>();
  // Lines still partial when their call left the screen: segmentId → callId, oldest first.
  const leftOpen = new Map<string, string>();

  /** The current lines leave the screen: remember the open ones. */
  const leave = (): void => {
    for (const line of lines) {
      if (line.final) continue;
      leftOpen.set(line.segmentId, line.callId);
      if (leftOpen.size > LEFT_OPEN_KEPT) leftOpen.delete(leftOpen.keys().next().value!);
    }
    lines = [];
    index = new Map();
  };

  const reindexFrom = (from: number): void => {
    for (let i = from; i < lines.length; i++) index.set(lines[i]!.segmentId, i);
  };

  const insertInOrder = (segment: TranscriptSegment): void => {
    const last = lines.at(-1);
    if (!last || last.startMs <= segment.startMs) {
      index.set(segment.segmentId, lines.length);
      lines.push(segment);
      return;
    }
    // Out of order: rare, so the O(n) move and re-index are fine here.
    const at = upperBound(lines, segment.startMs);
    lines.splice(at, 0, segment);
    reindexFrom(at);
  };

  return createStore<TranscriptState>()((set, get) => ({
    segments: lines,
    revision: 0,
    speech: { state: 'off' },
    upsert(segment) {
      const state = get();
      if (state.callId !== segment.callId) {
        // The late final of a line its call left open when it left the screen.
        if (leftOpen.get(segment.segmentId) === segment.callId) {
          if (segment.final) leftOpen.delete(segment.segmentId);
          return;
        }
        // A new call replaces the previous call's transcript on screen.
        leave();
      }
      const at = index.get(segment.segmentId);
      if (at === undefined) {
        insertInOrder(segment);
      } else {
        const before = lines[at - 1];
        const after = lines[at + 1];
        const stillInOrder =
          (!before || before.startMs <= segment.startMs) &&
          (!after || segment.startMs <= after.startMs);
        if (stillInOrder) {
          lines[at] = segment;
        } else {
          // Its start moved past a neighbour (a final may start earlier than its partial).
          lines.splice(at, 1);
          index.delete(segment.segmentId);
          reindexFrom(at);
          insertInOrder(segment);
        }
      }
      set({
        callId: segment.callId,
        segments: lines,
        revision: state.revision + 1,
        lastFinal: segment.final
          ? segment
          : state.callId === segment.callId
            ? state.lastFinal
            : undefined,
      });
    },
    setSpeech: (speech) => set({ speech }),
    clear: () => {
      leave();
      set((state) => ({
        callId: undefined,
        segments: lines,
        revision: state.revision + 1,
        lastFinal: undefined,
      }));
    },
  }));
}
