import { describe, expect, it } from 'vitest';
import {
  isTypingTarget,
  matchCallShortcut,
  DEFAULT_SHORTCUT_KEYS,
  shortcutAria,
  shortcutKeysProblem,
  type KeyLike,
} from '../../../../renderer/stores/call-shortcuts';
import { createShortcutsStore } from '../../../../renderer/stores/shortcuts-store';
import { describeShortcutProblem } from '../../../../renderer/features/settings/shortcut-labels';
import { settingsMessages } from '../../../../renderer/features/settings/settings-messages';

const key = (code: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  code,
  ctrlKey: true,
  altKey: true,
  shiftKey: false,
  metaKey: false,
  target: { tagName: 'BODY' },
  ...extra,
});

describe('call shortcuts', () => {
  it('maps Ctrl+Alt+A/X/M/H/W to answer, hang up, mute, hold, transfer', () => {
    expect(matchCallShortcut(key('KeyA'))).toBe('answer');
    expect(matchCallShortcut(key('KeyX'))).toBe('hangup');
    expect(matchCallShortcut(key('KeyM'))).toBe('mute');
    expect(matchCallShortcut(key('KeyH'))).toBe('hold');
    expect(matchCallShortcut(key('KeyW'))).toBe('transfer');
    expect(matchCallShortcut(key('KeyQ'))).toBeUndefined();
  });

  it('needs exactly Ctrl+Alt, and ignores auto-repeat', () => {
    expect(matchCallShortcut(key('KeyA', { ctrlKey: false }))).toBeUndefined();
    expect(matchCallShortcut(key('KeyA', { altKey: false }))).toBeUndefined();
    expect(matchCallShortcut(key('KeyA', { shiftKey: true }))).toBeUndefined();
    expect(matchCallShortcut(key('KeyA', { metaKey: true }))).toBeUndefined();
    expect(matchCallShortcut(key('KeyA', { repeat: true }))).toBeUndefined();
  });

  it('does not fire while the agent types in a field', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT' },
      { tagName: 'input', type: 'search' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(matchCallShortcut(key('KeyX', { target }))).toBeUndefined();
    }
    // A focused checkbox or button is not typing.
    expect(matchCallShortcut(key('KeyX', { target: { tagName: 'INPUT', type: 'checkbox' } }))).toBe(
      'hangup',
    );
    expect(matchCallShortcut(key('KeyH', { target: { tagName: 'BUTTON' } }))).toBe('hold');
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('configurable call shortcuts', () => {
  it('matches the agent’s own keys', () => {
    const keys = {
      ...DEFAULT_SHORTCUT_KEYS,
      answer: 'J',
      hangup: 'K',
      focusCase: 'L',
      transfer: '5',
    };
    expect(matchCallShortcut(key('KeyJ'), keys)).toBe('answer');
    expect(matchCallShortcut(key('KeyV'), keys)).toBe('acceptSuggestion');
    expect(matchCallShortcut(key('KeyL'), keys)).toBe('focusCase');
    expect(matchCallShortcut(key('Digit5'), keys)).toBe('transfer');
    expect(matchCallShortcut(key('KeyA'), keys)).toBeUndefined();
    expect(shortcutAria('j')).toBe('Control+Alt+J');
  });

  it('refuses duplicates, AltGr characters and anything but one letter or digit', () => {
    const base = { ...DEFAULT_SHORTCUT_KEYS };
    expect(shortcutKeysProblem(base)).toBeUndefined();
    expect(shortcutKeysProblem({ ...base, hold: 'A' })).toEqual({
      code: 'taken',
      shortcut: 'hold',
      key: 'A',
      other: 'answer',
    });
    expect(shortcutKeysProblem({ ...base, hold: 'Q' })).toEqual({
      code: 'altgr',
      shortcut: 'hold',
      key: 'Q',
    });
    expect(shortcutKeysProblem({ ...base, hold: '' })).toEqual({
      code: 'not-a-key',
      shortcut: 'hold',
    });
    expect(shortcutKeysProblem({ ...base, hold: 'ÄB' })).toEqual({
      code: 'not-a-key',
      shortcut: 'hold',
    });
  });

  it('words each problem in German and English, naming the actions as the form does', () => {
    const base = { ...DEFAULT_SHORTCUT_KEYS };
    const say = (language: 'de' | 'en', keys: typeof base) => {
      const problem = shortcutKeysProblem(keys);
      if (!problem) throw new Error('expected a problem');
      return describeShortcutProblem(
        (key, params) => settingsMessages.translate(language, key, params),
        problem,
      );
    };
    expect(say('de', { ...base, hold: 'A' })).toBe('Halten: A ist schon für Annehmen vergeben');
    expect(say('en', { ...base, hold: 'A' })).toBe('Hold: A is already used by Answer');
    expect(say('de', { ...base, hold: 'Q' })).toBe(
      'Halten: Strg+Alt+Q schreibt ein Zeichen (AltGr)',
    );
    expect(say('de', { ...base, hold: '' })).toBe('Halten: ein Buchstabe oder eine Ziffer');
    expect(say('en', { ...base, hold: 'ÄB' })).toBe('Hold: one letter or digit');
  });

  it('remembers the keys on this desk and falls back to the defaults on bad data', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const store = createShortcutsStore(storage);
    expect(store.getState().keys).toEqual(DEFAULT_SHORTCUT_KEYS);
    expect(
      store.getState().save({ ...DEFAULT_SHORTCUT_KEYS, answer: 'a', hangup: 'A' }),
    ).toMatchObject({ code: 'taken', shortcut: 'hangup', other: 'answer' });
    expect(store.getState().save({ ...DEFAULT_SHORTCUT_KEYS, answer: 'j' })).toBeUndefined();
    expect(createShortcutsStore(storage).getState().keys.answer).toBe('J');
    data.set('lotse.shortcuts', '{not json');
    expect(createShortcutsStore(storage).getState().keys).toEqual(DEFAULT_SHORTCUT_KEYS);
    data.set('lotse.shortcuts', JSON.stringify({ answer: 'X' }));
    expect(createShortcutsStore(storage).getState().keys).toEqual(DEFAULT_SHORTCUT_KEYS);
    store.getState().reset();
    expect(data.has('lotse.shortcuts')).toBe(false);
  });
});
