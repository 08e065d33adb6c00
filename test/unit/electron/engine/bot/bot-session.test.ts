import { describe, expect, it, vi } from 'vitest';
import { BotSession } from '../../../../../electron/engine/bot/bot-session';
import { VirtualClock } from '../../../../../electron/engine/bot/virtual-clock';
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

/**
 * A session whose silence timers (6 s after a question, twice that while
 * keying) run on a clock the test moves; `voice`: the fake voice plays in
 * real time, else the bot says its words at once.
 */
function clockedSession(options: { voice?: boolean } = {}) {
  const clock = new VirtualClock();
  const output = new FakeBotOutput();
  const bot = new BotSession({
    deps: fakeDialogueDeps('day'),
    synthesize: options.voice ? (text) => fakeVoice(text) : async function* () {},
    output,
    silenceTimeoutMs: 6000,
    clock,
  });
  return { clock, output, bot };
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

  it('barge-in: speech stops at once, control frames still arrive (not in the greeting)', async () => {
    const { bot, output } = session();
    await bot.start();
    expect(output.played.length).toBeGreaterThan(0);
    // The greeting with the AI disclosure is heard in full.
    bot.callerSpeaking();
    expect(output.stops).toBe(0);
    // A sentence said during it is answered after it; that answer can be cut short.
    await bot.heard('ich bin krank');
    expect(output.spoken.at(-1)?.text).toMatch(/Krankmeldung/);
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

  it('a pause of 8 s in the middle of the customer number waits for the rest; a key that cuts a prompt short arms no question timer', async () => {
    // The call's timers (6 s after a question, twice that while keying) on a
    // clock the test moves; the voice still plays in real time.
    const { clock, output, bot } = clockedSession({ voice: true });
    const wait = (ms: number) => clock.advance(ms, () => bot.idle());
    await bot.start();
    await output.drained();
    await bot.heard('wann kommt mein geld');
    // The caller keys while the bot still reads the number question (a key
    // cuts it short, as LiveBots.keyed does), then stops to find the rest.
    expect(output.played.length).toBeGreaterThan(0);
    bot.callerSpeaking();
    await bot.keyed('1');
    await bot.keyed('2');
    const asked = output.spoken.length;
    await wait(8000);
    expect(output.spoken).toHaveLength(asked);
    await bot.keyed('3');
    // The keying pause runs from the last key: nothing at 11.9 s …
    await wait(11_900);
    expect(output.spoken).toHaveLength(asked);
    // … at 12 s the caller is asked for the rest; the digits are kept.
    await wait(100);
    expect(output.spoken.at(-1)?.text).toMatch(/ersten Ziffern/);
    expect(output.spoken.map((s) => s.text).join(' ')).not.toMatch(/worum es geht/);
    expect(output.listens.at(-1)).toMatchObject({ type: 'digits' });
    await bot.keyed('45678#');
    expect(output.spoken.at(-1)?.text).toMatch(/Geburtsdatum/);
    bot.stop();
  });

  it('a caller heard as a noise while keying keeps the digits, and the keying timer runs again', async () => {
    const { clock, output, bot } = clockedSession();
    await bot.start();
    await bot.heard('wann kommt mein geld');
    await bot.keyed('1234');
    // A partial, then a final the recogniser made of a cough.
    bot.callerSpeaking();
    await bot.heard('ähm', 0.9);
    const said = output.spoken.length;
    await clock.advance(11_900, () => bot.idle());
    expect(output.spoken).toHaveLength(said);
    await clock.advance(100, () => bot.idle());
    expect(output.spoken.at(-1)?.text).toMatch(/ersten Ziffern/);
    await bot.keyed('5678#');
    expect(output.spoken.at(-1)?.text).toMatch(/Geburtsdatum/);
    bot.stop();
  });

  it('a long silence while keying still leads on: asked for the rest once, then the question again, then a person', async () => {
    const { clock, output, bot } = clockedSession();
    await bot.start();
    await bot.heard('wann kommt mein geld');
    await bot.keyed('123');
    // 12 s from the key, then 6 s after each question: a person after 30 s.
    await clock.advance(29_900, () => bot.idle());
    expect(output.handoffs).toEqual([]);
    await clock.advance(100, () => bot.idle());
    const said = output.spoken.map((s) => s.text);
    expect(said.filter((t) => /ersten Ziffern/.test(t))).toHaveLength(3);
    expect(said.join(' ')).not.toMatch(/worum es geht/);
    expect(output.handoffs).toEqual([expect.objectContaining({ reason: 'speech_failed' })]);
  });

  describe('the greeting, which cannot be interrupted', () => {
    /** The index of the first frame of `kind` that left the pipeline. */
    const first = (bot: BotSession, kind: string) =>
      bot.timing.marks.findIndex((m) => m.stage === 'output' && m.kind === kind);

    it('holds a sentence said during it and answers it after it, once; noise words are no turns', async () => {
      const { bot, output } = session();
      await bot.start();
      expect(output.played.length).toBeGreaterThan(0);
      // While the greeting plays: a cough and a hum, then one sentence in two pieces.
      const answered = Promise.all([
        bot.heard('äh', 0.9),
        bot.heard('ja', 0.3),
        bot.heard('ich bin', 0.8),
        bot.heard('krank', 0.9),
      ]);
      bot.callerSpeaking();
      expect(output.stops).toBe(0);
      await answered;
      await bot.idle();
      // Nothing reached the dialogue before the caller had heard the greeting.
      expect(first(bot, 'transcript')).toBe(-1);
      expect(bot.timing.marks.findIndex((m) => m.kind === 'transcript')).toBeGreaterThan(
        first(bot, 'bot-stopped-speaking'),
      );
      expect(
        bot.timing.marks.filter((m) => m.stage === 'understanding' && m.kind === 'transcript'),
      ).toHaveLength(1);
      expect(output.spoken.map((s) => s.text)).toEqual([
        expect.stringMatching(/künstliche Intelligenz/),
        expect.stringMatching(/Krankmeldung/),
      ]);
    });

    it('words not understood during it cost nothing: no reprompt, no failure, the question stands', async () => {
      const { bot, output } = session('day', 80);
      await bot.start();
      void bot.heard('blubb wort quatsch', 0.9);
      await bot.idle();
      expect(output.spoken).toHaveLength(1);
      // The open question's silence timer still runs after it, and its answer
      // is the first failure of the call (a second would be the keypad menu).
      await vi.waitFor(() => expect(output.spoken.at(-1)?.text).toMatch(/nichts gehört/), {
        timeout: 8_000,
      });
      await bot.idle();
      expect(output.spoken.map((s) => s.text).join(' ')).not.toMatch(/nicht verstanden|Tasten/);
      expect(output.handoffs).toEqual([]);
      bot.stop();
    });

    it('a crisis said during it is acted on right after it, also after keys pressed during it', async () => {
      const { bot, output } = session();
      await bot.start();
      void bot.keyed('1');
      void bot.heard('ich will nicht mehr leben', 0.7);
      await bot.idle();
      expect(output.handoffs).toEqual([
        expect.objectContaining({ reason: 'crisis', priority: true }),
      ]);
      const said = output.spoken.map((s) => s.text);
      expect(said[0]).toMatch(/künstliche Intelligenz/);
      expect(said.at(-1)).toMatch(/Telefonseelsorge/);
    });
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
