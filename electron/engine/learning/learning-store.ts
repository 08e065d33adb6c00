/**
 * What the learning loop keeps from the caseworker's screen, in the engine's
 * embedded database ('learning'): every feedback on a suggestion (pinned,
 * copied, used, helpful, not helpful) and every saved wrap-up with its final
 * labels. A reviewer approves what the ranking and the intent model learn
 * from `summary()`; nothing is learnt without that review.
 *
 * What is stored, and why:
 *   - feedback rows: call, article, action, who, when, the intent the screen
 *     had then and the suggestion's rank – labels, no words of the caller;
 *   - wrap-up records: the final intent and disposition (the labels), what
 *     the bot proposed (to measure the proposal), where the note went and its
 *     id there, who and when, the articles shown and used, and of the note
 *     only its length and SHA-256. Not the text: it is personal data (the
 *     caller's words, facts of the case) whose record is the case system,
 *     with its own access rules and retention; a second copy on a desk would
 *     need its own deletion and subject-access handling, and the learning
 *     loop needs the labels, not the prose. The hash tells a reviewer whether
 *     the agent changed the proposal and matches a delivered note without
 *     keeping it;
 *   - pending notes: the one exception. A note that could not go to the case
 *     system (no verified case, or the back office was down) is kept whole so
 *     nothing is lost – sealed with the engine's SecretBox (AES-256-GCM) when
 *     the store has one – with the case it belongs to (if verified), until
 *     `markDelivered` records where it went and wipes the text. Without a box the text is kept in clear and the log says
 *     so: losing a note would be worse.
 */
import crypto from 'node:crypto';
import {
  dispositionSchema,
  feedbackActionSchema,
  MAX_NOTE_LENGTH,
  type Disposition,
  type FeedbackAction,
  type WrapUpDestination,
} from '../../contract';
import type { ScopedLogger } from '../log/logger';
import { openStoreDatabase, type StoreOpenOptions } from '../store/db/open-store';
import type { SqlDatabase, SqlExecutor, SqlRow } from '../store/db/sql-database';
import { SecretBoxError, type SealedSecret, type SecretBox } from '../store/secret-box';
import { summarizeArticles, type ArticleSummary } from './article-summary';
import {
  articleIds,
  checkDisposition,
  instant,
  invalid,
  LearningStoreError,
  optional,
  required,
} from './learning-checks';
import { LEARNING_MIGRATIONS } from './learning-schema';

/** Why a note waits on the desk: no verified case, or the case system failed. */
export type PendingReason = 'not_verified' | 'case_system_unavailable';

export interface FeedbackInput {
  callId: string;
  articleId: string;
  action: FeedbackAction;
  /** The staff account, e.g. 'agent:k.beispiel'. */
  who: string;
  /** The caller's intent as the screen had it when the agent clicked. */
  intent?: string | null;
  /** The suggestion's place in the list (0 = first), when known. */
  rank?: number | null;
  at?: Date;
}

export interface FeedbackRecord {
  id: string;
  callId: string;
  articleId: string;
  action: FeedbackAction;
  who: string;
  at: string;
  intent: string | null;
  rank: number | null;
}

export interface WrapUpInput {
  callId: string;
  /** The saved note (whole text): only its length and hash are kept, unless it waits on the desk. */
  note: string;
  intent: string | null;
  disposition: Disposition;
  /** What `proposeWrapUp` suggested, to measure the proposal against the agent's choice. */
  proposed?: { note?: string; intent?: string | null; disposition?: Disposition };
  savedTo: WrapUpDestination;
  /** The case system's id for the note (case_system only). */
  noteId?: string | null;
  /** Why a desk note did not go to the case system. */
  pendingReason?: PendingReason;
  /** The verified case a desk note belongs to (back office down), for the retry. */
  caseId?: string | null;
  /**
   * The id to keep a desk note under: the id its failed save was sent with
   * (NewContactNote.noteId), so a later delivery is the same note to the case
   * system. Default: a new one.
   */
  pendingId?: string;
  who: string;
  /** Article ids the screen showed during the call. */
  shown?: readonly string[];
  /** Article ids the agent pinned, copied, used or found helpful. */
  used?: readonly string[];
  at?: Date;
}

