/**
 * The caseworker's assistant for every call on this desk:
 *
 *   final segment ──▶ intent (NLU) ──▶ ranker ──▶ `assist.suggestions` event
 *   bot verified / agent confirms identity ──▶ CaseRef kept for the call
 *   agent takes over / opens the case ──▶ case.context (an audited view)
 *   call over ──▶ proposed wrap-up note ──▶ saved through the case system
 *
 * Case data is read only for a verified caller and only when a person looks
 * (the agent took the call, or asked): the ranker sees case facts after
 * that view, never before. Every read names who and why (the audit log of
 * the case system). A back office that fails is an error on the screen; the
 * call and the rest of the screen go on, and a note that could not be saved
 * is kept on the desk for a later try (under the same note id, so the later
 * try cannot write the note twice).
 */
import crypto from 'node:crypto';
import {
  reasonOf,
  type CasePurpose,
  type Disposition,
  type FeedbackAction,
  type Handoff,
  type Result,
  type Speaker,
  type Suggestion,
  type SuggestionList,
  type TranscriptSegment,
  type Verifier,
  type WrapUpDestination,
  type WrapUpProposal,
} from '../../contract';
import {
  CaseAccessError,
  CaseSystemError,
  type CaseContext,
  type CaseRef,
  type CaseSystem,
} from '../cases/case-system';
import type { ScopedLogger } from '../log/logger';
import type { LearningStore, PendingReason } from '../learning/learning-store';
import { AssistError } from './assist-error';
import { answeredIn } from './bot-lines';
import { verifyInput } from './verify-input';
import type { WrapUpDraft, WrapUpInput } from './wrap-up';

/** What the assistant needs from the suggestion ranker (knowledge/suggestions.ts). */
export interface AssistRanker {
  rank(input: {
    segments: readonly { speaker: Speaker; text: string }[];
    intent: string | null;
    caseContext?: CaseContext | null;
    limit?: number;
  }): Suggestion[];
  search(query: string, options?: { intent?: string | null; limit?: number }): Suggestion[];
  searchTranscript<S extends { speaker: Speaker; text: string }>(
    query: string,
    segments: readonly S[],
  ): S[];
}

/** What the assistant needs from the learning store (learning/learning-store.ts). */
export type AssistLearning = Pick<
  LearningStore,
  'recordFeedback' | 'recordWrapUp' | 'markDelivered'
>;

export type ProposeWrapUp = (input: WrapUpInput) => WrapUpDraft;

export interface CallAssistOptions {
  ranker: () => Promise<AssistRanker>;
  /** The caller's intent for a sentence (the bot's classifier); null when unsure. */
  classify: () => Promise<(text: string) => { intent: string; confidence: number }>;
  cases: () => Promise<CaseSystem>;
  learning: () => Promise<AssistLearning | undefined>;
  propose: ProposeWrapUp;
  /** The call's stored transcript (finals), for the wrap-up after the call. */
  transcript: (callId: string) => TranscriptSegment[];
  emit: (
    event:
      | { event: 'assist.suggestions'; data: SuggestionList }
      | { event: 'case.verified'; data: { callId: string; by: Verifier } },
  ) => void;
  log: ScopedLogger;
  /** The call's wrap-up note is in the case system (retention: its transcript may go now). */
  noteSaved?: (callId: string) => void;
  /** How many suggestions the screen shows. */
  limit?: number;
  /** Calls kept after they ended, for the wrap-up (oldest dropped first). */
  keepEndedCalls?: number;
}

/** An intent below this confidence does not steer the ranking. */
const INTENT_CONFIDENCE = 0.6;
/** Finals the ranking looks at (the ranker bounds the words itself too). */
const WINDOW = 40;

