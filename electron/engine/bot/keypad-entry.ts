/**
 * Keys as the caller presses them, turned into answers. A question that
 * wants a number or a date collects keys into one entry (a number ends with
 * #, a date after eight digits), because phones send one key at a time; any
 * other question takes the first key as the whole answer (a menu choice, 1
 * for yes). Keys that are no phone keys are dropped.
 *
 * The entry belongs to one question: the dialogue starts a new one whenever
 * it asks something else, and keeps it across a pause, so a caller who stops
 * halfway is asked for the rest instead of starting again — once per pause:
 * the next key starts the count again.
 */

/** How a question takes keys. */
export type KeyAnswer = 'number' | 'date' | 'single';

/** The phone keys in what arrived, in order (0–9, * and #). */
export function phoneKeys(keys: string): string {
  return keys.replace(/[^0-9*#]/g, '');
}

export class KeypadEntry {
  private keys = '';
  /** The caller was asked for the rest since the last key. */
  private restAsked = false;

  constructor(readonly kind: 'number' | 'date') {}

  /** Digits keyed so far (the caller paused in the middle of an entry). */
  get started(): boolean {
    return /\d/.test(this.keys);
  }

  /**
   * Adds keys; returns the whole entry once it is complete (with its #, if
   * any), else undefined.
   */
  add(keys: string): string | undefined {
    this.keys += phoneKeys(keys);
    this.restAsked = false;
    const complete =
      this.keys.includes('#') || (this.kind === 'date' && this.keys.replace(/\D/g, '').length >= 8);
    if (!complete) return undefined;
    const entry = this.keys;
    this.keys = '';
    return entry;
  }

  /**
   * A pause in the middle of the entry: true the first time since the last
   * key (the caller is asked for the rest), false after that.
   */
  askForRestOnce(): boolean {
    if (!this.started || this.restAsked) return false;
    this.restAsked = true;
    return true;
  }

  clear(): void {
    this.keys = '';
    this.restAsked = false;
  }
}
