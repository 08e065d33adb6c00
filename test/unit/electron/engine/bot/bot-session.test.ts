import { describe, expect, it, vi } from 'vitest';
import { BotSession } from '../../../../../electron/engine/bot/bot-session';
import { FakeBotOutput } from '../../../../fakes/fake-bot-output';
import { fakeDialogueDeps } from '../../../../fakes/fake-dialogue-deps';

/** A stand-in voice: 100 ms of PCM per sentence, produced with a small delay. */
async function* fakeVoice(text: string): AsyncGenerator<Int16Array> {
  for (const _sentence of text.split(/(?<=[.?!])\s+/)) {
    await new Promise((r) => setTimeout(r, 2));
    yield new Int16Array(1600).fill(1000);
  }
}

function session(mode: 'day' | 'night' = 'day', silenceTimeoutMs?: number) {
  const output = new FakeBotOutput();
  const bot = new BotSession({
    deps: fakeDialogueDeps(mode),
    synthesize: (text) => fakeVoice(text),
    output,
    ...(silenceTimeoutMs ? { silenceTimeoutMs } : {}),
  });
  return { bot, output };
}

describe('BotSession pipeline', () => {
  it('greets, speaks sentence by sentence and listens', async () => {
    const { bot, output } = session();
    await bot.start();
    expect(output.spoken[0]?.text).toMatch(/künstliche Intelligenz/);
    expect(output.played.length).toBeGreaterThanOrEqual(3);
    expect(output.listens.at(-1)).toMatchObject({ type: 'open' });
  });

  it('collects keyed digits into a number (#) and a date (8 digits)', async () => {
    const { bot, output } = session();
    await bot.start();
    await bot.heard('wann kommt mein geld');
    for (const key of '12345678') await bot.keyed(key);
    expect(output.spoken.at(-1)?.text).toMatch(/Kundennummer/); // still collecting
    await bot.keyed('#');
    expect(output.spoken.at(-1)?.text).toMatch(/Geburtsdatum/);
    for (const key of '0103198') await bot.keyed(key);
    expect(output.spoken.at(-1)?.text).toMatch(/Geburtsdatum/);
    await bot.keyed('0');
    expect(output.spoken.at(-1)?.text).toMatch(/nicht bestätigen/);
  });

  it('barge-in: speech stops at once, control frames still arrive', async () => {
    const { bot, output } = session();
    await bot.start();
    expect(output.played.length).toBeGreaterThan(0);
    const t0 = performance.now();
    bot.callerSpeaking();
    expect(output.stops).toBe(1);
    expect(performance.now() - t0).toBeLessThan(200);
    await bot.heard('ich möchte einen mitarbeiter sprechen');
    expect(output.handoffs).toHaveLength(1);
    expect(output.handoffs[0]).toMatchObject({ reason: 'human_request', priority: false });
  });

  it('a silent caller gets a reprompt after the timeout', async () => {
    const { bot, output } = session('day', 60);
    await bot.start();
    await output.drained();
    // The 60 ms silence timer fires and the reprompt is spoken.
    await vi.waitFor(() => expect(output.spoken.at(-1)?.text).toMatch(/nichts gehört/), {
      timeout: 8_000,
    });
    await bot.idle();
    expect(output.spoken.at(-1)?.text).toMatch(/nichts gehört/);
    bot.stop();
  });

  it('night mode files a callback into the worklist and hangs up', async () => {
    const { bot, output } = session('night');
    await bot.start();
    await bot.heard('ich möchte einen mitarbeiter');
    await bot.heard('0 6 1 1 2 2 3 3 4');
    await bot.heard('nachmittags');
    expect(output.filed).toEqual([
      expect.objectContaining({
        type: 'callback',
        number: '061122334',
        window: 'nachmittags',
        urgent: false,
      }),
    ]);
    expect(output.hungUp).toBe(true);
  });

  it('records timings for every frame at every stage', async () => {
    const { bot } = session();
    await bot.start();
    await bot.heard('ich bin krank');
    const latencies = bot.timing.latency('transcript', 'speech', 'output');
    expect(latencies).toHaveLength(1);
    expect(latencies[0]).toBeGreaterThanOrEqual(0);
  });

  it('a key that cuts a prompt short leaves no silence timer behind; a pause mid-entry keeps the digits', async () => {
    const { bot, output } = session('day', 150);
    await bot.start();
    await output.drained();
    await bot.heard('wann kommt mein geld');
    // The caller keys while the bot still reads the number question (as LiveBots.keyed does).
    expect(output.played.length).toBeGreaterThan(0);
    bot.callerSpeaking();
    await bot.keyed('1');
    await bot.keyed('2');
    // Nothing for a while after the key: no "worum es geht", no open listening.
    await new Promise((r) => setTimeout(r, 100));
    expect(output.spoken.at(-1)?.text).toMatch(/Kundennummer/);
    await bot.keyed('3');
    await new Promise((r) => setTimeout(r, 260));
    await bot.idle();
    expect(output.spoken.at(-1)?.text).toMatch(/ersten Ziffern/);
    expect(output.spoken.map((s) => s.text).join(' ')).not.toMatch(/worum es geht/);
    expect(output.listens.at(-1)).toMatchObject({ type: 'digits' });
    await bot.keyed('45678#');
    expect(output.spoken.at(-1)?.text).toMatch(/Geburtsdatum/);
    bot.stop();
  });

  it('the speaking state travels as frames, and the pipeline ends with an end frame', async () => {
    const { bot } = session();
    await bot.start();
    await bot.heard('ich möchte einen mitarbeiter sprechen');
    await bot.idle();
    const seen = bot.timing.marks.map((m) => m.kind);
    expect(seen).toContain('bot-started-speaking');
    expect(seen).toContain('intent');
    expect(seen.lastIndexOf('end')).toBeGreaterThan(seen.lastIndexOf('handoff'));
  });
});
