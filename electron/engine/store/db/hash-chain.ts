/**
 * A keyed hash chain over an append-only table (the audit log, the desk's
 * audit journal): every row carries its place (`seq`, 1, 2, 3 …) and
 *
 *   mac = HMAC-SHA256(key, previous row's mac ‖ "\n" ‖ canonical row)
 *
 * where the canonical row is the JSON array of seq and the listed columns.
 * A changed row, a deleted row in the middle, two rows swapped or a row
 * slipped in no longer fit the chain, and without the key (the engine's, one
 * per purpose: store/engine-keys.ts) nobody can make them fit again. Together
 * with the triggers of append-only.ts (no UPDATE, no DELETE, no unchained
 * INSERT) this is what makes the audit trail trustworthy (Art. 32 GDPR).
 *
 * When it is checked: the whole chain before the first row this process
 * appends, then before every append the rows since the last check, starting
 * from the last row this process saw — so rows cut off the end while the
 * engine runs are noticed too. Cutting the end off a closed database is the
 * one change a chain alone cannot see (the triggers refuse it; whoever drops
 * them could); a damaged chain stops every further append, and with it
 * every read of case data (no audit row, no data).
 *
 * Rows written before a table had the chain have no seq and no mac; they
 * are counted as `legacy`, not checked one by one, but their number is
 * where the chain starts (the first row's "previous mac" is `legacy:<n>`):
 * a legacy row removed or one slipped in later breaks the chain as well, and
 * the INSERT trigger makes sure no new row can pose as one.
 *
 * Appends: at most one per transaction (the check reads committed rows; a
 * transaction that rolls back leaves no row behind, and the chain does not
 * count on it). A second writer on a shared PostgreSQL server that takes the
 * same seq fails on the unique index instead of forking the chain.
 */
import crypto from 'node:crypto';
import type { ReasonedError } from '../../../contract';
import type { SqlExecutor, SqlValue } from './sql-database';

/**
 * The migration text that gives `table` the chain's columns: its place
 * (`seq`, unique), its `mac`, and the verified person's keyed hash
 * (`subject`, indexed with the time for the data-protection officer).
 */
