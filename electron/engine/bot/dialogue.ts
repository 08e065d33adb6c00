/**
 * The bot's dialogue policy: what to say next, given what the caller said
 * (already understood), keyed, or left unsaid. Pure decisions over injected
 * knowledge and case lookups, so it runs the same in a live call, in the
 * simulator and in tests.
 *
 * It is a checked state machine: each state has one handler per event it
 * accepts (`ACCEPTS`), every move is checked against the state table
 * (`MOVES`), and an event a state does not accept or a move the table does
 * not list throws. Each move is announced as a typed change event. The whole
 * diagram, callback states included, is with the table in dialogue-states.ts;
 * the verification and the night callback are sub-dialogues of their own
 * (verification-dialogue.ts, callback-dialogue.ts). This file holds the open
 * question, "anything else?", and the way to a person.
 *
 * Rules from German law it enforces: the AI disclosure comes first (AI Act
 * Art. 50); no case fact before verification, a limited number of attempts,
 * and the same words whether a number exists or not (§ 35 SGB I, § 67 ff. SGB
 * X); the bot informs and routes, it never decides (Art. 22 GDPR).
 */
import type { IntentName } from '../../contract';
import { CASE_INTENTS } from '../nlu/intents/intent-names';
import { CallbackDialogue } from './callback-dialogue';
import { cleanText, keyedYesNo, yesNo } from './caller-input';
import {
  checkEvent,
  checkMove,
  DIALOGUE_STATES,
  KEY_ANSWER,
  LISTEN,
  LISTEN_OPEN,
  type ACCEPTS,
  type DialogueChange,
  type DialogueEventType,
  type DialogueState,
} from './dialogue-states';
import type {
  BotAction,
  BotTurn,
  DialogueDeps,
  DialogueEvent,
  DialogueHost,
  DialogueOutcome,
} from './dialogue-types';
import type { HandoffReason } from './frames';
import { KeypadEntry, phoneKeys } from './keypad-entry';
import { clipText } from '../util/clip-text';
import { INTENT_LABELS } from '../util/intent-labels';
import { KEYPAD_MENU, PHRASES } from './phrases';
import { outOfRemit } from './out-of-remit';
import type { Understanding } from './understanding';
import { VerificationDialogue } from './verification-dialogue';

/** Confidence a one-word request needs (measured: clear cues score ≥ 0.79, "geld" 0.59). */
const SINGLE_WORD_CONFIDENCE = 0.75;
/** Not understood or silent this often at the open question: a person takes over. */
const FAILURES_TO_PERSON = 3;

type EventOf<T extends DialogueEventType> = Extract<DialogueEvent, { type: T }>;
type Handler<T extends DialogueEventType> = (event: EventOf<T>) => BotTurn | Promise<BotTurn>;
/** (state, event) → handler, for exactly the events each state accepts. */
type HandlerTable = {
  [S in DialogueState]: { [E in (typeof ACCEPTS)[S][number]]: Handler<E> };
};

export class Dialogue {
  private state: DialogueState = 'idle';
  private rate = 1;
  private lastTurn?: BotTurn;
  private lastIntent: IntentName | null = null;
  private sameIntentCount = 0;
  /** Failures (not understood, silent) per state, from zero each time a state is entered. */
  private readonly failures = Object.fromEntries(DIALOGUE_STATES.map((s) => [s, 0])) as Record<
    DialogueState,
    number
  >;
  /** Keys collected for the current question, if it takes a number or a date. */
  private entry?: KeypadEntry;
  private event: DialogueEventType = 'start';
  private lastCallerText = '';
  private lastAnswer = '';
  private readonly outcome: DialogueOutcome;
  private readonly listeners = new Set<(change: DialogueChange) => void>();
  private readonly verification: VerificationDialogue;
  private readonly callback: CallbackDialogue;
  private readonly table: HandlerTable;

  constructor(private readonly deps: DialogueDeps) {
    this.outcome = {
      intent: null,
      verified: false,
      answeredFacts: {},
      mode: deps.mode,
      ended: false,
    };
    const host = this.host();
    this.verification = new VerificationDialogue(host);
    this.callback = new CallbackDialogue(host);
    this.table = this.handlers();
  }

  get result(): DialogueOutcome {
    return structuredClone(this.outcome);
  }

  get currentState(): DialogueState {
    return this.state;
  }

