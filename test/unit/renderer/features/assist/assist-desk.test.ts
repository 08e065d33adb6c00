/**
 * The assistant at the desk with the real phone, bot and assist stores: the
 * case is asked for only when the agent takes a call the bot verified (or
 * confirms identity), never for a call still with the bot; suggestions of
 * another call are not shown; a new call starts clean; the wrap-up is
 * proposed for calls a person had, and a failed save keeps the text.
 */
import { EngineRequestError } from '../../../../../renderer/bridge/engine-client';
import type { EngineProblem } from '../../../../../renderer/bridge/engine-problem';
import { describeProblem } from '../../../../../renderer/i18n/describe-problem';
import { describe, expect, it } from 'vitest';
import type { BotState, Suggestion } from '../../../../../electron/contract';
import { AssistDesk } from '../../../../../renderer/features/assist/assist-desk';
import { createAssistStore, visibleSuggestions } from '../../../../../renderer/stores/assist-store';
import { createBotStore } from '../../../../../renderer/stores/bot-store';
import { createPhoneStore } from '../../../../../renderer/phone/phone-store';
import { botState } from '../../../../support/bot-state';

const CONTEXT = {
  caseId: 'DEMO-0001',
  bgNumber: '99001BG0000001',
  client: { firstName: 'Erika', lastName: 'Muster', dateOfBirth: '1980-01-02', role: 'applicant' },
  members: [],
  benefitPeriod: null,
  nextPayment: null,
  applications: [],
  appointments: [],
  notes: [],
  caseworker: null,
};

function suggestion(id: string): Suggestion {
  return {
    articleId: id,
    title: `Artikel ${id}`,
    text: 'Text',
    source: { norm: '§ 42 SGB II', url: 'https://www.gesetze-im-internet.de/sgb_2/__42.html' },
    score: 1,
    why: { terms: ['zahlung'], intent: 'payment_date', caseFact: null },
  };
}

function setup(options: { saveFails?: boolean; contextFails?: boolean } = {}) {
  const phoneStore = createPhoneStore();
  const botStore = createBotStore();
  const assistStore = createAssistStore();
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  const copied: string[] = [];
  const client = {
    request: async (method: string, params: Record<string, unknown>) => {
      requests.push({ method, params });
      switch (method) {
        case 'case.context':
          if (options.contextFails)
            throw new EngineRequestError(
              'back_office',
              'case system timed out after 3000 ms',
              'case_system_timeout',
              { timeoutMs: 3000 },
            );
          return { context: CONTEXT, verifiedBy: 'bot' };
        case 'case.verify':
          return { verified: params.number === '990D10001' };
        case 'assist.suggestions':
          return {
            callId: params.callId,
            items: [suggestion('a')],
            intent: null,
            basedOn: null,
            rankedMs: 1,
          };
        case 'wrapup.propose':
          return {
            callId: params.callId,
            note: 'Anlass: Zahlungstermin',
            intent: 'payment_date',
            disposition: 'information_given',
            verified: true,
          };
        case 'wrapup.save':
          if (options.saveFails)
            throw new EngineRequestError(
              'back_office',
              'note not in the case system: kept on the desk',
              'note_kept_on_desk',
              { cause: 'case_system_unavailable' },
            );
          return { savedTo: 'case_system', noteId: 'n1', at: '2026-11-25T10:00:00Z' };
        default:
          return {};
      }
    },
  };
  const desk = new AssistDesk({
    client: client as never,
    phoneStore,
    botStore,
    assistStore,
    copy: async (text) => void copied.push(text),
    log: () => undefined,
  });
  const connect = (id: string) => {
    phoneStore
      .getState()
      .callEvent({ type: 'incoming' }, { id, direction: 'incoming', remote: '0611' });
    phoneStore.getState().callEvent({ type: 'answered' });
  };
  const end = () =>
    phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
  const bot = (patch: Partial<BotState>) => botStore.getState().applyState(botState(patch));
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const methods = () => requests.map((r) => r.method);
  return {
    desk,
    phoneStore,
    botStore,
    assistStore,
    requests,
    copied,
    connect,
    end,
    bot,
    settle,
    methods,
  };
}

