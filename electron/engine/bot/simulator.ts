/**
 * A whole bot conversation as text: the same pipeline as in a call
 * (understanding → dialogue → voice → output) with the real classifier, knowledge
 * base and case store, minus audio. Caller turns come from a script; bot turns
 * go out as JSON lines, then one line with the outcome. Tests and acceptance
 * checks use it; so can an office checking its own case data.
 *
 * Script (JSON):
 *   { "mode": "day" | "night",        (default "day")
 *     "callerId": "061234567",        (optional: offered for callbacks)
 *     "today": "2026-11-24",          (optional: the simulated day)
 *     "turns": [ { "say": "wann kommt mein geld" }, { "dtmf": "990D10001#" },
 *                { "silence": true }, { "wait": 8 }, { "say": "…", "bargeIn": true } ] }
 * `silence` is the bot's silence timer running out at once; `wait` lets that
 * many seconds pass with the caller doing nothing, and the bot's timers run
 * on a virtual clock as in a call (SILENCE_TIMEOUT_MS after a question,
 * twice that from the last key in the middle of an entry).
 * Cases (JSON): the case store's import format (see resources/demo/README.md):
 *   { "version": 1, "households": [ … ] }
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { EmbeddedCaseSystem } from '../cases/embedded-case-system';
import { loadKnowledgeBase } from '../knowledge/knowledge-base';
import { findKnowledgeDirectory, findSiteProfile } from '../knowledge/knowledge-paths';
import { loadSiteProfile } from '../knowledge/site-profile';
import { createIntentClassifier } from '../nlu/intents/intent-classifier';
import { BotSession, SILENCE_TIMEOUT_MS } from './bot-session';
import { caseAnswersFrom, verifierFrom } from './case-answers';
import type { ListenExpectation, WorklistItem } from './frames';
import { answersFrom, understandWith } from './understanding';
import { VirtualClock } from './virtual-clock';

const turnSchema = z.union([
  z.object({ say: z.string().max(20_000), bargeIn: z.boolean().optional() }).strict(),
  z.object({ dtmf: z.string().max(100) }).strict(),
  z.object({ silence: z.literal(true) }).strict(),
  /** Seconds in which the caller does nothing (the bot's silence timers run). */
  z.object({ wait: z.number().positive().max(600) }).strict(),
]);

export const scriptSchema = z.object({
  mode: z.enum(['day', 'night']).default('day'),
  callerId: z.string().max(40).optional(),
  /** The simulated day (YYYY-MM-DD): "next payment" is relative to it. Default: today. */
  today: z.iso.date().optional(),
  turns: z.array(turnSchema).max(500),
});
export type SimulatorScript = z.infer<typeof scriptSchema>;

export interface SimulatorLine {
  [key: string]: unknown;
}

export async function simulate(options: {
  cases: unknown;
  script: unknown;
  write: (line: SimulatorLine) => void;
}): Promise<void> {
  const parsed = scriptSchema.safeParse(options.script);
  if (!parsed.success) throw new SimulatorInputError(`script: ${z.prettifyError(parsed.error)}`);
  const script = parsed.data;

  const today = script.today ? new Date(`${script.today}T09:00:00Z`) : undefined;
  const cases = await EmbeddedCaseSystem.open({
    demo: false,
    verifyFloorMs: 0,
    pinKey: crypto.randomBytes(32),
    ...(today ? { now: () => today } : {}),
  });
  try {
    const imported = await cases.importCaseFile(options.cases);
    const warnings = imported.issues.map((i) => `case file: ${i.record}: ${i.field}: ${i.message}`);
    const [classifier, knowledge] = await Promise.all([
      createIntentClassifier(),
      Promise.resolve(
        loadKnowledgeBase(findKnowledgeDirectory(), loadSiteProfile(findSiteProfile('demo'))),
      ),
    ]);
    const callId = `simulated-${crypto.randomUUID()}`;

    let said: { text: string; source?: string }[] = [];
    let listen: ListenExpectation | undefined;
    const actions: Record<string, unknown>[] = [];
    const filed: WorklistItem[] = [];
    const clock = new VirtualClock();
    const bot = new BotSession({
      silenceTimeoutMs: SILENCE_TIMEOUT_MS,
      clock,
      deps: {
        mode: script.mode,
        understand: understandWith(classifier),
        answerFor: answersFrom(knowledge),
        verify: verifierFrom(cases, callId),
        caseAnswer: caseAnswersFrom(cases, callId),
      },
      // No audio: the pipeline runs, the voice yields nothing.
      synthesize: async function* () {},
      output: {
        play: () => undefined,
        stopPlayback: () => undefined,
        drained: async () => undefined,
        said: (text, source) => said.push({ text, ...(source ? { source } : {}) }),
        listen: (expect) => (listen = expect),
        handoff: (reason, priority, summary) =>
          actions.push({ type: 'handoff', reason, priority, summary }),
        file: (item) => filed.push(item),
        hangup: () => actions.push({ type: 'hangup' }),
      },
    });
    const flush = (turn: number, caller?: Record<string, unknown>): void => {
      options.write({
        turn,
        ...(caller ? { caller } : {}),
        bot: said.map((s) => s.text).join(' '),
        sources: said.flatMap((s) => (s.source ? [s.source] : [])),
        listen: listen?.type ?? null,
        actions: actions.splice(0),
      });
      said = [];
      listen = undefined;
    };

    await bot.start(script.callerId);
    flush(0);
    let index = 0;
    for (const turn of script.turns) {
      index++;
      if (bot.outcome.ended || bot.outcome.handoff) break;
      if ('say' in turn) {
        if (turn.bargeIn) bot.callerSpeaking();
        await bot.heard(turn.say);
        flush(index, { say: turn.say });
      } else if ('dtmf' in turn) {
        await bot.keyed(turn.dtmf);
        flush(index, { dtmf: turn.dtmf });
      } else if ('wait' in turn) {
        await clock.advance(turn.wait * 1000, () => bot.idle());
        flush(index, { wait: turn.wait });
      } else {
        await bot.silence();
        flush(index, { silence: true });
      }
    }
    const outcome = bot.outcome;
    options.write({
      outcome: {
        intent: outcome.intent,
        verified: outcome.verified,
        answeredFacts: outcome.answeredFacts,
        handoff: outcome.handoff ?? null,
        callback: filed.find((f) => f.type === 'callback') ?? null,
        message: filed.find((f) => f.type === 'message') ?? null,
        mode: outcome.mode,
        ended: outcome.ended || outcome.handoff !== undefined,
        ...(warnings.length > 0 ? { warnings } : {}),
      },
    });
  } finally {
    await cases.close();
  }
}

export class SimulatorInputError extends Error {
  override name = 'SimulatorInputError';
}
