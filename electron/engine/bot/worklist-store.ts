/**
 * The morning worklist: callback requests and messages the bot took while
 * nobody was in (night mode), kept in the engine's embedded database until an
 * agent has worked them off. "Done" records who finished them and when, so
 * the office can show what happened to a caller's request.
 *
 * What the caller gave is social data (§ 67 SGB X) and is sealed at rest like
 * the transcripts (Art. 32 GDPR): the caller ID, the number to call back, the
 * time window, the topic, the message, the summary and the agent's note are
 * stored as `lotse-sealed:1:<iv>.<tag>.<data>` (AES-256-GCM with the
 * worklist's own key, EngineKeys 'worklist'), bound to their row and column
 * by associated data ("lotse:worklist:v1\n<id>\n<column>"), so a number
 * cannot be swapped into another item unnoticed. Rows written before in
 * clear are still read, and sealed on the next write to them or by the
 * retention job (`sealPlainRows`).
 *
 * Retention (retention/retention.ts): open items are never deleted by the
 * desk; done items are deleted by the daily job after the configured days,
 * each deletion audited.
 */
import crypto from 'node:crypto';
import { MAX_NOTE_LENGTH, type WorklistStatus } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import type { Migration } from '../store/db/migrations';
import { openStoreDatabase, type StoreOpenOptions } from '../store/db/open-store';
import type { SqlDatabase, SqlExecutor, SqlRow } from '../store/db/sql-database';
import type { SealedSecret, SecretBox } from '../store/secret-box';
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

/** The columns that hold what the caller (or the agent about the caller) said. */
export const SEALED_COLUMNS = [
  'caller_id',
  'callback_number',
  'time_window',
  'topic',
  'message_text',
  'summary',
  'done_note',
] as const;
type SealedColumn = (typeof SEALED_COLUMNS)[number];

const SEALED_PREFIX = 'lotse-sealed:1:';

/** Associated data of a sealed worklist field: its row and its column. */
export function worklistAad(id: string, column: SealedColumn): string {
  return `lotse:worklist:v1\n${id}\n${column}`;
}

/** A done item the retention job may delete. */
export interface DoneWorklistItem {
  id: string;
  callId: string | null;
  doneAt: string;
}

