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
  go(view: ViewName): void;
  say(text: string): void;
}

export function createViewStore(initial: ViewName = 'workspace') {
  return createStore<ViewState>()((set, get) => ({
    view: initial,
    go: (view) => set({ view }),
    say: (text) => set({ notice: { text, seq: (get().notice?.seq ?? 0) + 1 } }),
  }));
}
