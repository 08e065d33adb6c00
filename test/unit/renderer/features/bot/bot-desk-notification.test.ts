/**
 * The desktop notification of a handoff never shows what the caller said
 * (issue 13, point 7): the bot's summary may quote the caller, and a
 * notification appears on a locked screen and in the system's history. It
 * says why and how urgent – the reason, "Vorrang" – and nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotState, HandoffReason } from '../../../../../electron/contract';
import { BotDesk } from '../../../../../renderer/features/bot/bot-desk';
import { languageStore } from '../../../../../renderer/i18n/language';
import { createBotStore } from '../../../../../renderer/stores/bot-store';
import { createPhoneStore } from '../../../../../renderer/phone/phone-store';

const SUMMARY =
  'Anliegen: Krise. Anrufer sagte: „Mein Mann schlägt mich, ich halte das nicht mehr aus.“ Nicht verifiziert.';

function setup() {
  const phoneStore = createPhoneStore();
  phoneStore.getState().setPolicy({ botFirst: true });
  const shown: { title: string; body: string; priority: boolean }[] = [];
  const desk = new BotDesk({
    client: { request: async () => ({ mode: 'day' }) } as never,
    phoneStore,
    botStore: createBotStore(),
    phone: { hangup: () => undefined },
    agentMic: () => undefined,
    alert: { start: () => undefined, stop: () => undefined },
    notify: (title, body, priority) => shown.push({ title, body, priority }),
    log: () => undefined,
  });
  phoneStore
    .getState()
    .callEvent({ type: 'incoming' }, { id: 'c1', direction: 'incoming', remote: '0611' });
  phoneStore.getState().callEvent({ type: 'answered' });
  const handoff = (reason: HandoffReason, priority: boolean) => {
    const state: BotState = {
      callId: 'c1',
      phase: 'handoff',
      mode: 'day',
      speaking: false,
      listening: null,
      intent: 'crisis',
      verified: false,
      handoff: { reason, priority, summary: SUMMARY },
    };
    desk.onEvent({ event: 'bot.state', data: state });
  };
  return { shown, handoff };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => languageStore.setState({ language: 'de' }));

describe('BotDesk handoff notification', () => {
  it('shows the reason and the priority, not the summary', async () => {
    const t = setup();
    await tick();
    t.handoff('crisis', true);
    expect(t.shown).toHaveLength(1);
    const [note] = t.shown;
    expect(note?.title).toBe('Lotse: Vorrang-Übergabe');
    expect(note?.body).toBe('Grund: Krise – Krisennummern wurden genannt');
    expect(note?.priority).toBe(true);
    expect(`${note?.title} ${note?.body}`).not.toMatch(/schlägt|halte das|Anrufer sagte/);
  });

  it('words it in English too, still without the caller’s words', async () => {
    languageStore.setState({ language: 'en' });
    const t = setup();
    await tick();
    t.handoff('human_request', false);
    expect(t.shown[0]).toEqual({
      title: 'Lotse: handoff',
      body: 'Reason: Asked for a person',
      priority: false,
    });
  });
});
