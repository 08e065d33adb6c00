/**
 * The assistant at the desk: follows the call on screen and asks the engine
 * for what the caseworker needs.
 *
 *   call connected          → a clean slate, the call's current suggestions
 *   (a practice call, started and ended, counts as a call)
 *   assist.suggestions      → the list (pinned ones stay on top)
 *   agent takes over a call the bot verified → the case (purpose "handoff")
 *   agent confirms identity → the case (purpose "agent_verified")
 *   call ended (a person had it) → a proposed wrap-up note to edit and save
 *                                  (the outcome left for the agent to choose)
 *
 * The case is never asked for before one of those two moments: the engine
 * would refuse (not verified), and every view is written to the audit log.
 */
import { problemOf } from '../../bridge/engine-problem';
import type {
  Disposition,
  EngineEvent,
  FeedbackAction,
  Suggestion,
} from '../../../electron/contract';
import type { EngineClient } from '../../bridge/engine-client';
import type { createAssistStore } from '../../stores/assist-store';
import { visibleSuggestions } from '../../stores/assist-store';
import type { createBotStore } from '../../stores/bot-store';
import type { createPhoneStore } from '../../phone/phone-store';

export interface AssistDeskDeps {
  client: EngineClient;
  phoneStore: ReturnType<typeof createPhoneStore>;
  botStore: ReturnType<typeof createBotStore>;
  assistStore: ReturnType<typeof createAssistStore>;
  copy?: (text: string) => Promise<void>;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class AssistDesk {
  /** Calls the bot answered, and those an agent took over from it. */
  private readonly botCalls = new Set<string>();
  private readonly takenOver = new Set<string>();

  constructor(private readonly deps: AssistDeskDeps) {
    deps.phoneStore.subscribe((state, previous) => {
      const call = state.call;
      if (
        call.state === 'connected' &&
        call.id &&
        (call.id !== previous.call.id || previous.call.state !== 'connected')
      )
        this.follow(call.id);
      const before = previous.call;
      const stillThere = state.lines.some((line) => line.id === before.id);
      if (before.id && before.state === 'connected' && before.id !== call.id && !stillThere)
        this.ended(before.id);
      else if (before.id && before.state === 'connected' && call.id === before.id)
        if (call.state === 'ended' || call.state === 'idle') this.ended(before.id);
    });
    deps.botStore.subscribe((state, previous) => {
      // A practice call is followed like a phone call: suggestions, the case
      // once taken over, a wrap-up when it ends (if the user took it over).
      const practice = state.practice?.callId;
      const before = previous.practice?.callId;
      if (practice !== before) {
        if (before) this.ended(before);
        if (practice) this.follow(practice);
      }
      const bot = state.call;
      if (!bot) return;
      this.botCalls.add(bot.callId);
      if (bot.phase !== 'taken-over' || this.takenOver.has(bot.callId)) return;
      this.takenOver.add(bot.callId);
      if (bot.callId === this.current() && bot.verified) void this.loadContext('handoff');
    });
  }

  onEvent(event: EngineEvent): void {
    const store = this.deps.assistStore.getState();
    if (event.event === 'assist.suggestions') store.applySuggestions(event.data);
    else if (event.event === 'case.verified') {
      store.setVerified(event.data.callId, event.data.by);
      const bot = this.deps.botStore.getState().call;
      const takenOver = bot?.callId === event.data.callId && bot.phase === 'taken-over';
      // The bot verified while the agent already has the call, or the agent did.
      if (event.data.callId === this.current() && (event.data.by === 'agent' || takenOver))
        void this.loadContext(event.data.by === 'agent' ? 'agent_verified' : 'handoff');
    }
  }

  /** The case for the screen (an audited view). */
  async loadContext(purpose: 'handoff' | 'agent_verified' | 'refresh'): Promise<void> {
    const callId = this.current();
    if (!callId) return;
    const store = this.deps.assistStore;
    store.getState().setCase({ caseState: 'loading', caseError: undefined });
    try {
      const { context, verifiedBy } = await this.deps.client.request('case.context', {
        callId,
        purpose,
      });
      // The call on screen changed meanwhile: this caller's data is not shown.
      if (store.getState().callId !== callId) return;
      store.getState().setVerified(callId, verifiedBy);
      store.getState().setCase({ caseState: 'shown', context, shownAt: performance.now() });
    } catch (error) {
      if (store.getState().callId !== callId) return;
      store.getState().setCase({
        caseState: 'error',
        context: undefined,
        caseError: problemOf(error),
      });
    }
  }

  /** The agent confirms the caller's identity; true when it matched. */
  async verify(number: string, dateOfBirth: string | undefined): Promise<boolean> {
    const callId = this.current();
    if (!callId) return false;
    const store = this.deps.assistStore;
    store.getState().setCase({ caseState: 'verifying', caseError: undefined });
    try {
      const { verified } = await this.deps.client.request('case.verify', {
        callId,
        number,
        ...(dateOfBirth ? { dateOfBirth } : {}),
      });
      if (!verified) store.getState().setCase({ caseState: 'locked' });
      // A match: the engine announces case.verified, which loads the case.
      return verified;
    } catch (error) {
      store.getState().setCase({ caseState: 'error', caseError: problemOf(error) });
      return false;
    }
  }

  async search(query: string): Promise<void> {
    const store = this.deps.assistStore;
    const trimmed = query.trim();
    store.getState().setSearch({ query, error: undefined });
    if (!trimmed) {
      store.getState().setSearch({ articles: [], transcript: [], busy: false });
      return;
    }
    store.getState().setSearch({ busy: true });
    const callId = this.current();
    try {
      const result = await this.deps.client.request('assist.search', {
        query: trimmed,
        ...(callId ? { callId } : {}),
      });
      if (store.getState().search.query !== query) return;
      store.getState().setSearch({ ...result, busy: false });
    } catch (error) {
      store.getState().setSearch({ busy: false, error: problemOf(error) });
    }
  }

  feedback(suggestion: Suggestion, action: FeedbackAction): void {
    const callId = this.current() ?? this.deps.assistStore.getState().callId;
    if (!callId) return;
    if (action === 'helpful' || action === 'not_helpful')
      this.deps.assistStore.getState().setVerdict(suggestion.articleId, action);
    void this.deps.client
      .request('assist.feedback', { callId, articleId: suggestion.articleId, action })
      .catch((error: Error) => this.deps.log('warn', `Feedback: ${error.message}`));
  }

  togglePin(suggestion: Suggestion): void {
    const on = this.deps.assistStore.getState().togglePin(suggestion);
    this.feedback(suggestion, on ? 'pinned' : 'unpinned');
  }

  /**
   * Copies an answer with its source, for a chat or a letter. Counted for the
   * learning loop ('copied', or 'used' for the shortcut) only once the text is
   * on the clipboard: a copy that failed (no clipboard permission, window not
   * focused) taught nothing and is reported as failed.
   */
  async copy(suggestion: Suggestion, action: 'copied' | 'used' = 'copied'): Promise<boolean> {
    const source = suggestion.source.norm ?? suggestion.source.title ?? '';
    const text = `${suggestion.text}\n(${[source, suggestion.source.url].filter(Boolean).join(', ')})`;
    try {
      await (this.deps.copy ?? ((t: string) => navigator.clipboard.writeText(t)))(text);
    } catch (error) {
      this.deps.log('warn', `copy failed, not counted as ${action}: ${(error as Error).message}`);
      return false;
    }
    this.feedback(suggestion, action);
    return true;
  }

  /** The shortcut "accept the top suggestion": copy it and count it as used; undefined if nothing was copied. */
  async acceptTop(): Promise<Suggestion | undefined> {
    const top = visibleSuggestions(this.deps.assistStore.getState())[0]?.suggestion;
    if (!top) return undefined;
    return (await this.copy(top, 'used')) ? top : undefined;
  }

  async saveWrapUp(): Promise<void> {
    const store = this.deps.assistStore;
    const draft = store.getState().wrapUp;
    if (!draft || draft.status === 'saving') return;
    if (!draft.note.trim()) {
      store.getState().editWrapUp({ status: 'error', problem: 'empty' });
      return;
    }
    // The outcome is the agent's own choice: nothing is saved without one.
    const disposition = draft.disposition;
    if (!disposition) {
      store.getState().editWrapUp({ missing: 'disposition' });
      return;
    }
    store.getState().editWrapUp({ status: 'saving', problem: undefined });
    try {
      const saved = await this.deps.client.request('wrapup.save', {
        callId: draft.callId,
        note: draft.note,
        disposition,
        intent: draft.intent,
      });
      store.getState().editWrapUp({ status: 'saved', savedTo: saved.savedTo });
      this.closeCase(draft.callId);
    } catch (error) {
      // The text stays in the form: the agent can try again.
      store.getState().editWrapUp({ status: 'error', problem: problemOf(error) });
    }
  }

  /** The agent chose the call's outcome: the field's error, if any, is gone. */
  chooseDisposition(disposition: Disposition): void {
    this.deps.assistStore.getState().editWrapUp({ disposition, missing: undefined });
  }

  discardWrapUp(): void {
    const draft = this.deps.assistStore.getState().wrapUp;
    this.deps.assistStore.getState().setWrapUp(undefined);
    if (draft) this.closeCase(draft.callId);
  }

  /** The work on a call is done: its caller's case leaves the screen. */
  private closeCase(callId: string): void {
    const store = this.deps.assistStore.getState();
    if (store.callId !== callId || this.current() !== callId) return;
    store.setCase({ caseState: 'locked', context: undefined, caseError: undefined });
  }

  private current(): string | undefined {
    const call = this.deps.phoneStore.getState().call;
    if (call.state === 'connected' && call.id) return call.id;
    return this.deps.assistStore.getState().callId;
  }

  private follow(callId: string): void {
    this.deps.assistStore.getState().startCall(callId);
    void this.deps.client
      .request('assist.suggestions', { callId })
      .then((list) => this.deps.assistStore.getState().applySuggestions(list))
      .catch((error: Error) => this.deps.log('warn', `suggestions: ${error.message}`));
  }

  private ended(callId: string): void {
    // The bot alone handled it (and filed what was needed): no note for a person to write.
    const botOnly = this.botCalls.has(callId) && !this.takenOver.has(callId);
    this.botCalls.delete(callId);
    this.takenOver.delete(callId);
    if (botOnly) return;
    const store = this.deps.assistStore;
    void this.deps.client
      .request('wrapup.propose', { callId })
      .then((proposal) =>
        store.getState().setWrapUp({
          callId,
          proposal,
          note: proposal.note,
          // No preset: the agent chooses the outcome (the proposal's stays for the learning loop).
          disposition: null,
          intent: proposal.intent,
          status: 'draft',
        }),
      )
      .catch((error: Error) => this.deps.log('warn', `wrap-up: ${error.message}`));
  }
}
