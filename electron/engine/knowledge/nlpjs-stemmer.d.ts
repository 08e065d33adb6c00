/**
 * The German Snowball stemmer of nlp.js (no bundled types), imported on its
 * own so the rest of @nlpjs/lang-de (sentiment lists) stays out of the bundle.
 */
declare module '@nlpjs/lang-de/src/stemmer-de.js' {
  export default class StemmerDe {
    constructor(container?: unknown);
    /** Stem of one lower-case word. */
    stemWord(word: string): string;
  }
}
