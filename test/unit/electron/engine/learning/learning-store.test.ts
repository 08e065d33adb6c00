/** The learning store on the real embedded SQLite database: feedback, wrap-up labels, notes waiting on the desk. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger, type LogEntry } from '../../../../../electron/engine/log/logger';
import { LearningStoreError } from '../../../../../electron/engine/learning/learning-checks';
import { LearningStore } from '../../../../../electron/engine/learning/learning-store';
import { loadBetterSqlite } from '../../../../../electron/engine/store/db/sqlite-database';
import { SecretBox } from '../../../../../electron/engine/store/secret-box';

const dirs: string[] = [];
const open: LearningStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close().catch(() => undefined)));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-learning-'));
  dirs.push(d);
  return d;
};

const key = crypto.randomBytes(32);
let clock = Date.parse('2026-11-25T08:00:00Z');
const now = () => new Date((clock += 1000));

async function openStore(
  dataDir: string,
  extra: { box?: SecretBox; log?: ReturnType<Logger['scope']> } = {},
): Promise<LearningStore> {
  const store = await LearningStore.open({ dataDir, driver: 'sqlite', now, ...extra });
  open.push(store);
  return store;
}

/** Every byte the database left on disk: the file and its journals. */
function rawBytes(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('learning.sqlite'))
    .map((name) => fs.readFileSync(path.join(dir, name)).toString('latin1'))
    .join('');
}

