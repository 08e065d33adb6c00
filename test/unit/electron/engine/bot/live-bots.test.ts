/**
 * The bot in a live call, minus SIP: the real classifier, knowledge base,
 * case store (fixture households) and worklist database behind LiveBots, a
 * voice that makes 120 ms of PCM per text, and the real paced output. What the
 * caller would hear is the stream of frames `send` receives.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BotState, EngineEvent } from '../../../../../electron/contract';
import { LiveBots, BotUnavailableError } from '../../../../../electron/engine/bot/live-bots';
import { answersFrom, understandWith } from '../../../../../electron/engine/bot/understanding';
import { WorklistFallback } from '../../../../../electron/engine/bot/worklist-fallback';
import { WorklistStore } from '../../../../../electron/engine/bot/worklist-store';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { loadKnowledgeBase } from '../../../../../electron/engine/knowledge/knowledge-base';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../../../../electron/engine/knowledge/knowledge-paths';
import { loadSiteProfile } from '../../../../../electron/engine/knowledge/site-profile';
import {
  createIntentClassifier,
  type IntentClassifier,
} from '../../../../../electron/engine/nlu/intents/intent-classifier';
import { Logger, type ScopedLogger } from '../../../../../electron/engine/log/logger';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';

const CASES = JSON.parse(
  fs.readFileSync(path.resolve('test/fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
const TODAY = new Date('2026-03-01T09:00:00Z');

let classifier: IntentClassifier;
const knowledge = loadKnowledgeBase(findKnowledgeDirectory(), loadSiteProfile(findSiteProfile()));

beforeAll(async () => {
  classifier = await createIntentClassifier();
});

const scrubbing = new Logger({ stderr: false }).scope('bot');
const log: ScopedLogger & { lines: string[] } = {
  lines: [],
  scrub: (text: string) => scrubbing.scrub(text),
  pseudonym: (number: string) => scrubbing.pseudonym(number),
  debug() {},
  info(message: string) {
    log.lines.push(`info ${message}`);
  },
  warn(message: string) {
    log.lines.push(`warn ${message}`);
  },
  error(message: string) {
    log.lines.push(`error ${message}`);
  },
} as unknown as ScopedLogger & { lines: string[] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function harness(
  options: { night?: boolean; voice?: boolean; waitingMs?: number; failWorklist?: number } = {},
) {
  const cases = await EmbeddedCaseSystem.open({
    demo: false,
    verifyFloorMs: 0,
    pinKey: crypto.randomBytes(32),
    now: () => TODAY,
  });
  await cases.importCaseFile(CASES);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-live-bot-'));
  const keys = new EngineKeys(crypto.randomBytes(32));
  const worklist = await WorklistStore.open({
    dataDir: dir,
    now: () => TODAY,
    box: keys.box('worklist'),
  });
  const fallback = new WorklistFallback({ dataDir: dir, box: keys.box('worklist'), log });
  // The worklist fails this many times (a locked database) before it works.
  let failures = options.failWorklist ?? 0;
  cleanups.push(async () => {
    await cases.close();
    await worklist.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const events: EngineEvent[] = [];
  const said: string[] = [];
  const listens: string[] = [];
  const bots = new LiveBots({
    resources: async () => ({
      understand: understandWith(classifier),
      answerFor: answersFrom(knowledge),
      cases,
    }),
    voice:
      options.voice === false
        ? undefined
        : {
            async *synthesize() {
              // 120 ms of a non-silent signal per text.
              yield new Int16Array(1920).fill(1000);
            },
          },
    schedule: { hours: {}, timeZone: 'Europe/Berlin', override: null },
    worklist: async () => {
      if (failures > 0) {
        failures--;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      return worklist;
    },
    worklistFallback: fallback,
    emit: (event) => events.push(event),
    botSaid: (_callId, text) => said.push(text),
    listening: (_callId, expect) => listens.push(`${expect.type}:${expect.silenceMs}`),
    log,
    silenceTimeoutMs: 60_000,
    waitingIntervalMs: options.waitingMs ?? 60_000,
    now: () => TODAY,
  });
  if (!options.night) bots.setOverride('day');
  const frames: { at: number; samples: Int16Array }[] = [];
  const send = (samples: Int16Array) => frames.push({ at: performance.now(), samples });
  const states = () => events.flatMap((e) => (e.event === 'bot.state' ? [e.data as BotState] : []));
  return { bots, events, said, listens, frames, send, states, worklist, fallback, dir };
}

/**
 * Watches for `ms`: only where the point is that nothing happens meanwhile
 * (each use says why the window is long enough).
 */
