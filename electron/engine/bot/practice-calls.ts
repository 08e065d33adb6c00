/**
 * The practice call (Übungsanruf): a whole bot conversation on this desk,
 * without any SIP server. How new staff learn what callers hear, and how a
 * new user tries Lotse on its embedded defaults.
 *
 * The bot's voice goes to the desk's speakers; the caller is either the user
 * (microphone) or a scripted caller played by this class. The scripted
 * caller's words are synthesised and sent to the desk as the "caller" leg,
 * where they go through the same audio path as a real caller's voice (tap,
 * 16 kHz frames, speech process) — so the practice call exercises the real
 * recognition, not a shortcut. The role follows what the bot asks for:
 *
 *   open question (first)  says its concern
 *   open question (again)  presses 1 (payment date in the keypad menu)
 *   customer number        keys the demo caller's number and #
 *   date of birth          keys it as DDMMYYYY
 *   yes / no               presses 2 (no: "that was all")
 *
 * Only fictitious demo households take part (EmbeddedCaseSystem.demoCaller).
 */
import crypto from 'node:crypto';
import type { BotMode, BotState } from '../../contract';
import { LiveOutput } from '../audio/live-output';
import type { ScopedLogger } from '../log/logger';
import type { BotVoice, LiveBots } from './live-bots';

export type PracticeScript = 'microphone' | 'payment-date';

export interface PracticeCallsOptions {
  bots: LiveBots;
  voice: BotVoice | undefined;
  demoCaller: () => Promise<{ customerNumber: string; dateOfBirth: string } | null>;
  transcript?: { callConnected(callId: string): void; callEnded(callId: string): void };
  log: ScopedLogger;
  /** A human pause before the scripted caller answers (ms). */
  thinkMs?: number;
}

interface Practice {
  callId: string;
  script: PracticeScript;
  caller?: {
    number: string;
    dob: string;
    output: LiveOutput;
    asked: number;
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
    sendBot: (samples: Int16Array, callId: string) => void,
    sendCaller: (samples: Int16Array, callId: string) => void,
  ): Promise<{ callId: string; mode: BotMode }> {
    const callId = `practice-${crypto.randomUUID()}`;
    const practice: Practice = { callId, script };
    if (script === 'payment-date') {
      const demo = await this.options.demoCaller();
      if (!demo) throw new PracticeError('no scripted caller: the case store holds no demo data');
      const [y, m, d] = demo.dateOfBirth.split('-');
      practice.caller = {
        number: demo.customerNumber.replace(/\D/g, ''),
        dob: `${d}${m}${y}`,
        output: new LiveOutput((samples) => sendCaller(samples, callId)),
        asked: 0,
        acting: false,
      };
    }
    this.calls.set(callId, practice);
    this.options.transcript?.callConnected(callId);
    try {
      const { mode } = await this.options.bots.start(callId, undefined, sendBot);
      this.options.log.info(`practice call ${callId} started (${script})`);
      return { callId, mode };
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
      const bots = this.options.bots;
      switch (listening) {
        case 'open':
          if (caller.asked === 1) await this.say(caller, 'Guten Tag. Wann kommt mein Geld?');
          else bots.keyed(practice.callId, '1');
          break;
        case 'digits':
          bots.keyed(practice.callId, `${caller.number}#`);
          break;
        case 'date':
          bots.keyed(practice.callId, caller.dob);
          break;
        case 'yes-no':
          bots.keyed(practice.callId, '2');
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

  private async say(caller: NonNullable<Practice['caller']>, text: string): Promise<void> {
    const voice = this.options.voice;
    if (!voice) return;
    for await (const pcm of voice.synthesize(text, { rate: 1.1 })) caller.output.push(pcm);
    await caller.output.drained();
  }
}