export interface WrapUpRecord {
  id: string;
  callId: string;
  intent: string | null;
  disposition: Disposition;
  proposedIntent: string | null;
  proposedDisposition: Disposition | null;
  noteLength: number;
  noteSha256: string;
  /** Whether the agent changed the proposed text (null: no proposal given). */
  noteEdited: boolean | null;
  savedTo: WrapUpDestination;
  noteId: string | null;
  who: string;
  at: string;
  shown: string[];
  used: string[];
  /** Set for a desk note: the id to list and deliver it by. */
  pendingId: string | null;
}

export interface PendingNote {
  id: string;
  wrapUpId: string;
  callId: string;
  /** The case to deliver it to; null for a caller who was never verified. */
  caseId: string | null;
  reason: PendingReason;
  intent: string | null;
  disposition: Disposition;
  /** The whole note, opened from its sealed form. */
  text: string;
  createdAt: string;
}

export class LearningStore {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
    private readonly box: SecretBox | undefined,
    private readonly log: ScopedLogger | undefined,
  ) {}

  static async open(
    options: Pick<StoreOpenOptions, 'dataDir' | 'driver' | 'now' | 'log'> & {
      /** Seals notes waiting on the desk; without it they are kept in clear. */
      box?: SecretBox;
    } = {},
  ): Promise<LearningStore> {
    const db = await openStoreDatabase(
      {
        name: 'learning',
        component: 'learning',
        migrations: LEARNING_MIGRATIONS,
        label: 'learning store',
      },
      options,
    );
    if (!options.box) {
      options.log?.warn(
        'learning store without a key: notes waiting for the case system are kept unencrypted',
      );
    }
    return new LearningStore(db, options.now ?? (() => new Date()), options.box, options.log);
  }

  async recordFeedback(input: FeedbackInput): Promise<FeedbackRecord> {
    const action = feedbackActionSchema.safeParse(input.action);
    if (!action.success) {
      throw invalid('action', `unknown feedback action "${String(input.action)}"`, {
        value: String(input.action),
      });
    }
    const rank = input.rank ?? null;
    if (rank !== null && (!Number.isInteger(rank) || rank < 0 || rank > 10_000)) {
      throw invalid('rank', `must be a whole number ≥ 0, not ${String(rank)}`);
    }
    const record: FeedbackRecord = {
      id: crypto.randomUUID(),
      callId: required(input.callId, 'callId', 300),
      articleId: required(input.articleId, 'articleId', 200),
      action: action.data,
      who: required(input.who, 'who', 200),
      at: instant(input.at ?? this.now()),
      intent: optional(input.intent, 'intent', 60),
      rank,
    };
    await this.db.query(
      `INSERT INTO suggestion_feedback (id, call_id, article_id, action, who, at, intent, rank_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        record.id,
        record.callId,
        record.articleId,
        record.action,
        record.who,
        record.at,
        record.intent,
        record.rank,
      ],
    );
    return record;
  }

  /** The feedback of one call, oldest first. */
  async feedbackFor(callId: string): Promise<FeedbackRecord[]> {
    const rows = await this.db.query(
      'SELECT * FROM suggestion_feedback WHERE call_id = $1 ORDER BY at, id',
      [required(callId, 'callId', 300)],
    );
    return rows.map(toFeedback);
  }

  /**
   * Files a saved wrap-up. A desk note is kept whole (sealed) in the same
   * transaction, so a record never exists without its note or the other way.
   */
  async recordWrapUp(input: WrapUpInput): Promise<WrapUpRecord> {
    const note = typeof input.note === 'string' ? input.note : '';
    if (note.trim() === '') throw new LearningStoreError('the note is empty', 'note_empty');
    if (note.length > MAX_NOTE_LENGTH) {
      throw new LearningStoreError(
        `the note is longer than ${MAX_NOTE_LENGTH} characters`,
        'note_too_long',
        { max: MAX_NOTE_LENGTH },
      );
    }
    const disposition = checkDisposition(input.disposition);
    const proposedDisposition =
      input.proposed?.disposition === undefined
        ? null
        : checkDisposition(input.proposed.disposition);
    if (input.savedTo !== 'case_system' && input.savedTo !== 'desk') {
      throw invalid('savedTo', `must be case_system or desk, not "${String(input.savedTo)}"`, {
        value: String(input.savedTo),
      });
    }
    const noteId = optional(input.noteId, 'noteId', 200);
    if (input.savedTo === 'case_system' && noteId === null) {
      throw invalid('noteId', 'a case-system note needs its noteId');
    }
    const shown = articleIds(input.shown, 'shown');
    const used = articleIds(input.used, 'used');
    const record: WrapUpRecord = {
      id: crypto.randomUUID(),
      callId: required(input.callId, 'callId', 300),
      intent: optional(input.intent, 'intent', 60),
      disposition,
      proposedIntent: optional(input.proposed?.intent, 'proposed.intent', 60),
      proposedDisposition,
      noteLength: note.length,
      noteSha256: sha256(note),
      noteEdited: input.proposed?.note === undefined ? null : input.proposed.note !== note,
      savedTo: input.savedTo,
      noteId,
      who: required(input.who, 'who', 200),
      at: instant(input.at ?? this.now()),
      shown,
      used,
      pendingId:
        input.savedTo === 'desk'
          ? (optional(input.pendingId, 'pendingId', 100) ?? crypto.randomUUID())
          : null,
    };
    const reason = input.pendingReason ?? 'not_verified';
    if (reason !== 'not_verified' && reason !== 'case_system_unavailable') {
      throw invalid('pendingReason', `unknown pendingReason "${String(reason)}"`, {
        value: String(reason),
      });
    }
    const caseId = optional(input.caseId, 'caseId', 200);
    const sealed = record.pendingId && this.box ? JSON.stringify(this.box.seal(note)) : null;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO wrap_ups (id, call_id, intent, disposition, proposed_intent, proposed_disposition,
           note_length, note_sha256, note_edited, saved_to, note_id, who, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          record.id,
          record.callId,
          record.intent,
          record.disposition,
          record.proposedIntent,
          record.proposedDisposition,
          record.noteLength,
          record.noteSha256,
          record.noteEdited === null ? null : record.noteEdited ? 1 : 0,
          record.savedTo,
          record.noteId,
          record.who,
          record.at,
        ],
      );
      await insertArticles(tx, record.id, 'shown', shown);
      await insertArticles(tx, record.id, 'used', used);
      if (record.pendingId) {
        await tx.query(
          `INSERT INTO pending_notes (id, wrap_up_id, call_id, case_id, reason, intent, disposition,
             sealed, plain_text, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            record.pendingId,
            record.id,
            record.callId,
            caseId,
            reason,
            record.intent,
            record.disposition,
            sealed,
            sealed === null ? note : null,
            record.at,
          ],
        );
      }
    });
    return record;
  }

  /** Notes still waiting for the case system, oldest first, opened for a retry. */
  async pendingNotes(): Promise<PendingNote[]> {
    const rows = await this.db.query(
      'SELECT * FROM pending_notes WHERE delivered_at IS NULL ORDER BY created_at, id',
    );
    return rows.map((row) => ({
      id: String(row.id),
      wrapUpId: String(row.wrap_up_id),
      callId: String(row.call_id),
      caseId: text(row, 'case_id'),
      reason: row.reason === 'case_system_unavailable' ? 'case_system_unavailable' : 'not_verified',
      intent: text(row, 'intent'),
      disposition: dispositionSchema.catch('other').parse(row.disposition),
      text: this.openNote(row),
      createdAt: String(row.created_at),
    }));
  }

  /**
   * A pending note reached the case system: records where it went, wipes the
   * kept text and completes the wrap-up record. Unknown or already delivered
   * ids are an error, not a silent no-op.
   */
  async markDelivered(id: string, noteId?: string | null): Promise<void> {
    const key = required(id, 'id', 100);
    const deliveredId = optional(noteId, 'noteId', 200);
    const at = instant(this.now());
    await this.db.transaction(async (tx) => {
      const rows = await tx.query(
        'SELECT wrap_up_id, delivered_at FROM pending_notes WHERE id = $1',
        [key],
      );
      const row = rows[0];
      if (!row)
        throw new LearningStoreError(`pending note ${key} not found`, 'pending_note_not_found', {
          id: key,
        });
      if (row.delivered_at !== null && row.delivered_at !== undefined) {
        throw new LearningStoreError(
          `note ${key} was delivered already`,
          'note_already_delivered',
          {
            id: key,
          },
        );
      }
      await tx.query(
        `UPDATE pending_notes SET delivered_at = $2, delivered_note_id = $3, sealed = NULL,
           plain_text = NULL WHERE id = $1`,
        [key, at, deliveredId],
      );
      await tx.query(`UPDATE wrap_ups SET saved_to = 'case_system', note_id = $2 WHERE id = $1`, [
        String(row.wrap_up_id),
        deliveredId,
      ]);
    });
  }

  /** The wrap-ups of one call, oldest first. */
  async wrapUpsFor(callId: string): Promise<WrapUpRecord[]> {
    const rows = await this.db.query('SELECT * FROM wrap_ups WHERE call_id = $1 ORDER BY at, id', [
      required(callId, 'callId', 300),
    ]);
    const records: WrapUpRecord[] = [];
    for (const row of rows) {
      const articles = await this.db.query(
        'SELECT article_id, role FROM wrap_up_articles WHERE wrap_up_id = $1 ORDER BY article_id',
        [String(row.id)],
      );
      const pending = await this.db.query(
        'SELECT id FROM pending_notes WHERE wrap_up_id = $1 AND delivered_at IS NULL',
        [String(row.id)],
      );
      const noteEdited = row.note_edited === null ? null : Number(row.note_edited) === 1;
      records.push({
        id: String(row.id),
        callId: String(row.call_id),
        intent: text(row, 'intent'),
        disposition: dispositionSchema.catch('other').parse(row.disposition),
        proposedIntent: text(row, 'proposed_intent'),
        proposedDisposition:
          row.proposed_disposition === null
            ? null
            : dispositionSchema.catch('other').parse(row.proposed_disposition),
        noteLength: Number(row.note_length),
        noteSha256: String(row.note_sha256),
        noteEdited,
        savedTo: row.saved_to === 'case_system' ? 'case_system' : 'desk',
        noteId: text(row, 'note_id'),
        who: String(row.who),
        at: String(row.at),
        shown: articles.filter((a) => a.role === 'shown').map((a) => String(a.article_id)),
        used: articles.filter((a) => a.role === 'used').map((a) => String(a.article_id)),
        pendingId: pending[0] ? String(pending[0].id) : null,
      });
    }
    return records;
  }

  /** Per article: marks, uses and wrap-up listings, most used first (see article-summary.ts). */
  summary(): Promise<ArticleSummary[]> {
    return summarizeArticles(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private openNote(row: SqlRow): string {
    if (row.sealed === null || row.sealed === undefined) return String(row.plain_text ?? '');
    if (!this.box) {
      throw new LearningStoreError(
        'a pending note is sealed and no key was given',
        'pending_note_sealed',
      );
    }
    try {
      return this.box.open(JSON.parse(String(row.sealed)) as SealedSecret);
    } catch (error) {
      const why = error instanceof SecretBoxError ? error.message : String(error);
      this.log?.error(`pending note ${String(row.id)} cannot be opened: ${why}`);
      throw new LearningStoreError(
        `pending note ${String(row.id)} cannot be opened: ${why}`,
        'pending_note_unreadable',
        { id: String(row.id) },
      );
    }
  }
}

async function insertArticles(
  tx: SqlExecutor,
  wrapUpId: string,
  role: 'shown' | 'used',
  ids: readonly string[],
): Promise<void> {
  for (const articleId of ids) {
    await tx.query(
      `INSERT INTO wrap_up_articles (wrap_up_id, article_id, role) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [wrapUpId, articleId, role],
    );
  }
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

function text(row: SqlRow, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : String(value);
}

function toFeedback(row: SqlRow): FeedbackRecord {
  return {
    id: String(row.id),
    callId: String(row.call_id),
    articleId: String(row.article_id),
    action: String(row.action) as FeedbackAction,
    who: String(row.who),
    at: String(row.at),
    intent: text(row, 'intent'),
    rank:
      row.rank_position === null || row.rank_position === undefined
        ? null
        : Number(row.rank_position),
  };
}
