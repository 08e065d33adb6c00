/**
 * The bot's dialogue policy: what to say next, given what the caller said or
 * keyed. Pure decisions over injected understanding, knowledge and case
 * lookups, so it runs the same in a live call, in the simulator and in tests.
 *
 *   greeting ─▶ open ──case intent──▶ verify-number ─▶ verify-dob ─▶ (answer) ─▶ more?
 *                │ ▲                      │ 3 failures ──▶ handoff / callback
 *                │ └── general intent: answer from the knowledge base ─▶ more?
 *                ├── human_request / emergency / crisis / frustration ─▶ handoff (day)
 *                │                                            └▶ callback / message (night)
 *                └── not understood: reprompt ─▶ rephrase + keypad menu ─▶ offer a person ─▶ goodbye
 *
 * Rules from German law it enforces: the AI disclosure comes first (AI Act
 * Art. 50); no case fact before verification, a limited number of attempts,
 * and the same words whether a number exists or not (§ 35 SGB I, § 67 ff. SGB
 * X); the bot informs and routes, it never decides (Art. 22 GDPR).
 */
import type { Entities, HandoffReason, ListenExpectation } from './frames';
import { CASE_INTENTS, type Intent } from './intents';
import { INTENT_LABELS, KEYPAD_MENU, PHRASES } from './phrases';

export interface Understanding {
  intent: Intent;
  confidence: number;
  entities: Entities;
}

export interface DialogueDeps {
  understand(text: string): Understanding;
  /** The spoken answer for a general question, with its source. */
  answerFor(intent: Intent): { text: string; source: string } | undefined;
  verify(input: {
    customerNumber?: string;
    bgNumber?: string;
    dateOfBirth: string;
  }): Promise<{ verified: true; caseRef: string } | { verified: false }>;
  /** A spoken case fact for a verified caller, e.g. the next payment. */
  caseAnswer(
    caseRef: string,
    intent: Intent,
  ): Promise<{ text: string; facts: Record<string, string> } | undefined>;
  mode: 'day' | 'night';
  /** Below this, an understanding counts as "not understood". */
  minConfidence?: number;
}

export type DialogueEvent =
  | { type: 'start'; callerId?: string }
  | { type: 'utterance'; text: string; confidence?: number | null }
  | { type: 'dtmf'; digits: string }
  | { type: 'silence' };

export type BotAction =
  | { type: 'handoff'; reason: HandoffReason; priority: boolean; summary: string }
  | {
      type: 'callback';
      urgent: boolean;
      number: string;
      window: string;
      topic: Intent;
      summary: string;
    }
  | { type: 'message'; text: string; topic: Intent; summary: string }
  | { type: 'hangup' };

export interface BotTurn {
  /** What the bot says (empty: nothing). */
  say: string;
  /** Speech rate for this turn (1 normal, 0.8 slower). */
  rate: number;
  /** Source of the facts said, for the transcript and the caseworker. */
  source?: string;
  /** How to listen next; absent after a final action. */
  listen?: ListenExpectation;
  action?: BotAction;
}

/** What the conversation established, for the handoff summary and the simulator. */
export interface DialogueOutcome {
  intent: Intent | null;
  verified: boolean;
  answeredFacts: Record<string, string>;
  handoff?: HandoffReason;
  callback?: { number: string; window: string; urgent: boolean };
  message?: string;
  mode: 'day' | 'night';
  ended: boolean;
}

type State =
  | 'idle'
  | 'open'
  | 'verify-number'
  | 'verify-dob'
  | 'more'
  | 'callback-confirm-number'
  | 'callback-number'
  | 'callback-window'
  | 'message'
  | 'handed-off'
  | 'ended';

/**
 * Turn-taking per question (bench `turn`): a finished-sounding answer ends
 * after 200 ms of silence, an unfinished one ("Ich möchte meinen …") waits
 * the full silence; numbers and dates are dictated with pauses.
 */
const LISTEN_OPEN: ListenExpectation = {
  type: 'open',
  silenceMs: 800,
  completeSilenceMs: 200,
  dtmf: true,
};
const LISTEN_YES_NO: ListenExpectation = {
  type: 'yes-no',
  silenceMs: 500,
  completeSilenceMs: 200,
  dtmf: true,
};
const LISTEN_DIGITS: ListenExpectation = { type: 'digits', silenceMs: 1200, dtmf: true };
const LISTEN_DATE: ListenExpectation = { type: 'date', silenceMs: 1000, dtmf: true };

