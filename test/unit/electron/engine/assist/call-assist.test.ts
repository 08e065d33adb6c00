/**
 * The call assistant with real parts: the embedded case store (in memory,
 * demo households), the bundled knowledge base with the MiniSearch ranker,
 * the trained intent classifier, the wrap-up proposal and the learning store
 * (SQLite in a temp folder). Checks the rules that matter to a caseworker and
 * a data-protection officer: no case before verification, every view
 * audited, a failing back office is an error that keeps the note on the desk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestionList, TranscriptSegment } from '../../../../../electron/contract';
import { AssistError } from '../../../../../electron/engine/assist/assist-error';
import { withoutPrompts } from '../../../../../electron/engine/assist/bot-lines';
import { CallAssist } from '../../../../../electron/engine/assist/call-assist';
import { proposeWrapUp } from '../../../../../electron/engine/assist/wrap-up';
import { understandWith } from '../../../../../electron/engine/bot/understanding';
import { CaseSystemError, type CaseSystem } from '../../../../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { loadKnowledgeBase } from '../../../../../electron/engine/knowledge/knowledge-base';
import {
  findKnowledgeDirectory,
  findSiteProfile,
} from '../../../../../electron/engine/knowledge/knowledge-paths';
import { loadSiteProfile } from '../../../../../electron/engine/knowledge/site-profile';
import { SuggestionRanker } from '../../../../../electron/engine/knowledge/suggestions';
import { LearningStore } from '../../../../../electron/engine/learning/learning-store';
import { Logger } from '../../../../../electron/engine/log/logger';
import { createIntentClassifier } from '../../../../../electron/engine/nlu/intents/intent-classifier';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';

let cases: EmbeddedCaseSystem;
let learning: LearningStore;
let ranker: SuggestionRanker;
let classify: (text: string) => { intent: string; confidence: number };
let caller: { customerNumber: string; dateOfBirth: string };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-assist-'));

beforeAll(async () => {
  cases = await EmbeddedCaseSystem.open({ verifyFloorMs: 0 });
  learning = await LearningStore.open({
    dataDir: dir,
    box: new SecretBox(crypto.randomBytes(32)),
  });
  ranker = new SuggestionRanker(
    loadKnowledgeBase(findKnowledgeDirectory(), loadSiteProfile(findSiteProfile('demo'))),
  );
  classify = understandWith(await createIntentClassifier());
  caller = (await cases.demoCaller())!;
});

afterAll(async () => {
  await cases.close();
  await learning.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup(system: CaseSystem = cases) {
  const events: SuggestionList[] = [];
  const verified: string[] = [];
  const transcript = new Map<string, TranscriptSegment[]>();
  const assist = new CallAssist({
    ranker: async () => ranker,
    classify: async () => classify,
    cases: async () => system,
    learning: async () => learning,
    propose: proposeWrapUp,
    transcript: (callId) => transcript.get(callId) ?? [],
    emit: (event) => {
      if (event.event === 'assist.suggestions') events.push(event.data);
      else verified.push(`${event.data.callId}:${event.data.by}`);
    },
    log: new Logger({ stderr: false }).scope('assist'),
  });
  let n = 0;
  const say = (callId: string, speaker: TranscriptSegment['speaker'], text: string) => {
    const segment: TranscriptSegment = {
      callId,
      segmentId: `s${++n}`,
      speaker,
      text,
      startMs: n * 1000,
      endMs: n * 1000 + 800,
      confidence: 0.9,
      final: true,
    };
    transcript.set(callId, [...(transcript.get(callId) ?? []), segment]);
    assist.segment(segment);
  };
  return { assist, events, verified, say };
}

describe('CallAssist', () => {
  it('takes the bot’s fixed prompts out of its lines, keeping what it answered', () => {
    expect(
      withoutPrompts(
        'Danke, ich habe Sie gefunden. Ihre nächste Zahlung über 1124 Euro ist angewiesen. Kann ich sonst noch etwas für Sie tun?',
      ),
    ).toBe('Ihre nächste Zahlung über 1124 Euro ist angewiesen.');
    expect(withoutPrompts('Worum geht es bei Ihnen?')).toBe('');
  });

  it('re-ranks after every final and lifts the articles of the caller’s intent', async () => {
    const { assist, events, say } = setup();
    say('c1', 'bot', 'Worum geht es bei Ihnen?');
    say('c1', 'caller', 'Wann wird mein Bürgergeld diesen Monat überwiesen?');
    await assist.idle('c1');
    const last = events.at(-1)!;
    // The bot's fixed prompt says nothing about the concern: only the caller's sentence ranked.
    expect(events.length).toBe(1);
    expect(last.intent).toBe('payment_date');
    expect(last.basedOn).toBe('s2');
    expect(last.items[0]?.why.intent).toBe('payment_date');
    expect(last.items[0]?.source.url).toMatch(/^https:\/\//);
    // Partials do not re-rank.
    assist.segment({
      callId: 'c1',
      segmentId: 'p1',
      speaker: 'caller',
      text: 'Krankmeldung',
      startMs: 9000,
      endMs: 9500,
      confidence: null,
      final: false,
    });
    await assist.idle('c1');
    expect(events.length).toBe(1);
    expect(assist.suggestions('c1')).toEqual(last);
  });

  it('a wish for a person keeps the topic the caller named before', async () => {
    const { assist, events, say } = setup();
    say('c1', 'caller', 'Wann wird mein Bürgergeld diesen Monat überwiesen?');
    say('c1', 'caller', 'Ich möchte bitte mit einer Person sprechen.');
    await assist.idle('c1');
    expect(events.at(-1)?.intent).toBe('payment_date');
    // Alone, it is what the caller wants.
    say('c2', 'caller', 'Ich möchte bitte mit einer Person sprechen.');
    await assist.idle('c2');
    expect(events.at(-1)?.intent).toBe('human_request');
  });

  it('for a caller who only keyed, the intent ranks alone: the main answer leads, not a side topic of the bot’s words', async () => {
    const { assist, events, say } = setup();
    say(
      'k1',
      'bot',
      'Danke, ich habe Sie gefunden. Ihre nächste Zahlung über 1124 Euro ist für Dienstag, den 1. Dezember 2026 angewiesen. Kann ich sonst noch etwas für Sie tun?',
    );
    assist.botState({ callId: 'k1', intent: 'payment_date' });
    await assist.idle('k1');
    expect(events.at(-1)?.items[0]?.articleId).toBe('zahlung-termin');
    // The agent greets after taking over: still the main answer.
    say('k1', 'agent', 'Guten Tag, hier ist das Jobcenter, Sie sprechen mit Frau Beispiel.');
    await assist.idle('k1');
    expect(events.at(-1)?.items[0]?.articleId).toBe('zahlung-termin');
    // Once the caller speaks, their words count (with the bot's answer, weighted low).
    say('k1', 'caller', 'Und was ist, wenn der Erste auf einen Feiertag fällt?');
    await assist.idle('k1');
    expect(events.at(-1)?.items[0]?.articleId).toBe('zahlung-wochenende-feiertag');
  });

  it('refuses the case before verification and writes no audit row for it', async () => {
    const { assist } = setup();
    const before = (await cases.auditLog({ limit: 1000 })).length;
    await expect(assist.context('c2', 'refresh', 'agent:k.test')).rejects.toMatchObject({
      code: 'not_verified',
    });
    expect((await cases.auditLog({ limit: 1000 })).length).toBe(before);
  });

  it('opens the case after the agent confirms identity, audited with who and why, and adds case facts to suggestions', async () => {
    const { assist, events, verified, say } = setup();
    expect(
      await assist.agentVerify('c3', caller.customerNumber, '1900-01-01', 'agent:k.test'),
    ).toBe(false);
    await expect(assist.agentVerify('c3', 'hallo', '1980-01-01', 'agent:k.test')).rejects.toThrow(
      AssistError,
    );
    expect(
      await assist.agentVerify('c3', caller.customerNumber, caller.dateOfBirth, 'agent:k.test'),
    ).toBe(true);
    expect(verified).toEqual(['c3:agent']);
    say('c3', 'caller', 'Wann kommt meine nächste Zahlung?');
    const { context, verifiedBy } = await assist.context('c3', 'agent_verified', 'agent:k.test');
    expect(verifiedBy).toBe('agent');
    expect(context.client.customerNumber).toBe(caller.customerNumber);
    expect(context.client.dateOfBirth).toBe(caller.dateOfBirth);
    const audit = (await cases.auditLog({ limit: 5 })).find((a) => a.what === 'case_context');
    expect(audit).toMatchObject({ who: 'agent:k.test', callId: 'c3', outcome: 'read' });
    expect(audit?.why).toMatch(/agent confirmed/);
    await assist.idle('c3');
    const withFact = events.at(-1)!.items.find((s) => s.why.caseFact);
    if (context.nextPayment) expect(withFact?.why.caseFact).toMatch(/Zahlung/);
  });

  it('turns a failing back office into a clear error and keeps the note on the desk until a save gets through', async () => {
    let failing = true;
    const flaky: CaseSystem = new Proxy(cases, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failing && (property === 'caseContext' || property === 'addContactNote'))
            return Promise.reject(
              new CaseSystemError(
                'timeout',
                'Fachverfahren antwortet nicht rechtzeitig / timed out',
              ),
            );
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const { assist, say } = setup(flaky);
    await assist.agentVerify('c4', caller.customerNumber, caller.dateOfBirth, 'agent:k.test');
    await expect(assist.context('c4', 'agent_verified', 'agent:k.test')).rejects.toMatchObject({
      code: 'back_office',
      message: expect.stringMatching(/nicht rechtzeitig/),
    });
    say('c4', 'caller', 'Ich möchte mich krankmelden, ich habe eine Krankmeldung vom Arzt.');
    assist.callEnded('c4');
    const proposal = assist.propose('c4', 'K. Test');
    expect(proposal.verified).toBe(true);
    expect(proposal.note).toMatch(/Anlass/);
    const pendingBefore = (await learning.pendingNotes()).length;
    await expect(
      assist.save(
        'c4',
        { text: proposal.note, disposition: proposal.disposition, intent: proposal.intent },
        'agent:k.test',
      ),
    ).rejects.toMatchObject({
      code: 'back_office',
      reason: 'note_kept_on_desk',
      params: { cause: 'case_system_timeout' },
      message: expect.stringMatching(/kept on the desk/),
    });
    expect((await learning.pendingNotes()).length).toBe(pendingBefore + 1);
    failing = false;
    const saved = await assist.save(
      'c4',
      { text: proposal.note, disposition: proposal.disposition, intent: proposal.intent },
      'agent:k.test',
    );
    expect(saved.savedTo).toBe('case_system');
    expect((await learning.pendingNotes()).length).toBe(pendingBefore);
    // The note is in the case now.
    const again = await cases.verify(caller, { who: 'test', why: 'check the note' });
    if (!again.verified) throw new Error('demo caller must verify');
    const notes = await cases.contactNotes(again.caseRef, { who: 'test', why: 'check the note' });
    expect(notes[0]?.text).toContain('Anlass');
    expect(notes[0]?.author).toBe('agent:k.test');
  });

  it('keeps an unverified caller’s note on the desk, and records feedback for the learning loop', async () => {
    const { assist, events, say } = setup();
    say('c5', 'caller', 'Ich habe eine Frage zu meinen Mietkosten und der Nebenkostenabrechnung.');
    await assist.idle('c5');
    const top = events.at(-1)!.items[0]!;
    expect(await assist.feedback('c5', top.articleId, 'helpful', 'agent:k.test')).toBe(true);
    const feedback = await learning.feedbackFor('c5');
    expect(feedback[0]).toMatchObject({ articleId: top.articleId, action: 'helpful', rank: 1 });
    const proposal = assist.propose('c5');
    expect(proposal.verified).toBe(false);
    const saved = await assist.save(
      'c5',
      { text: proposal.note, disposition: 'information_given', intent: 'housing_costs' },
      'agent:k.test',
    );
    expect(saved).toMatchObject({ savedTo: 'desk', noteId: null });
  });
});
