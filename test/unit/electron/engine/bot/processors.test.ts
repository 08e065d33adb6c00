/**
 * Each bot processor on its own, through `runProcessor`: frames in, frames
 * out, nothing shared but the frames.
 */
import { describe, expect, it } from 'vitest';
import { Dialogue } from '../../../../../electron/engine/bot/dialogue';
import { IllegalMoveError } from '../../../../../electron/engine/bot/dialogue-states';
import type { Frame } from '../../../../../electron/engine/bot/frames';
import {
  DialogueProcessor,
  OutputProcessor,
  UnderstandingProcessor,
  VoiceProcessor,
} from '../../../../../electron/engine/bot/processors';
import type { Understanding } from '../../../../../electron/engine/bot/understanding';
import { FakeBotOutput } from '../../../../fakes/fake-bot-output';
import { fakeDialogueDeps, fakeUnderstand } from '../../../../fakes/fake-dialogue-deps';
import { kinds, runProcessor } from '../../../../support/run-processor';

const start: Frame = { kind: 'start', at: 0 };
const intent = (text: string): Frame => ({
  kind: 'intent',
  ...fakeUnderstand(text),
  text,
  at: 0,
});
const dtmf = (digits: string): Frame => ({ kind: 'dtmf', digits, at: 0 });
const silence: Frame = { kind: 'silence-timeout', at: 0 };
const answers = (frames: Frame[]) => frames.flatMap((f) => (f.kind === 'answer' ? [f.text] : []));
const listens = (frames: Frame[]) =>
  frames.flatMap((f) => (f.kind === 'listen' ? [f.expect.type] : []));

describe('UnderstandingProcessor', () => {
  it('turns each transcript into one intent frame, classifying the cleaned text once', async () => {
    const heard: string[] = [];
    const understand = (text: string): Understanding => {
      heard.push(text);
      return fakeUnderstand(text);
    };
    const out = await runProcessor(new UnderstandingProcessor(understand), [
      { kind: 'transcript', text: '  Wann kommt   mein GELD ', confidence: 0.8, at: 5 },
    ]);
    expect(heard).toEqual(['wann kommt mein geld']);
    expect(out).toEqual([
      {
        kind: 'intent',
        intent: 'payment_date',
        confidence: 0.9,
        entities: {},
        text: '  Wann kommt   mein GELD ',
        at: 5,
      },
    ]);
  });

  it('marks a noise (too short and unsure) and passes on that a turn was held through the greeting', async () => {
    const out = await runProcessor(new UnderstandingProcessor(fakeUnderstand), [
      { kind: 'transcript', text: 'äh', confidence: 0.9, at: 1 },
      { kind: 'transcript', text: 'ja', confidence: 0.3, at: 2 },
      { kind: 'transcript', text: 'ich bin krank', confidence: 0.3, held: true, at: 3 },
    ]);
    expect(out.map((f) => (f.kind === 'intent' ? [f.noise, f.held] : f.kind))).toEqual([
      [true, undefined],
      [true, undefined],
      [undefined, true],
    ]);
  });

  it('passes every other frame on unchanged and classifies nothing else', async () => {
    let calls = 0;
    const frames: Frame[] = [
      start,
      dtmf('1'),
      silence,
      { kind: 'user-started-speaking', at: 1 },
      { kind: 'end', at: 2 },
    ];
    const out = await runProcessor(
      new UnderstandingProcessor((text) => {
        calls++;
        return fakeUnderstand(text);
      }),
      frames,
    );
    expect(out).toEqual(frames);
    expect(calls).toBe(0);
  });
});

describe('DialogueProcessor', () => {
  const dialogue = (mode: 'day' | 'night' = 'day') =>
    new DialogueProcessor(new Dialogue(fakeDialogueDeps(mode)));

  it('answers the start with the greeting and open listening', async () => {
    const out = await runProcessor(dialogue(), [start]);
    expect(kinds(out)).toEqual(['answer', 'listen']);
    expect(answers(out)[0]).toMatch(/künstliche Intelligenz/);
    expect(listens(out)).toEqual(['open']);
  });

  it('takes intent frames, collects keyed entries and answers only complete ones', async () => {
    const out = await runProcessor(dialogue(), [
      start,
      intent('wann kommt mein geld'),
      dtmf('1234'),
      dtmf('5678#'),
    ]);
    expect(answers(out)[1]).toMatch(/Kundennummer/);
    expect(listens(out)).toEqual(['open', 'digits', 'date']);
    expect(answers(out)[2]).toMatch(/Geburtsdatum/);
    expect(out.filter((f) => f.kind === 'answer')).toHaveLength(3);
    // Half a number: nothing said, only that the bot waits for the rest.
    expect(kinds(out)).toEqual([
      'answer',
      'listen',
      'answer',
      'listen',
      'keying',
      'answer',
      'listen',
    ]);
  });

  it('answers silence and sends the actions as control frames', async () => {
    const out = await runProcessor(dialogue(), [
      start,
      silence,
      intent('ich möchte einen mitarbeiter'),
    ]);
    expect(answers(out)[1]).toMatch(/nichts gehört/);
    expect(kinds(out).slice(-2)).toEqual(['answer', 'handoff']);
    expect(out.at(-1)).toMatchObject({ kind: 'handoff', reason: 'human_request', priority: false });
  });

  it('files a night callback as a worklist frame, then hangs up', async () => {
    const out = await runProcessor(dialogue('night'), [
      { kind: 'start', callerId: '061234567', at: 0 },
      intent('ich möchte einen mitarbeiter'),
      intent('ja'),
      silence,
    ]);
    expect(kinds(out).slice(-3)).toEqual(['answer', 'worklist', 'hangup']);
    expect(out.at(-2)).toMatchObject({
      kind: 'worklist',
      item: { type: 'callback', number: '061234567', window: 'jederzeit' },
    });
  });

  it('passes frames that are not for the dialogue on unchanged (a transcript is understood upstream)', async () => {
    const frames: Frame[] = [
      { kind: 'transcript', text: 'hallo', confidence: null, at: 0 },
      { kind: 'user-started-speaking', at: 0 },
      { kind: 'end', at: 0 },
    ];
    expect(await runProcessor(dialogue(), frames)).toEqual(frames);
  });

  it('throws on an event the dialogue cannot take (words before the call started)', async () => {
    await expect(runProcessor(dialogue(), [intent('hallo')])).rejects.toBeInstanceOf(
      IllegalMoveError,
    );
  });
});