const MAX_VERIFY_ATTEMPTS = 3;
/** Confidence a one-word request needs (measured: clear cues score ≥ 0.79, "geld" 0.59). */
const SINGLE_WORD_CONFIDENCE = 0.75;

export class Dialogue {
  private state: State = 'idle';
  private rate = 1;
  private lastTurn?: BotTurn;
  private pendingIntent: Intent | null = null;
  private lastIntent: Intent | null = null;
  private sameIntentCount = 0;
  private notUnderstood = 0;
  private noCount = 0;
  private verifyAttempts = 0;
  private number?: { customerNumber?: string; bgNumber?: string };
  private caseRef?: string;
  private callerId?: string;
  private callbackNumber = '';
  private urgent = false;
  private lastCallerText = '';
  private lastAnswer = '';
  private readonly outcome: DialogueOutcome;

  constructor(private readonly deps: DialogueDeps) {
    this.outcome = {
      intent: null,
      verified: false,
      answeredFacts: {},
      mode: deps.mode,
      ended: false,
    };
  }

  get result(): DialogueOutcome {
    return structuredClone(this.outcome);
  }

  get currentState(): string {
    return this.state;
  }

  async handle(event: DialogueEvent): Promise<BotTurn> {
    const turn = await this.decide(event);
    if (turn.say) {
      this.lastTurn = turn;
      this.lastAnswer = turn.say;
    }
    if (turn.action?.type === 'hangup') {
      this.state = 'ended';
      this.outcome.ended = true;
    }
    return turn;
  }

  private async decide(event: DialogueEvent): Promise<BotTurn> {
    if (this.state === 'ended' || this.state === 'handed-off') {
      return { say: '', rate: this.rate };
    }
    if (event.type === 'start') {
      this.callerId = event.callerId;
      this.state = 'open';
      return this.turn(`${PHRASES.greeting} ${PHRASES.openQuestion}`, LISTEN_OPEN);
    }
    if (event.type === 'silence') return this.onNotUnderstood(true);

    const text = event.type === 'utterance' ? clean(event.text) : '';
    if (event.type === 'utterance') this.lastCallerText = text;

    // Commands that work at any point.
    if (event.type === 'utterance') {
      if (/\b(langsamer|langsam)\b/.test(text) && this.lastTurn) {
        this.rate = 0.8;
        return { ...this.lastTurn, rate: this.rate };
      }
      if (/\b(wiederhol\w*|nochmal|noch einmal)\b/.test(text) && this.lastTurn) {
        return { ...this.lastTurn, rate: this.rate };
      }
    }

    switch (this.state) {
      case 'verify-number':
        return this.onVerifyNumber(event, text);
      case 'verify-dob':
        return this.onVerifyDob(event, text);
      case 'more':
        return this.onMore(event, text);
      case 'callback-confirm-number':
        return this.onCallbackConfirm(event, text);
      case 'callback-number':
        return this.onCallbackNumber(event, text);
      case 'callback-window':
        return this.onCallbackWindow(text);
      case 'message':
        return this.onMessage(event, text);
      default:
        return this.onRequest(event, text);
    }
  }

  // ── the caller's request ───────────────────────────────────────────────

  /**
   * A single word is a request only if it is a clear cue ("Krankmeldung",
   * "Widerspruch"); a lone "Geld" or a recognition slip is asked about again
   * rather than answered on a guess.
   */
  private neededConfidence(event: DialogueEvent, text: string): number {
    const base = this.deps.minConfidence ?? 0.5;
    if (event.type !== 'utterance') return base;
    const words = text.trim().split(/\s+/).filter(Boolean).length;
    return words <= 1 ? Math.max(base, SINGLE_WORD_CONFIDENCE) : base;
  }

