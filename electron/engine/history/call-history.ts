/**
 * The call history: every call the desk made or took, on the engine's own
 * database (store/db: better-sqlite3 on the desk, PGlite as fallback, the
 * same portable SQL on a shared PostgreSQL server). It is fed by the phone's
 * `phone.report` call reports – ringing / dialing, connected, ended with a
 * reason – so the renderer has no second write path: what the engine's log
 * sees is what the history keeps.
 *
 * Retention (data minimisation, GDPR Art. 5(1)(e)): the newest 10,000 calls
 * and none older than 180 days (HISTORY_RETENTION), enforced when the store
 * opens and after every new call. A row whose end was never reported (the
 * program was closed during the call) is closed after 24 hours with outcome
 * 'failed' so it does not stay "on" forever.
 *
 * Numbers and names are kept in plain text (not sealed like transcripts) so
 * they can be searched; they are the same data the SIP server's own logs
 * hold, and the retention above bounds them.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import {
  historyQuerySchema,
  requestSchemas,
  type CallDirection,
  type CallHistoryEntry,
  type CallOutcome,
  type HandledBy,
  type HistoryPage,
  type HistoryQuery,
  type HistoryReason,
} from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { DriverChoice } from '../store/db/open-database';
import { openStoreDatabase } from '../store/db/open-store';
import type { SqlDatabase, SqlExecutor, SqlValue } from '../store/db/sql-database';
import { CALL_HISTORY_COMPONENT, CALL_HISTORY_MIGRATIONS } from './call-history-schema';
import { deriveOutcome } from './call-outcome';

export interface HistoryRetention {
  maxEntries: number;
  maxAgeDays: number;
  staleOpenHours: number;
}

export const HISTORY_RETENTION: Readonly<HistoryRetention> = {
  /** The newest this many calls are kept. */
  maxEntries: 10_000,
  /** Calls that started longer ago than this are deleted. */
  maxAgeDays: 180,
  /** An open row older than this is closed as 'failed' (its end was never reported). */
  staleOpenHours: 24,
};

export interface CallHistoryOptions {
  /** The engine's data folder; undefined: in memory (tests). */
  dataDir?: string;
  driver?: DriverChoice;
  sqliteModule?: string;
  now?: () => Date;
  log?: ScopedLogger;
  retention?: Partial<HistoryRetention>;
}

export interface HistoryChange {
  callId: string;
  entryId: string;
}

/** What the engine needs from the history (the store itself, or one still opening). */
export interface CallHistoryPort {
  /** Applies one `phone.report`; anything that is not a valid call report is ignored and logged. */
  record(report: unknown): Promise<CallHistoryEntry | null>;
  list(query: HistoryQuery): Promise<HistoryPage>;
  /** The bot wiring says who has the call now (handoff: bot → person). */
  setHandledBy(callId: string, handledBy: HandledBy): Promise<boolean>;
  onChange(listener: (change: HistoryChange) => void): () => void;
  close(): Promise<void>;
}

const reportSchema = requestSchemas['phone.report'].params;
type CallReport = Extract<z.output<typeof reportSchema>, { kind: 'call' }>;

interface Row {
  id: string;
  call_id: string;
  direction: string;
  number: string;
  display_name: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  outcome: string | null;
  handled_by: string | null;
  reason: string | null;
  search_text: string;
  [column: string]: SqlValue;
}

const COLUMNS =
  'id, call_id, direction, number, display_name, started_at, answered_at, ended_at, ' +
  'duration_ms, outcome, handled_by, reason, search_text';

const MAX_REASON = 500;

