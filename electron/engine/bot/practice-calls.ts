/**
 * The practice call (Übungsanruf): a whole bot conversation on this desk,
 * without any SIP server. How new staff learn what callers hear, and how a
 * new user tries Lotse on its embedded defaults.
 *
 * The bot's voice goes to the desk's speakers; the caller is either the user
 * (microphone) or a scripted caller played by this class. The scripted
 * caller's words are synthesised and sent to the desk as the "caller" leg.
 * With a speech model they go through the same audio path as a real caller's
 * voice (tap, 16 kHz frames, speech process) — so the practice call exercises
 * the real recognition, not a shortcut. Without one (a fresh install) the
 * caller is still heard, and the script's text goes to the bot and into the
 * transcript instead of a recognition, marked as such (source 'script'); the
 * practice says so (`recognition: false`). The keys the caller presses go to
 * the bot and into the transcript (source 'keys'). The role follows what the
 * bot asks for:
 *
 *   open question (first)  says its concern
 *   open question (again)  presses 1 (payment date in the keypad menu)
 *   customer number        keys the demo caller's number and #
 *   date of birth          keys it as DDMMYYYY
 *   yes / no (first)       asks for a person: in words without a speech model,
 *                          else presses 0 (always a person) — so the practice
 *                          goes on to the handoff, the case and the wrap-up
 *   yes / no (again)       presses 1 (yes: a callback number is right)
 *
 * Only fictitious demo households take part (EmbeddedCaseSystem.demoCaller).
 */
import crypto from 'node:crypto';
import { FRAME_SAMPLES, type BotMode, type BotState } from '../../contract';
import { LiveOutput } from '../audio/live-output';
import type { ScopedLogger } from '../log/logger';
import type { BotVoice, LiveBots } from './live-bots';

export type PracticeScript = 'microphone' | 'payment-date';

/** The scripted caller's sentences. */
export const SCRIPT = {
  concern: 'Guten Tag. Wann kommt mein Geld?',
  person: 'Ja, ich möchte bitte mit einer Person sprechen.',
} as const;

/** Where the scripted caller's words and keys appear (the live transcript). */
export interface PracticeTranscript {
  callConnected(callId: string): void;
  callEnded(callId: string): void;
  /** A caller line that was not recognised: the script's text, or keys pressed. */
  callerScripted?(
    callId: string,
    text: string,
    source: 'script' | 'keys',
    startedAt: number,
    endedAt: number,
  ): void;
}

export interface PracticeCallsOptions {
  bots: LiveBots;
  voice: BotVoice | undefined;
  demoCaller: () => Promise<{ customerNumber: string; dateOfBirth: string } | null>;
  transcript?: PracticeTranscript;
  /**
   * Whether the caller's speech is recognised on this desk now (a speech
   * model is loaded or loading). False or absent: the script's text is used.
   */
  recognition?: () => boolean;
  log: ScopedLogger;
  /** A human pause before the scripted caller answers (ms). */
  thinkMs?: number;
}

interface Practice {
  callId: string;
  script: PracticeScript;
  /** The caller's speech is recognised (else the script's text stands in). */
  recognition: boolean;
  caller?: {
    number: string;
    dob: string;
    output: LiveOutput;
    asked: number;
    /** Yes/no questions answered so far (the first asks for a person). */
    yesNo: number;
    acting: boolean;
    timer?: ReturnType<typeof setTimeout>;
    /** The newest bot state, and the one the caller last answered. */
    latest?: BotState;
    answered?: BotState;
  };
}

/** The scripted caller gives up after this many answers (a loop would train nobody). */
const MAX_ACTIONS = 10;

export class PracticeError extends Error {
  override name = 'PracticeError';
}

export class PracticeCalls {
  private readonly calls = new Map<string, Practice>();

  constructor(private readonly options: PracticeCallsOptions) {
    options.bots.onState((state) => this.follow(state));
  }