/** Reads a table straight from the file, past the store. */
function rawRows(dir: string, sql: string): Record<string, unknown>[] {
  const Native = loadBetterSqlite()!;
  const db = new Native(path.join(dir, 'learning.sqlite'));
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const NOTE =
  'Telefonat am 25.11.2026 – Anlass: Krankmeldung\nAnliegen:\n- „Ich bin bis zum 28. November krankgeschrieben“\n' +
  'Vereinbart / Folgeaufgaben: Unterlagen: AU-Bescheinigung bis Freitag\nIdentität: nicht geprüft';

describe('LearningStore', () => {
  it('needs better-sqlite3 for these tests', () => {
    expect(loadBetterSqlite()).not.toBeNull();
  });

  it('records feedback per call and rejects bad input without storing it', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { box: new SecretBox(key) });
    const first = await store.recordFeedback({
      callId: 'call-1',
      articleId: 'zahlungstermin',
      action: 'pinned',
      who: 'agent:k.beispiel',
      intent: 'payment_date',
      rank: 0,
    });
    await store.recordFeedback({
      callId: 'call-1',
      articleId: 'zahlungstermin',
      action: 'helpful',
      who: 'agent:k.beispiel',
    });
    await store.recordFeedback({
      callId: 'call-2',
      articleId: 'kdu',
      action: 'not_helpful',
      who: 'agent:m.muster',
      rank: 3,
    });
    expect(first).toMatchObject({
      callId: 'call-1',
      action: 'pinned',
      intent: 'payment_date',
      rank: 0,
    });

    const call1 = await store.feedbackFor('call-1');
    expect(call1.map((f) => [f.articleId, f.action, f.intent, f.rank])).toEqual([
      ['zahlungstermin', 'pinned', 'payment_date', 0],
      ['zahlungstermin', 'helpful', null, null],
    ]);
    expect(call1[0]!.at < call1[1]!.at).toBe(true);
    expect(await store.feedbackFor('call-unknown')).toEqual([]);

    const bad = [
      { callId: 'call-1', articleId: 'a', action: 'liked', who: 'x' },
      { callId: '', articleId: 'a', action: 'used', who: 'x' },
      { callId: 'call-1', articleId: ' ', action: 'used', who: 'x' },
      { callId: 'call-1', articleId: 'a', action: 'used', who: '' },
      { callId: 'call-1', articleId: 'a', action: 'used', who: 'x', rank: -1 },
      { callId: 'call-1', articleId: 'a', action: 'used', who: 'x', rank: 1.5 },
      { callId: 'call-1', articleId: 'a'.repeat(201), action: 'used', who: 'x' },
    ];
    for (const input of bad) {
      await expect(
        store.recordFeedback(input as Parameters<LearningStore['recordFeedback']>[0]),
      ).rejects.toBeInstanceOf(LearningStoreError);
    }
    await expect(
      store.recordFeedback({ callId: 'c', articleId: 'a', action: 'liked' as 'used', who: 'x' }),
    ).rejects.toMatchObject({
      reason: 'invalid_record',
      params: { field: 'action', value: 'liked' },
    });
    expect(await store.feedbackFor('call-1')).toHaveLength(2);
    expect(rawRows(dir, 'SELECT COUNT(*) AS n FROM suggestion_feedback')[0]!.n).toBe(3);
  });

  it('keeps the labels of a saved wrap-up, not its text, and counts per article for the reviewer', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { box: new SecretBox(key) });
    // Two calls; the agent clicks "helpful" twice in call 1 (counted once).
    for (const [callId, articleId, action] of [
      ['call-1', 'zahlungstermin', 'helpful'],
      ['call-1', 'zahlungstermin', 'helpful'],
      ['call-1', 'zahlungstermin', 'copied'],
      ['call-2', 'zahlungstermin', 'helpful'],
      ['call-2', 'zahlungstermin', 'used'],
      ['call-2', 'kdu', 'not_helpful'],
      ['call-2', 'kdu', 'pinned'],
    ] as const) {
      await store.recordFeedback({ callId, articleId, action, who: 'agent:k.beispiel' });
    }
    const saved = await store.recordWrapUp({
      callId: 'call-2',
      note: NOTE,
      intent: 'sick_note',
      disposition: 'case_updated',
      proposed: {
        note: NOTE.replace('Freitag', 'Montag'),
        intent: 'sick_note',
        disposition: 'documents_requested',
      },
      savedTo: 'case_system',
      noteId: 'note-77',
      who: 'agent:k.beispiel',
      shown: ['zahlungstermin', 'kdu', 'au-bescheinigung', 'kdu'],
      used: ['au-bescheinigung'],
    });
    expect(saved).toMatchObject({
      callId: 'call-2',
      intent: 'sick_note',
      disposition: 'case_updated',
      proposedDisposition: 'documents_requested',
      noteLength: NOTE.length,
      noteSha256: crypto.createHash('sha256').update(NOTE).digest('hex'),
      noteEdited: true,
      savedTo: 'case_system',
      noteId: 'note-77',
      shown: ['zahlungstermin', 'kdu', 'au-bescheinigung'],
      used: ['au-bescheinigung'],
      pendingId: null,
    });
    expect(await store.wrapUpsFor('call-2')).toEqual([
      { ...saved, shown: ['au-bescheinigung', 'kdu', 'zahlungstermin'] },
    ]);
    expect(await store.pendingNotes()).toEqual([]);

    expect(await store.summary()).toEqual([
      {
        articleId: 'zahlungstermin',
        helpful: 2,
        notHelpful: 0,
        pinned: 0,
        copied: 1,
        used: 1,
        shownInWrapUps: 1,
        usedInWrapUps: 0,
        lastAt: expect.any(String),
      },
      {
        articleId: 'kdu',
        helpful: 0,
        notHelpful: 1,
        pinned: 1,
        copied: 0,
        used: 0,
        shownInWrapUps: 1,
        usedInWrapUps: 0,
        lastAt: expect.any(String),
      },
      {
        articleId: 'au-bescheinigung',
        helpful: 0,
        notHelpful: 0,
        pinned: 0,
        copied: 0,
        used: 0,
        shownInWrapUps: 1,
        usedInWrapUps: 1,
        lastAt: saved.at,
      },
    ]);
    await store.close();
    open.splice(0);
    // The note went to the case system: not a word of it on the desk.
    expect(rawBytes(dir)).not.toContain('krankgeschrieben');
    expect(rawBytes(dir)).toContain('note-77');
  });

  it('keeps a note the case system did not take whole, sealed at rest, until it is delivered', async () => {
    const dir = tempDir();
    const logs: LogEntry[] = [];
    const logger = new Logger({ stderr: false });
    logger.addSink((entry) => logs.push(entry));
    const store = await openStore(dir, { box: new SecretBox(key), log: logger.scope('learning') });
    const saved = await store.recordWrapUp({
      callId: 'call-3',
      note: NOTE,
      intent: 'sick_note',
      disposition: 'case_updated',
      savedTo: 'desk',
      pendingReason: 'case_system_unavailable',
      caseId: 'case-17',
      who: 'agent:k.beispiel',
      used: ['au-bescheinigung'],
    });
    expect(saved.pendingId).toEqual(expect.any(String));
    expect(logs.filter((entry) => entry.level === 'warn')).toEqual([]);
    const pending = await store.pendingNotes();
    expect(pending).toEqual([
      {
        id: saved.pendingId,
        wrapUpId: saved.id,
        callId: 'call-3',
        caseId: 'case-17',
        reason: 'case_system_unavailable',
        intent: 'sick_note',
        disposition: 'case_updated',
        text: NOTE,
        createdAt: saved.at,
      },
    ]);
    await store.close();
    open.splice(0);

    // At rest: sealed (AES-256-GCM), the words nowhere in the file.
    const bytes = rawBytes(dir);
    expect(bytes).not.toContain('krankgeschrieben');
    expect(bytes).not.toContain('AU-Bescheinigung');
    const [row] = rawRows(dir, 'SELECT sealed, plain_text FROM pending_notes');
    expect(row!.plain_text).toBeNull();
    expect(JSON.parse(String(row!.sealed))).toMatchObject({ alg: 'aes-256-gcm' });

    // Another key cannot open it: a clear error, and the note is still there.
    const wrongKey = await openStore(dir, { box: new SecretBox(crypto.randomBytes(32)) });
    await expect(wrongKey.pendingNotes()).rejects.toMatchObject({
      reason: 'pending_note_unreadable',
    });
    await wrongKey.close();
    open.splice(0);

    // Reopened with the right key: the note is back; delivered, its text is wiped.
    const reopened = await openStore(dir, { box: new SecretBox(key) });
    expect((await reopened.pendingNotes()).map((note) => note.text)).toEqual([NOTE]);
    await reopened.markDelivered(saved.pendingId!, 'note-91');
    expect(await reopened.pendingNotes()).toEqual([]);
    expect(await reopened.wrapUpsFor('call-3')).toEqual([
      expect.objectContaining({ savedTo: 'case_system', noteId: 'note-91', pendingId: null }),
    ]);
    await expect(reopened.markDelivered(saved.pendingId!, 'note-92')).rejects.toMatchObject({
      reason: 'note_already_delivered',
      params: { id: saved.pendingId },
    });
    await expect(reopened.markDelivered('no-such-note')).rejects.toMatchObject({
      reason: 'pending_note_not_found',
      params: { id: 'no-such-note' },
    });
    await reopened.close();
    open.splice(0);
    const [after] = rawRows(dir, 'SELECT sealed, plain_text, delivered_note_id FROM pending_notes');
    expect(after).toEqual({ sealed: null, plain_text: null, delivered_note_id: 'note-91' });
  });

  it('without a key keeps the note anyway, in clear, and says so in the log', async () => {
    const dir = tempDir();
    const logs: LogEntry[] = [];
    const logger = new Logger({ stderr: false });
    logger.addSink((entry) => logs.push(entry));
    const store = await openStore(dir, { log: logger.scope('learning') });
    expect(logs).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/unencrypted/) }),
    ]);
    await store.recordWrapUp({
      callId: 'call-4',
      note: NOTE,
      intent: null,
      disposition: 'information_given',
      savedTo: 'desk',
      who: 'agent:k.beispiel',
    });
    expect(await store.pendingNotes()).toEqual([
      expect.objectContaining({
        callId: 'call-4',
        caseId: null,
        reason: 'not_verified',
        text: NOTE,
      }),
    ]);
  });

  it('rejects a bad wrap-up with a clear error and stores nothing of it', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { box: new SecretBox(key) });
    const base = {
      callId: 'call-5',
      note: NOTE,
      intent: 'sick_note',
      disposition: 'case_updated' as const,
      savedTo: 'desk' as const,
      who: 'agent:k.beispiel',
    };
    const cases: [Record<string, unknown>, RegExp | Record<string, unknown>][] = [
      [{ note: '   ' }, { reason: 'note_empty' }],
      [{ note: 'x'.repeat(4001) }, { reason: 'note_too_long', params: { max: 4000 } }],
      [
        { disposition: 'solved' },
        { reason: 'invalid_record', params: { field: 'disposition', value: 'solved' } },
      ],
      [{ savedTo: 'cloud' }, /savedTo/],
      [{ savedTo: 'case_system' }, /noteId/],
      [{ callId: '' }, /callId/],
      [{ shown: ['ok', ''] }, /shown/],
      [
        { used: Array.from({ length: 201 }, (_, i) => `a${i}`) },
        { reason: 'invalid_record', params: { field: 'used', max: 200 } },
      ],
      [{ pendingReason: 'lost' }, /pendingReason/],
    ];
    for (const [change, expected] of cases) {
      const saving = store.recordWrapUp({ ...base, ...change } as Parameters<
        LearningStore['recordWrapUp']
      >[0]);
      await expect(saving).rejects.toBeInstanceOf(LearningStoreError);
      if (expected instanceof RegExp) await expect(saving).rejects.toThrow(expected);
      else await expect(saving).rejects.toMatchObject(expected);
    }
    expect(await store.wrapUpsFor('call-5')).toEqual([]);
    expect(await store.pendingNotes()).toEqual([]);
  });

  it('moves a damaged database file aside, keeps it, and starts fresh', async () => {
    const dir = tempDir();
    const damaged = 'not a database '.repeat(200);
    fs.writeFileSync(path.join(dir, 'learning.sqlite'), damaged);
    const logs: LogEntry[] = [];
    const logger = new Logger({ stderr: false });
    logger.addSink((entry) => logs.push(entry));
    const store = await openStore(dir, { box: new SecretBox(key), log: logger.scope('learning') });
    const aside = fs.readdirSync(dir).filter((name) => /^learning\.sqlite\.damaged-/.test(name));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(damaged);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/learning store .* was damaged/),
      }),
    );
    await store.recordFeedback({ callId: 'c', articleId: 'a', action: 'used', who: 'agent:x' });
    expect(await store.summary()).toEqual([expect.objectContaining({ articleId: 'a', used: 1 })]);
  });
});
