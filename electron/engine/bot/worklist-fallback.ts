/**
 * Never lose what a caller asked for, and never write it into the log: when
 * the worklist cannot be written (database locked, disk trouble), the item
 * is sealed (EngineKeys 'worklist') into <dataDir>/worklist-pending.jsonl
 * (mode 0600) and filed again later – at the next item the bot files, at
 * start and by the daily retention job. Each kept item has its id, so filing
 * it twice stores it once (WorklistStore.add with that id).
 *
 *   line  {"v":1,"iv","tag","data"}   sealed JSON of PendingWorklistItem,
 *                                      associated data "lotse:worklist-pending:v1"
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ScopedLogger } from '../log/logger';
import type { SealedSecret, SecretBox } from '../store/secret-box';
import type { WorklistItem } from './frames';
import type { WorklistStore } from './worklist-store';

export const WORKLIST_FALLBACK_FILE = 'worklist-pending.jsonl';
const AAD = 'lotse:worklist-pending:v1';

export interface PendingWorklistItem {
  id: string;
  createdAt: string;
  item: WorklistItem;
  call: { callId?: string; callerId?: string };
}

/** What the live bots need of it. */
export interface WorklistFallbackPort {
  /** Keeps an item that could not be filed; throws if it cannot be kept either. */
  keep(item: WorklistItem, call: { callId?: string; callerId?: string }): void;
  /** How many items wait to be filed. */
  pending(): number;
  /** Files what waits; returns how many were filed. */
  retry(store: WorklistStore): Promise<number>;
}

export class WorklistFallback implements WorklistFallbackPort {
  readonly file: string | undefined;
  /** Only without a data folder (tests): the items in memory. */
  private readonly memory: string[] = [];
  private running: Promise<number> | undefined;

  constructor(
    private readonly options: {
      /** Undefined: in memory (tests). */
      dataDir?: string;
      box: SecretBox;
      log: ScopedLogger;
      now?: () => Date;
    },
  ) {
    this.file = options.dataDir ? path.join(options.dataDir, WORKLIST_FALLBACK_FILE) : undefined;
  }

  keep(item: WorklistItem, call: { callId?: string; callerId?: string }): void {
    const pending: PendingWorklistItem = {
      id: crypto.randomUUID(),
      createdAt: (this.options.now?.() ?? new Date()).toISOString(),
      item,
      call,
    };
    const line = JSON.stringify({ v: 1, ...this.options.box.seal(JSON.stringify(pending), AAD) });
    if (!this.file) this.memory.push(line);
    else fs.appendFileSync(this.file, line + '\n', { mode: 0o600 });
  }

  pending(): number {
    return this.lines().length;
  }

  retry(store: WorklistStore): Promise<number> {
    // One at a time: a second call waits for the first and then finds nothing left.
    const run = (this.running ?? Promise.resolve(0)).then(() => this.fileAll(store));
    this.running = run.catch(() => 0);
    return run;
  }

  private async fileAll(store: WorklistStore): Promise<number> {
    const lines = this.lines();
    if (lines.length === 0) return 0;
    const remaining: string[] = [];
    let filed = 0;
    for (const line of lines) {
      let pending: PendingWorklistItem;
      try {
        const { v: _v, ...sealed } = JSON.parse(line) as SealedSecret & { v: number };
        pending = JSON.parse(this.options.box.open(sealed, AAD)) as PendingWorklistItem;
      } catch {
        // Not this key's, or damaged: kept for IT, never dropped silently.
        this.options.log.error(
          `${WORKLIST_FALLBACK_FILE}: an item cannot be opened (wrong key or damaged); left in the file`,
        );
        remaining.push(line);
        continue;
      }
      try {
        await store.add(pending.item, pending.call, {
          id: pending.id,
          createdAt: pending.createdAt,
        });
        filed++;
      } catch (error) {
        this.options.log.warn(
          `a kept worklist item is still not filed: ${this.options.log.scrub((error as Error).message)}`,
        );
        remaining.push(line);
      }
    }
    // Items kept while these were filed come after them (appends only, one thread).
    const added = this.lines().slice(lines.length);
    this.rewrite([...remaining, ...added]);
    if (filed > 0) {
      this.options.log.info(
        `${filed} kept worklist item${filed === 1 ? '' : 's'} filed from ${WORKLIST_FALLBACK_FILE}` +
          (remaining.length ? `; ${remaining.length} still waiting` : ''),
      );
    }
    return filed;
  }

  private lines(): string[] {
    if (!this.file) return [...this.memory];
    try {
      return fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private rewrite(lines: string[]): void {
    if (!this.file) {
      this.memory.splice(0, this.memory.length, ...lines);
      return;
    }
    if (lines.length === 0) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, lines.map((l) => l + '\n').join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
