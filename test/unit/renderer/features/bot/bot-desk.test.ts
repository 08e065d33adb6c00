/**
 * The desk side of the bot with the real phone and bot stores: a connected
 * incoming call under "bot first" goes to the bot with the agent's microphone
 * off; the bot's reports hang up, ring and notify; take-over opens the mic.
 */
import { describe, expect, it } from 'vitest';
import type { BotState } from '../../../../../electron/contract';
import { BotDesk } from '../../../../../renderer/features/bot/bot-desk';
import { createBotStore } from '../../../../../renderer/stores/bot-store';
import { createPhoneStore } from '../../../../../renderer/phone/phone-store';
import { botState } from '../../../../support/bot-state';

function setup(
  options: {
    botFirst?: boolean;
    failStart?: boolean;
    /** bot.start answers only once this resolves (the engine still sets the bot up). */
    startGate?: Promise<void>;
    carrier?: 'open' | 'closed';
  } = {},
) {
  const phoneStore = createPhoneStore();
  const botStore = createBotStore();
  phoneStore.getState().setPolicy({ botFirst: options.botFirst ?? true });
  const requests: { method: string; params: unknown }[] = [];
  const mic: boolean[] = [];
  const alerts: string[] = [];
  const notes: string[] = [];
  const logs: string[] = [];
  let hangups = 0;
  const client = {
    status: options.carrier ?? 'open',
    request: async (method: string, params: unknown) => {
      requests.push({ method, params });
      if (method === 'bot.start') {
        await options.startGate;
        if (options.failStart) throw new Error('kein Bot');
        return { mode: 'day' };
      }
      if (method === 'worklist.list') return { items: [], open: 0 };
      if (method === 'practice.start')
        return { callId: 'practice-1', mode: 'day', recognition: false };
      return {};
    },
  };
  const desk = new BotDesk({
    client: client as never,
    phoneStore,
    botStore,
    phone: { hangup: () => hangups++ },
    agentMic: (on) => mic.push(on),
    alert: {
      start: (p) => alerts.push(p ? 'priority' : 'normal'),
      stop: () => alerts.push('stop'),
    },
    notify: (title) => notes.push(title),
    log: (level, message) => logs.push(`${level} ${message}`),
    practiceAudio: { start: async () => undefined, stop: () => undefined },
  });
  const connect = (id: string) => {
    phoneStore
      .getState()
      .callEvent({ type: 'incoming' }, { id, direction: 'incoming', remote: '0611' });
    phoneStore.getState().callEvent({ type: 'answered' });
  };
  const state = (patch: Partial<BotState>): BotState => botState(patch);
  return {
    desk,
    phoneStore,
    botStore,
    requests,
    mic,
    alerts,
    notes,
    logs,
    connect,
    state,
    hangups: () => hangups,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BotDesk', () => {
  it('hands a connected incoming call to the bot with the microphone off', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    expect(h.requests[0]).toEqual({
      method: 'bot.start',
      params: { callId: 'c1', callerId: '0611' },
    });
    expect(h.mic).toEqual([false]);
    expect(h.desk.botHas('c1')).toBe(true);
  });

  it('leaves calls alone without "bot first"', async () => {
    const h = setup({ botFirst: false });
    h.connect('c1');
    await tick();
    expect(h.requests).toHaveLength(0);
    h.desk.dtmf('c1', '1');
    expect(h.requests).toHaveLength(0);
  });

  it('passes keys to the bot, hangs up when the bot says goodbye', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.desk.dtmf('c1', '5');
    expect(h.requests.at(-1)).toEqual({
      method: 'bot.dtmf',
      params: { callId: 'c1', digits: '5' },
    });
    h.desk.onEvent({ event: 'bot.state', data: h.state({ phase: 'hangup' }) });
    expect(h.hangups()).toBe(1);
  });

  it('a priority handoff rings with the priority tone and notifies; take-over opens the mic and silences the bot', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.desk.onEvent({
      event: 'bot.state',
      data: h.state({
        phase: 'handoff',
        handoff: { reason: 'crisis', priority: true, summary: 'Krise' },
      }),
    });
    expect(h.alerts).toEqual(['priority']);
    expect(h.notes[0]).toMatch(/Vorrang/);
    expect(h.botStore.getState().call?.phase).toBe('handoff');
    await h.desk.takeOver();
    expect(h.alerts.at(-1)).toBe('stop');
    expect(h.mic.at(-1)).toBe(true);
    expect(h.requests.at(-1)).toEqual({ method: 'bot.takeOver', params: { callId: 'c1' } });
    expect(h.botStore.getState().call?.phase).toBe('taken-over');
    expect(h.desk.botHas('c1')).toBe(false);
    // Keys are the agent's business now.
    const count = h.requests.length;
    h.desk.dtmf('c1', '1');
    expect(h.requests).toHaveLength(count);
  });

  it('a practice handoff rings nobody; the user takes it over, and the phone and microphone stay out of it', async () => {
    const h = setup();
    await h.desk.startPractice('payment-date');
    // The engine said the practice runs without speech recognition: the screen keeps that.
    expect(h.botStore.getState().practice).toEqual({
      callId: 'practice-1',
      script: 'payment-date',
      recognition: false,
    });
    h.desk.onEvent({
      event: 'bot.state',
      data: h.state({
        callId: 'practice-1',
        phase: 'handoff',
        verified: true,
        handoff: { reason: 'human_request', priority: false, summary: 'Person gewünscht' },
      }),
    });
    expect(h.botStore.getState().call?.phase).toBe('handoff');
    expect(h.alerts).toEqual([]);
    expect(h.notes).toEqual([]);
    await h.desk.takeOverPractice();
    expect(h.requests.at(-1)).toEqual({
      method: 'bot.takeOver',
      params: { callId: 'practice-1' },
    });
    expect(h.botStore.getState().call?.phase).toBe('taken-over');
    expect(h.mic).toEqual([]);
    // Once is enough.
    const count = h.requests.length;
    await h.desk.takeOverPractice();
    expect(h.requests).toHaveLength(count);
  });

  it('when the bot cannot take the call, the agent is alerted at once', async () => {
    const h = setup({ failStart: true });
    h.connect('c1');
    await tick();
    await tick();
    expect(h.alerts).toEqual(['normal']);
    expect(h.botStore.getState().call).toMatchObject({
      phase: 'handoff',
      handoff: { reason: 'bot_unavailable' },
    });
  });

  it('ignores reports of calls it never handed over, and clears up when the call ends', async () => {
    const h = setup();
    h.desk.onEvent({ event: 'bot.state', data: h.state({ callId: 'other', phase: 'hangup' }) });
    expect(h.hangups()).toBe(0);
    h.connect('c1');
    await tick();
    h.desk.onEvent({ event: 'bot.state', data: h.state({}) });
    expect(h.botStore.getState().call?.callId).toBe('c1');
    h.phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
    expect(h.botStore.getState().call).toBeUndefined();
    expect(h.alerts.at(-1)).toBe('stop');
  });

  it("ends the bot when the agent hangs up its call (bot.end), beside the phone's report", async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'local-hangup' } });
    expect(h.requests.filter((r) => r.method === 'bot.end')).toEqual([
      { method: 'bot.end', params: { callId: 'c1' } },
    ]);
    expect(h.desk.botHas('c1')).toBe(false);
  });

  it('ends the bot of a call that ends outside the foreground, for any reason', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.phoneStore
      .getState()
      .callEvent({ type: 'incoming' }, { id: 'c2', direction: 'incoming', remote: '0612' });
    h.phoneStore.getState().setActive('c2');
    h.phoneStore
      .getState()
      .callEvent({ type: 'ended', reason: { code: 'remote-hangup' } }, undefined, 'c1');
    expect(h.phoneStore.getState().call.id).toBe('c2');
    expect(h.requests.filter((r) => r.method === 'bot.end')).toEqual([
      { method: 'bot.end', params: { callId: 'c1' } },
    ]);
    expect(h.desk.botHas('c1')).toBe(false);
  });

  it('a bot that fails to start for a call that has ended meanwhile rings nobody', async () => {
    let open!: () => void;
    const h = setup({ failStart: true, startGate: new Promise<void>((r) => (open = r)) });
    h.connect('c1');
    await tick();
    h.phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
    open();
    await tick();
    await tick();
    expect(h.alerts.filter((a) => a !== 'stop')).toEqual([]);
    expect(h.botStore.getState().call).toBeUndefined();
    expect(h.logs.at(-1)).toMatch(/bot for call c1 not started: kein Bot/);
  });

  it('the engine goes away during a bot call: a person is rung at once, with what the bot knew', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.desk.onEvent({
      event: 'bot.state',
      data: h.state({ speaking: true, intent: 'payment_date', verified: true }),
    });
    h.desk.engineLost();
    expect(h.alerts).toEqual(['normal']);
    expect(h.notes).toHaveLength(1);
    expect(h.botStore.getState().call).toMatchObject({
      callId: 'c1',
      phase: 'handoff',
      speaking: false,
      intent: 'payment_date',
      verified: true,
      handoff: { reason: 'bot_unavailable', priority: false },
    });
    expect(h.botStore.getState().call?.handoff?.summary).toMatch(/Bot ist ausgefallen/);
    // Still the bot's call until someone takes it: then the microphone opens.
    expect(h.desk.botHas('c1')).toBe(true);
    await h.desk.takeOver();
    expect(h.mic.at(-1)).toBe(true);
    expect(h.alerts.at(-1)).toBe('stop');
  });

  it('the engine goes away: a call already handed over keeps its reason and priority; taken-over and ended calls ring nobody', async () => {
    const h = setup();
    h.connect('c1');
    await tick();
    h.desk.onEvent({
      event: 'bot.state',
      data: h.state({
        phase: 'handoff',
        handoff: { reason: 'emergency', priority: true, summary: 'Strom gesperrt' },
      }),
    });
    h.desk.engineLost();
    expect(h.alerts).toEqual(['priority', 'priority']);
    expect(h.botStore.getState().call?.handoff).toEqual({
      reason: 'emergency',
      priority: true,
      summary: 'Strom gesperrt',
    });
    await h.desk.takeOver();
    const alerts = h.alerts.length;
    h.desk.engineLost();
    expect(h.alerts).toHaveLength(alerts);
    h.phoneStore.getState().callEvent({ type: 'ended', reason: { code: 'remote-hangup' } });
    h.desk.engineLost();
    expect(h.alerts).toHaveLength(alerts + 1); // only the 'stop' of the ended call
    expect(h.alerts.at(-1)).toBe('stop');
  });

  it('a call that comes in while the engine is away rings a person at once (no bot to wait for)', async () => {
    const h = setup({ carrier: 'closed' });
    h.connect('c1');
    await tick();
    expect(h.requests.filter((r) => r.method === 'bot.start')).toEqual([]);
    expect(h.alerts).toEqual(['normal']);
    expect(h.botStore.getState().call).toMatchObject({
      phase: 'handoff',
      handoff: { reason: 'bot_unavailable' },
    });
  });
});