interface AssistCall {
  callId: string;
  segments: { segmentId: string; speaker: Speaker; text: string; startMs: number }[];
  intent: string | null;
  caseRef?: CaseRef;
  verifiedBy?: Verifier;
  /** Set once a person has looked at the case (an audited read). */
  context?: CaseContext;
  handoff?: Handoff;
  /** The note as proposed, to learn how agents change it. */
  proposal?: WrapUpDraft;
  /** A note kept on the desk after a failed save: delivered by a later save. */
  pendingId?: string;
  /**
   * The desk's id of the call's note, from its first save on: sent with every
   * try (the HTTP connector's Idempotency-Key comes from it) and the id the
   * note waits under on the desk, so a retried save is written once.
   */
  noteId?: string;
  list: SuggestionList;
  used: Map<string, Suggestion>;
  ended: boolean;
  /** Serialises rankings of one call (events keep their order). */
  queue: Promise<void>;
}

export class CallAssist {
  private readonly calls = new Map<string, AssistCall>();

  constructor(private readonly options: CallAssistOptions) {}

  /** Every transcript segment of every call; finals re-rank the call's suggestions. */
  segment(segment: TranscriptSegment): void {
    if (!segment.final || !segment.text.trim()) return;
    // The bot's fixed prompts ("Ich verbinde Sie mit einer Mitarbeiterin …") say
    // nothing about the caller's concern: only what it answered counts.
    const text = segment.speaker === 'bot' ? answeredIn(segment) : segment.text;
    if (!text) return;
    const call = this.call(segment.callId);
    call.segments.push({
      segmentId: segment.segmentId,
      speaker: segment.speaker,
      text,
      startMs: segment.startMs,
    });
    if (call.segments.length > 4 * WINDOW) call.segments.splice(0, call.segments.length - WINDOW);
    void this.rerank(call, segment.speaker === 'bot' ? null : segment.segmentId, segment);
  }

  /** The bot's view of the call (intent, handoff) as it changes. */
  botState(state: { callId: string; intent: string | null; handoff?: Handoff }): void {
    const call = this.calls.get(state.callId);
    if (!call && !state.intent && !state.handoff) return;
    const target = call ?? this.call(state.callId);
    if (state.handoff) target.handoff = state.handoff;
    if (state.intent && state.intent !== target.intent && state.intent !== 'other') {
      target.intent = state.intent;
      void this.rerank(target, null);
    }
  }

  /** The bot verified the caller: the case may be shown to the agent who takes the call. */
  verified(callId: string, caseRef: CaseRef, by: Verifier): void {
    const call = this.call(callId);
    const previous = call.caseRef;
    call.caseRef = caseRef;
    call.verifiedBy = by;
    call.context = undefined;
    if (previous && previous !== caseRef) void this.release(previous);
    this.options.log.info(`call ${callId}: caller verified by ${by}`);
    this.options.emit({ event: 'case.verified', data: { callId, by } });
  }

  suggestions(callId: string): SuggestionList {
    return this.calls.get(callId)?.list ?? empty(callId);
  }

  /** The agent confirms who the caller is: a customer or BG number with the date of birth, or a PIN. */
  async agentVerify(
    callId: string,
    number: string,
    dateOfBirth: string | undefined,
    who: string,
  ): Promise<boolean> {
    const input = verifyInput(number, dateOfBirth);
    const cases = await this.caseSystem();
    let result;
    try {
      result = await cases.verify(input, { who, why: 'agent confirms the caller', callId });
    } catch (error) {
      throw this.backOffice(error, callId, 'verify');
    }
    if (!result.verified && result.lockedUntil) {
      // The agent may know that phone verification is blocked (not whether the
      // number exists, nor anything of the case): they ask for another way.
      this.options.log.info(`call ${callId}: verification locked until ${result.lockedUntil}`);
      throw new AssistError(
        'not_verified',
        `phone verification of this number or line is locked until ${result.lockedUntil}`,
        { reason: 'verification_locked', params: { until: result.lockedUntil } },
      );
    }
    if (!result.verified) {
      this.options.log.info(`call ${callId}: identity not confirmed by ${who}`);
      return false;
    }
    this.verified(callId, result.caseRef, 'agent');
    return true;
  }