export function chainColumnsSql(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a plain table name: ${table}`);
  return `
ALTER TABLE ${table} ADD COLUMN seq INTEGER;
ALTER TABLE ${table} ADD COLUMN mac TEXT;
ALTER TABLE ${table} ADD COLUMN subject TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS ${table}_seq ON ${table} (seq);
CREATE INDEX IF NOT EXISTS ${table}_subject ON ${table} (subject, created_at)`;
}

export interface ChainedTable {
  /** Table name (lower_snake_case); it has `seq INTEGER` and `mac TEXT` columns. */
  table: string;
  /** The columns hashed, in this order (seq and mac excluded). */
  columns: readonly string[];
  /** What it is, for messages ("audit log"). */
  label: string;
}

export interface ChainReport {
  ok: boolean;
  /** Rows in the chain, checked. */
  chained: number;
  /** Rows from before the chain existed (no seq, no mac): not checked. */
  legacy: number;
  /** What is wrong, in English (for the log), when not ok. */
  problem?: string;
}

/** The chain does not hold: rows were changed, removed or slipped in. */
export class ChainDamagedError extends Error implements ReasonedError {
  readonly reason = 'audit_log_damaged';

  constructor(label: string, problem: string) {
    super(`the ${label} is damaged (${problem}): no further rows are written, so no case data`);
    this.name = 'ChainDamagedError';
  }
}

interface Link {
  seq: number;
  mac: string;
}

/** Where the chain starts: before row 1, with the number of rows from before the chain. */
const genesis = (legacy: number): Link => ({ seq: 0, mac: `legacy:${legacy}` });
const PAGE = 1000;

export class HashChain {
  /** The last row this process has checked and found in place (seq 0: the start). */
  private checked: Link | undefined;
  private damage: ChainDamagedError | undefined;
  private readonly select: string;

  constructor(
    private readonly spec: ChainedTable,
    private readonly key: Buffer,
  ) {
    for (const name of [spec.table, ...spec.columns]) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
    }
    this.select = `SELECT seq, mac, ${spec.columns.join(', ')} FROM ${spec.table}`;
  }

  /** Whether a damaged chain was found (every append fails from then on). */
  get damaged(): ChainDamagedError | undefined {
    return this.damage;
  }

  /**
   * Appends one row (the listed columns; seq and mac are added) after
   * checking the rows since the last check. Throws ChainDamagedError when the
   * chain does not hold.
   */
  async append(tx: SqlExecutor, values: Record<string, SqlValue>): Promise<void> {
    if (this.damage) throw this.damage;
    let head: Link;
    if (!this.checked) {
      const report = await this.walk(tx);
      if (!report.ok) throw this.fail(report.problem ?? 'chain broken');
      head = report.head;
    } else {
      head = await this.checkTail(tx, this.checked);
    }
    const seq = head.seq + 1;
    const row = this.spec.columns.map((c) => values[c] ?? null);
    const mac = this.mac(head.mac, seq, row);
    const placeholders = row.map((_, i) => `$${i + 3}`).join(', ');
    await tx.query(
      `INSERT INTO ${this.spec.table} (seq, mac, ${this.spec.columns.join(', ')})
       VALUES ($1, $2, ${placeholders})`,
      [seq, mac, ...row],
    );
    // Not the new row: its transaction may still roll back.
    this.checked = head;
  }

  /** Checks the whole chain (for the data-protection officer, and tests). */
  async verify(db: SqlExecutor): Promise<ChainReport> {
    const { head: _head, ...report } = await this.walk(db);
    return report;
  }

  private async walk(db: SqlExecutor): Promise<ChainReport & { head: Link }> {
    const legacyRows = await db.query<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM ${this.spec.table} WHERE mac IS NULL`,
    );
    const legacy = Number(legacyRows[0]?.n ?? 0);
    let prev = genesis(legacy);
    let chained = 0;
    for (;;) {
      const rows = await db.query(
        `${this.select} WHERE mac IS NOT NULL AND seq > $1 ORDER BY seq LIMIT ${PAGE}`,
        [prev.seq],
      );
      for (const row of rows) {
        const problem = this.problem(prev, row);
        if (problem) return { ok: false, chained, legacy, problem, head: prev };
        prev = { seq: Number(row.seq), mac: String(row.mac) };
        chained++;
      }
      if (rows.length < PAGE) break;
    }
    return { ok: true, chained, legacy, head: prev };
  }

  /** The rows from the last checked one on: it must still be there, unchanged; the rest must fit. */
  private async checkTail(db: SqlExecutor, from: Link): Promise<Link> {
    const rows = await db.query(`${this.select} WHERE mac IS NOT NULL AND seq >= $1 ORDER BY seq`, [
      from.seq,
    ]);
    let rest = rows;
    if (from.seq > 0) {
      const [first, ...after] = rows;
      if (!first || Number(first.seq) !== from.seq || String(first.mac) !== from.mac) {
        throw this.fail(`row ${from.seq} and later are gone or changed since they were checked`);
      }
      rest = after;
    }
    let prev = from;
    for (const row of rest) {
      const problem = this.problem(prev, row);
      if (problem) throw this.fail(problem);
      prev = { seq: Number(row.seq), mac: String(row.mac) };
    }
    return prev;
  }

  private problem(prev: Link, row: Record<string, SqlValue>): string | undefined {
    const seq = Number(row.seq);
    if (seq !== prev.seq + 1) {
      return seq > prev.seq + 1
        ? `row ${prev.seq + 1}${seq > prev.seq + 2 ? `–${seq - 1}` : ''} missing`
        : `row ${seq} out of order`;
    }
    const expected = this.mac(
      prev.mac,
      seq,
      this.spec.columns.map((c) => row[c] ?? null),
    );
    const actual = Buffer.from(String(row.mac));
    const wanted = Buffer.from(expected);
    if (actual.length !== wanted.length || !crypto.timingSafeEqual(actual, wanted)) {
      return seq === 1
        ? 'row 1 changed, or rows from before the chain added or removed'
        : `row ${seq} changed or not written by Lotse`;
    }
    return undefined;
  }

  private mac(previous: string, seq: number, row: readonly SqlValue[]): string {
    // Every value as text (or null): drivers differ in how they hand back numbers.
    const canonical = JSON.stringify([seq, ...row.map((v) => (v === null ? null : String(v)))]);
    return crypto.createHmac('sha256', this.key).update(`${previous}\n${canonical}`).digest('hex');
  }

  private fail(problem: string): ChainDamagedError {
    this.damage = new ChainDamagedError(this.spec.label, problem);
    return this.damage;
  }
}
