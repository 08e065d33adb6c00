/**
 * The audit trail cannot be rewritten quietly: the database refuses UPDATE
 * and DELETE (triggers, on SQLite and on PostgreSQL/PGlite), the rows are
 * chained with a keyed hash so a row changed, removed or slipped in behind
 * the triggers' back is found, and a damaged store stops case access instead
 * of being replaced by an empty one — for the embedded store's audit log and
 * for the desk journal of the HTTP connector alike.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditJournal } from '../../../../../electron/engine/cases/audit-journal';
import {
  CASE_MIGRATIONS,
  CASE_STORE_COMPONENT,
} from '../../../../../electron/engine/cases/case-schema';
import type { AuditContext } from '../../../../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { openCaseSystem } from '../../../../../electron/engine/cases/open-case-system';
import { migrate } from '../../../../../electron/engine/store/db/migrations';
import { openDatabase } from '../../../../../electron/engine/store/db/open-database';
import type { SqlDatabase } from '../../../../../electron/engine/store/db/sql-database';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
const RIGHT = { customerNumber: '998D00001', dateOfBirth: '1985-04-12' };
const audit: AuditContext = { who: 'agent:k.test', why: 'audit chain test', callId: 'call-a' };
const auditKey = crypto.randomBytes(32);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-audit-chain-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (driver: 'sqlite' | 'pglite') =>
  EmbeddedCaseSystem.open({ dataDir: dir, driver, demo: false, auditKey, verifyFloorMs: 0 });

/** A store with a few audit rows: verifications and reads. */
async function storeWithRows(driver: 'sqlite' | 'pglite'): Promise<void> {
  const cases = await open(driver);
  await cases.importCaseFile(fixture);
  await cases.verify({ ...RIGHT, dateOfBirth: '1985-04-13' }, audit);
  const verified = await cases.verify(RIGHT, audit);
  if (!verified.verified) throw new Error('the fixture caller verifies');
  await cases.nextPayment(verified.caseRef, audit);
  await cases.applications(verified.caseRef, audit);
  await cases.close();
}

async function raw<T>(
  driver: 'sqlite' | 'pglite',
  name: string,
  work: (db: SqlDatabase) => Promise<T>,
) {
  const { db } = await openDatabase({ dataDir: dir, name, driver, onDamaged: 'fail' });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** What someone with the database file (and no key) could do once the triggers are gone. */
async function dropTriggers(db: SqlDatabase, table: string): Promise<void> {
  if (db.dialect === 'sqlite') {
    for (const name of ['no_update', 'no_delete', 'chained'])
      await db.exec(`DROP TRIGGER IF EXISTS ${table}_${name}`);
  } else {
    for (const name of ['no_change', 'no_truncate', 'chained'])
      await db.exec(`DROP TRIGGER IF EXISTS ${table}_${name} ON ${table}`);
  }
}

describe.each(['sqlite', 'pglite'] as const)('the audit log on %s', (driver) => {
  it('refuses UPDATE and DELETE of its rows', async () => {
    await storeWithRows(driver);
    await raw(driver, 'cases', async (db) => {
      await expect(db.query("UPDATE audit_log SET who = 'nobody'")).rejects.toThrow(/append-only/);
      await expect(db.query("DELETE FROM audit_log WHERE what = 'verify'")).rejects.toThrow(
        /append-only/,
      );
      if (driver === 'pglite') {
        await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      }
      const rows = await db.query<{ n: number }>(
        'SELECT CAST(count(*) AS INTEGER) AS n FROM audit_log',
      );
      expect(Number(rows[0]?.n)).toBe(4);
    });
    if (driver === 'sqlite') {
      // (Reopening PGlite costs seconds: the chain itself is checked on SQLite.)
      const cases = await open(driver);
      expect(await cases.verifyAuditLog()).toEqual({ ok: true, chained: 4, legacy: 0 });
      await cases.close();
    }
  }, 90_000);

  it('finds a changed row behind the triggers and stops case access', async () => {
    await storeWithRows(driver);
    await raw(driver, 'cases', async (db) => {
      await dropTriggers(db, 'audit_log');
      await db.query("UPDATE audit_log SET who = 'agent:someone.else' WHERE what = 'next_payment'");
    });
    const cases = await open(driver);
    try {
      // No audit row can be written, so the caller is not even verified.
      await expect(cases.verify(RIGHT, audit)).rejects.toMatchObject({
        reason: 'audit_log_damaged',
      });
      expect(await cases.verifyAuditLog()).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/row 3 changed/),
      });
    } finally {
      await cases.close();
    }
  }, 90_000);
});