  /** The case for the screen: an audited view, only for a verified caller. */
  async context(
    callId: string,
    purpose: CasePurpose,
    who: string,
  ): Promise<Result<'case.context'>> {
    const call = this.calls.get(callId);
    if (!call?.caseRef || !call.verifiedBy) {
      throw new AssistError('not_verified', 'caller not verified: confirm the identity first', {
        reason: 'caller_not_verified',
      });
    }
    const cases = await this.caseSystem();
    let context: CaseContext;
    try {
      context = await cases.caseContext(call.caseRef, {
        who,
        why: WHY[purpose],
        callId,
      });
    } catch (error) {
      if (error instanceof CaseAccessError) {
        call.caseRef = undefined;
        call.verifiedBy = undefined;
        throw new AssistError('not_verified', 'verification expired: confirm the identity again', {
          reason: 'verification_expired',
        });
      }
      throw this.backOffice(error, callId, 'case context');
    }
    call.context = context;
    void this.rerank(call, null);
    return { context, verifiedBy: call.verifiedBy };
  }

  async search(callId: string | undefined, query: string): Promise<Result<'assist.search'>> {
    const ranker = await this.options.ranker();
    const call = callId ? this.calls.get(callId) : undefined;
    const transcript = callId
      ? ranker.searchTranscript(query, this.finals(callId)).map((s) => ({
          segmentId: s.segmentId,
          speaker: s.speaker,
          text: s.text,
          startMs: s.startMs,
        }))
      : [];
    return {
      articles: ranker.search(query, { intent: call?.intent ?? null, limit: 10 }),
      transcript: transcript.slice(0, 50),
    };
  }

  async feedback(
    callId: string,
    articleId: string,
    action: FeedbackAction,
    who: string,
  ): Promise<boolean> {
    const call = this.calls.get(callId);
    const position = call?.list.items.findIndex((s) => s.articleId === articleId) ?? -1;
    const suggestion = position >= 0 ? call?.list.items[position] : call?.used.get(articleId);
    if (call && suggestion) {
      if (action === 'not_helpful' || action === 'unpinned') call.used.delete(articleId);
      else call.used.set(articleId, suggestion);
    }
    const learning = await this.options.learning().catch(() => undefined);
    if (!learning) return false;
    try {
      await learning.recordFeedback({
        callId,
        articleId,
        action,
        who,
        intent: call?.intent ?? null,
        rank: position >= 0 ? position + 1 : null,
      });
      return true;
    } catch (error) {
      this.options.log.warn(`feedback not recorded: ${(error as Error).message}`);
      return false;
    }
  }

  propose(callId: string, agentName?: string): WrapUpProposal {
    const call = this.calls.get(callId);
    const proposal = this.options.propose({
      ...(agentName ? { agentName } : {}),
      segments: this.options.transcript(callId),
      ...(call?.handoff ? { handoff: call.handoff } : {}),
      intent: call?.intent ?? null,
      verified: Boolean(call?.caseRef),
      ...(call?.verifiedBy ? { verifiedBy: call.verifiedBy } : {}),
      caseContext: call?.context ?? null,
      used: [...(call?.used.values() ?? [])].map((s) => ({ title: s.title, source: s.source })),
    });
    if (call) call.proposal = proposal;
    return {
      callId,
      note: proposal.note,
      intent: proposal.intent,
      disposition: proposal.disposition,
      verified: Boolean(call?.caseRef),
    };
  }

