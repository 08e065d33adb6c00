/**
 * UI texts, split by screen area: each feature defines its own German and
 * English table with `defineMessages`, on top of the few words every area
 * shares (common-messages.ts). The tables are typed: a key missing in
 * English is a type error, not a blank button, and a feature can only ask
 * for its own keys.
 */
import { useStore } from 'zustand';
import { languageStore, type Language } from './language';

export type MessageParams = Record<string, string | number>;

/** German and English texts for the same keys; `{name}` marks a parameter. */
export interface MessageTables<K extends string> {
  de: Readonly<Record<K, string>>;
  en: Readonly<Record<K, string>>;
}

export type Translate<K extends string> = (key: K, params?: MessageParams) => string;

export interface MessageCatalog<K extends string> {
  readonly tables: MessageTables<K>;
  /** The text for a key in a language, with its parameters filled in. */
  translate(language: Language, key: K, params?: MessageParams): string;
  /** True when `key` is one of this catalogue's keys (for keys built from codes). */
  has(key: string): key is K;
  /** React hook: a translate function for the current language. */
  useT(): Translate<K>;
}

export type MessageKeyOf<C> = C extends MessageCatalog<infer K> ? K : never;

function fill(text: string, params?: MessageParams): string {
  if (!params) return text;
  let out = text;
  for (const [name, value] of Object.entries(params))
    out = out.replaceAll(`{${name}}`, String(value));
  return out;
}

export function defineMessages<const K extends string, B extends string = never>(
  tables: MessageTables<K>,
  base?: MessageCatalog<B>,
): MessageCatalog<K | B> {
  const merged: MessageTables<K | B> = {
    de: { ...(base?.tables.de ?? {}), ...tables.de } as Record<K | B, string>,
    en: { ...(base?.tables.en ?? {}), ...tables.en } as Record<K | B, string>,
  };
  const translate = (language: Language, key: K | B, params?: MessageParams): string =>
    fill(merged[language][key] ?? merged.de[key] ?? key, params);
  return {
    tables: merged,
    translate,
    has: (key: string): key is K | B => Object.hasOwn(merged.de, key),
    useT() {
      const language = useStore(languageStore, (s) => s.language);
      return (key, params) => translate(language, key, params);
    },
  };
}
