/**
 * The desk's side of the bot. With "bot first" on, the phone answers every
 * incoming call and this hands it to the engine's bot (`bot.start`); the
 * agent's microphone stays off while the bot talks. From then on it follows
 * the bot's reports:
 *
 *   hangup      the bot said goodbye        → the phone ends the call
 *   handoff     the bot wants a person      → alert tone (priority tone for
 *                                             emergency and crisis), desktop
 *                                             notification, summary on screen
 *
 * The desktop notification says only why and how urgent (the handoff reason,
 * "Vorrang" in the title): never the bot's summary, which may quote what the
 * caller said – a notification shows on a locked screen, in the system's
 * notification history and to whoever passes the desk.
 *   take over   the agent presses the button → the bot falls silent, the
 *                                             agent's microphone is on
 *   engine lost the engine went away          → every bot call still up rings
 *                                             a person at once (the bot went
 *                                             with the engine, the caller is
 *                                             on the line, in silence)
 *
 * Keys the caller presses (SIP INFO) go to the bot while it has the call.
 *
 * Bot lines: a call the bot takes while the agent's audio path is busy has a
 * line of its own (renderer/audio/bot-line-audio.ts). Its bot runs the same
 * way, out of the agent's view; when it hands over, the call comes to the
 * agent as soon as they are free (their calls ended), the most urgent
 * handoff first, and rings like any handoff.
 *
 * A bot never outlives its call: when a call the bot has is no longer live
 * on the phone – the agent hung up, the caller did, it failed, in the
 * foreground or not – the desk ends the bot (`bot.end`) itself, beside the
 * phone's 'ended' report, so the bot stops even if that report is lost.
 */
import { problemOf } from '../../bridge/engine-problem';
import { isLive } from '../../phone/call-machine';
import { languageStore } from '../../i18n/language';
import { botMessages } from './bot-messages';
import type { BotModeStatus, BotState, EngineEvent } from '../../../electron/contract';
import type { EngineClient } from '../../bridge/engine-client';
import type { BotDeskState } from '../../stores/bot-store';
import type { PhoneState } from '../../phone/phone-store';
import type { StoreApi } from 'zustand/vanilla';

export interface AlertTone {
  start(priority: boolean): void;
  stop(): void;
}

