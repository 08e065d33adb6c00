/**
 * The night callback sub-dialogue: when no one is in the office, a caller
 * who needs a person leaves a callback (or a message) for the morning
 * worklist instead of being put through.
 *
 *   callback-confirm-number ─yes, key 1, silence: the number offered─▶ callback-window
 *     (caller ID offered)   ─"Nachricht"────────────────────────────▶ message
 *                           ─no, another key───────────────────────▶ callback-number
 *   callback-number ─a number (5+ digits)─▶ callback-window; third failure ─▶ goodbye
 *   callback-window ─morning / afternoon, keys 1 / 2; else or silence: any time─▶ callback filed
 *   message         ─the words; a key or a third silence: no words─▶ message filed
 *
 * Questions with a sensible default take it when the caller stays silent, so
 * a caller who has given a number never loses the callback to a pause.
 */
import { keyedWindow, spellDigits, spokenWindow, type CallbackWindow } from './caller-input';
import type { BotTurn, DialogueHost } from './dialogue-types';
import { PHRASES } from './phrases';
import type { Understanding } from './understanding';

/** Failures (not understood, silent) at one question before the bot gives up. */
const MAX_FAILURES = 3;

export class CallbackDialogue {
  private callerId?: string;
  private number = '';
  private urgent = false;

  constructor(private readonly host: DialogueHost) {}

  /** The caller's number as the network gave it (may be absent or withheld). */
  callerIs(callerId: string | undefined): void {
    this.callerId = callerId;
  }

  /**
   * Offers a callback after `intro`: to the caller ID if it can be called
   * back, else asks for a number. An urgent callback stays urgent.
   */
  offer(intro: string, urgent = false): BotTurn {
    if (urgent) this.urgent = true;
    if (this.callerId && /^\+?[0-9]{5,}$/.test(this.callerId)) {
      this.host.moveTo('callback-confirm-number');
      return this.host.ask(`${intro} ${PHRASES.callbackSameNumber(spellDigits(this.callerId))}`);
    }
    this.host.moveTo('callback-number');
    return this.host.ask(`${intro} ${PHRASES.askCallbackNumber}`);
  }

  /** An emergency or a crisis while the callback is being taken: it becomes urgent. */
  makeUrgent(): void {
    this.urgent = true;
  }

  // ── callback-confirm-number ─────────────────────────────────────────────

  confirmHeard(text: string, answer: 'yes' | 'no' | null): BotTurn {
    if (answer === 'yes') return this.callerIdTaken();
    if (/nachricht/.test(text)) {
      this.host.moveTo('message');
      return this.host.ask(PHRASES.askMessage);
    }
    return this.askNumber();
  }

  confirmKeyed(key: string): BotTurn {
    return key === '1' ? this.callerIdTaken() : this.askNumber();
  }

  /** Silent at "this number?": the number offered is taken. */
  confirmSilence(): BotTurn {
    return this.callerIdTaken();
  }

  // ── callback-number ─────────────────────────────────────────────────────

  numberHeard({ entities }: Understanding): BotTurn {
    return this.numberTaken(entities.digits ?? '');
  }

  numberKeyed(entry: string): BotTurn {
    return this.numberTaken(entry.replace(/[^0-9]/g, ''));
  }

  /** Silent at the callback number: ask again, or for the rest of a number keyed halfway. */
  numberSilence(): BotTurn {
    if (this.host.failed() >= MAX_FAILURES) return this.host.goodbye();
    return this.host.ask(this.host.keying() ? PHRASES.keyTheRest : PHRASES.callbackNumberSilence);
  }

  // ── callback-window ─────────────────────────────────────────────────────

  windowHeard(text: string): BotTurn {
    return this.file(spokenWindow(text));
  }

  windowKeyed(key: string): BotTurn {
    return this.file(keyedWindow(key));
  }

  /** Silent at "mornings or afternoons?": any time it is. */
  windowSilence(): BotTurn {
    return this.file('jederzeit');
  }

  // ── message ─────────────────────────────────────────────────────────────

  messageHeard(text: string): BotTurn {
    return this.takeMessage(text);
  }

  /** A key at the message: the caller has nothing to say; the request is filed as it is. */
  messageKeyed(): BotTurn {
    return this.takeMessage('');
  }

  /**
   * Silent at the message: asked again; the third time the request is filed
   * without words (staff call the caller ID back, as after a key).
   */
  messageSilence(): BotTurn {
    if (this.host.failed() >= MAX_FAILURES) return this.takeMessage('');
    return this.host.ask(PHRASES.askMessageAgain);
  }

  // ── helpers ─────────────────────────────────────────────────────────────

  private callerIdTaken(): BotTurn {
    this.number = this.callerId ?? '';
    this.host.moveTo('callback-window');
    return this.host.ask(PHRASES.askWindow);
  }

  private askNumber(): BotTurn {
    this.host.moveTo('callback-number');
    return this.host.ask(PHRASES.askCallbackNumber);
  }

  private numberTaken(digits: string): BotTurn {
    if (digits.length < 5) {
      if (this.host.failed() >= MAX_FAILURES) return this.host.goodbye();
      return this.host.ask(PHRASES.askCallbackNumberAgain);
    }
    this.number = digits;
    this.host.moveTo('callback-window');
    return this.host.ask(PHRASES.askWindow);
  }

  private file(window: CallbackWindow): BotTurn {
    const { outcome } = this.host;
    const topic = outcome.intent ?? 'other';
    outcome.callback = { number: this.number, window, urgent: this.urgent };
    this.host.moveTo('ended');
    outcome.ended = true;
    return this.host.tell(PHRASES.callbackConfirmed(window), {
      type: 'callback',
      urgent: this.urgent,
      number: this.number,
      window,
      topic,
      summary: this.host.summary(this.urgent ? 'emergency' : 'human_request'),
    });
  }

  private takeMessage(message: string): BotTurn {
    const { outcome } = this.host;
    const topic = outcome.intent ?? 'other';
    outcome.message = message;
    this.host.moveTo('ended');
    outcome.ended = true;
    // An urgent callback (an emergency, a crisis) that became a message stays urgent.
    const reason = !this.urgent ? 'human_request' : topic === 'crisis' ? 'crisis' : 'emergency';
    return this.host.tell(PHRASES.messageTaken, {
      type: 'message',
      urgent: this.urgent,
      text: message,
      topic,
      summary: this.host.summary(reason),
    });
  }
}