  /**
   * Starts a practice call: the bot answers at once. `sendBot` carries the
   * bot's voice to the desk, `sendCaller` the scripted caller's.
   */
  async start(
    script: PracticeScript,
    /** Each frame goes with the practice call's id (the renderer plays it only there). */
    sendBot: (samples: Int16Array, callId: string, flush?: 'flush') => void,
    sendCaller: (samples: Int16Array, callId: string, flush?: 'flush') => void,
  ): Promise<{ callId: string; mode: BotMode; recognition: boolean }> {
    const callId = `practice-${crypto.randomUUID()}`;
    const recognition = this.options.recognition?.() ?? false;
    const practice: Practice = { callId, script, recognition };
    if (script === 'payment-date') {
      const demo = await this.options.demoCaller();
      if (!demo) throw new PracticeError('no scripted caller: the case store holds no demo data');
      const [y, m, d] = demo.dateOfBirth.split('-');
      practice.caller = {
        number: demo.customerNumber.replace(/\D/g, ''),
        dob: `${d}${m}${y}`,
        output: new LiveOutput((samples) => sendCaller(samples, callId), {
          flush: () => sendCaller(new Int16Array(FRAME_SAMPLES), callId, 'flush'),
        }),
        asked: 0,
        yesNo: 0,
        acting: false,
      };
    }
    this.calls.set(callId, practice);
    this.options.transcript?.callConnected(callId);
    try {
      const { mode } = await this.options.bots.start(callId, undefined, sendBot);
      this.options.log.info(
        `practice call ${callId} started (${script}${recognition ? '' : ', without speech recognition'})`,
      );
      return { callId, mode, recognition };
    } catch (error) {
      this.end(callId);
      throw error;
    }
  }

  end(callId: string): boolean {
    const practice = this.calls.get(callId);
    if (!practice) return false;
    this.calls.delete(callId);
    if (practice.caller?.timer) clearTimeout(practice.caller.timer);
    practice.caller?.output.close();
    this.options.bots.callEnded(callId);
    this.options.transcript?.callEnded(callId);
    this.options.log.info(`practice call ${callId} ended`);
    return true;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** The scripted caller answers when the bot has finished and listens. */
  private follow(state: BotState): void {
    const practice = this.calls.get(state.callId);
    const caller = practice?.caller;
    if (!practice || !caller) return;
    caller.latest = state;
    if (state.phase !== 'active') {
      if (caller.timer) clearTimeout(caller.timer);
      return;
    }
    if (state.speaking || !state.listening || caller.acting) return;
    if (caller.timer) clearTimeout(caller.timer);
    const listening = state.listening;
    caller.timer = setTimeout(() => {
      caller.timer = undefined;
      caller.answered = state;
      void this.act(practice, listening);
    }, this.options.thinkMs ?? 700);
  }

  private async act(practice: Practice, listening: NonNullable<BotState['listening']>) {
    const caller = practice.caller!;
    if (caller.acting || !this.calls.has(practice.callId)) return;
    caller.acting = true;
    try {
      caller.asked++;
      if (caller.asked > MAX_ACTIONS) {
        this.options.log.info(`practice call ${practice.callId}: the scripted caller is done`);
        return;
      }
      switch (listening) {
        case 'open':
          if (caller.asked === 1) await this.say(practice, SCRIPT.concern);
          else this.key(practice, '1');
          break;
        case 'digits':
          this.key(practice, `${caller.number}#`);
          break;
        case 'date':
          this.key(practice, caller.dob);
          break;
        case 'yes-no':
          caller.yesNo++;
          if (caller.yesNo > 1) this.key(practice, '1');
          else if (practice.recognition) this.key(practice, '0');
          else await this.say(practice, SCRIPT.person);
          break;
      }
    } catch (error) {
      this.options.log.error(
        `practice call ${practice.callId}: scripted caller failed: ${(error as Error).message}`,
      );
    } finally {
      caller.acting = false;
      // The bot may have asked the next question while the caller was still talking.
      const latest = caller.latest;
      if (latest && latest !== caller.answered && this.calls.has(practice.callId))
        this.follow(latest);
    }
  }

  /**
   * The caller says `text`: heard on the desk; recognised there, or — without
   * recognition — given to the bot and the transcript as the script has it.
   */
  private async say(practice: Practice, text: string): Promise<void> {
    const caller = practice.caller!;
    const voice = this.options.voice;
    const startedAt = performance.now();
    // As a recognition's first partial would: the caller is talking, the bot waits.
    if (!practice.recognition) this.options.bots.callerSpeaking(practice.callId);
    if (voice) {
      for await (const pcm of voice.synthesize(text, { rate: 1.1 })) caller.output.push(pcm);
      await caller.output.drained();
    }
    if (practice.recognition || !this.calls.has(practice.callId)) return;
    this.options.transcript?.callerScripted?.(
      practice.callId,
      text,
      'script',
      startedAt,
      performance.now(),
    );
    this.options.bots.heard(practice.callId, text, 1);
  }

  /** The caller presses keys: to the bot, and shown in the transcript. */
  private key(practice: Practice, digits: string): void {
    const at = performance.now();
    this.options.transcript?.callerScripted?.(practice.callId, digits, 'keys', at, at);
    this.options.bots.keyed(practice.callId, digits);
  }
}
