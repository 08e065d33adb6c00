import { describe, expect, it } from 'vitest';
import { PHRASES } from '../../../../../electron/engine/bot/phrases';
import { clipText } from '../../../../../electron/engine/util/clip-text';

describe('clipText', () => {
  it('keeps a text that fits, on one line', () => {
    expect(clipText('Guten  Tag.\nWie geht es?', 200)).toBe('Guten Tag. Wie geht es?');
  });

  it('cuts at the end of a sentence when one keeps at least half the room', () => {
    const text = 'Die Zahlung kommt am 1. Dezember. Die Bank braucht dann noch ein bis zwei Tage.';
    expect(clipText(text, 60)).toBe('Die Zahlung kommt am 1. Dezember. …');
  });

  it('else at the end of a word, never inside one', () => {
    const clipped = clipText(PHRASES.keypadMenu, 200);
    expect(clipped.length).toBeLessThanOrEqual(200);
    expect(clipped.endsWith(' …')).toBe(true);
    const kept = clipped.slice(0, -2);
    expect(PHRASES.keypadMenu.startsWith(kept)).toBe(true);
    // The next character of the original is a space or punctuation: a whole word was kept.
    expect(PHRASES.keypadMenu.charAt(kept.length)).toMatch(/[\s,.]/);
    expect(kept).not.toMatch(/[,\s]$/);
  });

  it('cuts a single word longer than the room (there is no boundary)', () => {
    expect(clipText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