const watch = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waiting for a condition: generous on a loaded machine, below the test's own limit. */
const UNTIL = { timeout: 8_000, interval: 10 };

describe('LiveBots', () => {
  it('greets with the AI disclosure into the call and listens for an open question', async () => {
    const h = await harness();
    const { mode } = await h.bots.start('call-1', '+493023125990', h.send);
    expect(mode).toBe('day');
    await h.bots.idle('call-1');
    expect(h.said[0]).toMatch(/künstliche Intelligenz, kein Mensch/);
    expect(h.frames.length).toBeGreaterThan(0);
    expect(h.frames.every((f) => f.samples.length === 320)).toBe(true);
    expect(h.listens.at(-1)).toMatch(/^open:/);
    expect(h.states()[0]).toMatchObject({ callId: 'call-1', phase: 'active', verified: false });
  });

  it('keypad menu, keypad verification, then the payment date from the case', async () => {
    const h = await harness();
    await h.bots.start('call-2', undefined, h.send);
    await h.bots.idle('call-2');
    expect(h.bots.keyed('call-2', '1')).toBe(true);
    await h.bots.idle('call-2');
    expect(h.said.at(-1)).toMatch(/Kundennummer/);
    expect(h.listens.at(-1)).toMatch(/^digits:/);
    // The number as keyed, in pieces, closed with #.
    h.bots.keyed('call-2', '9980');
    h.bots.keyed('call-2', '0001#');
    await h.bots.idle('call-2');
    expect(h.said.at(-1)).toMatch(/Geburtsdatum/);
    h.bots.keyed('call-2', '12041985');
    await h.bots.idle('call-2');
    const all = h.said.join(' ');
    expect(all).toMatch(/1\. April 2026/);
    expect(h.states().at(-1)).toMatchObject({ verified: true, intent: 'payment_date' });
  });

  it('tells nothing for a wrong date of birth, and keypad garbage changes nothing', async () => {
    const h = await harness();
    await h.bots.start('call-3', undefined, h.send);
    h.bots.keyed('call-3', '1');
    h.bots.keyed('call-3', 'abc');
    h.bots.keyed('call-3', '99800001#');
    h.bots.keyed('call-3', '11041985');
    await h.bots.idle('call-3');
    const all = h.said.join(' ');
    expect(all).not.toMatch(/April 2026|1013|Beispielmann/);
    expect(h.said.at(-1)).toMatch(/nicht bestätigen/);
    expect(h.states().at(-1)).toMatchObject({ verified: false });
  });

  it('barge-in: the caller speaking stops the bot within 200 ms', async () => {
    const h = await harness();
    // A long voice: 1.2 s of audio per text.
    const long = new LiveBots({
      ...(h.bots as unknown as { options: ConstructorParameters<typeof LiveBots>[0] }).options,
      voice: {
        async *synthesize() {
          for (let i = 0; i < 12; i++) yield new Int16Array(1600).fill(500);
        },
      },
    });
    await long.start('call-4', undefined, h.send);
    await vi.waitFor(() => expect(h.frames.length).toBeGreaterThan(0), UNTIL);
    // The greeting (the AI disclosure) cannot be interrupted: it still plays
    // well after the caller started speaking …
    const spokeAt = performance.now();
    long.callerSpeaking('call-4');
    await vi.waitFor(() => expect(h.frames.at(-1)?.at).toBeGreaterThan(spokeAt + 150), UNTIL);
    // … a later answer can: once the greeting has been heard in full (the bot
    // listens and has fallen silent), the caller speaks while the bot reads
    // the reprompt.
    await vi.waitFor(() => {
      expect(h.listens.length).toBeGreaterThan(0);
      expect(h.states().at(-1)?.speaking).toBe(false);
    }, UNTIL);
    const heardAt = performance.now();
    long.heard('call-4', 'blubb', 0.2);
    await vi.waitFor(() => expect(h.frames.at(-1)?.at).toBeGreaterThan(heardAt), UNTIL);
    const before = h.frames.length;
    expect(before).toBeGreaterThan(10);
    const t = performance.now();
    long.callerSpeaking('call-4');
    // Nothing more may go out: watched for 300 ms, 15 frame periods.
    await watch(300);
    const after = h.frames.filter((f) => f.at > t + 5).length;
    expect(after).toBe(0);
    long.callEnded('call-4');
  });

  it('what the caller says during the greeting is answered after it; noise is no turn and nothing is "not understood"', async () => {
    const h = await harness();
    await h.bots.start('call-g', undefined, h.send);
    // The recogniser's finals while the greeting plays: two noises, one request.
    h.bots.heard('call-g', 'äh', 0.4);
    h.bots.heard('call-g', 'die', 0.3);
    h.bots.heard('call-g', 'wann kommt mein geld', 0.9);
    await h.bots.idle('call-g');
    expect(h.said).toHaveLength(2);
    expect(h.said[0]).toMatch(/künstliche Intelligenz/);
    expect(h.said[1]).toMatch(/Kundennummer/);
    expect(h.said.join(' ')).not.toMatch(/nicht verstanden|Tasten/);
    expect(h.listens.at(-1)).toMatch(/^digits:/);
    h.bots.callEnded('call-g');
  });

  it('a request for a person hands over with a summary; the waiting caller hears "please hold"; take-over silences the bot', async () => {
    const h = await harness({ waitingMs: 100 });
    await h.bots.start('call-5', undefined, h.send);
    await h.bots.idle('call-5');
    h.bots.heard('call-5', 'ich möchte bitte mit einem mitarbeiter sprechen', 0.9);
    await h.bots.idle('call-5');
    // Handed over, and the waiting caller is told to hold the line.
    await vi.waitFor(() => {
      expect(h.states().some((s) => s.phase === 'handoff')).toBe(true);
      expect(h.said.some((s) => /bleiben Sie in der Leitung/.test(s))).toBe(true);
    }, UNTIL);
    const handoff = h.states().find((s) => s.phase === 'handoff');
    expect(handoff?.handoff).toMatchObject({ reason: 'human_request', priority: false });
    expect(handoff?.handoff?.summary).toMatch(/Wunsch nach einer Person|human/i);
    expect(h.said.some((s) => /bleiben Sie in der Leitung/.test(s))).toBe(true);
    // Whatever the caller says now is for the agent, not the bot.
    const saidBefore = h.said.length;
    h.bots.heard('call-5', 'hallo', 0.9);
    const taken = h.bots.takeOver('call-5');
    expect(taken).toMatchObject({ reason: 'human_request' });
    const framesAt = h.frames.length;
    // Silent from now on: watched for 400 ms, four times the "please hold" interval.
    await watch(400);
    expect(h.frames.length).toBe(framesAt);
    expect(h.said.slice(saidBefore).every((s) => /bleiben Sie/.test(s))).toBe(true);
    expect(h.states().at(-1)?.phase).toBe('taken-over');
    h.bots.callEnded('call-5');
  });

  it('crisis: priority handoff and the crisis numbers while waiting', async () => {
    const h = await harness({ waitingMs: 50 });
    await h.bots.start('call-6', undefined, h.send);
    await h.bots.idle('call-6');
    h.bots.heard('call-6', 'ich will nicht mehr leben', 0.9);
    await h.bots.idle('call-6');
    await vi.waitFor(() => {
      expect(h.states().some((s) => s.phase === 'handoff')).toBe(true);
      expect(h.said.some((s) => /bleiben Sie in der Leitung/.test(s))).toBe(true);
    }, UNTIL);
    expect(h.states().find((s) => s.phase === 'handoff')?.handoff).toMatchObject({
      reason: 'crisis',
      priority: true,
    });
    const waiting = h.said.filter((s) => /bleiben Sie in der Leitung/.test(s));
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]).toMatch(/0 8 0 0, 1 1 1, 0, 1 1 1/);
    h.bots.callEnded('call-6');
  });

  it('night: a callback goes into the worklist database and the phone is asked to hang up', async () => {
    const h = await harness({ night: true });
    h.bots.setOverride('night');
    await h.bots.start('call-7', '061234567', h.send);
    await h.bots.idle('call-7');
    h.bots.heard('call-7', 'ich möchte mit einem menschen sprechen', 0.9);
    await h.bots.idle('call-7');
    h.bots.heard('call-7', 'ja', 0.9);
    await h.bots.idle('call-7');
    h.bots.heard('call-7', 'vormittags', 0.9);
    await h.bots.idle('call-7');
    // Filed in the worklist database, and the phone asked to hang up.
    await vi.waitFor(async () => {
      expect((await h.worklist.list({ status: 'open' })).open).toBe(1);
      expect(h.states().at(-1)?.phase).toBe('hangup');
    }, UNTIL);
    const { items, open } = await h.worklist.list({ status: 'open' });
    expect(open).toBe(1);
    expect(items[0]).toMatchObject({
      type: 'callback',
      number: '061234567',
      window: 'vormittags',
      callId: 'call-7',
    });
    expect(h.events.some((e) => e.event === 'worklist.changed')).toBe(true);
    expect(h.states().at(-1)?.phase).toBe('hangup');
    h.bots.callEnded('call-7');
    expect(h.states().at(-1)?.phase).toBe('ended');
  });

  it('night: a callback the worklist cannot take is kept sealed (not in the log) and filed with the next one', async () => {
    const h = await harness({ night: true, failWorklist: 1 });
    h.bots.setOverride('night');
    log.lines.length = 0;
    const callback = async (callId: string, callerId: string) => {
      await h.bots.start(callId, callerId, h.send);
      await h.bots.idle(callId);
      for (const words of ['ich möchte mit einem menschen sprechen', 'ja', 'vormittags']) {
        h.bots.heard(callId, words, 0.9);
        await h.bots.idle(callId);
      }
    };
    await callback('call-9', '061234599');
    await vi.waitFor(() => expect(h.fallback.pending()).toBe(1), UNTIL);
    expect(log.lines.join('\n')).toMatch(/call-9: callback could not be filed .*kept sealed/);
    // Neither the log nor the fallback file holds the number, the window or the item.
    const file = path.join(h.dir, 'worklist-pending.jsonl');
    for (const text of [log.lines.join('\n'), fs.readFileSync(file, 'utf8')]) {
      expect(text).not.toContain('061234599');
      expect(text).not.toContain('vormittags');
      expect(text).not.toContain('"type"');
    }
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await h.worklist.list({ status: 'open' })).open).toBe(0);

    // The next callback is filed, and the kept one with it.
    await callback('call-10', '061234511');
    await vi.waitFor(async () => {
      expect((await h.worklist.list({ status: 'open' })).open).toBe(2);
    }, UNTIL);
    expect(h.fallback.pending()).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    const { items } = await h.worklist.list({ status: 'open' });
    expect(items.map((i) => [i.callId, i.number, i.window]).sort()).toEqual([
      ['call-10', '061234511', 'vormittags'],
      ['call-9', '061234599', 'vormittags'],
    ]);
  });

  it('without a voice the bot refuses the call clearly', async () => {
    const h = await harness({ voice: false });
    await expect(h.bots.start('call-8', undefined, h.send)).rejects.toBeInstanceOf(
      BotUnavailableError,
    );
  });

  it('ignores turns for calls it does not have', async () => {
    const h = await harness();
    expect(h.bots.keyed('nope', '1')).toBe(false);
    h.bots.heard('nope', 'hallo', 1);
    h.bots.callerSpeaking('nope');
    expect(h.bots.takeOver('nope')).toBeUndefined();
    h.bots.callEnded('nope');
    expect(h.said).toHaveLength(0);
  });
});