describe('VoiceProcessor', () => {
  async function* twoChunks(): AsyncGenerator<Int16Array> {
    yield new Int16Array(160).fill(1);
    yield new Int16Array(160).fill(2);
  }

  it('passes the answer on and adds its speech, chunk by chunk, under one utterance id', async () => {
    const rates: number[] = [];
    const out = await runProcessor(
      new VoiceProcessor((_text, rate) => {
        rates.push(rate);
        return twoChunks();
      }),
      [{ kind: 'answer', text: 'Hallo.', rate: 0.8, at: 3 }, start],
    );
    expect(kinds(out)).toEqual(['answer', 'speech', 'speech', 'start']);
    expect(rates).toEqual([0.8]);
    const ids = out.flatMap((f) => (f.kind === 'speech' ? [f.utteranceId] : []));
    expect(new Set(ids).size).toBe(1);
  });

  it('an interruption abandons the rest of the answer', async () => {
    const voice: VoiceProcessor = new VoiceProcessor(async function* () {
      yield new Int16Array(160);
      voice.interrupt(); // the caller starts speaking after the first chunk
      yield new Int16Array(160);
    });
    const out = await runProcessor(voice, [{ kind: 'answer', text: 'Lang.', rate: 1, at: 0 }]);
    expect(kinds(out)).toEqual(['answer', 'speech']);
  });
});

describe('OutputProcessor', () => {
  const pcm = (ms: number) => new Int16Array((16_000 * ms) / 1000);

  it('plays speech and says when the bot started and stopped speaking', async () => {
    const output = new FakeBotOutput();
    const out = await runProcessor(
      new OutputProcessor(output),
      [
        { kind: 'answer', text: 'Hallo.', rate: 1, at: 0 },
        { kind: 'speech', pcm: pcm(20), utteranceId: 'u', at: 0 },
        { kind: 'speech', pcm: pcm(20), utteranceId: 'u', at: 0 },
        { kind: 'listen', expect: { type: 'open', silenceMs: 800, dtmf: true }, at: 0 },
      ],
      { settle: () => new Promise((r) => setTimeout(r, 120)) },
    );
    expect(kinds(out)).toEqual([
      'answer',
      'speech',
      'bot-started-speaking',
      'speech',
      'listen',
      'bot-stopped-speaking',
    ]);
    expect(output.spoken).toEqual([{ text: 'Hallo.' }]);
    expect(output.played).toHaveLength(2);
    expect(output.listens).toEqual([{ type: 'open', silenceMs: 800, dtmf: true }]);
  });

  it('a barge-in stops playback at once and the bot stops speaking exactly once', async () => {
    const output = new FakeBotOutput();
    const out = await runProcessor(
      new OutputProcessor(output),
      [
        { kind: 'speech', pcm: pcm(2000), utteranceId: 'u', at: 0 },
        { kind: 'user-started-speaking', at: 1 },
      ],
      { settle: () => new Promise((r) => setTimeout(r, 50)) },
    );
    expect(output.stops).toBe(1);
    expect(kinds(out)).toEqual([
      'speech',
      'bot-started-speaking',
      'user-started-speaking',
      'bot-stopped-speaking',
    ]);
  });

  it('carries out the actions: a handoff and a hangup only after the speech was heard', async () => {
    const output = new FakeBotOutput();
    const item = {
      type: 'message' as const,
      text: 'Bitte zurückrufen',
      topic: 'other',
      summary: 'Grund: Wunsch nach einer Person',
    };
    const t0 = performance.now();
    const out = await runProcessor(new OutputProcessor(output), [
      { kind: 'speech', pcm: pcm(60), utteranceId: 'u', at: 0 },
      { kind: 'handoff', reason: 'human_request', priority: false, summary: 'S', at: 0 },
      { kind: 'worklist', item, at: 0 },
      { kind: 'hangup', at: 0 },
    ]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
    expect(output.handoffs).toEqual([{ reason: 'human_request', priority: false, summary: 'S' }]);
    expect(output.filed).toEqual([item]);
    expect(output.hungUp).toBe(true);
    expect(kinds(out)).toContain('hangup');
  });
});
