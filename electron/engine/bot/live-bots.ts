/**
 * The bot in live calls. The phone answers a call for the bot (`bot.start`);
 * from then on this class runs one BotSession per call:
 *
 *   caller's finals (speech process) ──▶ heard()      ─┐
 *   caller's partials                ──▶ callerSpeaking (barge-in)
 *   keys (SIP INFO / RFC 4733)        ──▶ keyed()      ─┤─▶ BotSession ─▶ LiveOutput ─▶ call
 *   silence timer                     (inside the session)
 *
 * What the session decides comes back out as `bot.state` events: the phone
 * hangs up after the goodbye, rings an agent on a handoff (with priority for
 * emergency and crisis) and, while the caller waits, the bot tells them to
 * stay on the line — crisis callers hear the crisis numbers again. An agent
 * can take the call at any moment (`takeOver`): the bot stops mid-word and
 * never speaks in that call again.
 *
 * Per listening step the caller's endpointing is tuned (a yes/no answer ends
 * after a short pause, a dictated number after a longer one), so the turn
 * latency is as short as each question allows.
 *
 * A bot never outlives its call. `callEnded` (the phone's 'ended' report,
 * `bot.end` from the desk, the window closing) stops the session, closes
 * its output and forgets the call; a call that ends while its bot is still
 * being set up (the resources load on the first call) is not started, and
 * a `bot.start` that arrives after the call's end starts nothing. Every
 * frame the bot speaks goes out with its call's id, so the renderer can
 * refuse it anywhere but in that call.
 */
import { FRAME_SAMPLES } from '../../contract';
import type {
  BotLineAnswer,
  BotMode,
  BotModeStatus,
  BotState,
  EngineEvent,
  Handoff,
} from '../../contract';
import type { CaseRef, CaseSystem } from '../cases/case-system';
import type { ScopedLogger } from '../log/logger';
import { LiveOutput } from '../audio/live-output';
import { BotSession, SILENCE_TIMEOUT_MS } from './bot-session';
import { caseAnswersFrom, verifierFrom } from './case-answers';
import type { DialogueDeps } from './dialogue-types';
import type { ListenExpectation, WorklistItem } from './frames';
import { officeMode, serviceHours, type OfficeSchedule } from './office-hours';
import { PHRASES } from './phrases';
import type { Understand } from './understanding';
import type { WorklistFallbackPort } from './worklist-fallback';
import type { WorklistStore } from './worklist-store';

/** What a live bot needs besides the call: understanding, answers, case data. */
export interface BotResources {
  understand: Understand;
  answerFor: DialogueDeps['answerFor'];
  cases: CaseSystem;
}

export interface BotVoice {
  synthesize(text: string, options: { rate: number }): AsyncIterable<Int16Array>;
}

export interface LiveBotsOptions {
  /** Loaded once (classifier training, knowledge base, case store); awaited per call. */
  resources: () => Promise<BotResources>;
  voice: BotVoice | undefined;
  schedule: OfficeSchedule;
  worklist: () => Promise<WorklistStore | undefined>;
  /** Where an item goes, sealed, when the worklist cannot be written (filed again later). */
  worklistFallback?: WorklistFallbackPort;
  emit: (event: EngineEvent) => void;
  /**
   * The bot's words into the call's transcript, with what in them answered
   * the caller and its source (null: only fixed prompts).
   */
  botSaid?: (
    callId: string,
    text: string,
    startedAt: number,
    endedAt: number,
    answer: BotLineAnswer | null,
  ) => void;
  /** The bot verified the caller: the case may be shown to the agent who takes the call. */
  verified?: (callId: string, caseRef: CaseRef) => void;
  /** Tune the caller's endpointing for the next turn. */
  listening?: (callId: string, expect: ListenExpectation) => void;
  log: ScopedLogger;
  /** How long the caller may stay silent before a reprompt (ms). */
  silenceTimeoutMs?: number;
  /** How often a waiting caller hears "please hold" after a handoff (ms). */
  waitingIntervalMs?: number;
  now?: () => Date;
}