describe('the audit log chain (sqlite)', () => {
  it('finds a removed row, a row slipped in, and a legacy row added later', async () => {
    const tamperings = [
      "DELETE FROM audit_log WHERE what = 'verify' AND outcome = 'verified'",
      `INSERT INTO audit_log (id, created_at, who, household_id, what, why, call_id, outcome, seq, mac)
       VALUES ('x', '2026-01-01T00:00:00.000Z', 'bot', NULL, 'verify', 'w', NULL, 'read', 5, 'ab')`,
      `INSERT INTO audit_log (id, created_at, who, household_id, what, why, call_id, outcome)
       VALUES ('y', '2020-01-01T00:00:00.000Z', 'bot', NULL, 'verify', 'w', NULL, 'read')`,
    ];
    const problems: string[] = [];
    for (const tampering of tamperings) {
      fs.rmSync(dir, { recursive: true, force: true });
      await storeWithRows('sqlite');
      await raw('sqlite', 'cases', async (db) => {
        await dropTriggers(db, 'audit_log');
        await db.query(tampering);
      });
      const cases = await open('sqlite');
      await expect(cases.findByCallerId('+493023125990', audit)).rejects.toMatchObject({
        reason: 'audit_log_damaged',
      });
      const report = await cases.verifyAuditLog();
      expect(report.ok, tampering).toBe(false);
      problems.push(report.problem ?? '');
      await cases.close();
    }
    expect(problems).toEqual([
      'row 2 missing',
      'row 5 changed or not written by Lotse',
      'row 1 changed, or rows from before the chain added or removed',
    ]);
  }, 60_000);

  it('keeps rows from before the chain, counts them, and chains on from there', async () => {
    const { db } = await openDatabase({ dataDir: dir, name: 'cases', driver: 'sqlite' });
    await migrate(db, CASE_STORE_COMPONENT, CASE_MIGRATIONS);
    for (const id of ['old-1', 'old-2']) {
      await db.query(
        `INSERT INTO audit_log (id, created_at, who, household_id, what, why, call_id, outcome)
         VALUES ($1, '2025-12-01T08:00:00.000Z', 'agent:k.alt', NULL, 'verify', 'old', NULL, 'not_verified')`,
        [id],
      );
    }
    await db.close();
    const cases = await open('sqlite');
    try {
      await cases.importCaseFile(fixture);
      expect(await cases.verifyAuditLog()).toEqual({ ok: true, chained: 0, legacy: 2 });
      expect((await cases.verify(RIGHT, audit)).verified).toBe(true);
      expect(await cases.verifyAuditLog()).toEqual({ ok: true, chained: 1, legacy: 2 });
      expect((await cases.auditLog()).map((r) => r.who)).toContain('agent:k.alt');
    } finally {
      await cases.close();
    }
  }, 30_000);

  it('stops case access when the store cannot be opened, and leaves the file where it is', async () => {
    const file = path.join(dir, 'cases.sqlite');
    fs.writeFileSync(file, 'not a database '.repeat(200));
    await expect(
      openCaseSystem({ dataDir: dir, key: crypto.randomBytes(32), env: {} }),
    ).rejects.toMatchObject({ reason: 'audit_log_damaged' });
    expect(fs.readFileSync(file, 'utf8')).toBe('not a database '.repeat(200));
    expect(fs.readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  }, 30_000);
});

describe('the desk journal of the HTTP connector', () => {
  const entry = {
    who: 'agent:k.test',
    why: 'journal chain test',
    callId: 'call-j',
    what: 'next_payment',
    caseId: 'FIX-0001',
    outcome: 'read',
    system: 'https://fachverfahren.example/lotse/v1/',
  };

  it('is chained and append-only; a changed row stops every further read', async () => {
    const journal = await AuditJournal.open({ dataDir: dir, driver: 'sqlite', key: auditKey });
    for (let i = 0; i < 3; i++) await journal.record({ ...entry, what: `read_${i}` });
    await journal.close();
    await raw('sqlite', 'audit', async (db) => {
      await expect(db.query("UPDATE audit_journal SET who = 'x'")).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_journal')).rejects.toThrow(/append-only/);
    });
    const intact = await AuditJournal.open({ dataDir: dir, driver: 'sqlite', key: auditKey });
    expect(await intact.verify()).toEqual({ ok: true, chained: 3, legacy: 0 });
    await intact.close();
    await raw('sqlite', 'audit', async (db) => {
      await dropTriggers(db, 'audit_journal');
      await db.query("UPDATE audit_journal SET why = 'nothing to see' WHERE what = 'read_1'");
    });
    const reopened = await AuditJournal.open({ dataDir: dir, driver: 'sqlite', key: auditKey });
    try {
      await expect(reopened.record(entry)).rejects.toMatchObject({
        reason: 'audit_log_damaged',
      });
      expect((await reopened.verify()).problem).toBe('row 2 changed or not written by Lotse');
    } finally {
      await reopened.close();
    }
  }, 30_000);

  it('is not replaced by an empty journal when it cannot be opened', async () => {
    const file = path.join(dir, 'audit.sqlite');
    fs.writeFileSync(file, 'not a database '.repeat(200));
    await expect(AuditJournal.open({ dataDir: dir, driver: 'sqlite' })).rejects.toMatchObject({
      reason: 'audit_log_damaged',
    });
    expect(fs.readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});
