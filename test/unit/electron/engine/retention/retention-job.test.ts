/**
 * Retention: the settings (safe defaults, bad values refused by name), the
 * daily job on a clock it is given (transcripts by age, done worklist items,
 * sealing old rows, kept items, log files), every deletion audited first, and
 * the transcript going as soon as the wrap-up note is in the case system.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../../../../../electron/contract';
import { WorklistFallback } from '../../../../../electron/engine/bot/worklist-fallback';
import { WorklistStore } from '../../../../../electron/engine/bot/worklist-store';
import { Logger } from '../../../../../electron/engine/log/logger';
import {
  RetentionJob,
  type RetentionAuditEvent,
} from '../../../../../electron/engine/retention/retention-job';
import {
  DEFAULT_RETENTION,
  retentionSettingsFromEnv,
} from '../../../../../electron/engine/retention/retention-settings';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';
import { TranscriptStore } from '../../../../../electron/engine/transcript/transcript-store';

const DAY = 86_400_000;
let dir: string;
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-retention-'));
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('retention settings', () => {
  it('has safe defaults: transcripts 30 days or once the note is saved, done items 90 days, logs 14 days', () => {
    const { settings, errors } = retentionSettingsFromEnv({});
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      transcriptDays: 30,
      transcriptAfterNote: true,
      worklistDoneDays: 90,
      log: { maxBytes: 5 * 1024 * 1024, maxFiles: 20, maxAgeDays: 14 },
    });
  });

  it('takes IT’s values and refuses a bad one by name, keeping the default', () => {
    const good = retentionSettingsFromEnv({
      LOTSE_RETENTION_TRANSCRIPT_DAYS: '7',
      LOTSE_RETENTION_TRANSCRIPT_AFTER_NOTE: 'false',
      LOTSE_RETENTION_WORKLIST_DONE_DAYS: ' 30 ',
      LOTSE_RETENTION_LOG_DAYS: '3',
      LOTSE_LOG_MAX_BYTES: '1048576',
      LOTSE_LOG_MAX_FILES: '4',
    });
    expect(good.errors).toEqual([]);
    expect(good.settings).toEqual({
      transcriptDays: 7,
      transcriptAfterNote: false,
      worklistDoneDays: 30,
      log: { maxBytes: 1048576, maxFiles: 4, maxAgeDays: 3 },
    });
    const bad = retentionSettingsFromEnv({
      LOTSE_RETENTION_TRANSCRIPT_DAYS: '0',
      LOTSE_RETENTION_TRANSCRIPT_AFTER_NOTE: 'vielleicht',
      LOTSE_RETENTION_WORKLIST_DONE_DAYS: '90 Tage',
      LOTSE_RETENTION_LOG_DAYS: '-1',
      LOTSE_LOG_MAX_BYTES: '10',
      LOTSE_LOG_MAX_FILES: '1e3',
    });
    expect(bad.settings).toEqual(DEFAULT_RETENTION);
    expect(bad.errors.map((e) => e.variable)).toEqual([
      'LOTSE_RETENTION_TRANSCRIPT_DAYS',
      'LOTSE_RETENTION_TRANSCRIPT_AFTER_NOTE',
      'LOTSE_RETENTION_WORKLIST_DONE_DAYS',
      'LOTSE_RETENTION_LOG_DAYS',
      'LOTSE_LOG_MAX_BYTES',
      'LOTSE_LOG_MAX_FILES',
    ]);
    expect(bad.errors[0]?.message).toMatch(
      /^LOTSE_RETENTION_TRANSCRIPT_DAYS: "0" is not a whole number of days from 1 to 3650; using 30$/,
    );
  });
});

function segment(callId: string): TranscriptSegment {
  return {
    callId,
    segmentId: `${callId}-1`,
    speaker: 'caller',
    text: 'Ich warte auf mein Geld',
    startMs: 0,
    endMs: 900,
    confidence: 0.9,
    final: true,
  };
}

async function desk(options: { auditFails?: boolean; afterNote?: boolean } = {}) {
  let clock = Date.parse('2026-06-01T03:00:00Z');
  const now = () => new Date(clock);
  const keys = new EngineKeys(crypto.randomBytes(32));
  const lines: string[] = [];
  const logger = new Logger({ stderr: false, now });
  logger.addSink((e) => lines.push(`${e.level} ${e.message}`));
  const log = logger.scope('retention');
  const transcripts = new TranscriptStore(dir, keys.box('transcripts'), log);
  const worklist = await WorklistStore.open({ dataDir: dir, now, box: keys.box('worklist') });
  closers.push(() => worklist.close());
  const fallback = new WorklistFallback({ dataDir: dir, box: keys.box('worklist'), log, now });
  const audited: RetentionAuditEvent[] = [];
  let pruned = 0;
  const job = new RetentionJob({
    settings: {
      ...DEFAULT_RETENTION,
      ...(options.afterNote === false ? { transcriptAfterNote: false } : {}),
    },
    transcripts,
    worklist: async () => worklist,
    worklistFallback: fallback,
    logs: { prune: () => pruned++ },
    audit: async (event) => {
      if (options.auditFails) throw new Error('audit journal is read-only');
      audited.push(event);
    },
    log,
    now,
  });
  /** A transcript whose last line was written `daysAgo` days ago. */
  const transcript = (callId: string, daysAgo: number, keepOpen = false) => {
    transcripts.add(segment(callId));
    if (!keepOpen) transcripts.close(callId);
    const file = path.join(
      dir,
      'transcripts',
      transcripts.stored().find((s) => transcripts.callIdOf(s.name) === callId)!.name,
    );
    const at = new Date(clock - daysAgo * DAY);
    fs.utimesSync(file, at, at);
  };
  return {
    job,
    keys,
    transcripts,
    worklist,
    fallback,
    audited,
    lines,
    transcript,
    pruned: () => pruned,
    advance: (ms: number) => (clock += ms),
  };
}

