/**
 * The language of the screen: German first, English second. The agent's
 * choice is a preference, not a secret, so it lives in localStorage.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type Language = 'de' | 'en';

export const LANGUAGES: readonly Language[] = ['de', 'en'];

const STORAGE_KEY = 'lotse.language';

function saved(): Language {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

export const languageStore = createStore<{ language: Language; setLanguage(l: Language): void }>()(
  (set) => ({
    language: saved(),
    setLanguage: (language) => {
      globalThis.localStorage?.setItem(STORAGE_KEY, language);
      if (typeof document !== 'undefined') document.documentElement.lang = language;
      set({ language });
    },
  }),
);

/** The BCP 47 locale for dates and numbers in this language. */
export function localeOf(language: Language): string {
  return language === 'en' ? 'en-GB' : 'de-DE';
}

/** React hook: the locale of the current language (re-renders when it is switched). */
export function useLocale(): string {
  return localeOf(useStore(languageStore, (s) => s.language));
}
