/**
 * The scripted practice caller with the real classifier, knowledge base and
 * case store (demo households): it answers what the bot asks for — its
 * sentence, the keypad menu, the number, the date of birth, then asks for a
 * person — until the bot hands over. With speech recognition its sentence is
 * only audio (the speech process hears it); without, the script's text goes
 * to the bot and the transcript, marked, and its keys show there too.
 * Without demo data it refuses to start, clearly.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../../electron/contract';
import { LiveBots } from '../../../../../electron/engine/bot/live-bots';
import {
  PracticeCalls,
  PracticeError,
  SCRIPT,
} from '../../../../../electron/engine/bot/practice-calls';
import { answersFrom, understandWith } from '../../../../../electron/engine/bot/understanding';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { loadKnowledgeBase } from '../../../../../electron/engine/knowledge/knowledge-base';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../../../../electron/engine/knowledge/knowledge-paths';
import { loadSiteProfile } from '../../../../../electron/engine/knowledge/site-profile';
import type { ScopedLogger } from '../../../../../electron/engine/log/logger';
import { createIntentClassifier } from '../../../../../electron/engine/nlu/intents/intent-classifier';

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ScopedLogger;

interface ScriptedLine {
  callId: string;
  text: string;
  source: 'script' | 'keys';
}

async function setup(demo: boolean, recognition = true) {
  const cases = await EmbeddedCaseSystem.open({
    ...(demo ? {} : { demo: false as const }),
    verifyFloorMs: 0,
    pinKey: crypto.randomBytes(32),
  });
  const classifier = await createIntentClassifier();
  const knowledge = loadKnowledgeBase(findKnowledgeDirectory(), loadSiteProfile(findSiteProfile()));
  const said: string[] = [];
  const events: EngineEvent[] = [];
  const bots = new LiveBots({
    resources: async () => ({
      understand: understandWith(classifier),
      answerFor: answersFrom(knowledge),
      cases,
    }),
    voice: {
      async *synthesize() {
        yield new Int16Array(800).fill(300);
      },
    },
    schedule: { hours: {}, timeZone: 'Europe/Berlin', override: 'day' },
    worklist: async () => undefined,
    emit: (e) => events.push(e),
    botSaid: (_id, text) => said.push(text),
    log,
    silenceTimeoutMs: 60_000,
  });
  bots.setOverride('day');
  const callerFrames: Int16Array[] = [];
  const lines: ScriptedLine[] = [];
  const practice = new PracticeCalls({
    bots,
    voice: {
      async *synthesize() {
        yield new Int16Array(1600).fill(700);
      },
    },
    demoCaller: () => cases.demoCaller(),
    transcript: {
      callConnected() {},
      callEnded() {},
      callerScripted: (callId, text, source) => lines.push({ callId, text, source }),
    },
    recognition: () => recognition,
    log,
    thinkMs: 20,
  });
  return { cases, bots, practice, said, callerFrames, events, lines };
}

/** Waits until the bot hands the call over (the error names what it said). */
async function handedOver(h: Awaited<ReturnType<typeof setup>>, callId: string) {
  await expect
    .poll(
      () =>
        h.events.some(
          (e) => e.event === 'bot.state' && e.data.callId === callId && e.data.phase === 'handoff',
        ),
      { timeout: 15_000 },
    )
    .toBe(true)
    .catch((error: Error) => {
      throw new Error(`${error.message}\nsaid: ${h.said.join(' | ')}`);
    });
}

describe('PracticeCalls', () => {
  it('with speech recognition: the sentence is only audio, the keys lead to the payment date and a person', async () => {
    const h = await setup(true);
    const started = await h.practice.start(
      'payment-date',
      () => undefined,
      (s) => h.callerFrames.push(s),
    );
    const { callId } = started;
    expect(callId).toMatch(/^practice-/);
    expect(started.recognition).toBe(true);
    // The caller's sentence is only heard as audio here (the speech process
    // would recognise it); the silence timer is long, so nudge the bot as a
    // recognition slip would.
    await expect.poll(() => h.callerFrames.length, { timeout: 5000 }).toBeGreaterThan(0);
    h.bots.heard(callId, 'wort', 0.5);
    await handedOver(h, callId);
    const all = h.said.join(' ');
    expect(all).toMatch(/nicht verstanden/);
    expect(all).toMatch(/Geburtsdatum/);
    expect(all).toMatch(/nächste Zahlung über .* ist für .* angewiesen/);
    expect(all).not.toMatch(/Auf Wiederhören/);
    expect(h.bots.outcome(callId)).toMatchObject({ verified: true });
    // No text stood in for recognition; the keys show: menu 1, the number, the date, 0 (a person).
    expect(h.lines.filter((l) => l.source === 'script')).toEqual([]);
    const keys = h.lines.filter((l) => l.source === 'keys').map((l) => l.text);
    expect(keys[0]).toBe('1');
    expect(keys[1]).toMatch(/^\d+#$/);
    expect(keys[2]).toMatch(/^\d{8}$/);
    expect(keys.at(-1)).toBe('0');
    expect(h.practice.end(callId)).toBe(true);
    expect(h.practice.end(callId)).toBe(false);
    await h.cases.close();
  }, 30_000);

  it("without speech recognition: the script's text reaches the bot and the transcript, and it ends in a handoff", async () => {
    const h = await setup(true, false);
    const started = await h.practice.start(
      'payment-date',
      () => undefined,
      (s) => h.callerFrames.push(s),
    );
    const { callId } = started;
    expect(started.recognition).toBe(false);
    // Nobody nudges the bot: the script's sentence is what it hears.
    await handedOver(h, callId);
    const all = h.said.join(' ');
    expect(all).not.toMatch(/nichts gehört|nicht verstanden/);
    expect(all).toMatch(/Kundennummer/);
    expect(all).toMatch(/nächste Zahlung über .* ist für .* angewiesen/);
    // Still heard on the desk: the caller's voice went out as audio too.
    expect(h.callerFrames.length).toBeGreaterThan(0);
    expect(h.lines.every((l) => l.callId === callId)).toBe(true);
    expect(h.lines.filter((l) => l.source === 'script').map((l) => l.text)).toEqual([
      SCRIPT.concern,
      SCRIPT.person,
    ]);
    const keys = h.lines.filter((l) => l.source === 'keys').map((l) => l.text);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^\d+#$/);
    expect(keys[1]).toMatch(/^\d{8}$/);
    const handoff = h.events.find(
      (e) => e.event === 'bot.state' && e.data.callId === callId && e.data.phase === 'handoff',
    );
    expect(handoff?.event === 'bot.state' && handoff.data).toMatchObject({
      verified: true,
      intent: 'payment_date',
      handoff: { reason: 'human_request' },
    });
    h.practice.end(callId);
    await h.cases.close();
  }, 30_000);

  it('refuses the scripted caller without demo data, and never touches real cases', async () => {
    const h = await setup(false);
    await expect(
      h.practice.start(
        'payment-date',
        () => undefined,
        () => undefined,
      ),
    ).rejects.toBeInstanceOf(PracticeError);
    expect(await h.cases.demoCaller()).toBeNull();
    // The microphone practice needs no demo data.
    const { callId } = await h.practice.start(
      'microphone',
      () => undefined,
      () => undefined,
    );
    expect(h.practice.has(callId)).toBe(true);
    h.practice.end(callId);
    await h.cases.close();
  });
});