export interface BotDeskDeps {
  client: EngineClient;
  phoneStore: StoreApi<PhoneState>;
  botStore: StoreApi<BotDeskState>;
  phone: { hangup(id?: string): void; promoteBotLine?(id: string): boolean };
  /** A bot line came to the agent's view: its transcript so far is shown. */
  showCall?: (callId: string) => void;
  /** The agent's microphone into the call (false: silent, the bot speaks). */
  agentMic: (on: boolean) => void;
  /**
   * The audio of a practice call (no SIP): bot to the speakers, caller into
   * the tap; `forCall` names the practice call once the engine did, so only
   * its audio plays.
   */
  practiceAudio?: {
    start(options: { microphone: boolean }): Promise<void>;
    forCall?(callId: string): void;
    stop(): void;
  };
  alert: AlertTone;
  notify?: (title: string, body: string, priority: boolean) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class BotDesk {
  /** Calls handed to the bot, whether an agent has taken them over, and which is a practice call. */
  private readonly calls = new Map<
    string,
    { takenOver: boolean; practice?: boolean; line?: boolean }
  >();

  constructor(private readonly deps: BotDeskDeps) {
    deps.phoneStore.subscribe((state, previous) => {
      const call = state.call;
      const before = previous.call;
      if (
        call.state === 'connected' &&
        (before.state !== 'connected' || before.id !== call.id) &&
        call.direction === 'incoming' &&
        call.id &&
        state.policy.botFirst
      ) {
        void this.start(call.id, call.remote);
      }
      if (state.lines !== previous.lines) {
        for (const line of state.lines) {
          if (line.botLine && line.state === 'connected' && line.id && !this.calls.has(line.id))
            void this.start(line.id, line.remote, { line: true });
        }
        this.endGoneCalls(state);
        this.promoteHandoff();
      }
    });
  }

  /** Whether the bot has this call (and no agent took it over). */
  botHas(callId: string | undefined): boolean {
    const entry = callId ? this.calls.get(callId) : undefined;
    return entry !== undefined && !entry.takenOver;
  }

  onEvent(event: EngineEvent): void {
    if (event.event === 'bot.mode') {
      this.deps.botStore.getState().setMode(event.data);
      return;
    }
    if (event.event === 'worklist.changed') {
      this.deps.botStore.getState().setWorklistOpen(event.data.open);
      void this.refreshWorklist();
      return;
    }
    if (event.event !== 'bot.state') return;
    const state = event.data;
    const entry = this.calls.get(state.callId);
    if (!entry) return;
    if (entry.line) {
      this.deps.botStore.getState().applyLineState(state);
      if (state.phase === 'hangup') this.deps.phone.hangup(state.callId);
      else if (state.phase === 'handoff') this.promoteHandoff();
      return;
    }
    this.deps.botStore.getState().applyState(state);
    if (state.callId === this.deps.botStore.getState().practice?.callId) {
      // Practice: the goodbye ends it; a handoff is shown, nobody is rung.
      if (state.phase === 'hangup') setTimeout(() => void this.endPractice(), 500);
      return;
    }
    if (state.phase === 'hangup') {
      this.deps.alert.stop();
      if (this.deps.phoneStore.getState().lines.some((l) => l.id === state.callId))
        this.deps.phone.hangup(state.callId);
    } else if (state.phase === 'handoff' && state.handoff) {
      this.ringHandoff(state.handoff);
    }
  }

  /**
   * A bot line whose bot handed over comes to the agent once they are free
   * (no call of their own live): emergencies and crises first, then the
   * longest waiting. It rings like a handoff in the agent's own call.
   */
  private promoteHandoff(): void {
    const promote = this.deps.phone.promoteBotLine;
    if (!promote) return;
    const lines = this.deps.botStore.getState().lines;
    const waiting = [...this.calls]
      .filter(([callId, entry]) => entry.line && lines[callId]?.phase === 'handoff')
      .map(([callId]) => lines[callId]!)
      .sort((a, b) => Number(b.handoff?.priority ?? false) - Number(a.handoff?.priority ?? false));
    const next = waiting[0];
    if (!next || !promote.call(this.deps.phone, next.callId)) return;
    const entry = this.calls.get(next.callId);
    if (entry) entry.line = false;
    this.deps.botStore.getState().focusLine(next.callId);
    this.deps.showCall?.(next.callId);
    this.deps.log('info', `bot line ${next.callId} handed to the agent`);
    this.ringHandoff(next.handoff);
  }

  /** Alert tone and desktop notification for a handoff (the reason only, never the summary). */
  private ringHandoff(handoff: BotState['handoff']): void {
    if (!handoff) return;
    this.deps.alert.start(handoff.priority);
    const language = languageStore.getState().language;
    this.deps.notify?.(
      botMessages.translate(language, handoff.priority ? 'notifyPriorityHandoff' : 'notifyHandoff'),
      // The reason only: the summary may hold the caller's words.
      botMessages.translate(language, 'notifyHandoffBody', {
        reason: botMessages.translate(language, `reason_${handoff.reason}`),
      }),
      handoff.priority,
    );
  }

  /**
   * The engine is gone (crashed, restarting, or this window lost its
   * connection): the bots of the live calls went with it, and their callers
   * hear nothing. Every such call rings a person at once – not when the
   * engine is back – with the bot's last known state and a summary that says
   * what happened. A call already handed over keeps ringing; a practice call
   * (no caller) just ends.
   */
  engineLost(): void {
    const store = this.deps.botStore.getState();
    const practice = store.practice;
    if (practice) {
      store.setPractice(undefined);
      this.calls.delete(practice.callId);
      this.deps.practiceAudio?.stop();
      store.clearCall(practice.callId);
    }
    const lines = this.deps.phoneStore.getState().lines;
    let ring = false;
    let priority = false;
    for (const [callId, entry] of this.calls) {
      if (entry.takenOver) continue;
      if (!lines.some((l) => l.id === callId && isLive(l.state))) continue;
      const known = entry.line
        ? this.deps.botStore.getState().lines[callId]
        : this.deps.botStore.getState().call;
      const last = known?.callId === callId ? known : undefined;
      if (last?.phase === 'hangup') continue; // the bot said goodbye; the phone ends it
      const handoff = last?.phase === 'handoff' ? last.handoff : undefined;
      const lost: BotState = {
        callId,
        mode: last?.mode ?? 'day',
        intent: last?.intent ?? null,
        verified: last?.verified ?? false,
        phase: 'handoff',
        speaking: false,
        listening: null,
        handoff: handoff ?? {
          reason: 'bot_unavailable',
          priority: false,
          summary: botMessages.translate(languageStore.getState().language, 'botLostSummary'),
        },
      };
      if (entry.line) {
        // Comes to the agent once they are free (promoteHandoff below).
        this.deps.botStore.getState().applyLineState(lost);
        continue;
      }
      priority ||= handoff?.priority ?? false;
      ring = true;
      this.deps.botStore.getState().applyState(lost);
    }
    this.promoteHandoff();
    if (!ring) return;
    this.deps.log('warn', 'engine lost during a bot call: ringing a person');
    this.deps.alert.start(priority);
    this.deps.notify?.(
      botMessages.translate(
        languageStore.getState().language,
        priority ? 'notifyPriorityHandoff' : 'notifyHandoff',
      ),
      botMessages.translate(languageStore.getState().language, 'botLostSummary'),
      priority,
    );
  }

  /** The agent takes the call from the bot: silence it, open the microphone. */
  async takeOver(): Promise<void> {
    const callId = this.deps.phoneStore.getState().call.id;
    const entry = callId ? this.calls.get(callId) : undefined;
    if (!callId || !entry || entry.takenOver) return;
    entry.takenOver = true;
    this.deps.alert.stop();
    this.deps.agentMic(!this.deps.phoneStore.getState().call.muted);
    await this.tookOver(callId);
  }

  /**
   * The user takes the practice call after its handoff, as an agent takes a
   * real one: the bot falls silent, and the case of the (fictitious) caller
   * the bot verified opens (no phone, no microphone involved).
   */
  async takeOverPractice(): Promise<void> {
    const practice = this.deps.botStore.getState().practice;
    const entry = practice ? this.calls.get(practice.callId) : undefined;
    if (!practice || !entry || entry.takenOver) return;
    entry.takenOver = true;
    await this.tookOver(practice.callId);
  }

  /** Shows the call as taken over at once, and tells the engine's bot. */
  private async tookOver(callId: string): Promise<void> {
    const current = this.deps.botStore.getState().call;
    if (current?.callId === callId)
      this.deps.botStore
        .getState()
        .applyState({ ...current, phase: 'taken-over', listening: null });
    try {
      await this.deps.client.request('bot.takeOver', { callId });
    } catch (error) {
      this.deps.log('warn', `take-over: ${(error as Error).message}`);
    }
  }

  /**
   * Starts a practice call: the bot answers at once on this desk; the caller
   * is the user (microphone) or the engine's scripted caller.
   */
  async startPractice(script: 'microphone' | 'payment-date'): Promise<void> {
    const store = this.deps.botStore.getState();
    if (store.practice) return;
    const audio = this.deps.practiceAudio;
    try {
      if (!audio) throw new Error('no audio path on this desk');
      await audio.start({ microphone: script === 'microphone' });
      const { callId, recognition } = await this.deps.client.request('practice.start', { script });
      this.calls.set(callId, { takenOver: false, practice: true });
      audio.forCall?.(callId);
      this.deps.botStore.getState().setPractice({ callId, script, recognition });
    } catch (error) {
      audio?.stop();
      const problem = problemOf(error);
      this.deps.botStore.getState().setPractice(undefined, problem);
      this.deps.log('error', `practice call: ${problem.message}`);
    }
  }

  async endPractice(): Promise<void> {
    const practice = this.deps.botStore.getState().practice;
    if (!practice) return;
    this.deps.botStore.getState().setPractice(undefined);
    this.calls.delete(practice.callId);
    this.deps.practiceAudio?.stop();
    this.deps.botStore.getState().clearCall(practice.callId);
    await this.deps.client
      .request('practice.end', { callId: practice.callId })
      .catch((error: Error) => this.deps.log('warn', `practice call: ${error.message}`));
  }

  /** A key pressed on the practice keypad (the user plays the caller). */
  practiceKey(tone: string): void {
    const practice = this.deps.botStore.getState().practice;
    if (!practice) return;
    this.deps.client
      .request('bot.dtmf', { callId: practice.callId, digits: tone })
      .catch((error: Error) => this.deps.log('warn', `DTMF: ${error.message}`));
  }

  /** A key the caller pressed. */
  dtmf(callId: string, tone: string): void {
    if (!this.botHas(callId)) return;
    this.deps.client
      .request('bot.dtmf', { callId, digits: tone })
      .catch((error: Error) => this.deps.log('warn', `DTMF to the bot: ${error.message}`));
  }

  async loadMode(): Promise<void> {
    try {
      this.deps.botStore.getState().setMode(await this.deps.client.request('bot.getMode', {}));
    } catch (error) {
      this.deps.log('warn', `Bot: ${(error as Error).message}`);
    }
  }

  async setMode(override: BotModeStatus['override']): Promise<void> {
    try {
      const status = await this.deps.client.request('bot.setMode', { override });
      this.deps.botStore.getState().setMode(status);
    } catch (error) {
      this.deps.log('error', `Bot: ${(error as Error).message}`);
    }
  }

  async refreshWorklist(status: 'open' | 'all' = 'all'): Promise<void> {
    try {
      const { items, open } = await this.deps.client.request('worklist.list', { status });
      this.deps.botStore.getState().setWorklist(items, open);
    } catch (error) {
      const problem = problemOf(error);
      this.deps.botStore.getState().setWorklistError(problem);
      this.deps.log('error', `worklist: ${problem.message}`);
    }
  }

  async setWorklistStatus(id: string, status: 'open' | 'done', by: string): Promise<void> {
    try {
      await this.deps.client.request('worklist.setStatus', { id, status, by });
      await this.refreshWorklist();
    } catch (error) {
      const problem = problemOf(error);
      this.deps.botStore.getState().setWorklistError(problem);
      this.deps.log('error', `worklist: ${problem.message}`);
    }
  }

  private async start(
    callId: string,
    remote: string | undefined,
    options: { line?: boolean } = {},
  ): Promise<void> {
    this.calls.set(callId, { takenOver: false, ...(options.line ? { line: true } : {}) });
    // A bot line has no microphone of the agent's in it; the agent's own call keeps theirs.
    if (!options.line) this.deps.agentMic(false);
    try {
      // No engine right now (it is restarting): no bot either. A request would
      // wait for the next engine, with the caller in silence meanwhile.
      const carrier = this.deps.client.status;
      if (carrier === 'closed' || carrier === 'connecting')
        throw new Error(`no engine (connection ${carrier})`);
      const { mode } = await this.deps.client.request('bot.start', {
        callId,
        ...(remote ? { callerId: remote.slice(0, 100) } : {}),
      });
      this.deps.log('info', `bot took the call (${mode})`);
    } catch (error) {
      const message = (error as Error).message;
      if (!this.calls.has(callId)) {
        // The call ended meanwhile: nobody is on the line to hand over.
        this.deps.log('warn', `bot for call ${callId} not started: ${message}`);
        return;
      }
      // No bot: the caller is on the line, so a person must take the call now.
      this.deps.log('error', `bot unavailable: ${message}`);
      const carrier = this.deps.client.status;
      const summary =
        carrier === 'closed' || carrier === 'connecting'
          ? botMessages.translate(languageStore.getState().language, 'botLostSummary')
          : message;
      const handoff: BotState = {
        callId,
        phase: 'handoff',
        mode: 'day',
        speaking: false,
        listening: null,
        intent: null,
        verified: false,
        handoff: { reason: 'bot_unavailable', priority: false, summary },
      };
      if (this.calls.get(callId)?.line) {
        // A bot line: to the agent as soon as they are free.
        this.deps.botStore.getState().applyLineState(handoff);
        this.promoteHandoff();
        return;
      }
      this.deps.botStore.getState().applyState(handoff);
      this.deps.alert.start(false);
    }
  }

  /** Calls the bot has that are no longer live on the phone: their bots end. */
  private endGoneCalls(state: PhoneState): void {
    for (const [callId, entry] of this.calls) {
      if (entry.practice) continue;
      const line = state.lines.find((l) => l.id === callId);
      if (!line || !isLive(line.state)) this.ended(callId);
    }
  }

  private ended(callId: string): void {
    if (!this.calls.delete(callId)) return;
    this.deps.alert.stop();
    this.deps.botStore.getState().clearCall(callId);
    this.deps.client
      .request('bot.end', { callId })
      .catch((error: Error) =>
        this.deps.log('warn', `ending the bot of call ${callId}: ${error.message}`),
      );
  }
}
