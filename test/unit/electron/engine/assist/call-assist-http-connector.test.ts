/**
 * The caseworker's assistant over the HTTP connector (issue 13, point 5).
 *
 * A case system set up with plain http:// to another machine: the screen
 * gets the contract's reason naming the variable, not "unavailable".
 *
 * A wrap-up note saved twice reaches the case system once: the caseworker's
 * assistant over the HTTP connector and the contract server of the test bed,
 * with the real learning store. The bridge writes the note but its answer is
 * lost (three times): the note is kept on the desk; the agent saves again and
 * the same Idempotency-Key – derived from the waiting note's id, the call and
 * the text – makes the bridge answer with the note it already has.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CallAssist,
  type CallAssistOptions,
} from '../../../../../electron/engine/assist/call-assist';
import { caseSystemConfigFromEnv } from '../../../../../electron/engine/cases/open-case-system';
import { AuditJournal } from '../../../../../electron/engine/cases/audit-journal';
import {
  HttpCaseSystem,
  noteIdempotencyKey,
} from '../../../../../electron/engine/cases/http-case-system';
import { LearningStore } from '../../../../../electron/engine/learning/learning-store';
import { Logger } from '../../../../../electron/engine/log/logger';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';
import {
  startCaseContractServer,
  type CaseContractServer,
} from '../../../../testbed/case-contract-server';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-note-retry-'));
let server: CaseContractServer;
let journal: AuditJournal;
let cases: HttpCaseSystem;
let learning: LearningStore;

beforeAll(async () => {
  server = await startCaseContractServer({ demoHouseholds: 3 });
  journal = await AuditJournal.open();
  cases = new HttpCaseSystem({
    baseUrl: server.url,
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 10,
    random: () => 0.5,
    verifyFloorMs: 0,
    auditLog: journal,
  });
  learning = await LearningStore.open({ dataDir: dir, box: new SecretBox(crypto.randomBytes(32)) });
}, 30_000);

afterAll(async () => {
  await cases?.close();
  await learning?.close();
  await journal?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function assistWith(open: CallAssistOptions['cases']): CallAssist {
  return new CallAssist({
    ranker: async () => ({ rank: () => [], search: () => [], searchTranscript: () => [] }),
    classify: async () => () => ({ intent: 'other', confidence: 0 }),
    cases: open,
    learning: async () => learning,
    propose: () => ({ note: '', intent: null, disposition: 'callback_arranged' }),
    transcript: () => [],
    emit: () => undefined,
    log: new Logger({ stderr: false }).scope('assist'),
  });
}

describe('CallAssist over the HTTP connector', () => {
  it('says which setting is wrong when the case system is set up without https', async () => {
    const assist = assistWith(async () => {
      caseSystemConfigFromEnv({ LOTSE_CASE_SYSTEM_URL: 'http://fachverfahren.example/lotse/v1' });
      throw new Error('not reached: the setting is refused');
    });
    await expect(
      assist.agentVerify('call-x', '998D00001', '1985-04-12', 'agent:k'),
    ).rejects.toMatchObject({
      code: 'back_office',
      reason: 'case_system_url_insecure',
      params: { variable: 'LOTSE_CASE_SYSTEM_URL' },
      message: expect.stringMatching(/LOTSE_CASE_SYSTEM_URL: must use https/),
    });
  });

  it('writes a retried note once: both saves send the key derived from the waiting note', async () => {
    const assist = assistWith(async () => cases);
    const caller = await server.cases.demoCaller();
    if (!caller) throw new Error('the demo households have a caller');
    const callId = 'call-retry-1';
    expect(
      await assist.agentVerify(callId, caller.customerNumber, caller.dateOfBirth, 'agent:k'),
    ).toBe(true);
    assist.callEnded(callId);
    const text = `Rückruf am Montag zugesagt (${Date.now()})`;
    const note = { text, disposition: 'callback_arranged' as const, intent: null };
    const before = server.requests.filter((r) => r.route === 'add-contact-note').length;
    const pendingBefore = (await learning.pendingNotes()).map((p) => p.id);

    // The bridge writes the note, but the answer is lost on every attempt.
    server.faults.set({ route: 'add-contact-note', drop: true, failTimes: 3 });
    await expect(assist.save(callId, note, 'agent:k')).rejects.toMatchObject({
      reason: 'note_kept_on_desk',
    });
    server.faults.clear();
    const waiting = (await learning.pendingNotes()).filter((p) => !pendingBefore.includes(p.id));
    expect(waiting).toHaveLength(1);

    // The agent saves again.
    const saved = await assist.save(callId, note, 'agent:k');
    expect(saved.savedTo).toBe('case_system');
    expect(await learning.pendingNotes()).toHaveLength(pendingBefore.length);

    const posts = server.requests.filter((r) => r.route === 'add-contact-note').slice(before);
    expect(posts).toHaveLength(4);
    // One key for every attempt of both saves, so the bridge holds the note once.
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    const check = await server.cases.verify(caller, { who: 'test', why: 'check the note' });
    if (!check.verified) throw new Error('demo caller must verify');
    const notes = await server.cases.contactNotes(
      check.caseRef,
      { who: 'test', why: 'check the note' },
      100,
    );
    expect(notes.filter((n) => n.text.startsWith(text))).toHaveLength(1);
    expect(notes.find((n) => n.text.startsWith(text))?.id).toBe(saved.noteId);
    // The key comes from the note as it waited on the desk: its id, the call and the text sent.
    const sentText = `${text}\n\n[Rückruf vereinbart]`;
    expect(posts[0]?.idempotencyKey).toBe(noteIdempotencyKey(waiting[0]!.id, callId, sentText));
  });
});