  private async onRequest(event: DialogueEvent, text: string): Promise<BotTurn> {
    let understanding: Understanding;
    if (event.type === 'dtmf') {
      const intent = KEYPAD_MENU[event.digits.replace(/[^0-9]/g, '').slice(0, 1)];
      if (!intent) return this.onNotUnderstood(false);
      understanding = { intent, confidence: 1, entities: {} };
    } else {
      understanding = this.deps.understand(text);
    }
    const { intent, confidence } = understanding;
    if (intent === 'emergency' || intent === 'crisis') return this.urgentTurn(intent);
    if (intent === 'human_request') return this.toPerson('human_request');
    if (intent === 'other' || confidence < this.neededConfidence(event, text)) {
      return this.onNotUnderstood(false);
    }
    this.notUnderstood = 0;
    this.outcome.intent = intent;
    if (intent === this.lastIntent) this.sameIntentCount++;
    else this.sameIntentCount = 1;
    this.lastIntent = intent;
    if (this.sameIntentCount >= 3) return this.toPerson('frustration');

    if (CASE_INTENTS.has(intent)) {
      if (this.caseRef) return this.answerFromCase(intent);
      this.pendingIntent = intent;
      this.state = 'verify-number';
      // A number said in the same breath is used at once.
      if (understanding.entities.customerNumber || understanding.entities.bgNumber) {
        return this.onVerifyNumber({ type: 'utterance', text }, text, understanding.entities);
      }
      return this.turn(PHRASES.askNumber, LISTEN_DIGITS);
    }
    return this.answerGeneral(intent);
  }

  private onNotUnderstood(silence: boolean): BotTurn {
    this.notUnderstood++;
    if (this.notUnderstood === 1) {
      return this.turn(silence ? PHRASES.silenceReprompt : PHRASES.reprompt, LISTEN_OPEN);
    }
    if (this.notUnderstood === 2) return this.turn(PHRASES.keypadMenu, LISTEN_OPEN);
    if (this.notUnderstood === 3)
      return this.toPerson(silence ? 'speech_failed' : 'low_confidence');
    return this.goodbye();
  }

  private answerGeneral(intent: Intent): BotTurn {
    const answer = this.deps.answerFor(intent);
    this.state = 'more';
    if (!answer) return this.turn(`${PHRASES.noAnswer} ${PHRASES.anythingElse}`, LISTEN_YES_NO);
    return {
      ...this.turn(`${answer.text} ${PHRASES.anythingElse}`, LISTEN_YES_NO),
      source: answer.source,
    };
  }

  private async answerFromCase(intent: Intent): Promise<BotTurn> {
    const caseRef = this.caseRef;
    if (!caseRef) throw new Error('case answer without verification');
    let answer: Awaited<ReturnType<DialogueDeps['caseAnswer']>>;
    try {
      answer = await this.deps.caseAnswer(caseRef, intent);
    } catch {
      return this.caseSystemDown();
    }
    this.state = 'more';
    if (!answer) return this.turn(`${PHRASES.noCaseAnswer} ${PHRASES.anythingElse}`, LISTEN_YES_NO);
    Object.assign(this.outcome.answeredFacts, answer.facts);
    return {
      ...this.turn(`${answer.text} ${PHRASES.anythingElse}`, LISTEN_YES_NO),
      source: 'Fallakte',
    };
  }

  // ── verification ───────────────────────────────────────────────────────

