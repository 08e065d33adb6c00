/**
 * Which of the desk's views is in front: the workspace (phone, transcript,
 * case, suggestions), the call history, the worklist, the settings or the
 * diagnostics. All views stay mounted (a half-filled form is never lost by
 * looking elsewhere); only the one in front is shown.
 */
import { createStore } from 'zustand/vanilla';

export type ViewName = 'workspace' | 'history' | 'worklist' | 'settings' | 'diagnostics';

export const VIEW_NAMES: readonly ViewName[] = [
  'workspace',
  'history',
  'worklist',
  'settings',
  'diagnostics',
];

export interface ViewState {
  view: ViewName;
  /**
   * What the desk just did for a shortcut or a taken call, in words (shown
   * for a moment and read by screen readers); seq tells a repeat apart.
   */
  notice?: { text: string; seq: number };
  /** Counts the transfer shortcut's requests: the call panel opens its transfer field on each. */
  transferRequests: number;
  go(view: ViewName): void;
  say(text: string): void;
  requestTransfer(): void;
}

export function createViewStore(initial: ViewName = 'workspace') {
  return createStore<ViewState>()((set, get) => ({
    view: initial,
    transferRequests: 0,
    go: (view) => set({ view }),
    requestTransfer: () => set({ transferRequests: get().transferRequests + 1 }),
    say: (text) => set({ notice: { text, seq: (get().notice?.seq ?? 0) + 1 } }),
  }));
}
