/**
 * The caseworker's assistant for the call on screen: suggested answers (the
 * engine's ranking, with what the agent pinned kept on top), the search box,
 * the caller's case (locked until verified) and the wrap-up note after the
 * call. One call at a time: a new call starts from a clean slate, so nothing
 * of the previous caller stays on screen.
 */
import type { EngineProblem } from '../bridge/engine-problem';
import { createStore } from 'zustand/vanilla';
import type {
  CaseContextView,
  Disposition,
  Speaker,
  Suggestion,
  SuggestionList,
  WrapUpProposal,
} from '../../electron/contract';

export type CaseState = 'locked' | 'verifying' | 'loading' | 'shown' | 'error';

export interface TranscriptHit {
  segmentId: string;
  speaker: Speaker;
  text: string;
  startMs: number;
}

export interface WrapUpDraft {
  callId: string;
  proposal: WrapUpProposal;
  note: string;
  /** The call's outcome as the agent chose it: none until they do (no preset). */
  disposition: Disposition | null;
  /** A field the agent must fill before the note can be saved. */
  missing?: 'disposition';
  intent: string | null;
  status: 'draft' | 'saving' | 'saved' | 'error';
  /** Why the last save failed ('empty': nothing to save). */
  problem?: EngineProblem | 'empty';
  savedTo?: 'case_system' | 'desk';
}

export interface AssistState {
  callId?: string;
  suggestions: Suggestion[];
  intent: string | null;
  rankedMs: number;
  pinned: Suggestion[];
  /** Helpful / not helpful as the agent marked it, per article. */
  verdicts: Record<string, 'helpful' | 'not_helpful'>;
  search: {
    query: string;
    busy: boolean;
    articles: Suggestion[];
    transcript: TranscriptHit[];
    error?: EngineProblem;
  };
  verifiedBy?: 'bot' | 'agent';
  caseState: CaseState;
  context?: CaseContextView;
  caseError?: EngineProblem;
  /** When the context was shown (performance.now()), for the 1 s promise. */
  shownAt?: number;
  wrapUp?: WrapUpDraft;

  startCall(callId: string): void;
  applySuggestions(list: SuggestionList): void;
  setVerified(callId: string, by: 'bot' | 'agent'): void;
  setCase(
    patch: Partial<Pick<AssistState, 'caseState' | 'context' | 'caseError' | 'shownAt'>>,
  ): void;
  togglePin(suggestion: Suggestion): boolean;
  setVerdict(articleId: string, verdict: 'helpful' | 'not_helpful'): void;
  setSearch(patch: Partial<AssistState['search']>): void;
  setWrapUp(draft: WrapUpDraft | undefined): void;
  editWrapUp(
    patch: Partial<
      Pick<WrapUpDraft, 'note' | 'disposition' | 'missing' | 'status' | 'problem' | 'savedTo'>
    >,
  ): void;
}

const EMPTY_SEARCH = { query: '', busy: false, articles: [], transcript: [] };

export function createAssistStore() {
  return createStore<AssistState>()((set, get) => ({
    suggestions: [],
    intent: null,
    rankedMs: 0,
    pinned: [],
    verdicts: {},
    search: EMPTY_SEARCH,
    caseState: 'locked',

    startCall(callId) {
      if (get().callId === callId) return;
      const wrapUp = get().wrapUp;
      set({
        callId,
        suggestions: [],
        intent: null,
        rankedMs: 0,
        pinned: [],
        verdicts: {},
        search: EMPTY_SEARCH,
        verifiedBy: undefined,
        caseState: 'locked',
        context: undefined,
        caseError: undefined,
        shownAt: undefined,
        // An unsaved note of the previous call stays until it is saved or discarded.
        wrapUp: wrapUp && wrapUp.status !== 'saved' ? wrapUp : undefined,
      });
    },
    applySuggestions(list) {
      if (list.callId !== get().callId) return;
      set({ suggestions: list.items, intent: list.intent, rankedMs: list.rankedMs });
    },
    setVerified(callId, by) {
      if (callId !== get().callId) return;
      set({ verifiedBy: by });
    },
    setCase: (patch) => set(patch),
    togglePin(suggestion) {
      const pinned = get().pinned;
      const on = !pinned.some((p) => p.articleId === suggestion.articleId);
      set({
        pinned: on
          ? [...pinned, suggestion]
          : pinned.filter((p) => p.articleId !== suggestion.articleId),
      });
      return on;
    },
    setVerdict: (articleId, verdict) =>
      set({ verdicts: { ...get().verdicts, [articleId]: verdict } }),
    setSearch: (patch) => set({ search: { ...get().search, ...patch } }),
    setWrapUp: (wrapUp) => set({ wrapUp }),
    editWrapUp(patch) {
      const wrapUp = get().wrapUp;
      if (wrapUp) set({ wrapUp: { ...wrapUp, ...patch } });
    },
  }));
}

/** Pinned first (in the order pinned), then the ranking without them. */
export function visibleSuggestions(state: Pick<AssistState, 'pinned' | 'suggestions'>): {
  suggestion: Suggestion;
  pinned: boolean;
}[] {
  const pinnedIds = new Set(state.pinned.map((p) => p.articleId));
  return [
    ...state.pinned.map((suggestion) => ({ suggestion, pinned: true })),
    ...state.suggestions
      .filter((s) => !pinnedIds.has(s.articleId))
      .map((suggestion) => ({ suggestion, pinned: false })),
  ];
}