  /** Every move of this dialogue (a typed change event); returns an unsubscribe. */
  onChange(listener: (change: DialogueChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Handles one event; throws if the current state does not accept it. */
  async handle(event: DialogueEvent): Promise<BotTurn> {
    checkEvent(this.state, event.type);
    this.event = event.type;
    const handlers = this.table[this.state] as unknown as Record<
      DialogueEventType,
      (event: DialogueEvent) => BotTurn | Promise<BotTurn>
    >;
    const turn = await handlers[event.type](event);
    if (turn.say) {
      this.lastTurn = turn;
      this.lastAnswer = turn.say;
    }
    return turn;
  }

  // ── the state table ────────────────────────────────────────────────────

  private handlers(): HandlerTable {
    const nothing = (): BotTurn => ({ say: '', rate: this.rate });
    const after = { utterance: nothing, dtmf: nothing, silence: nothing };
    const v = this.verification;
    const c = this.callback;
    return {
      idle: { start: (e) => this.greet(e.callerId) },
      open: {
        utterance: this.heard((e, text) => this.request(e.understanding, text)),
        dtmf: this.keyed((key) => this.menuChoice(key)),
        silence: () => this.notUnderstood(true),
      },
      'verify-number': {
        utterance: this.heard((e) => v.numberHeard(e.understanding)),
        dtmf: this.keyed((entry) => v.numberKeyed(entry)),
        silence: this.pausedOr(() => v.numberSilence()),
      },
      'verify-dob': {
        utterance: this.heard((e) => v.dateHeard(e.understanding)),
        dtmf: this.keyed((entry) => v.dateKeyed(entry)),
        silence: this.pausedOr(() => v.dateSilence()),
      },
      more: {
        utterance: this.heard((e, text) => this.moreHeard(e.understanding, text)),
        dtmf: this.keyed((key) => this.moreKeyed(key)),
        silence: () => this.moreSilence(),
      },
      'callback-confirm-number': {
        utterance: this.heard((_e, text) => c.confirmHeard(text, yesNo(text))),
        dtmf: this.keyed((key) => c.confirmKeyed(key)),
        silence: () => c.confirmSilence(),
      },
      'callback-number': {
        utterance: this.heard((e) => c.numberHeard(e.understanding)),
        dtmf: this.keyed((entry) => c.numberKeyed(entry)),
        silence: this.pausedOr(() => c.numberSilence()),
      },
      'callback-window': {
        utterance: this.heard((_e, text) => c.windowHeard(text)),
        dtmf: this.keyed((key) => c.windowKeyed(key)),
        silence: () => c.windowSilence(),
      },
      message: {
        utterance: this.heard((_e, text) => c.messageHeard(text)),
        dtmf: this.keyed(() => c.messageKeyed()),
        silence: () => c.messageSilence(),
      },
      'handed-off': after,
      ended: after,
    };
  }

  /**
   * What the caller said, in any state that asks something. An emergency or
   * a crisis comes before anything else, in every state and in any sentence
   * (an answer to a yes/no, number or date question, a request to repeat, a
   * message): it is acted on at once (`urgentNow`). Keys are not speech and
   * are not checked. "Langsamer" and "wiederholen" work at any point: the
   * last turn again (slower).
   */
  private heard(
    next: (event: EventOf<'utterance'>, text: string) => BotTurn | Promise<BotTurn>,
  ): Handler<'utterance'> {
    return (event) => {
      const text = cleanText(event.text);
      this.lastCallerText = text;
      const { intent } = event.understanding;
      if (intent === 'emergency' || intent === 'crisis') return this.urgentNow(intent, text);
      // A noise while the caller keys (a cough, the line, a key's tone heard
      // as a word) is no answer: the digits stay, the bot waits for the rest.
      if (event.noise && this.entry?.started) return { say: '', rate: this.rate, keying: true };
      if (this.lastTurn) {
        if (/\b(langsamer|langsam)\b/.test(text)) {
          this.rate = 0.8;
          return { ...this.lastTurn, rate: this.rate };
        }
        if (/\b(wiederhol\w*|nochmal|noch einmal)\b/.test(text)) {
          return { ...this.lastTurn, rate: this.rate };
        }
      }
      if (event.held) return this.heldHeard(event.understanding, text);
      // A spoken answer replaces anything keyed halfway.
      this.entry?.clear();
      return next(event, text);
    };
  }

  /**
   * Words the caller said while the greeting could not be interrupted, heard
   * right after it, once. Never a failure: an emergency or a crisis is acted
   * on at once wherever the dialogue is (in `heard`, before anything else), a
   * request at the open question is answered; anything else (a noise the
   * recogniser made words of, a greeting back, words after keys that already
   * took the caller on) is let go without a reprompt, and the question asked
   * last stands.
   */
  private heldHeard(understanding: Understanding, text: string): Promise<BotTurn> | BotTurn {
    if (this.state === 'open' && this.understood(understanding, text)) {
      return this.request(understanding, text);
    }
    return { say: '', rate: this.rate };
  }

  /**
   * What the caller keyed: a whole entry for a question that takes a number
   * or a date (nothing is said until it is complete, and the bot waits for
   * the rest: `keying`), else the first key.
   */
  private keyed(next: (answer: string) => BotTurn | Promise<BotTurn>): Handler<'dtmf'> {
    return (event) => {
      let answer: string | undefined;
      if (this.entry) answer = this.entry.add(event.digits);
      else answer = phoneKeys(event.digits).slice(0, 1) || undefined;
      if (answer !== undefined) return next(answer);
      return { say: '', rate: this.rate, ...(this.entry?.started ? { keying: true } : {}) };
    };
  }

  /**
   * Silence at a question that takes a number or a date. A caller who stops
   * in the middle of keying is asked for the rest, once per pause, with the
   * digits kept and no failure counted: a pause while keying is no missing
   * answer. A silence after that goes the question's own way (`next`):
   * asked again, counted as a failure, in the end a person.
   */
  private pausedOr(next: () => BotTurn): Handler<'silence'> {
    return () => {
      const entry = this.entry;
      if (!entry?.askForRestOnce()) return next();
      return this.ask(entry.kind === 'date' ? PHRASES.keyTheRestOfDate : PHRASES.keyTheRest);
    };
  }

  private moveTo(next: DialogueState): void {
    checkMove(this.state, next);
    if (next === this.state) return;
    const change: DialogueChange = { from: this.state, to: next, on: this.event };
    this.state = next;
    this.failures[next] = 0;
    const keys = KEY_ANSWER[next];
    this.entry = keys === 'single' ? undefined : new KeypadEntry(keys);
    for (const listener of this.listeners) listener(change);
  }

  // ── the caller's request ───────────────────────────────────────────────

  private greet(callerId: string | undefined): BotTurn {
    this.callback.callerIs(callerId);
    this.moveTo('open');
    return this.ask(`${PHRASES.greeting} ${PHRASES.openQuestion}`);
  }

  /** A key at the open question: the keypad menu (0 is always a person). */
  private menuChoice(key: string): Promise<BotTurn> | BotTurn {
    const intent = KEYPAD_MENU[key];
    if (!intent) return this.notUnderstood(false);
    return this.request({ intent, confidence: 1, entities: {} }, null);
  }

  /**
   * A request, spoken (`text`) or chosen from the keypad menu (`text` null).
   * A single spoken word is a request only if it is a clear cue
   * ("Krankmeldung", "Widerspruch"); a lone "Geld" or a recognition slip is
   * asked about again rather than answered on a guess.
   */
  private request(understanding: Understanding, text: string | null): Promise<BotTurn> | BotTurn {
    const { intent } = understanding;
    if (intent === 'emergency' || intent === 'crisis') return this.urgent(intent);
    if (intent === 'human_request') {
      // What the caller came with, unless they said it before asking for a person.
      this.outcome.intent ??= 'human_request';
      return this.toPerson('human_request');
    }
    if (text !== null && outOfRemit(understanding, text, this.deps.minConfidence ?? 0.5)) {
      return this.outsideRemit();
    }
    if (!this.understood(understanding, text)) return this.notUnderstood(false);
    this.outcome.intent = intent;
    if (this.askedAgain(intent)) return this.toPerson('frustration');

    if (CASE_INTENTS.has(intent)) {
      const caseRef = this.verification.verifiedCase;
      if (caseRef) return this.answerFromCase(caseRef, intent);
      return this.verification.begin(intent, understanding);
    }
    return this.answerGeneral(intent);
  }

  /** Counts the same request in a row: true the third time (a person should take over). */
  private askedAgain(intent: IntentName): boolean {
    if (intent === this.lastIntent) this.sameIntentCount++;
    else this.sameIntentCount = 1;
    this.lastIntent = intent;
    return this.sameIntentCount >= 3;
  }

  /** Whether a request is clear enough to act on (a single word must be a clear cue). */
  private understood({ intent, confidence }: Understanding, text: string | null): boolean {
    if (intent === 'emergency' || intent === 'crisis' || intent === 'human_request') return true;
    const base = this.deps.minConfidence ?? 0.5;
    const words = text === null ? 0 : text.trim().split(/\s+/).filter(Boolean).length;
    const needed = text !== null && words <= 1 ? Math.max(base, SINGLE_WORD_CONFIDENCE) : base;
    return intent !== 'other' && confidence >= needed;
  }

  /**
   * A clear question the job centre does not answer ("Wie wird das Wetter
   * morgen?"): understood, so no failure; the caller hears what the bot can
   * help with and is asked whether that is what they need. The third such question in a row goes to
   * a person (maybe the bot misses what they need).
   */
  private outsideRemit(): BotTurn {
    this.outcome.intent ??= 'other';
    if (this.askedAgain('other')) return this.toPerson('frustration');
    // As after an answer: "nein" ends the call, anything longer is the next question.
    this.moveTo('more');
    return this.ask(`${PHRASES.outOfRemit} ${PHRASES.helpWithThat}`);
  }

  private notUnderstood(silence: boolean): BotTurn {
    const failures = this.failed();
    if (failures === 1) return this.ask(silence ? PHRASES.silenceReprompt : PHRASES.reprompt);
    if (failures === 2) return this.ask(PHRASES.keypadMenu);
    if (failures === FAILURES_TO_PERSON)
      return this.toPerson(silence ? 'speech_failed' : 'low_confidence');
    return this.goodbye();
  }

  private answerGeneral(intent: IntentName): BotTurn {
    const answer = this.deps.answerFor(intent);
    this.moveTo('more');
    if (!answer) return this.ask(`${PHRASES.noAnswer} ${PHRASES.anythingElse}`);
    return {
      ...this.ask(`${answer.text} ${PHRASES.anythingElse}`),
      answer: answer.text,
      source: answer.source,
    };
  }

  private async answerFromCase(caseRef: string, intent: IntentName): Promise<BotTurn> {
    let answer: Awaited<ReturnType<DialogueDeps['caseAnswer']>>;
    try {
      answer = await this.deps.caseAnswer(caseRef, intent);
    } catch {
      return this.caseSystemDown();
    }
    this.moveTo('more');
    if (!answer) return this.ask(`${PHRASES.noCaseAnswer} ${PHRASES.anythingElse}`);
    Object.assign(this.outcome.answeredFacts, answer.facts);
    return {
      ...this.ask(`${answer.text} ${PHRASES.anythingElse}`),
      answer: answer.text,
      source: 'Fallakte',
    };
  }

  // ── after an answer: anything else? ────────────────────────────────────

  private moreHeard(understanding: Understanding, text: string): Promise<BotTurn> | BotTurn {
    const answer = yesNo(text);
    if (answer === 'no') return this.goodbye();
    this.moveTo('open');
    if (answer === 'yes' && text.split(' ').length <= 3) return this.ask(PHRASES.whatElse);
    // Anything longer is the next question itself.
    return this.request(understanding, text);
  }

  private moreKeyed(key: string): Promise<BotTurn> | BotTurn {
    const answer = keyedYesNo(key);
    if (answer === 'no') return this.goodbye();
    this.moveTo('open');
    if (answer === 'yes') return this.ask(PHRASES.whatElse);
    // Another key is a choice from the keypad menu.
    return this.menuChoice(key);
  }

  /** Silent at "anything else?": invited once more to speak, then "no" is taken. */
  private moreSilence(): BotTurn {
    if (this.failed() >= 2) return this.goodbye();
    return this.turn(PHRASES.silenceReprompt, LISTEN_OPEN);
  }

  // ── a person, or at night a callback ───────────────────────────────────

  private urgent(intent: 'emergency' | 'crisis'): BotTurn {
    this.outcome.intent = intent;
    const numbers = intent === 'crisis' ? PHRASES.crisisNumbers : PHRASES.emergencyNumbers;
    if (this.deps.mode === 'night') {
      return this.callback.offer(`${numbers} ${PHRASES.nightUrgentCallback}`, true);
    }
    this.moveTo('handed-off');
    this.outcome.handoff = intent;
    return this.tell(`${numbers} ${PHRASES.connectingUrgent}`, {
      type: 'handoff',
      reason: intent,
      priority: true,
      summary: this.summary(intent),
    });
  }

  /**
   * An emergency or a crisis, wherever the dialogue is (said in answer to
   * any question, or held through the greeting and heard after keys took the
   * caller on): a person at once by day; at night an urgent callback, or — if
   * one is being taken already — that one made urgent, and its question asked
   * again. While a message is being taken the words are the message: it is
   * filed at once, urgent, and the caller hears the numbers (see `urgentMessage`).
   */
  private urgentNow(intent: 'emergency' | 'crisis', text: string): BotTurn {
    switch (this.state) {
      case 'more':
        this.moveTo('open');
        return this.urgent(intent);
      case 'open':
      case 'verify-number':
      case 'verify-dob':
        return this.urgent(intent);
      case 'message':
        return this.urgentMessage(intent, text);
      case 'callback-confirm-number':
      case 'callback-number':
      case 'callback-window': {
        this.outcome.intent = intent;
        const numbers = intent === 'crisis' ? PHRASES.crisisNumbers : PHRASES.emergencyNumbers;
        this.callback.makeUrgent();
        return this.ask(
          `${numbers} ${PHRASES.callbackMadeUrgent} ${this.lastTurn?.say ?? ''}`.trim(),
        );
      }
      default:
        // The bot's part is over: a person has the call, or it has ended.
        return { say: '', rate: this.rate };
    }
  }

  /**
   * An emergency or a crisis in the words of a message (a message is taken
   * only at night, to a caller ID that can be called back). The words are
   * kept as they are — they are the message — and filed at once as an urgent
   * item with the emergency's or the crisis's topic, before the caller can
   * hang up; the caller hears the numbers that help now. Asking for the
   * message again would throw away what a caller in crisis just said and
   * keep them at a form.
   */
  private urgentMessage(intent: 'emergency' | 'crisis', text: string): BotTurn {
    this.outcome.intent = intent;
    this.callback.makeUrgent();
    const numbers = intent === 'crisis' ? PHRASES.crisisNumbers : PHRASES.emergencyNumbers;
    const filed = this.callback.messageHeard(text);
    return { ...filed, say: `${numbers} ${PHRASES.messageUrgent}` };
  }

  private toPerson(reason: HandoffReason): BotTurn {
    if (this.deps.mode === 'night') return this.callback.offer(PHRASES.nightNoAgents);
    this.moveTo('handed-off');
    this.outcome.handoff = reason;
    return this.tell(PHRASES.connecting, {
      type: 'handoff',
      reason,
      priority: false,
      summary: this.summary(reason),
    });
  }

  /** The case system failed: say so plainly, then a person (day) or a callback (night). */
  private caseSystemDown(): BotTurn {
    const next = this.toPerson('case_system_unavailable');
    return { ...next, say: `${PHRASES.caseSystemDown} ${next.say}` };
  }

  private goodbye(): BotTurn {
    this.moveTo('ended');
    this.outcome.ended = true;
    return this.tell(PHRASES.goodbye, { type: 'hangup' });
  }

  // ── helpers ────────────────────────────────────────────────────────────

  private failed(): number {
    return ++this.failures[this.state];
  }

  private turn(say: string, listen = LISTEN[this.state]): BotTurn {
    return { say, rate: this.rate, ...(listen ? { listen } : {}) };
  }

  private ask(say: string): BotTurn {
    return this.turn(say);
  }

  private tell(say: string, action?: BotAction): BotTurn {
    return { say, rate: this.rate, ...(action ? { action } : {}) };
  }

  /** The caseworker's first lines: no need to ask the caller to start again. */
  private summary(reason: HandoffReason): string {
    const intent = this.outcome.intent;
    return [
      `Grund: ${PHRASES.reasonLabel[reason]}`,
      `Anliegen: ${intent ? INTENT_LABELS[intent].topic : 'unklar'}`,
      `Identität: ${this.outcome.verified ? 'geprüft' : 'nicht geprüft'}`,
      // Cut at a sentence or word end, never inside a word.
      this.lastCallerText ? `Zuletzt gesagt: „${clipText(this.lastCallerText, 200)}“` : '',
      this.lastAnswer ? `Bot zuletzt: „${clipText(this.lastAnswer, 200)}“` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }

  /** The narrow view the sub-dialogues work through. */
  private host(): DialogueHost {
    return {
      deps: this.deps,
      outcome: this.outcome,
      moveTo: (next) => this.moveTo(next),
      failed: () => this.failed(),
      keying: () => this.entry?.started ?? false,
      ask: (say) => this.ask(say),
      tell: (say, action) => this.tell(say, action),
      toPerson: (reason) => this.toPerson(reason),
      goodbye: () => this.goodbye(),
      summary: (reason) => this.summary(reason),
      answerFromCase: (caseRef, intent) => this.answerFromCase(caseRef, intent),
      caseSystemDown: () => this.caseSystemDown(),
    };
  }
}
