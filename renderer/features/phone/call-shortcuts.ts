/**
 * Keyboard shortcuts for the call buttons: Ctrl+Alt+A answer (during a
 * call: answer the knocking call and hold this one), Ctrl+Alt+X hang up (or
 * decline), Ctrl+Alt+M mute, Ctrl+Alt+H hold, Ctrl+Alt+W transfer (opens the
 * transfer field; W as in "weiterverbinden"). Matched by the
 * physical key (event.code), so they work on German and English layouts;
 * keys whose AltGr meaning a German agent types (E → €, Q → @) are avoided.
 * They never fire while the agent types in a field: there the keys belong
 * to the text.
 */
export type CallShortcut = 'answer' | 'hangup' | 'mute' | 'hold' | 'transfer';

/** The physical key, and the value for aria-keyshortcuts (WAI-ARIA syntax). */
export const CALL_SHORTCUTS: Record<CallShortcut, { code: string; aria: string }> = {
  answer: { code: 'KeyA', aria: 'Control+Alt+A' },
  hangup: { code: 'KeyX', aria: 'Control+Alt+X' },
  mute: { code: 'KeyM', aria: 'Control+Alt+M' },
  hold: { code: 'KeyH', aria: 'Control+Alt+H' },
  transfer: { code: 'KeyW', aria: 'Control+Alt+W' },
};

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

/** Which call shortcut this key press is, if any. */
export function matchCallShortcut(event: KeyLike): CallShortcut | undefined {
  if (!event.ctrlKey || !event.altKey || event.shiftKey || event.metaKey || event.repeat)
    return undefined;
  if (isTypingTarget(event.target)) return undefined;
  for (const [name, shortcut] of Object.entries(CALL_SHORTCUTS) as [
    CallShortcut,
    { code: string },
  ][]) {
    if (shortcut.code === event.code) return name;
  }
  return undefined;
}