  /**
   * Saves the wrap-up: the note goes to the case system as a contact note (a
   * verified caller), the labels to the learning store. When the back office
   * fails, the note is kept on the desk and the error says so.
   */
  async save(
    callId: string,
    note: { text: string; disposition: Disposition; intent: string | null },
    who: string,
  ): Promise<Result<'wrapup.save'>> {
    const call = this.calls.get(callId);
    const learning = await this.options.learning().catch(() => undefined);
    const record = async (
      savedTo: WrapUpDestination,
      noteId: string | null,
      pendingReason?: PendingReason,
    ) => {
      try {
        if (savedTo === 'case_system' && call?.pendingId && noteId) {
          // The earlier failed try is delivered now: the desk copy is wiped.
          await learning?.markDelivered(call.pendingId, noteId);
          call.pendingId = undefined;
          return;
        }
        // Already kept on the desk from an earlier try.
        if (savedTo === 'desk' && call?.pendingId) return;
        const recorded = await learning?.recordWrapUp({
          callId,
          ...(call?.noteId ? { pendingId: call.noteId } : {}),
          intent: note.intent,
          disposition: note.disposition,
          note: note.text,
          ...(call?.proposal ? { proposed: call.proposal } : {}),
          savedTo,
          noteId,
          ...(pendingReason ? { pendingReason } : {}),
          caseId: call?.context?.caseId ?? null,
          who,
          shown: call?.list.items.map((s) => s.articleId) ?? [],
          used: [...(call?.used.keys() ?? [])],
        });
        if (call && recorded?.pendingId) call.pendingId = recorded.pendingId;
      } catch (error) {
        this.options.log.error(
          `call ${callId}: wrap-up labels not recorded: ${(error as Error).message}`,
        );
        if (savedTo === 'desk') throw error;
      }
    };
    const at = new Date().toISOString();
    if (!call?.caseRef) {
      await record('desk', null, 'not_verified');
      this.finish(callId);
      return { savedTo: 'desk', noteId: null, at };
    }
    const cases = await this.caseSystem();
    const noteId = (call.noteId ??= crypto.randomUUID());
    try {
      const stored = await cases.addContactNote(
        call.caseRef,
        {
          channel: 'phone',
          text: `${note.text}\n\n[${DISPOSITION_LABELS[note.disposition]}]`,
          noteId,
        },
        { who, why: 'contact note after the call', callId },
      );
      await record('case_system', stored.id);
      this.finish(callId);
      this.options.noteSaved?.(callId);
      return { savedTo: 'case_system', noteId: stored.id, at: stored.at };
    } catch (error) {
      // Nothing is lost: the desk keeps the note for a later try (and the form keeps the text).
      const kept = await record('desk', null, 'case_system_unavailable').then(
        () => true,
        () => false,
      );
      const reason = kept ? 'note_kept_on_desk' : 'note_not_saved';
      const where = kept
        ? 'note kept on the desk, not in the case system'
        : 'note NOT saved (neither in the case system nor on the desk): keep its text';
      if (error instanceof CaseAccessError) {
        throw new AssistError('not_verified', `${where}: verification expired`, {
          reason,
          params: { cause: 'verification_expired' },
        });
      }
      const failure = this.backOffice(error, callId, 'contact note');
      throw new AssistError(failure.code, `${where}: ${failure.message}`, {
        reason,
        params: failure.reason ? { cause: failure.reason } : {},
      });
    }
  }

  /** The call is over: its suggestions stay for the wrap-up. */
  callEnded(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    call.ended = true;
    const limit = this.options.keepEndedCalls ?? 20;
    const ended = [...this.calls.values()].filter((c) => c.ended);
    for (const old of ended.slice(0, Math.max(0, ended.length - limit))) this.finish(old.callId);
  }

  /** Waits for the call's rankings in flight (tests). */
  async idle(callId: string): Promise<void> {
    await this.calls.get(callId)?.queue;
  }

  private finish(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    if (call.caseRef) void this.release(call.caseRef);
    this.calls.delete(callId);
  }

  private async release(caseRef: CaseRef): Promise<void> {
    try {
      (await this.options.cases()).release(caseRef);
    } catch {
      // The reference expires on its own.
    }
  }

  private call(callId: string): AssistCall {
    let call = this.calls.get(callId);
    if (!call) {
      call = {
        callId,
        segments: [],
        intent: null,
        list: empty(callId),
        used: new Map(),
        ended: false,
        queue: Promise.resolve(),
      };
      this.calls.set(callId, call);
    }
    return call;
  }