describe('AssistDesk', () => {
  it('asks for the case only when the agent takes over a call the bot verified', async () => {
    const t = setup();
    t.connect('c1');
    t.bot({ verified: true, phase: 'handoff' });
    t.desk.onEvent({ event: 'case.verified', data: { callId: 'c1', by: 'bot' } });
    await t.settle();
    expect(t.methods()).not.toContain('case.context');
    expect(t.assistStore.getState().caseState).toBe('locked');
    t.bot({ verified: true, phase: 'taken-over' });
    await t.settle();
    const asked = t.requests.filter((r) => r.method === 'case.context');
    expect(asked).toEqual([
      { method: 'case.context', params: { callId: 'c1', purpose: 'handoff' } },
    ]);
    expect(t.assistStore.getState().caseState).toBe('shown');
    expect(t.assistStore.getState().context?.caseId).toBe('DEMO-0001');
  });

  it('an unverified take-over stays locked until the agent confirms identity', async () => {
    const t = setup();
    t.connect('c1');
    t.bot({ phase: 'taken-over' });
    await t.settle();
    expect(t.methods()).not.toContain('case.context');
    expect(await t.desk.verify('123', '1980-01-02')).toBe(false);
    expect(t.assistStore.getState().caseState).toBe('locked');
    expect(await t.desk.verify('990D10001', '1980-01-02')).toBe(true);
    t.desk.onEvent({ event: 'case.verified', data: { callId: 'c1', by: 'agent' } });
    await t.settle();
    expect(t.requests.at(-1)).toEqual({
      method: 'case.context',
      params: { callId: 'c1', purpose: 'agent_verified' },
    });
  });

  it('shows a back-office failure as an error and nothing of a case', async () => {
    const t = setup({ contextFails: true });
    t.connect('c1');
    t.bot({ verified: true, phase: 'taken-over' });
    await t.settle();
    await t.settle();
    expect(t.assistStore.getState().caseState).toBe('error');
    expect(t.assistStore.getState().caseError).toMatchObject({ reason: 'case_system_timeout' });
    expect(describeProblem('de', t.assistStore.getState().caseError as EngineProblem)).toMatch(
      /nicht rechtzeitig/,
    );
    expect(t.assistStore.getState().context).toBeUndefined();
    expect(t.phoneStore.getState().call.state).toBe('connected');
  });

  it('ignores suggestions of another call, keeps pins on top, and starts a new call clean', async () => {
    const t = setup();
    t.connect('c1');
    await t.settle();
    expect(t.assistStore.getState().suggestions.map((s) => s.articleId)).toEqual(['a']);
    t.desk.onEvent({
      event: 'assist.suggestions',
      data: { callId: 'other', items: [suggestion('x')], intent: null, basedOn: null, rankedMs: 1 },
    });
    expect(t.assistStore.getState().suggestions.map((s) => s.articleId)).toEqual(['a']);
    t.desk.onEvent({
      event: 'assist.suggestions',
      data: {
        callId: 'c1',
        items: [suggestion('b'), suggestion('c')],
        intent: 'payment_date',
        basedOn: 's1',
        rankedMs: 2,
      },
    });
    t.desk.togglePin(suggestion('c'));
    expect(visibleSuggestions(t.assistStore.getState()).map((v) => v.suggestion.articleId)).toEqual(
      ['c', 'b'],
    );
    // The top one (the pinned) is copied with its source and counted as used.
    expect((await t.desk.acceptTop())?.articleId).toBe('c');
    expect(t.copied[0]).toContain('§ 42 SGB II');
    expect(
      t.requests.filter((r) => r.method === 'assist.feedback').map((r) => r.params.action),
    ).toEqual(['pinned', 'used']);
    t.end();
    t.phoneStore.getState().callEvent({ type: 'reset' });
    t.connect('c2');
    expect(t.assistStore.getState().pinned).toEqual([]);
    expect(t.assistStore.getState().caseState).toBe('locked');
  });

  it('proposes a wrap-up for a call a person had, not for one the bot finished alone', async () => {
    const t = setup();
    t.connect('c1');
    t.bot({ phase: 'hangup' });
    t.end();
    await t.settle();
    expect(t.methods()).not.toContain('wrapup.propose');
    t.phoneStore.getState().callEvent({ type: 'reset' });
    t.connect('c2');
    t.end();
    await t.settle();
    expect(t.requests.filter((r) => r.method === 'wrapup.propose')[0]?.params).toEqual({
      callId: 'c2',
    });
    expect(t.assistStore.getState().wrapUp?.note).toBe('Anlass: Zahlungstermin');
    t.desk.chooseDisposition('information_given');
    await t.desk.saveWrapUp();
    expect(t.assistStore.getState().wrapUp?.status).toBe('saved');
    expect(t.assistStore.getState().wrapUp?.savedTo).toBe('case_system');
  });

  it('leaves the outcome for the agent to choose: none preset, none saved without it', async () => {
    const t = setup();
    t.connect('c1');
    t.end();
    await t.settle();
    // The engine proposed 'information_given'; the form does not take it over.
    expect(t.assistStore.getState().wrapUp).toMatchObject({
      disposition: null,
      status: 'draft',
    });
    expect(t.assistStore.getState().wrapUp?.missing).toBeUndefined();
    await t.desk.saveWrapUp();
    expect(t.methods()).not.toContain('wrapup.save');
    expect(t.assistStore.getState().wrapUp).toMatchObject({
      missing: 'disposition',
      status: 'draft',
    });
    // Chosen: the field's error is gone, and the choice is what is saved.
    t.desk.chooseDisposition('callback_arranged');
    expect(t.assistStore.getState().wrapUp?.missing).toBeUndefined();
    await t.desk.saveWrapUp();
    expect(t.requests.find((r) => r.method === 'wrapup.save')?.params).toMatchObject({
      callId: 'c1',
      disposition: 'callback_arranged',
    });
    expect(t.assistStore.getState().wrapUp?.status).toBe('saved');
  });

  it('follows a practice call like a phone call: suggestions, the case once taken over, a wrap-up at its end', async () => {
    const t = setup();
    const practice = { callId: 'practice-1', script: 'payment-date' as const, recognition: false };
    t.botStore.getState().setPractice(practice);
    await t.settle();
    expect(t.assistStore.getState().callId).toBe('practice-1');
    expect(t.requests.find((r) => r.method === 'assist.suggestions')?.params).toEqual({
      callId: 'practice-1',
    });
    expect(t.assistStore.getState().suggestions.map((s) => s.articleId)).toEqual(['a']);
    t.bot({ callId: 'practice-1', verified: true, phase: 'handoff' });
    await t.settle();
    expect(t.methods()).not.toContain('case.context');
    t.bot({ callId: 'practice-1', verified: true, phase: 'taken-over' });
    await t.settle();
    expect(t.requests.find((r) => r.method === 'case.context')?.params).toEqual({
      callId: 'practice-1',
      purpose: 'handoff',
    });
    expect(t.assistStore.getState().caseState).toBe('shown');
    // The user ends the practice: the note a person writes after a call is proposed.
    t.botStore.getState().setPractice(undefined);
    await t.settle();
    expect(t.requests.find((r) => r.method === 'wrapup.propose')?.params).toEqual({
      callId: 'practice-1',
    });
    expect(t.assistStore.getState().wrapUp?.callId).toBe('practice-1');
  });

  it('a practice the bot finished alone gets no wrap-up', async () => {
    const t = setup();
    t.botStore
      .getState()
      .setPractice({ callId: 'practice-2', script: 'payment-date', recognition: true });
    t.bot({ callId: 'practice-2', phase: 'hangup' });
    t.botStore.getState().setPractice(undefined);
    await t.settle();
    expect(t.methods()).not.toContain('wrapup.propose');
  });

  it('the caller’s case leaves the screen once the wrap-up is saved', async () => {
    const t = setup();
    t.connect('c1');
    t.bot({ verified: true, phase: 'taken-over' });
    await t.settle();
    expect(t.assistStore.getState().context?.caseId).toBe('DEMO-0001');
    t.end();
    await t.settle();
    // Still there while the agent writes the note…
    expect(t.assistStore.getState().context?.caseId).toBe('DEMO-0001');
    t.desk.chooseDisposition('information_given');
    await t.desk.saveWrapUp();
    // …and gone once it is saved.
    expect(t.assistStore.getState().context).toBeUndefined();
    expect(t.assistStore.getState().caseState).toBe('locked');
  });

  it('a failed save keeps the edited text for another try', async () => {
    const t = setup({ saveFails: true });
    t.connect('c1');
    t.end();
    await t.settle();
    t.assistStore.getState().editWrapUp({ note: 'Mein eigener Vermerk' });
    t.desk.chooseDisposition('information_given');
    await t.desk.saveWrapUp();
    const draft = t.assistStore.getState().wrapUp;
    expect(draft?.status).toBe('error');
    expect(draft?.problem).toMatchObject({ reason: 'note_kept_on_desk' });
    expect(describeProblem('de', draft?.problem as EngineProblem)).toMatch(
      /^Das Fachverfahren ist gerade nicht verfügbar\. .*gesichert/,
    );
    expect(draft?.note).toBe('Mein eigener Vermerk');
  });
});