interface LiveCall {
  callId: string;
  callerId: string | undefined;
  session: BotSession;
  output: LiveOutput;
  mode: BotMode;
  phase: BotState['phase'];
  listening: ListenExpectation['type'] | null;
  handoff?: Handoff;
  waitingTimer?: ReturnType<typeof setTimeout>;
  /** When the caller's last turn arrived (performance.now()), until the bot answers. */
  turnAt?: number;
}

/** How many ended call ids are remembered against a late `bot.start`. */
const REMEMBERED_ENDS = 500;

export class LiveBots {
  private readonly calls = new Map<string, LiveCall>();
  /** Calls whose bot is being set up, and whether the call ended meanwhile. */
  private readonly starting = new Map<string, { ended: boolean }>();
  /** Calls that ended (newest last): a bot never starts for them. */
  private readonly ended = new Set<string>();
  private override: BotMode | null = null;
  private readonly stateListeners = new Set<(state: BotState) => void>();

  /** Every state change of every bot call (the practice caller follows them). */
  onState(listener: (state: BotState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  constructor(private readonly options: LiveBotsOptions) {}

  modeStatus(): BotModeStatus {
    const schedule = { ...this.options.schedule, override: this.override };
    return {
      mode: officeMode(schedule, this.options.now?.() ?? new Date()),
      override: this.override,
      hours: serviceHours(this.options.schedule.hours),
    };
  }

  setOverride(override: BotMode | null): BotModeStatus {
    this.override = override;
    const status = this.modeStatus();
    this.options.log.info(
      `bot mode ${override ? `set by hand to ${override}` : 'follows the service hours'} (now ${status.mode})`,
    );
    this.options.emit({ event: 'bot.mode', data: status });
    return status;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** The call has ended (as far as the last REMEMBERED_ENDS calls go): no bot starts for it. */
  hasEnded(callId: string): boolean {
    return this.ended.has(callId);
  }

  /**
   * The bot takes the call: greeting with the AI disclosure, then one open
   * question. `send` gets every 20 ms frame the bot speaks, with the call's id.
   */
  async start(
    callId: string,
    callerId: string | undefined,
    send: (samples: Int16Array, callId: string, flush?: 'flush') => void,
  ): Promise<{ mode: BotMode }> {
    const existing = this.calls.get(callId);
    if (existing) return { mode: existing.mode };
    if (this.ended.has(callId)) {
      this.options.log.warn(`call ${callId}: bot not started, the call has ended`);
      return { mode: this.modeStatus().mode };
    }
    const voice = this.options.voice;
    if (!voice) throw new BotUnavailableError('no voice available');
    const pending = this.starting.get(callId) ?? { ended: false };
    this.starting.set(callId, pending);
    let resources: BotResources;
    try {
      resources = await this.options.resources();
    } finally {
      if (this.starting.get(callId) === pending) this.starting.delete(callId);
    }
    const mode = this.modeStatus().mode;
    const raced = this.calls.get(callId);
    if (raced) return { mode: raced.mode };
    if (pending.ended) {
      this.options.log.warn(`call ${callId}: bot not started, the call ended while it was set up`);
      return { mode };
    }
    // Sent up to 300 ms ahead of the clock: a busy desk never runs dry; a
    // barge-in flushes what it holds.
    const output = new LiveOutput((samples) => send(samples, callId), {
      flush: () => send(new Int16Array(FRAME_SAMPLES), callId, 'flush'),
    });
    const verify = verifierFrom(resources.cases, callId);
    // The session's output refers back to the call it belongs to.
    // eslint-disable-next-line prefer-const
    let call: LiveCall;
    /** This call's bot has been ended: late callbacks of its session change nothing. */
    const gone = (): boolean => this.calls.get(callId) !== call;
    const session = new BotSession({
      deps: {
        mode,
        understand: resources.understand,
        answerFor: resources.answerFor,
        verify: async (input) => {
          const result = await verify(input);
          if (result.verified) this.options.verified?.(callId, result.caseRef as CaseRef);
          return result;
        },
        caseAnswer: caseAnswersFrom(resources.cases, callId),
      },
      synthesize: (text, rate) => voice.synthesize(text, { rate }),
      silenceTimeoutMs: this.options.silenceTimeoutMs ?? SILENCE_TIMEOUT_MS,
      output: {
        play: (pcm) => {
          if (gone()) return;
          if (call.turnAt !== undefined) {
            this.options.log.debug(
              `call ${callId}: turn → first bot audio in the engine ${(performance.now() - call.turnAt).toFixed(1)} ms`,
            );
            call.turnAt = undefined;
          }
          const wasSpeaking = output.busy;
          output.push(pcm);
          if (wasSpeaking) return;
          this.update(call, {});
          // …and once the caller has heard it all: the screen shows who talks.
          void output.drained().then(() => {
            if (!output.busy && this.calls.get(callId) === call) this.update(call, {});
          });
        },
        stopPlayback: () => output.clear(),
        drained: () => output.drained(),
        said: (text, source, answer) => {
          const at = performance.now();
          this.options.botSaid?.(
            callId,
            text,
            at,
            at,
            answer ? { text: answer, ...(source ? { source } : {}) } : null,
          );
        },
        listen: (expect) => {
          if (gone()) return;
          this.options.listening?.(callId, expect);
          this.update(call, { listening: expect.type });
        },
        handoff: (reason, priority, summary) => {
          if (gone()) return;
          const handoff = { reason: reason as Handoff['reason'], priority, summary };
          this.options.log.info(
            `call ${callId}: handoff (${reason}${priority ? ', priority' : ''})`,
          );
          this.update(call, { phase: 'handoff', handoff, listening: null });
          this.keepCompany(call);
        },
        file: (item) => void this.file(call, item),
        hangup: () => {
          if (gone()) return;
          this.options.log.info(`call ${callId}: bot ended the call`);
          this.update(call, { phase: 'hangup', listening: null });
        },
      },
      onError: (stage, error) =>
        this.options.log.error(`call ${callId}: bot ${stage} failed: ${error.message}`),
    });
    call = {
      callId,
      callerId,
      output,
      mode,
      phase: 'active',
      listening: null,
      session,
    };
    this.calls.set(callId, call);
    this.options.log.info(`call ${callId}: bot answers (${mode})`);
    this.update(call, {});
    void call.session.start(callerId);
    return { mode };
  }

  /** A final transcript of the caller's leg. */
  heard(callId: string, text: string, confidence: number | null): void {
    const call = this.active(callId);
    if (!call || !text.trim()) return;
    call.turnAt = performance.now();
    void call.session.heard(text, confidence);
  }

  /**
   * The caller's speech began (a partial): barge-in if the bot is talking —
   * except during the greeting: the AI disclosure is always heard in full
   * (AI Act Art. 50); what the caller says meanwhile is answered after it
   * (the session holds it).
   */
  callerSpeaking(callId: string): void {
    this.active(callId)?.session.callerSpeaking();
  }

  keyed(callId: string, digits: string): boolean {
    const call = this.active(callId);
    if (!call) return false;
    // A key cuts a prompt short, as on any phone menu (not the AI disclosure).
    call.session.callerSpeaking();
    void call.session.keyed(digits);
    return true;
  }

  /** An agent takes the call: the bot falls silent at once. */
  takeOver(callId: string): Handoff | undefined {
    const call = this.calls.get(callId);
    if (!call) return undefined;
    this.silence(call);
    this.options.log.info(`call ${callId}: taken over by an agent`);
    this.update(call, { phase: 'taken-over', listening: null });
    return call.handoff;
  }

  /**
   * The call is over: its bot stops at once, speaks no more frame and is
   * forgotten; one still being set up is not started. True if a bot had the call.
   */
  callEnded(callId: string): boolean {
    this.remember(callId);
    const pending = this.starting.get(callId);
    if (pending) pending.ended = true;
    const call = this.calls.get(callId);
    if (!call) return pending !== undefined;
    this.silence(call);
    call.output.close();
    this.calls.delete(callId);
    this.update(call, { phase: 'ended', listening: null });
    return true;
  }

  /** Bots that have a call now (tests, diagnostics). */
  get activeCalls(): string[] {
    return [...this.calls.keys()];
  }

  private remember(callId: string): void {
    this.ended.delete(callId);
    this.ended.add(callId);
    if (this.ended.size > REMEMBERED_ENDS) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  /** Waits for everything in flight in a call (tests). */
  async idle(callId: string): Promise<void> {
    await this.calls.get(callId)?.session.idle();
  }

  outcome(callId: string) {
    return this.calls.get(callId)?.session.outcome;
  }

  private active(callId: string): LiveCall | undefined {
    const call = this.calls.get(callId);
    return call && call.phase === 'active' ? call : undefined;
  }

  private silence(call: LiveCall): void {
    call.session.stop();
    if (call.waitingTimer) clearTimeout(call.waitingTimer);
    call.waitingTimer = undefined;
    call.output.clear();
  }

  /** While a handed-off caller waits: "please hold", and the crisis numbers again. */
  private keepCompany(call: LiveCall): void {
    const voice = this.options.voice;
    const interval = this.options.waitingIntervalMs ?? 20_000;
    if (!voice) return;
    const text =
      call.handoff?.reason === 'crisis'
        ? `${PHRASES.waiting} ${PHRASES.crisisNumbers}`
        : call.handoff?.reason === 'emergency'
          ? `${PHRASES.waiting} ${PHRASES.emergencyNumbers}`
          : PHRASES.waiting;
    const round = (): void => {
      call.waitingTimer = setTimeout(() => {
        if (call.phase !== 'handoff') return;
        void (async () => {
          const startedAt = performance.now();
          for await (const pcm of voice.synthesize(text, { rate: 0.9 })) {
            if (call.phase !== 'handoff') return;
            call.output.push(pcm);
          }
          this.options.botSaid?.(call.callId, text, startedAt, performance.now(), null);
          await call.output.drained();
          if (call.phase === 'handoff') round();
        })().catch((error: Error) =>
          this.options.log.error(`call ${call.callId}: waiting message failed: ${error.message}`),
        );
      }, interval);
    };
    round();
  }

  private async file(call: LiveCall, item: WorklistItem): Promise<void> {
    const where = { callId: call.callId, ...(call.callerId ? { callerId: call.callerId } : {}) };
    const fallback = this.options.worklistFallback;
    try {
      const store = await this.options.worklist();
      if (!store) throw new Error('no worklist store');
      await store.add(item, where);
      // The store works again: what was kept while it did not goes in now.
      if (fallback && fallback.pending() > 0) await fallback.retry(store).catch(() => 0);
      const { open } = await store.list({ status: 'open', limit: 1 });
      this.options.log.info(`call ${call.callId}: ${item.type} filed for the worklist`);
      this.options.emit({ event: 'worklist.changed', data: { open } });
    } catch (error) {
      // Never lose what a caller asked for, and never put it in the log: it is
      // sealed into the fallback file and filed again later.
      const why = this.options.log.scrub((error as Error).message);
      let lost = 'no fallback file';
      try {
        if (fallback) {
          fallback.keep(item, where);
          this.options.log.error(
            `call ${call.callId}: ${item.type} could not be filed (${why}); kept sealed for the worklist, filed again later`,
          );
          return;
        }
      } catch (keepError) {
        lost = this.options.log.scrub((keepError as Error).message);
      }
      this.options.log.error(
        `call ${call.callId}: ${item.type} could not be filed (${why}) nor kept (${lost}): the caller's request is lost`,
      );
    }
  }

  private update(
    call: LiveCall,
    patch: Partial<Pick<LiveCall, 'phase' | 'listening' | 'handoff'>>,
  ) {
    Object.assign(call, patch);
    const outcome = call.session.outcome;
    const state: BotState = {
      callId: call.callId,
      phase: call.phase,
      mode: call.mode,
      speaking: call.output.busy,
      listening: call.listening,
      intent: outcome.intent,
      verified: outcome.verified,
      ...(call.handoff ? { handoff: call.handoff } : {}),
    };
    this.options.emit({ event: 'bot.state', data: state });
    for (const listener of this.stateListeners) listener(state);
  }
}

export class BotUnavailableError extends Error {
  override name = 'BotUnavailableError';
}