export class WorklistStore {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
    private readonly box: SecretBox | undefined,
    private readonly log: ScopedLogger | undefined,
  ) {}

  static async open(
    options: Pick<StoreOpenOptions, 'dataDir' | 'driver' | 'now' | 'log'> & {
      /** Seals what callers said (EngineKeys.box('worklist')); without it, text is kept in clear. */
      box?: SecretBox;
    } = {},
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
    if (!options.box && options.dataDir !== undefined) {
      options.log?.warn('worklist without a key: callbacks and messages are stored in clear');
    }
    return new WorklistStore(db, options.now ?? (() => new Date()), options.box, options.log);
  }

  /**
   * Files what the bot took; returns the stored entry. With `id` (an item
   * kept in the fallback file and filed again) an item already there is
   * returned as it is, so filing twice stores it once.
   */
  async add(
    item: WorklistItem,
    call: { callId?: string; callerId?: string } = {},
    options: { id?: string; createdAt?: string } = {},
  ): Promise<WorklistEntry> {
    if (options.id) {
      const existing = await this.get(options.id);
      if (existing) return existing;
    }
    const id = options.id ?? crypto.randomUUID();
    const createdAt = options.createdAt ?? this.now().toISOString();
    const callback = item.type === 'callback' ? item : undefined;
    const message = item.type === 'message' ? item : undefined;
    const seal = (column: SealedColumn, value: string | null) => this.seal(id, column, value);
    await this.db.query(
      `INSERT INTO worklist_items (id, item_type, urgent, call_id, caller_id, callback_number,
         time_window, topic, message_text, summary, created_at, item_status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open')`,
      [
        id,
        item.type,
        item.urgent ? 1 : 0,
        call.callId ? clip(call.callId, 300) : null,
        seal('caller_id', call.callerId ? clip(call.callerId, 100) : null),
        seal('callback_number', callback ? clip(callback.number, 100) : null),
        seal('time_window', callback ? clip(callback.window, 200) : null),
        seal('topic', clip(item.topic, 100)),
        seal('message_text', message ? clip(message.text) : null),
        seal('summary', clip(item.summary)),
        createdAt,
      ],
    );
    const entry = await this.get(id);
    if (!entry) throw new Error(`worklist item ${id} was not stored`);
    return entry;
  }

  async get(id: string): Promise<WorklistEntry | undefined> {
    const rows = await this.db.query('SELECT * FROM worklist_items WHERE id = $1', [id]);
    return rows[0] ? this.toEntry(rows[0]) : undefined;
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
    return { items: rows.map((row) => this.toEntry(row)), open: Number(open[0]?.n ?? 0) };
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
    await this.db.transaction(async (tx) => {
      if (status === 'done') {
        await tx.query(
          `UPDATE worklist_items SET item_status = 'done', done_at = $2, done_by = $3, done_note = $4
           WHERE id = $1`,
          [
            id,
            this.now().toISOString(),
            clip(by, 200),
            this.seal(id, 'done_note', note ? clip(note) : null),
          ],
        );
      } else {
        await tx.query(
          `UPDATE worklist_items SET item_status = 'open', done_at = NULL, done_by = NULL,
             done_note = NULL WHERE id = $1`,
          [id],
        );
      }
      // A row written in clear before is sealed now that it is written to.
      await this.sealRow(tx, id);
    });
    return (await this.get(id))!;
  }

  /** Seals every field still in clear (rows written before sealing); returns how many rows. */
  async sealPlainRows(): Promise<number> {
    if (!this.box) return 0;
    const plain = SEALED_COLUMNS.map(
      (c) => `(${c} IS NOT NULL AND ${c} NOT LIKE '${SEALED_PREFIX}%')`,
    ).join(' OR ');
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM worklist_items WHERE ${plain}`,
    );
    for (const { id } of rows) await this.db.transaction((tx) => this.sealRow(tx, String(id)));
    return rows.length;
  }

  /** Done items finished before `cutoff` (ISO instant), oldest first: for the retention job. */
  async doneBefore(cutoff: string, limit = 1000): Promise<DoneWorklistItem[]> {
    const rows = await this.db.query<{ id: string; call_id: string | null; done_at: string }>(
      `SELECT id, call_id, done_at FROM worklist_items
       WHERE item_status = 'done' AND done_at < $1 ORDER BY done_at LIMIT $2`,
      [cutoff, Math.max(1, Math.min(limit, 10_000))],
    );
    return rows.map((r) => ({
      id: String(r.id),
      callId: r.call_id === null ? null : String(r.call_id),
      doneAt: String(r.done_at),
    }));
  }

  /** Deletes a done item (open items are never deleted by the desk); true if it went. */
  async deleteDone(id: string): Promise<boolean> {
    const before = await this.db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM worklist_items WHERE id = $1 AND item_status = 'done'",
      [id],
    );
    if (Number(before[0]?.n ?? 0) === 0) return false;
    await this.db.query("DELETE FROM worklist_items WHERE id = $1 AND item_status = 'done'", [id]);
    return true;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private seal(id: string, column: SealedColumn, value: string | null): string | null {
    if (value === null || !this.box) return value;
    const sealed = this.box.seal(value, worklistAad(id, column));
    return `${SEALED_PREFIX}${sealed.iv}.${sealed.tag}.${sealed.data}`;
  }

  /** A stored field as it was given: opened if sealed, as it is if written in clear before. */
  private open(id: string, column: SealedColumn, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value);
    if (!text.startsWith(SEALED_PREFIX)) return text;
    const [iv = '', tag = '', data = ''] = text.slice(SEALED_PREFIX.length).split('.');
    const sealed: SealedSecret = { alg: 'aes-256-gcm', iv, tag, data };
    try {
      if (!this.box) throw new Error('no key');
      return this.box.open(sealed, worklistAad(id, column));
    } catch {
      this.log?.error(
        `worklist item ${id}: field ${column} cannot be opened (wrong key, damaged or moved)`,
      );
      return null;
    }
  }

  private async sealRow(tx: SqlExecutor, id: string): Promise<void> {
    if (!this.box) return;
    const [row] = await tx.query(
      `SELECT ${SEALED_COLUMNS.join(', ')} FROM worklist_items WHERE id = $1`,
      [id],
    );
    if (!row) return;
    const plain = SEALED_COLUMNS.filter((c) => {
      const value = row[c];
      return value !== null && value !== undefined && !String(value).startsWith(SEALED_PREFIX);
    });
    if (plain.length === 0) return;
    await tx.query(
      `UPDATE worklist_items SET ${plain.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
      [id, ...plain.map((c) => this.seal(id, c, String(row[c])))],
    );
  }

  private toEntry(row: SqlRow): WorklistEntry {
    const id = String(row.id);
    const open = (column: SealedColumn) => this.open(id, column, row[column]);
    return {
      id,
      type: row.item_type === 'callback' ? 'callback' : 'message',
      urgent: Number(row.urgent) === 1,
      callId: text(row, 'call_id'),
      callerId: open('caller_id'),
      number: open('callback_number'),
      window: open('time_window'),
      topic: open('topic') ?? UNREADABLE,
      text: open('message_text'),
      summary: open('summary') ?? UNREADABLE,
      createdAt: String(row.created_at),
      status: row.item_status === 'done' ? 'done' : 'open',
      doneAt: text(row, 'done_at'),
      doneBy: text(row, 'done_by'),
      note: open('done_note'),
    };
  }
}

/** Shown for a required field that cannot be opened (the log says why). */
const UNREADABLE = '(nicht lesbar)';

export class WorklistError extends Error {
  override name = 'WorklistError';
}

function text(row: SqlRow, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : String(value);
}
