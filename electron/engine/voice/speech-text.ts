/**
 * Makes arbitrary answer text safe and pleasant for SVOX Pico.
 *
 * Why this exists:
 * - Pico reads its own markup from the text: any `<` starts a tag, and tags
 *   such as `<speed>`, `<volume>`, `<play file=…>` or `<genfile file=…>` are
 *   obeyed. Answer text comes from the knowledge base, case data or a
 *   generator, so it must never be able to change the voice or touch files.
 *   Pico has no character entities (`&lt;` is read literally), so the only safe
 *   escape is to keep `<` and `>` out of the text altogether.
 * - A NUL byte makes Pico flush mid-sentence; control and format characters
 *   (soft hyphen, zero-width space, bidi marks) have no sound.
 * - Pico's German lexicon already expands what answers usually contain ("€",
 *   "§", "%", "Nr.", "z. B.", "22.03.2025", "30. November", "10:30 Uhr"):
 *   checked by comparing durations with the written-out words. Those are left
 *   alone; only typography without sound is simplified here.
 */

/** Emoji and other pictographs, their modifiers and joiners: no sound. */
const PICTOGRAPHS =
  /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\p{Variation_Selector}|\u20E3/gu;
/** Control characters (NUL, escapes, …) except the usual whitespace. */
const CONTROLS = /[\p{Cc}]/gu;
/** Invisible format characters: soft hyphen, zero-width (non-)joiners, bidi marks. */
const FORMATS = /[\p{Cf}]/gu;
/** Private-use code points and the replacement character (broken decoding). */
const UNKNOWN = /[\p{Co}\uFFFD]/gu;
/** Quotation marks: not spoken, and unbalanced ones confuse Pico's tokenizer. */
const QUOTES = /[„“”‟«»‹›"]/g;
const SINGLE_QUOTES = /[‚‘’‛′]/g;

/**
 * Cleans `text` for Pico: no markup, no control characters, no pictographs,
 * plain quotes and dashes, single spaces. The result may be empty.
 */
export function cleanSpeechText(text: string): string {
  return (
    text
      .normalize('NFC')
      // Pico markup: `<`/`>` become pauses (see above: no escape exists).
      .replace(/[<>]/g, ' ')
      .replace(CONTROLS, ' ')
      .replace(FORMATS, '')
      .replace(PICTOGRAPHS, ' ')
      .replace(UNKNOWN, ' ')
      .replace(QUOTES, '')
      // An apostrophe inside a word ("geht’s") stays, as the ASCII one.
      .replace(/(\p{L})[‚‘’‛′](\p{L})/gu, "$1'$2")
      .replace(SINGLE_QUOTES, '')
      // "10–12 Uhr": a range; elsewhere a dash is a pause.
      .replace(/(\d)\s*[–—‒]\s*(\d)/g, '$1 bis $2')
      .replace(/\s*[–—‒―]\s*/g, ', ')
      .replace(/…/g, '...')
      .replace(/[\s\p{Zs}]+/gu, ' ')
      .replace(/\s+([,.;:!?])/g, '$1')
      .replace(/^[\s,]+|[\s,]+$/g, '')
  );
}

/**
 * Whether `text` has anything Pico would say: a Latin letter, a digit or a
 * symbol it reads out. Text in other scripts (Cyrillic, Arabic) yields only
 * silence from the German voice, so such a sentence is skipped instead.
 */
export function isSpeakable(text: string): boolean {
  return /[\p{Script=Latin}\p{Nd}€$§%]/u.test(text);
}

/** Pico markup that wraps `text`, which must already be cleaned (no `<`/`>`). */
export function wrapInVolume(text: string, level: number): string {
  if (/[<>]/.test(text)) throw new Error('text for Pico still contains markup characters');
  return `<volume level="${Math.round(level)}">${text}</volume>`;
}
