/**
 * The live transcript of the current call as the engine streams it: partial
 * segments are replaced in place by later partials and by their final.
 */
import { createStore } from 'zustand/vanilla';
import type { SpeechStatus, TranscriptSegment } from '../../electron/contract';

export interface TranscriptState {
  callId?: string;
  segments: TranscriptSegment[];
  speech: SpeechStatus;
  upsert(segment: TranscriptSegment): void;
  setSpeech(status: SpeechStatus): void;
  clear(): void;
}

export function createTranscriptStore() {
  return createStore<TranscriptState>()((set, get) => ({
    segments: [],
    speech: { state: 'off' },
    upsert(segment) {
      const state = get();
      // A new call replaces the previous call's transcript on screen.
      const segments = state.callId === segment.callId ? state.segments : [];
      const index = segments.findIndex((s) => s.segmentId === segment.segmentId);
      const next = index === -1 ? [...segments, segment] : segments.with(index, segment);
      next.sort((a, b) => a.startMs - b.startMs);
      set({ callId: segment.callId, segments: next });
    },
    setSpeech: (speech) => set({ speech }),
    clear: () => set({ callId: undefined, segments: [] }),
  }));
}
