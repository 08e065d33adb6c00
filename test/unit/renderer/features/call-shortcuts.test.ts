import { describe, expect, it } from 'vitest';
import {
  isTypingTarget,
  matchCallShortcut,
  type KeyLike,
} from '../../../../renderer/features/phone/call-shortcuts';

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
