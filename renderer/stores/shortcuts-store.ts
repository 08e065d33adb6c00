/**
 * The agent's keyboard shortcuts for the call buttons, remembered on this
 * desk (localStorage): a bad or foreign saved value falls back to the
 * defaults without touching anything else in storage.
 */
import { createStore } from 'zustand/vanilla';
import {
  CALL_SHORTCUT_NAMES,
  DEFAULT_SHORTCUT_KEYS,
  shortcutKeysProblem,
  type ShortcutKeys,
  type ShortcutProblem,
} from './call-shortcuts';

const STORAGE_KEY = 'lotse.shortcuts';

export interface ShortcutsState {
  keys: ShortcutKeys;
  /** Saves new keys; returns the problem instead when they are not usable. */
  save(keys: ShortcutKeys): ShortcutProblem | undefined;
  reset(): void;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

function load(storage: Storage | undefined): ShortcutKeys {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return { ...DEFAULT_SHORTCUT_KEYS };
    const parsed = JSON.parse(raw) as Partial<ShortcutKeys>;
    const keys = Object.fromEntries(
      CALL_SHORTCUT_NAMES.map((name) => [
        name,
        typeof parsed[name] === 'string' ? parsed[name].toUpperCase() : DEFAULT_SHORTCUT_KEYS[name],
      ]),
    ) as ShortcutKeys;
    return shortcutKeysProblem(keys) ? { ...DEFAULT_SHORTCUT_KEYS } : keys;
  } catch {
    return { ...DEFAULT_SHORTCUT_KEYS };
  }
}

export function createShortcutsStore(
  storage: Storage | undefined = globalThis.localStorage as Storage | undefined,
) {
  return createStore<ShortcutsState>()((set) => ({
    keys: load(storage),
    save(keys) {
      const normalized = Object.fromEntries(
        CALL_SHORTCUT_NAMES.map((name) => [name, (keys[name] ?? '').trim().toUpperCase()]),
      ) as ShortcutKeys;
      const problem = shortcutKeysProblem(normalized);
      if (problem) return problem;
      storage?.setItem(STORAGE_KEY, JSON.stringify(normalized));
      set({ keys: normalized });
      return undefined;
    },
    reset() {
      storage?.removeItem(STORAGE_KEY);
      set({ keys: { ...DEFAULT_SHORTCUT_KEYS } });
    },
  }));
}