  private finals(callId: string) {
    const stored = this.options.transcript(callId);
    return stored.length > 0
      ? stored.map((s) => ({
          segmentId: s.segmentId,
          speaker: s.speaker,
          text: s.text,
          startMs: s.startMs,
        }))
      : (this.calls.get(callId)?.segments ?? []);
  }

  private rerank(call: AssistCall, basedOn: string | null, segment?: TranscriptSegment) {
    call.queue = call.queue.then(async () => {
      try {
        const [ranker, classify] = await Promise.all([
          this.options.ranker(),
          segment?.speaker === 'caller' ? this.options.classify() : Promise.resolve(undefined),
        ]);
        const started = performance.now();
        if (classify && segment) {
          const understood = classify(segment.text);
          // "A person, please" is no topic: it does not replace the one already known.
          const noTopic = understood.intent === 'human_request' && call.intent !== null;
          if (
            understood.intent !== 'other' &&
            !noTopic &&
            understood.confidence >= INTENT_CONFIDENCE
          )
            call.intent = understood.intent;
        }
        // A caller who only used the keypad said nothing the bot did not say
        // itself: then the bot's lines are left out (its answer would pull in
        // side topics sharing its words); the intent, the case and what the
        // agent says rank alone.
        const callerSpoke = call.segments.some((s) => s.speaker === 'caller');
        const recent = call.segments.slice(-WINDOW);
        const items = ranker.rank({
          segments: callerSpoke ? recent : recent.filter((s) => s.speaker !== 'bot'),
          intent: call.intent,
          caseContext: call.context ?? null,
          limit: this.options.limit ?? 5,
        });
        call.list = {
          callId: call.callId,
          items,
          intent: call.intent,
          basedOn,
          rankedMs: Math.round((performance.now() - started) * 100) / 100,
        };
        this.options.emit({ event: 'assist.suggestions', data: call.list });
      } catch (error) {
        this.options.log.error(
          `call ${call.callId}: suggestions failed: ${(error as Error).message}`,
        );
      }
    });
    return call.queue;
  }

  private async caseSystem(): Promise<CaseSystem> {
    try {
      return await this.options.cases();
    } catch (error) {
      // A bad setting keeps its own reason (which variable IT must fix).
      throw new AssistError(
        'back_office',
        `case system unavailable: ${(error as Error).message}`,
        reasonOf(error) ?? { reason: 'case_system_unavailable' },
      );
    }
  }

  private backOffice(error: unknown, callId: string, what: string): AssistError {
    const message = error instanceof Error ? error.message : String(error);
    // The back office's words may echo what was sent (a number, a date): scrubbed for the log.
    this.options.log.error(`call ${callId}: ${what} failed: ${this.options.log.scrub(message)}`);
    const known = reasonOf(error);
    if (error instanceof CaseSystemError) {
      return new AssistError('back_office', message, {
        reason: error.reason,
        params: error.params,
      });
    }
    if (error instanceof TypeError) {
      return new AssistError('bad_request', message, known ?? {});
    }
    return new AssistError(
      'back_office',
      `case system error during ${what}: ${message}`,
      known ?? { reason: 'case_system_error', params: { what } },
    );
  }
}

const WHY: Record<CasePurpose, string> = {
  handoff: 'agent took over the call after the bot verified the caller',
  agent_verified: 'agent confirmed the caller and opened the case',
  refresh: 'agent refreshed the case during the call',
  wrap_up: 'agent wrote the contact note after the call',
};

export const DISPOSITION_LABELS: Record<Disposition, string> = {
  information_given: 'Auskunft erteilt',
  case_updated: 'Änderung/Meldung aufgenommen',
  appointment_arranged: 'Termin vereinbart',
  documents_requested: 'Unterlagen angefordert',
  callback_arranged: 'Rückruf vereinbart',
  forwarded: 'Weitergeleitet',
  complaint: 'Beschwerde',
  other: 'Sonstiges',
};

function empty(callId: string): SuggestionList {
  return { callId, items: [], intent: null, basedOn: null, rankedMs: 0 };
}
