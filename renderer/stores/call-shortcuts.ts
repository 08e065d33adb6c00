/**
 * Keyboard shortcuts for the call buttons (the agent can change the letters
 * in the settings; these are the defaults): Ctrl+Alt+A answer (during a
 * call: answer the knocking call and hold this one), Ctrl+Alt+X hang up (or
 * decline), Ctrl+Alt+M mute, Ctrl+Alt+H hold, Ctrl+Alt+W transfer (opens the
 * transfer field; W as in "weiterverbinden"); on the caseworker's screen
 * Ctrl+Alt+V takes the top suggestion ("Vorschlag": copied, counted as used),
 * Ctrl+Alt+T goes to the transcript and Ctrl+Alt+K to the case ("Kundenakte");
 * the views: Ctrl+Alt+P the workspace ("Arbeitsplatz"), L the call history
 * ("Anrufliste"), R the worklist ("Rückrufe"), S the settings, D the
 * diagnostics. Matched by the
 * physical key (event.code), so they work on German and English layouts;
 * keys whose AltGr meaning a German agent types (E → €, Q → @) are avoided.
 * They never fire while the agent types in a field: there the keys belong
 * to the text.
 */
export type CallShortcut =
  | 'answer'
  | 'hangup'
  | 'mute'
  | 'hold'
  | 'transfer'
  | 'acceptSuggestion'
  | 'focusTranscript'
  | 'focusCase'
  | 'viewWorkspace'
  | 'viewHistory'
  | 'viewWorklist'
  | 'viewSettings'
  | 'viewDiagnostics';

export const CALL_SHORTCUT_NAMES: readonly CallShortcut[] = [
  'answer',
  'hangup',
  'mute',
  'hold',
  'transfer',
  'acceptSuggestion',
  'focusTranscript',
  'focusCase',
  'viewWorkspace',
  'viewHistory',
  'viewWorklist',
  'viewSettings',
  'viewDiagnostics',
];

/** The key pressed with Ctrl+Alt for each action: a letter A–Z or a digit 0–9. */
export type ShortcutKeys = Record<CallShortcut, string>;

export const DEFAULT_SHORTCUT_KEYS: Readonly<ShortcutKeys> = Object.freeze({
  answer: 'A',
  hangup: 'X',
  mute: 'M',
  hold: 'H',
  transfer: 'W',
  acceptSuggestion: 'V',
  focusTranscript: 'T',
  focusCase: 'K',
  viewWorkspace: 'P',
  viewHistory: 'L',
  viewWorklist: 'R',
  viewSettings: 'S',
  viewDiagnostics: 'D',
});

/**
 * Keys a German keyboard types with AltGr (= Ctrl+Alt on Windows): E → €,
 * Q → @, M → µ (kept as the default for mute, where no text is typed), 2 → ²,
 * 3 → ³, 7–0 → { [ ] }. A shortcut on them would steal a character someone
 * types elsewhere.
 */
const ALTGR_KEYS = new Set(['E', 'Q', '2', '3', '7', '8', '9', '0']);

/** The physical key (event.code) of a shortcut key: "A" → "KeyA", "5" → "Digit5". */
export function shortcutCode(key: string): string {
  return /^[0-9]$/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`;
}

/** The WAI-ARIA aria-keyshortcuts value. */
export function shortcutAria(key: string): string {
  return `Control+Alt+${key.toUpperCase()}`;
}

/** Why a set of keys cannot be used; the settings word it in the agent's language. */
export type ShortcutProblem =
  /** Not one letter A–Z or digit 0–9. */
  | { code: 'not-a-key'; shortcut: CallShortcut }
  /** Ctrl+Alt+key types a character on a German keyboard (AltGr). */
  | { code: 'altgr'; shortcut: CallShortcut; key: string }
  /** The key is already used by another action. */
  | { code: 'taken'; shortcut: CallShortcut; key: string; other: CallShortcut };

/** What is wrong with a set of keys, or undefined. */
export function shortcutKeysProblem(keys: ShortcutKeys): ShortcutProblem | undefined {
  const seen = new Map<string, CallShortcut>();
  for (const name of CALL_SHORTCUT_NAMES) {
    const key = (keys[name] ?? '').toUpperCase();
    if (!/^[A-Z0-9]$/.test(key)) return { code: 'not-a-key', shortcut: name };
    if (ALTGR_KEYS.has(key)) return { code: 'altgr', shortcut: name, key };
    const other = seen.get(key);
    if (other) return { code: 'taken', shortcut: name, key, other };
    seen.set(key, name);
  }
  return undefined;
}

/** Default keys, for places that do not follow the agent's choice. */
export const CALL_SHORTCUTS: Record<CallShortcut, { code: string; aria: string }> =
  Object.fromEntries(
    CALL_SHORTCUT_NAMES.map((name) => [
      name,
      {
        code: shortcutCode(DEFAULT_SHORTCUT_KEYS[name]),
        aria: shortcutAria(DEFAULT_SHORTCUT_KEYS[name]),
      },
    ]),
  ) as Record<CallShortcut, { code: string; aria: string }>;

/** The part of a KeyboardEvent the matcher reads (a plain object in unit tests). */
export interface KeyLike {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
  repeat?: boolean;
  target: unknown;
}

const NOT_TEXT_INPUTS = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
]);

/** True when keys pressed on `target` are text being typed (input, textarea, select, editable). */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean };
  const tag = el.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase());
  return el.isContentEditable === true;
}

/** Which call shortcut this key press is, if any (with the agent's keys). */
export function matchCallShortcut(
  event: KeyLike,
  keys: ShortcutKeys = DEFAULT_SHORTCUT_KEYS,
): CallShortcut | undefined {
  if (!event.ctrlKey || !event.altKey || event.shiftKey || event.metaKey || event.repeat)
    return undefined;
  if (isTypingTarget(event.target)) return undefined;
  return CALL_SHORTCUT_NAMES.find((name) => shortcutCode(keys[name]) === event.code);
}
