/**
 * The daily retention job (GDPR Art. 5(1)(e); DESIGN: "transcripts …
 * deleted after the configured retention", "every … written to an audit
 * log"). Started by the engine's bootstrap: it runs once at start and then
 * every 24 hours on an unref'd timer (it never keeps the process alive), and
 * each run:
 *
 *   1. deletes transcripts whose last line is older than transcriptDays
 *      (never one a call is still writing);
 *   2. deletes worklist items done more than worklistDoneDays ago (open
 *      items are never deleted by the desk);
 *   3. seals worklist rows still in clear from before sealing;
 *   4. files worklist items kept in the fallback file while the worklist
 *      could not be written;
 *   5. rolls and prunes the log files (log-files.ts).
 *
 * And when a wrap-up note has reached the case system (`noteSaved`), the
 * call's transcript goes at once if transcriptAfterNote is on: the record
 * of the call is the note in the case system now.
 *
 * Every deletion is audited BEFORE it happens through `audit` (the desk's
 * audit journal, wired by the bootstrap): no audit row, no deletion – the
 * item stays for the next run and the log says why. What a run did goes to
 * the log as counts, never with content.
 */
import type { ScopedLogger } from '../log/logger';
import type { WorklistFallbackPort } from '../bot/worklist-fallback';
import type { WorklistStore } from '../bot/worklist-store';
import type { StoredTranscript } from '../transcript/transcript-store';
import type { RetentionSettings } from './retention-settings';

const DAY_MS = 86_400_000;

/** One deletion, for the audit trail. */
export interface RetentionAuditEvent {
  what: 'delete_transcript' | 'delete_worklist_item';
  /** The call the record belonged to, where known. */
  callId: string | null;
  /** Which record: the transcript file or the worklist item id. */
  record: string;
  /** Which rule, in words for the data-protection officer. */
  why: string;
}

/** Writes one audit row; throws if it cannot (then nothing is deleted). */
export type RetentionAudit = (event: RetentionAuditEvent) => Promise<void>;

/** What the job needs of the transcript store. */
export interface RetainedTranscripts {
  stored(): StoredTranscript[];
  callIdOf(name: string): string | null;
  remove(name: string): boolean;
  has(callId: string): boolean;
  delete(callId: string): boolean;
}

export interface RetentionRun {
  transcriptsDeleted: number;
  worklistItemsDeleted: number;
  worklistRowsSealed: number;
  keptItemsFiled: number;
  /** Steps that failed (each logged). */
  failures: number;
}

export interface RetentionJobOptions {
  settings: RetentionSettings;
  transcripts: RetainedTranscripts;
  worklist?: () => Promise<WorklistStore | undefined>;
  worklistFallback?: WorklistFallbackPort;
  /** The log files' housekeeping (Logger.prune). */
  logs?: { prune(): void };
  audit: RetentionAudit;
  log: ScopedLogger;
  now?: () => Date;
}

/** The timers the job runs on (tests pass their own; nothing waits on real time). */
export interface RetentionTimers {
  setInterval(run: () => void, ms: number): { unref?(): unknown };
  clearInterval(handle: unknown): void;
}

export class RetentionJob {
  private running: Promise<RetentionRun> | undefined;

  constructor(private readonly options: RetentionJobOptions) {}

  /** Runs now and every 24 hours; returns a function that stops it. */
  start(timers: RetentionTimers = globalThis): () => void {
    void this.run();
    const handle = timers.setInterval(() => void this.run(), DAY_MS);
    handle.unref?.();
    return () => timers.clearInterval(handle);
  }

  /** Waits for a run under way (shutdown, tests). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One run (a run already under way is joined, not doubled). Never throws. */
  run(): Promise<RetentionRun> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * The wrap-up note of a call is in the case system: its transcript goes
   * now (if so configured), audited. True if a transcript was deleted.
   */
  async noteSaved(callId: string): Promise<boolean> {
    if (!this.options.settings.transcriptAfterNote) return false;
    const transcripts = this.options.transcripts;
    try {
      if (!transcripts.has(callId)) return false;
      await this.options.audit({
        what: 'delete_transcript',
        callId,
        record: 'transcript',
        why: 'retention: the wrap-up note is saved in the case system',
      });
      transcripts.delete(callId);
      this.options.log.info(`call ${callId}: transcript deleted, the note is in the case system`);
      return true;
    } catch (error) {
      this.options.log.error(
        `call ${callId}: transcript not deleted after the note (${this.options.log.scrub(
          (error as Error).message,
        )}); the daily job deletes it by age`,
      );
      return false;
    }
  }

  private async runOnce(): Promise<RetentionRun> {
    const run: RetentionRun = {
      transcriptsDeleted: 0,
      worklistItemsDeleted: 0,
      worklistRowsSealed: 0,
      keptItemsFiled: 0,
      failures: 0,
    };
    const now = (this.options.now?.() ?? new Date()).getTime();
    const step = async (name: string, work: () => Promise<void> | void) => {
      try {
        await work();
      } catch (error) {
        run.failures++;
        this.options.log.error(
          `retention: ${name} failed: ${this.options.log.scrub((error as Error).message)}`,
        );
      }
    };

    await step('transcripts', () => this.transcripts(now, run));
    const store = await this.options.worklist?.().catch((error: Error) => {
      run.failures++;
      this.options.log.error(
        `retention: worklist unavailable: ${this.options.log.scrub(error.message)}`,
      );
      return undefined;
    });
    if (store) {
      await step('worklist', () => this.worklist(store, now, run));
      await step('sealing the worklist', async () => {
        run.worklistRowsSealed = await store.sealPlainRows();
      });
      const fallback = this.options.worklistFallback;
      if (fallback && fallback.pending() > 0) {
        await step('kept worklist items', async () => {
          run.keptItemsFiled = await fallback.retry(store);
        });
      }
    }
    await step('log files', () => this.options.logs?.prune());

    const { transcriptsDeleted, worklistItemsDeleted, worklistRowsSealed, keptItemsFiled } = run;
    if (transcriptsDeleted || worklistItemsDeleted || worklistRowsSealed || keptItemsFiled) {
      this.options.log.info(
        `retention: ${transcriptsDeleted} transcripts and ${worklistItemsDeleted} done worklist items deleted, ` +
          `${worklistRowsSealed} worklist rows sealed, ${keptItemsFiled} kept items filed`,
      );
    }
    return run;
  }

  private async transcripts(now: number, run: RetentionRun): Promise<void> {
    const days = this.options.settings.transcriptDays;
    const cutoff = now - days * DAY_MS;
    const transcripts = this.options.transcripts;
    for (const stored of transcripts.stored()) {
      if (stored.live || stored.modifiedAt.getTime() >= cutoff) continue;
      const callId = transcripts.callIdOf(stored.name);
      await this.options.audit({
        what: 'delete_transcript',
        callId,
        record: `transcripts/${stored.name}`,
        why: `retention: last line older than ${days} days`,
      });
      if (transcripts.remove(stored.name)) run.transcriptsDeleted++;
    }
  }

  private async worklist(store: WorklistStore, now: number, run: RetentionRun): Promise<void> {
    const days = this.options.settings.worklistDoneDays;
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    for (const item of await store.doneBefore(cutoff)) {
      await this.options.audit({
        what: 'delete_worklist_item',
        callId: item.callId,
        record: `worklist item ${item.id}`,
        why: `retention: done more than ${days} days ago (${item.doneAt})`,
      });
      if (await store.deleteDone(item.id)) run.worklistItemsDeleted++;
    }
  }
}