function toEntry(row: Row): CallHistoryEntry {
  return {
    id: row.id,
    callId: row.call_id,
    direction: row.direction as CallDirection,
    number: row.number,
    displayName: row.display_name,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    outcome: row.outcome as CallOutcome | null,
    handledBy: row.handled_by as HandledBy | null,
    reason: row.reason,
  };
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * Number, name and the number's bare digits, lower case: what a search
 * matches against. A German number in international form (+49 30 …, 0049 …)
 * also gets its national form (030 …), the way agents type it.
 */
export function searchText(number: string, displayName: string | null): string {
  const digits = digitsOf(number);
  const national = /^\s*(\+|00)\s*49/.test(number) ? `0${digits.replace(/^(00)?49/, '')}` : '';
  return [
    number,
    displayName ?? '',
    digits.length >= 3 && digits !== number ? digits : '',
    national,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

let lastIdMs = 0;
let idCounter = 0;
/**
 * Row ids that sort in the order they were made (time, counter, then random),
 * so calls that start in the same millisecond still list in a stable order.
 */
function sortableId(): string {
  const ms = Date.now();
  idCounter = ms === lastIdMs ? idCounter + 1 : 0;
  lastIdMs = ms;
  return `${ms.toString(16).padStart(12, '0')}-${idCounter.toString(16).padStart(6, '0')}-${crypto.randomUUID()}`;
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class CallHistory implements CallHistoryPort {
  private readonly listeners = new Set<(change: HistoryChange) => void>();
  private readonly now: () => Date;
  private readonly retention: HistoryRetention;
  /** Reports are applied one after another: "ringing" must be stored before "connected" looks for it. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: SqlDatabase,
    private readonly options: CallHistoryOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.retention = { ...HISTORY_RETENTION, ...options.retention };
  }

  /** Opens the store, applies migrations and the retention rules. */
  static async open(options: CallHistoryOptions = {}): Promise<CallHistory> {
    const db = await openStoreDatabase(
      {
        name: 'history',
        component: CALL_HISTORY_COMPONENT,
        migrations: CALL_HISTORY_MIGRATIONS,
        label: 'call history',
      },
      options,
    );
    const history = new CallHistory(db, options);
    try {
      await history.prune();
    } catch (error) {
      await db.close();
      throw error;
    }
    return history;
  }

  get dialect(): SqlDatabase['dialect'] {
    return this.db.dialect;
  }

  onChange(listener: (change: HistoryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(raw: unknown): Promise<CallHistoryEntry | null> {
    const parsed = reportSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log?.warn(
        `call report ignored, not valid: ${z.prettifyError(parsed.error).slice(0, 300)}`,
      );
      return Promise.resolve(null);
    }
    const report = parsed.data;
    if (report.kind !== 'call') return Promise.resolve(null);
    return this.serial(async () => {
      let entry: CallHistoryEntry | null;
      try {
        entry = await this.db.transaction((tx) => this.apply(tx, report));
      } catch (error) {
        this.options.log?.error(
          `call ${report.callId} ${report.state} not stored in the history: ${(error as Error).message}`,
        );
        return null;
      }
      if (!entry) return null;
      if (report.state === 'ringing' || report.state === 'dialing' || entry.outcome) {
        await this.prune().catch((error: unknown) =>
          this.options.log?.error(`history retention failed: ${(error as Error).message}`),
        );
      }
      this.emit({ callId: entry.callId, entryId: entry.id });
      return entry;
    });
  }

  setHandledBy(callId: string, handledBy: HandledBy): Promise<boolean> {
    return this.serial(async () => {
      const open = await this.findOpen(this.db, callId);
      if (!open) return false;
      await this.db.query('UPDATE call_history SET handled_by = $1 WHERE id = $2', [
        handledBy,
        open.id,
      ]);
      this.emit({ callId, entryId: open.id });
      return true;
    });
  }

  /** Newest first; `total` counts every match, not only this page. */
  async list(input: HistoryQuery): Promise<HistoryPage> {
    const query = historyQuerySchema.parse(input);
    const where: string[] = [];
    const params: SqlValue[] = [];
    const param = (value: SqlValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const token of (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
      const alternatives = [`search_text LIKE ${param(`%${likeEscape(token)}%`)} ESCAPE '\\'`];
      // "030-123 45" typed with separators still finds the bare digits.
      const digits = digitsOf(token);
      if (/^[+\d][\d()./-]*$/.test(token) && digits.length >= 2 && digits !== token) {
        alternatives.push(`search_text LIKE ${param(`%${digits}%`)}`);
      }
      where.push(`(${alternatives.join(' OR ')})`);
    }
    if (query.direction) where.push(`direction = ${param(query.direction)}`);
    if (query.outcome) where.push(`outcome = ${param(query.outcome)}`);
    if (query.handledBy) where.push(`handled_by = ${param(query.handledBy)}`);
    if (query.from) where.push(`started_at >= ${param(new Date(query.from).toISOString())}`);
    if (query.to) where.push(`started_at < ${param(new Date(query.to).toISOString())}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.db.query<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM call_history ${clause}`,
      params,
    );
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM call_history ${clause}
       ORDER BY started_at DESC, id DESC LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
      params,
    );
    return { entries: rows.map(toEntry), total: Number(count?.n ?? 0) };
  }

  /**
   * Applies the retention rules: closes open rows whose end never came,
   * deletes calls older than maxAgeDays and all but the newest maxEntries.
   * Returns how many rows were deleted.
   */
  async prune(): Promise<number> {
    const now = this.now().getTime();
    const ageCutoff = new Date(now - this.retention.maxAgeDays * 86_400_000).toISOString();
    const staleCutoff = new Date(now - this.retention.staleOpenHours * 3_600_000).toISOString();
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE call_history SET outcome = 'failed', reason = $1
         WHERE outcome IS NULL AND started_at < $2`,
        ['end_never_reported' satisfies HistoryReason, staleCutoff],
      );
      const [{ n: before } = { n: 0 }] = await tx.query<{ n: number }>(
        'SELECT CAST(count(*) AS INTEGER) AS n FROM call_history',
      );
      await tx.query('DELETE FROM call_history WHERE started_at < $1', [ageCutoff]);
      // The first row beyond the newest maxEntries, in list order; it and all after it go.
      const [boundary] = await tx.query<{ id: string; started_at: string }>(
        'SELECT id, started_at FROM call_history ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET $1',
        [this.retention.maxEntries],
      );
      if (boundary) {
        await tx.query(
          'DELETE FROM call_history WHERE started_at < $1 OR (started_at = $1 AND id <= $2)',
          [boundary.started_at, boundary.id],
        );
      }
      const [{ n: after } = { n: 0 }] = await tx.query<{ n: number }>(
        'SELECT CAST(count(*) AS INTEGER) AS n FROM call_history',
      );
      const deleted = Number(before) - Number(after);
      if (deleted > 0) this.options.log?.info(`history retention: ${deleted} old calls deleted`);
      return deleted;
    });
  }

  async close(): Promise<void> {
    await this.tail;
    await this.db.close();
  }

  // ── internals ──────────────────────────────────────────────────────────

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private emit(change: HistoryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.log?.error(`history listener failed: ${(error as Error).message}`);
      }
    }
  }

  private async findOpen(tx: SqlExecutor, callId: string): Promise<Row | undefined> {
    const [row] = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM call_history WHERE call_id = $1 AND outcome IS NULL
       ORDER BY started_at DESC LIMIT 1`,
      [callId],
    );
    return row;
  }

  private async apply(tx: SqlExecutor, report: CallReport): Promise<CallHistoryEntry | null> {
    const at = this.now().toISOString();
    const open = await this.findOpen(tx, report.callId);
    const reason = report.reason?.slice(0, MAX_REASON) ?? null;
    const name = report.remoteName?.trim() || null;

    if (report.state === 'ringing' || report.state === 'dialing') {
      if (open) return null; // a repeated report of a call already stored
      return this.insert(tx, report, { startedAt: at, displayName: name });
    }
    if (report.state === 'connected') {
      // Repeated while the call goes on (hold, resume): the first one is the answer.
      const row = open ?? (await this.insertFor(tx, report, at, name, 'connected'));
      const answeredAt = row.answered_at ?? at;
      const handledBy =
        report.handledBy ??
        (row.handled_by as HandledBy | null) ??
        (report.direction === 'outgoing' ? 'person' : null);
      await tx.query(
        `UPDATE call_history SET answered_at = $1, handled_by = $2,
         display_name = COALESCE(display_name, $3), search_text = $4 WHERE id = $5`,
        [answeredAt, handledBy, name, searchText(row.number, row.display_name ?? name), row.id],
      );
      return toEntry({ ...row, answered_at: answeredAt, handled_by: handledBy });
    }
    if (report.state === 'ended') {
      if (!open) {
        const [ended] = await tx.query<{ id: string }>(
          'SELECT id FROM call_history WHERE call_id = $1 AND outcome IS NOT NULL LIMIT 1',
          [report.callId],
        );
        // The same end reported twice: nothing new.
        if (ended) return null;
      }
      // A call refused before it rang (do not disturb, busy) has only this report.
      const row = open ?? (await this.insertFor(tx, report, at, name, 'ended'));
      const answered = row.answered_at !== null;
      const durationMs = answered
        ? Math.max(0, Date.parse(at) - Date.parse(row.answered_at ?? at))
        : null;
      const outcome = deriveOutcome({
        direction: row.direction as CallDirection,
        answered,
        reason: report.reason,
        reported: report.outcome,
      });
      const handledBy = answered ? (report.handledBy ?? row.handled_by) : null;
      const displayName = row.display_name ?? name;
      await tx.query(
        `UPDATE call_history SET ended_at = $1, duration_ms = $2, outcome = $3, reason = $4,
         handled_by = $5, display_name = $6, search_text = $7 WHERE id = $8`,
        [
          at,
          durationMs,
          outcome,
          reason,
          handledBy,
          displayName,
          searchText(row.number, displayName),
          row.id,
        ],
      );
      return toEntry({
        ...row,
        ended_at: at,
        duration_ms: durationMs,
        outcome,
        reason,
        handled_by: handledBy,
        display_name: displayName,
      });
    }
    // 'idle' is not a call event the phone reports; nothing to store.
    this.options.log?.warn(`call ${report.callId}: report in state "${report.state}" ignored`);
    return null;
  }

  /** A report for a call the history has not seen start (engine restarted mid-call, refused call). */
  private async insertFor(
    tx: SqlExecutor,
    report: CallReport,
    at: string,
    displayName: string | null,
    state: string,
  ): Promise<Row> {
    if (state === 'connected') {
      this.options.log?.info(`call ${report.callId} connected before it was seen; stored from now`);
    }
    const entry = await this.insert(tx, report, { startedAt: at, displayName });
    const [row] = await tx.query<Row>(`SELECT ${COLUMNS} FROM call_history WHERE id = $1`, [
      entry.id,
    ]);
    if (!row) throw new Error(`row ${entry.id} vanished`);
    return row;
  }

  private async insert(
    tx: SqlExecutor,
    report: CallReport,
    row: { startedAt: string; displayName: string | null },
  ): Promise<CallHistoryEntry> {
    const id = sortableId();
    const number = report.remote.trim() || '?';
    await tx.query(
      `INSERT INTO call_history (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, NULL, NULL, NULL, $7)`,
      [
        id,
        report.callId,
        report.direction,
        number,
        row.displayName,
        row.startedAt,
        searchText(number, row.displayName),
      ],
    );
    return {
      id,
      callId: report.callId,
      direction: report.direction,
      number,
      displayName: row.displayName,
      startedAt: row.startedAt,
      answeredAt: null,
      endedAt: null,
      durationMs: null,
      outcome: null,
      handledBy: null,
      reason: null,
    };
  }
}

/**
 * The history as the engine holds it from its first moment: the database
 * opens in the background (createEngine is synchronous); requests wait for
 * it. If it cannot be opened, reports are dropped with an error in the log
 * and `list` fails with that reason – the phone keeps working.
 */
export class DeferredCallHistory implements CallHistoryPort {
  private readonly ready: Promise<CallHistory | null>;
  private failure?: Error;
  private readonly listeners = new Set<(change: HistoryChange) => void>();

  constructor(private readonly options: CallHistoryOptions) {
    this.ready = CallHistory.open(options).then(
      (history) => {
        history.onChange((change) => this.listeners.forEach((l) => l(change)));
        return history;
      },
      (error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        options.log?.error(`call history cannot be opened: ${this.failure.message}`);
        return null;
      },
    );
  }

  /** Resolves once the store is open (null if it could not be). */
  whenReady(): Promise<CallHistory | null> {
    return this.ready;
  }

  async record(report: unknown): Promise<CallHistoryEntry | null> {
    const history = await this.ready;
    if (!history) {
      this.options.log?.warn('call report not stored: the call history is not available');
      return null;
    }
    return history.record(report);
  }

  async list(query: HistoryQuery): Promise<HistoryPage> {
    return (await this.require()).list(query);
  }

  async setHandledBy(callId: string, handledBy: HandledBy): Promise<boolean> {
    const history = await this.ready;
    return history ? history.setHandledBy(callId, handledBy) : false;
  }

  onChange(listener: (change: HistoryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await (await this.ready)?.close();
  }

  private async require(): Promise<CallHistory> {
    const history = await this.ready;
    if (!history) throw new Error(this.failure?.message ?? 'not available');
    return history;
  }
}
