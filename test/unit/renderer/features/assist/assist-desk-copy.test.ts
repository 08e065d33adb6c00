/**
 * Copy and Strg+Alt+V (accept the top suggestion) count for the learning loop
 * only when the text reached the clipboard (issue 13, point 7): in the
 * desktop app a missing clipboard permission made every copy fail while it
 * was still recorded as "copied" or "used".
 */
import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../../../../../electron/contract';
import { AssistDesk } from '../../../../../renderer/features/assist/assist-desk';
import { createAssistStore } from '../../../../../renderer/stores/assist-store';
import { createBotStore } from '../../../../../renderer/stores/bot-store';
import { createPhoneStore } from '../../../../../renderer/phone/phone-store';

const SUGGESTION: Suggestion = {
  articleId: 'zahlung-termin',
  title: 'Wann kommt das Bürgergeld?',
  text: 'Das Bürgergeld wird monatlich im Voraus gezahlt.',
  source: { norm: '§ 42 SGB II', url: 'https://www.gesetze-im-internet.de/sgb_2/__42.html' },
  score: 1,
  why: { terms: [], intent: 'payment_date', caseFact: null },
};

function setup(copy: (text: string) => Promise<void>) {
  const phoneStore = createPhoneStore();
  const assistStore = createAssistStore();
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  const logs: string[] = [];
  const client = {
    request: async (method: string, params: Record<string, unknown>) => {
      requests.push({ method, params });
      if (method === 'assist.suggestions')
        return {
          callId: params.callId,
          items: [SUGGESTION],
          intent: null,
          basedOn: null,
          rankedMs: 1,
        };
      return {};
    },
  };
  const desk = new AssistDesk({
    client: client as never,
    phoneStore,
    botStore: createBotStore(),
    assistStore,
    copy,
    log: (_level, message) => logs.push(message),
  });
  phoneStore
    .getState()
    .callEvent({ type: 'incoming' }, { id: 'c1', direction: 'incoming', remote: '0611' });
  phoneStore.getState().callEvent({ type: 'answered' });
  const feedback = () =>
    requests.filter((r) => r.method === 'assist.feedback').map((r) => r.params.action);
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { desk, feedback, logs, settle };
}

describe('AssistDesk copy', () => {
  it('does not count a copy that failed', async () => {
    const t = setup(() =>
      Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    );
    await t.settle();
    expect(await t.desk.copy(SUGGESTION)).toBe(false);
    expect(t.feedback()).toEqual([]);
    expect(t.logs.at(-1)).toMatch(/copy failed, not counted as copied/);
  });

  it('does not count Strg+Alt+V as "used" when nothing reached the clipboard', async () => {
    const t = setup(() => Promise.reject(new Error('Document is not focused.')));
    await t.settle();
    expect(await t.desk.acceptTop()).toBeUndefined();
    expect(t.feedback()).toEqual([]);
  });

  it('counts a copy once the text is on the clipboard', async () => {
    const clipboard: string[] = [];
    const t = setup(async (text) => void clipboard.push(text));
    await t.settle();
    expect(await t.desk.copy(SUGGESTION)).toBe(true);
    expect((await t.desk.acceptTop())?.articleId).toBe('zahlung-termin');
    expect(t.feedback()).toEqual(['copied', 'used']);
    expect(clipboard[0]).toContain(
      '§ 42 SGB II, https://www.gesetze-im-internet.de/sgb_2/__42.html',
    );
  });
});
