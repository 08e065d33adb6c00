/**
 * The scripted practice caller with the real classifier, knowledge base and
 * case store (demo households): it answers what the bot asks for — its
 * sentence, the keypad menu, the number, the date of birth, "no" — until the
 * bot says goodbye. Without demo data it refuses to start, clearly.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../../electron/contract';
import { LiveBots } from '../../../../../electron/engine/bot/live-bots';
import { PracticeCalls, PracticeError } from '../../../../../electron/engine/bot/practice-calls';
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

async function setup(demo: boolean) {
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
    hoursText: '',
    worklist: async () => undefined,
    emit: (e) => events.push(e),
    botSaid: (_id, text) => said.push(text),
    log,
    silenceTimeoutMs: 60_000,
  });
  bots.setOverride('day');
  const callerFrames: Int16Array[] = [];
  const practice = new PracticeCalls({
    bots,
    voice: {
      async *synthesize() {
        yield new Int16Array(1600).fill(700);
      },
    },
    demoCaller: () => cases.demoCaller(),
    log,
    thinkMs: 20,
  });
  return { cases, bots, practice, said, callerFrames, events };
}

describe('PracticeCalls', () => {
  it('plays the caller through a whole payment-date conversation with a demo household', async () => {
    const h = await setup(true);
    const { callId } = await h.practice.start(
      'payment-date',
      () => undefined,
      (s) => h.callerFrames.push(s),
    );
    expect(callId).toMatch(/^practice-/);
    // Without speech recognition here, the caller's sentence is only heard as
    // audio; the silence timer is long, so nudge the bot as the speech process would.
    await expect.poll(() => h.callerFrames.length, { timeout: 5000 }).toBeGreaterThan(0);
    h.bots.heard(callId, 'wort', 0.5);
    await expect
      .poll(() => h.said.some((s) => /Auf Wiederhören/.test(s)), { timeout: 15_000 })
      .toBe(true)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nsaid: ${h.said.join(' | ')}`);
      });
    const all = h.said.join(' ');
    expect(all).toMatch(/nicht verstanden/);
    expect(all).toMatch(/Geburtsdatum/);
    expect(all).toMatch(/nächste Zahlung über .* ist für .* angewiesen/);
    expect(h.bots.outcome(callId)).toMatchObject({ verified: true, intent: 'payment_date' });
    expect(h.practice.end(callId)).toBe(true);
    expect(h.practice.end(callId)).toBe(false);
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
