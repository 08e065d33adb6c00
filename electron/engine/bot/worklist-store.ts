/**
 * The morning worklist: callback requests and messages the bot took while
 * nobody was in (night mode), kept in the engine's embedded database until an
 * agent has worked them off. Items are never deleted by the desk: "done"
 * records who finished them and when, so the office can show what happened to
 * a caller's request.
 */
import crypto from 'node:crypto';
import { MAX_NOTE_LENGTH, type WorklistStatus } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { Migration } from '../store/db/migrations';
import type { DriverChoice } from '../store/db/open-database';
import { openStoreDatabase } from '../store/db/open-store';
import type { SqlDatabase, SqlRow } from '../store/db/sql-database';
import type { WorklistItem } from './frames';

export const WORKLIST_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'worklist items (callbacks and messages taken by the bot)',
    sql: `
CREATE TABLE IF NOT EXISTS worklist_items (
  id TEXT PRIMARY KEY,
  item_type TEXT NOT NULL,
  urgent INTEGER NOT NULL,
  call_id TEXT,
  caller_id TEXT,
  callback_number TEXT,
  time_window TEXT,
  topic TEXT NOT NULL,
  message_text TEXT,
  summary TEXT NOT NULL,
  created_at TEXT NOT NULL,
  item_status TEXT NOT NULL,
  done_at TEXT,
  done_by TEXT,
  done_note TEXT
);
CREATE INDEX IF NOT EXISTS worklist_items_status ON worklist_items (item_status, created_at)`,
  },
];

export interface WorklistEntry {
  id: string;
  type: 'callback' | 'message';
  urgent: boolean;
  callId: string | null;
  callerId: string | null;
  /** Callbacks: the number to call back. */
  number: string | null;
  /** Callbacks: when the caller wants to be called ("morgen vormittag"). */
  window: string | null;
  topic: string;
  /** Messages: what the caller said. */
  text: string | null;
  summary: string;
  createdAt: string;
  status: WorklistStatus;
  doneAt: string | null;
  doneBy: string | null;
  note: string | null;
}

const clip = (value: string, max = MAX_NOTE_LENGTH): string => value.slice(0, max);

export class WorklistStore {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
  ) {}

  static async open(
    options: { dataDir?: string; driver?: DriverChoice; now?: () => Date; log?: ScopedLogger } = {},
  ): Promise<WorklistStore> {
    const db = await openStoreDatabase(
      {
        name: 'worklist',
        component: 'worklist',
        migrations: WORKLIST_MIGRATIONS,
        label: 'worklist',
      },
      options,
    );
    return new WorklistStore(db, options.now ?? (() => new Date()));
  }

  /** Files what the bot took; returns the stored entry. */
  async add(
    item: WorklistItem,
    call: { callId?: string; callerId?: string } = {},
  ): Promise<WorklistEntry> {
    const id = crypto.randomUUID();
    const createdAt = this.now().toISOString();
    const callback = item.type === 'callback' ? item : undefined;
    const message = item.type === 'message' ? item : undefined;
    await this.db.query(
      `INSERT INTO worklist_items (id, item_type, urgent, call_id, caller_id, callback_number,
         time_window, topic, message_text, summary, created_at, item_status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open')`,
      [
        id,
        item.type,
        callback?.urgent ? 1 : 0,
        call.callId ? clip(call.callId, 300) : null,
        call.callerId ? clip(call.callerId, 100) : null,
        callback ? clip(callback.number, 100) : null,
        callback ? clip(callback.window, 200) : null,
        clip(item.topic, 100),
        message ? clip(message.text) : null,
        clip(item.summary),
        createdAt,
      ],
    );
    const entry = await this.get(id);
    if (!entry) throw new Error(`worklist item ${id} was not stored`);
    return entry;
  }

  async get(id: string): Promise<WorklistEntry | undefined> {
    const rows = await this.db.query('SELECT * FROM worklist_items WHERE id = $1', [id]);
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /** Open items first (urgent, then oldest), then the most recently done. */
  async list(options: { status?: WorklistStatus | 'all'; limit?: number } = {}): Promise<{
    items: WorklistEntry[];
    open: number;
  }> {
    const status = options.status ?? 'all';
    const limit = Math.max(1, Math.min(options.limit ?? 200, 1000));
    const where = status === 'all' ? '' : 'WHERE item_status = $2';
    const rows = await this.db.query(
      `SELECT * FROM worklist_items ${where}
       ORDER BY CASE WHEN item_status = 'open' THEN 0 ELSE 1 END,
                CASE WHEN item_status = 'open' THEN -urgent ELSE 0 END,
                CASE WHEN item_status = 'open' THEN created_at ELSE '' END,
                done_at DESC
       LIMIT $1`,
      status === 'all' ? [limit] : [limit, status],
    );
    const open = await this.db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM worklist_items WHERE item_status = 'open'",
    );
    return { items: rows.map(toEntry), open: Number(open[0]?.n ?? 0) };
  }

  /** Marks an item done (or open again); unknown ids are an error, not a silent no-op. */
  async setStatus(
    id: string,
    status: WorklistStatus,
    by: string,
    note?: string,
  ): Promise<WorklistEntry> {
    const existing = await this.get(id);
    if (!existing) throw new WorklistError(`worklist item ${id} not found`);
    if (status === 'done') {
      await this.db.query(
        `UPDATE worklist_items SET item_status = 'done', done_at = $2, done_by = $3, done_note = $4
         WHERE id = $1`,
        [id, this.now().toISOString(), clip(by, 200), note ? clip(note) : null],
      );
    } else {
      await this.db.query(
        `UPDATE worklist_items SET item_status = 'open', done_at = NULL, done_by = NULL,
           done_note = NULL WHERE id = $1`,
        [id],
      );
    }
    return (await this.get(id))!;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export class WorklistError extends Error {
  override name = 'WorklistError';
}

function text(row: SqlRow, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : String(value);
}

function toEntry(row: SqlRow): WorklistEntry {
  return {
    id: String(row.id),
    type: row.item_type === 'callback' ? 'callback' : 'message',
    urgent: Number(row.urgent) === 1,
    callId: text(row, 'call_id'),
    callerId: text(row, 'caller_id'),
    number: text(row, 'callback_number'),
    window: text(row, 'time_window'),
    topic: String(row.topic),
    text: text(row, 'message_text'),
    summary: String(row.summary),
    createdAt: String(row.created_at),
    status: row.item_status === 'done' ? 'done' : 'open',
    doneAt: text(row, 'done_at'),
    doneBy: text(row, 'done_by'),
    note: text(row, 'done_note'),
  };
}