const callback = (n: string) => ({
  type: 'callback' as const,
  urgent: false,
  number: n,
  window: 'vormittags',
  topic: 'human_request',
  summary: 'Rückruf',
});

describe('the daily retention job', () => {
  it('deletes transcripts past 30 days and done items past 90 days, audited first; keeps the rest', async () => {
    const d = await desk();
    d.transcript('call-old', 31);
    d.transcript('call-fresh', 29);
    d.transcript('call-live-old', 45, true); // a call still writing is never deleted
    const oldDone = await d.worklist.add(callback('0301111111'), { callId: 'call-w1' });
    await d.worklist.setStatus(oldDone.id, 'done', 'Frau A');
    const oldOpen = await d.worklist.add(callback('0302222222'), { callId: 'call-w2' });
    d.advance(60 * DAY);
    const recentDone = await d.worklist.add(callback('0303333333'), { callId: 'call-w3' });
    await d.worklist.setStatus(recentDone.id, 'done', 'Frau B');
    d.advance(31 * DAY);
    // call-fresh is 29 + 91 days old by now: make it fresh again for this run.
    d.transcript('call-fresh', 29);
    d.transcript('call-old', 31);

    const run = await d.job.run();
    expect(run).toMatchObject({ transcriptsDeleted: 1, worklistItemsDeleted: 1, failures: 0 });
    expect(d.transcripts.has('call-old')).toBe(false);
    expect(d.transcripts.has('call-fresh')).toBe(true);
    expect(d.transcripts.has('call-live-old')).toBe(true);
    const ids = (await d.worklist.list()).items.map((i) => i.id).sort();
    expect(ids).toEqual([oldOpen.id, recentDone.id].sort());
    expect(d.audited).toEqual([
      {
        what: 'delete_transcript',
        callId: 'call-old',
        record: expect.stringMatching(/^transcripts\/[0-9a-f]{40}\.jsonl$/),
        why: 'retention: last line older than 30 days',
      },
      {
        what: 'delete_worklist_item',
        callId: 'call-w1',
        record: `worklist item ${oldDone.id}`,
        why: expect.stringMatching(/^retention: done more than 90 days ago/),
      },
    ]);
    expect(d.pruned()).toBe(1);
    // The log says what happened in counts, nothing of the content.
    expect(d.lines.join('\n')).toMatch(/1 transcripts and 1 done worklist items deleted/);
    expect(d.lines.join('\n')).not.toMatch(/030\d{7}|warte/);
    // A second run finds nothing more to do.
    expect(await d.job.run()).toMatchObject({ transcriptsDeleted: 0, worklistItemsDeleted: 0 });
  });

  it('deletes nothing it cannot audit', async () => {
    const d = await desk({ auditFails: true });
    d.transcript('call-old', 40);
    const item = await d.worklist.add(callback('0301111111'));
    await d.worklist.setStatus(item.id, 'done', 'x');
    d.advance(100 * DAY);
    d.transcript('call-old', 40);
    const run = await d.job.run();
    expect(run.transcriptsDeleted + run.worklistItemsDeleted).toBe(0);
    expect(run.failures).toBe(2);
    expect(d.transcripts.has('call-old')).toBe(true);
    expect(await d.worklist.get(item.id)).toBeDefined();
    expect(d.lines.join('\n')).toMatch(/retention: transcripts failed: audit journal is read-only/);
  });

  it('seals rows kept in clear before, and files items kept while the worklist failed', async () => {
    // A worklist written before sealing …
    const before = await WorklistStore.open({ dataDir: dir });
    await before.add(callback('0304444444'));
    await before.close();
    // … opened with the key now, and an item kept aside while the worklist failed.
    const d = await desk();
    d.fallback.keep(callback('0305555555'), { callId: 'call-kept' });
    const run = await d.job.run();
    expect(run).toMatchObject({ worklistRowsSealed: 1, keptItemsFiled: 1, failures: 0 });
    expect(d.fallback.pending()).toBe(0);
    expect((await d.worklist.list()).items.map((i) => i.number).sort()).toEqual([
      '0304444444',
      '0305555555',
    ]);
  });

  it('runs at start and then every 24 hours, on a timer that keeps nothing alive', async () => {
    const d = await desk();
    const scheduled: { run: () => void; ms: number; unref: boolean }[] = [];
    let cleared = 0;
    const stop = d.job.start({
      setInterval(run, ms) {
        const entry = { run, ms, unref: false };
        scheduled.push(entry);
        return { unref: () => (entry.unref = true) };
      },
      clearInterval: () => cleared++,
    });
    await d.job.idle();
    expect(d.pruned()).toBe(1);
    expect(scheduled).toEqual([{ run: expect.any(Function), ms: DAY, unref: true }]);
    // A day later (the clock and the timer): old transcripts go.
    d.transcript('call-1', 10);
    d.advance(25 * DAY);
    scheduled[0]!.run();
    await d.job.idle();
    expect(d.pruned()).toBe(2);
    expect(d.transcripts.has('call-1')).toBe(false);
    stop();
    expect(cleared).toBe(1);
  });

  it('deletes a transcript as soon as its note is in the case system, unless set otherwise', async () => {
    const d = await desk();
    d.transcript('call-noted', 0);
    expect(await d.job.noteSaved('call-noted')).toBe(true);
    expect(d.transcripts.has('call-noted')).toBe(false);
    expect(d.audited).toEqual([
      {
        what: 'delete_transcript',
        callId: 'call-noted',
        record: 'transcript',
        why: 'retention: the wrap-up note is saved in the case system',
      },
    ]);
    expect(await d.job.noteSaved('call-never-recorded')).toBe(false);

    const kept = await desk({ afterNote: false });
    kept.transcript('call-kept', 0);
    expect(await kept.job.noteSaved('call-kept')).toBe(false);
    expect(kept.transcripts.has('call-kept')).toBe(true);
  });
});