  private async onVerifyNumber(
    event: DialogueEvent,
    text: string,
    known?: Entities,
  ): Promise<BotTurn> {
    const entities =
      known ?? (event.type === 'utterance' ? this.deps.understand(text).entities : {});
    const keyed =
      event.type === 'dtmf' ? event.digits.replace(/#.*$/, '').replace(/[^0-9A-Za-z]/g, '') : '';
    const number = entities.customerNumber ?? entities.bgNumber ?? (keyed || entities.digits);
    if (event.type === 'utterance' && this.deps.understand(text).intent === 'human_request') {
      return this.toPerson('human_request');
    }
    if (!number || number.length < 4) {
      this.notUnderstood++;
      if (this.notUnderstood >= 3) return this.toPerson('speech_failed');
      return this.turn(PHRASES.askNumberAgain, LISTEN_DIGITS);
    }
    this.notUnderstood = 0;
    // Keyed numbers have no letters: twelve digits are a BG number (5 + BG + 7).
    const isBg =
      (entities.bgNumber !== undefined && !entities.customerNumber) || /^\d{12}$/.test(keyed);
    this.number = isBg ? { bgNumber: number } : { customerNumber: number };
    this.state = 'verify-dob';
    return this.turn(PHRASES.askDateOfBirth, LISTEN_DATE);
  }

  private async onVerifyDob(event: DialogueEvent, text: string): Promise<BotTurn> {
    let dateOfBirth: string | undefined;
    if (event.type === 'dtmf') dateOfBirth = keyedDate(event.digits);
    else {
      const entities = this.deps.understand(text).entities;
      dateOfBirth =
        entities.dateOfBirth ??
        entities.date ??
        (entities.digits ? keyedDate(entities.digits) : undefined);
    }
    if (!dateOfBirth) {
      this.notUnderstood++;
      if (this.notUnderstood >= 3) return this.toPerson('speech_failed');
      return this.turn(PHRASES.askDateOfBirthAgain, LISTEN_DATE);
    }
    this.notUnderstood = 0;
    let result: Awaited<ReturnType<DialogueDeps['verify']>>;
    try {
      result = await this.deps.verify({ ...this.number, dateOfBirth });
    } catch {
      // The back office is down or slow: not the caller's fault, no attempt counted.
      return this.caseSystemDown();
    }
    if (result.verified) {
      this.caseRef = result.caseRef;
      this.outcome.verified = true;
      const intent = this.pendingIntent;
      this.pendingIntent = null;
      if (intent) {
        const answer = await this.answerFromCase(intent);
        return { ...answer, say: `${PHRASES.verified} ${answer.say}` };
      }
      this.state = 'open';
      return this.turn(`${PHRASES.verified} ${PHRASES.openQuestion}`, LISTEN_OPEN);
    }
    this.verifyAttempts++;
    // The same words whether the number exists or not: nothing is disclosed.
    if (this.verifyAttempts >= MAX_VERIFY_ATTEMPTS) return this.toPerson('verification_failed');
    this.state = 'verify-number';
    return this.turn(PHRASES.verifyFailed, LISTEN_DIGITS);
  }

  // ── after an answer ────────────────────────────────────────────────────

  private async onMore(event: DialogueEvent, text: string): Promise<BotTurn> {
    const answer =
      event.type === 'dtmf'
        ? event.digits.startsWith('1')
          ? 'yes'
          : event.digits.startsWith('2')
            ? 'no'
            : null
        : yesNo(text);
    if (answer === 'no') {
      this.noCount++;
      return this.goodbye();
    }
    if (answer === 'yes' && text.split(' ').length <= 3) {
      this.state = 'open';
      return this.turn(PHRASES.whatElse, LISTEN_OPEN);
    }
    // Anything longer is the next question itself.
    this.state = 'open';
    return this.onRequest(event, text);
  }

  // ── handoff and night mode ─────────────────────────────────────────────

  private urgentTurn(intent: 'emergency' | 'crisis'): BotTurn {
    this.outcome.intent = intent;
    this.urgent = true;
    const numbers = intent === 'crisis' ? PHRASES.crisisNumbers : PHRASES.emergencyNumbers;
    if (this.deps.mode === 'day') {
      this.state = 'handed-off';
      this.outcome.handoff = intent;
      return {
        ...this.turn(`${numbers} ${PHRASES.connectingUrgent}`),
        action: { type: 'handoff', reason: intent, priority: true, summary: this.summary(intent) },
      };
    }
    return this.startCallback(`${numbers} ${PHRASES.nightUrgentCallback}`);
  }

  /** The case system failed: say so plainly, then a person (day) or a callback (night). */
  private caseSystemDown(): BotTurn {
    const next = this.toPerson('case_system_unavailable');
    return { ...next, say: `${PHRASES.caseSystemDown} ${next.say}` };
  }

  private toPerson(reason: HandoffReason): BotTurn {
    if (this.deps.mode === 'night') {
      return this.startCallback(PHRASES.nightNoAgents);
    }
    this.state = 'handed-off';
    this.outcome.handoff = reason;
    return {
      ...this.turn(PHRASES.connecting),
      action: { type: 'handoff', reason, priority: false, summary: this.summary(reason) },
    };
  }

  private startCallback(intro: string): BotTurn {
    if (this.callerId && /^\+?[0-9]{5,}$/.test(this.callerId)) {
      this.state = 'callback-confirm-number';
      return this.turn(
        `${intro} ${PHRASES.callbackSameNumber(spellDigits(this.callerId))}`,
        LISTEN_YES_NO,
      );
    }
    this.state = 'callback-number';
    return this.turn(`${intro} ${PHRASES.askCallbackNumber}`, LISTEN_DIGITS);
  }

  private onCallbackConfirm(event: DialogueEvent, text: string): BotTurn {
    const answer =
      event.type === 'dtmf' ? (event.digits.startsWith('1') ? 'yes' : 'no') : yesNo(text);
    if (answer === 'yes') {
      this.callbackNumber = this.callerId ?? '';
      this.state = 'callback-window';
      return this.turn(PHRASES.askWindow, LISTEN_OPEN);
    }
    if (/nachricht/.test(text)) {
      this.state = 'message';
      return this.turn(PHRASES.askMessage, LISTEN_OPEN);
    }
    this.state = 'callback-number';
    return this.turn(PHRASES.askCallbackNumber, LISTEN_DIGITS);
  }

  private onCallbackNumber(event: DialogueEvent, text: string): BotTurn {
    const digits =
      event.type === 'dtmf'
        ? event.digits.replace(/[^0-9]/g, '')
        : (this.deps.understand(text).entities.digits ?? '');
    if (digits.length < 5) {
      this.notUnderstood++;
      if (this.notUnderstood >= 3) return this.goodbye();
      return this.turn(PHRASES.askCallbackNumberAgain, LISTEN_DIGITS);
    }
    this.notUnderstood = 0;
    this.callbackNumber = digits;
    this.state = 'callback-window';
    return this.turn(PHRASES.askWindow, LISTEN_OPEN);
  }

  private onCallbackWindow(text: string): BotTurn {
    const window = /vormittag|morgen|früh/.test(text)
      ? 'vormittags'
      : /nachmittag|mittag|spät/.test(text)
        ? 'nachmittags'
        : 'jederzeit';
    const topic = this.outcome.intent ?? 'other';
    this.outcome.callback = { number: this.callbackNumber, window, urgent: this.urgent };
    this.state = 'ended';
    this.outcome.ended = true;
    return {
      ...this.turn(PHRASES.callbackConfirmed(window)),
      action: {
        type: 'callback',
        urgent: this.urgent,
        number: this.callbackNumber,
        window,
        topic,
        summary: this.summary(this.urgent ? 'emergency' : 'human_request'),
      },
    };
  }

  private onMessage(event: DialogueEvent, text: string): BotTurn {
    const message = event.type === 'utterance' ? text : '';
    const topic = this.outcome.intent ?? 'other';
    this.outcome.message = message;
    this.state = 'ended';
    this.outcome.ended = true;
    return {
      ...this.turn(PHRASES.messageTaken),
      action: { type: 'message', text: message, topic, summary: this.summary('human_request') },
    };
  }

  private goodbye(): BotTurn {
    return { ...this.turn(PHRASES.goodbye), action: { type: 'hangup' } };
  }

  // ── helpers ────────────────────────────────────────────────────────────

  private turn(say: string, listen?: ListenExpectation): BotTurn {
    return { say, rate: this.rate, ...(listen ? { listen } : {}) };
  }

  /** The caseworker's first lines: no need to ask the caller to start again. */
  private summary(reason: HandoffReason): string {
    const intent = this.outcome.intent;
    return [
      `Grund: ${PHRASES.reasonLabel[reason]}`,
      `Anliegen: ${intent ? INTENT_LABELS[intent] : 'unklar'}`,
      `Identität: ${this.outcome.verified ? 'geprüft' : 'nicht geprüft'}`,
      this.lastCallerText ? `Zuletzt gesagt: „${this.lastCallerText.slice(0, 200)}“` : '',
      this.lastAnswer ? `Bot zuletzt: „${this.lastAnswer.slice(0, 200)}“` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }
}

function clean(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 2000);
}

export function yesNo(text: string): 'yes' | 'no' | null {
  if (/\b(nein|nee|ne|nö|nicht|kein|keine)\b/.test(text)) return 'no';
  if (/\b(ja|jawohl|genau|gerne|gern|richtig|stimmt|okay|ok|bitte)\b/.test(text)) return 'yes';
  return null;
}

/** DDMMYYYY keyed on the phone → ISO date, or undefined if not a real date. */
export function keyedDate(digits: string): string | undefined {
  const d = digits.replace(/[^0-9]/g, '');
  if (d.length !== 8) return undefined;
  const day = Number(d.slice(0, 2));
  const month = Number(d.slice(2, 4));
  const year = Number(d.slice(4));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "0612345" → "0 6 1 2 3 4 5": read digit by digit. */
function spellDigits(number: string): string {
  return number.replace(/^\+49/, '0').split('').join(' ');
}
