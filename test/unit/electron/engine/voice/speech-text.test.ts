import { describe, expect, it } from 'vitest';
import {
  cleanSpeechText,
  isSpeakable,
  wrapInVolume,
} from '../../../../../electron/engine/voice/speech-text';

describe('cleanSpeechText', () => {
  it.each<[string, string]>([
    ['Hallo Welt.', 'Hallo Welt.'],
    ['<speed level="300">Schnell</speed>', 'speed level=300 Schnell /speed'],
    ['a < b > c', 'a b c'],
    ['Hallo\u0000Welt', 'Hallo Welt'],
    ['Bar\u00ADrierefrei\u200B', 'Barrierefrei'],
    ['Danke 😀👍🏽!', 'Danke!'],
    ['„Hallo“ «Welt»', 'Hallo Welt'],
    ['geht’s', "geht's"],
    ['von 10–12 Uhr', 'von 10 bis 12 Uhr'],
    ['Termin – morgen', 'Termin, morgen'],
    ['Moment…', 'Moment...'],
    ['563\u00A0€', '563 €'],
    ['Zeile\neins\tzwei', 'Zeile eins zwei'],
    ['\uFFFD\uE000', ''],
    ['', ''],
  ])('%j → %j', (text, expected) => expect(cleanSpeechText(text)).toBe(expected));
});

describe('isSpeakable', () => {
  it.each<[string, boolean]>([
    ['Hallo', true],
    ['563', true],
    ['€', true],
    ['Привет мир', false],
    ['...', false],
    ['', false],
  ])('%j → %s', (text, speakable) => expect(isSpeakable(text)).toBe(speakable));
});

describe('wrapInVolume', () => {
  it('wraps cleaned text and refuses markup characters', () => {
    expect(wrapInVolume('Hallo.', 60)).toBe('<volume level="60">Hallo.</volume>');
    expect(() => wrapInVolume('<p>', 60)).toThrow(/markup/);
  });
});
