import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../../../../electron/engine/cases/case-record';
import {
  CaseAccessError,
  type AuditContext,
  type CaseRef,
} from '../../../../../electron/engine/cases/case-system';
import { EmbeddedCaseSystem } from '../../../../../electron/engine/cases/embedded-case-system';
import { loadBetterSqlite } from '../../../../../electron/engine/store/db/sqlite-database';

// Real databases, no mocks: PGlite always; better-sqlite3 as well when it can
// be loaded (installed, or LOTSE_BETTER_SQLITE3 pointing at a build of it).
const sqliteModule = process.env.LOTSE_BETTER_SQLITE3 ?? 'better-sqlite3';
const drivers: ('pglite' | 'sqlite')[] = loadBetterSqlite(sqliteModule)
  ? ['pglite', 'sqlite']
  : ['pglite'];

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../../fixtures/cases/mixed-case-file.json'), 'utf8'),
) as unknown;
const now = () => new Date('2026-02-20T10:00:00Z');
const audit: AuditContext = { who: 'bot', why: 'caller asked payment_date', callId: 'call-1' };
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe.each(drivers)('EmbeddedCaseSystem on %s', (driver) => {
  let cases: EmbeddedCaseSystem;
  let importResult: Awaited<ReturnType<EmbeddedCaseSystem['importCaseFile']>>;

  beforeAll(async () => {
    cases = await EmbeddedCaseSystem.open({
      driver,
      sqliteModule,
      demo: false,
      now,
      verifyFloorMs: 60,
    });
    importResult = await cases.importCaseFile(fixture);
  }, 30_000);
  afterAll(() => cases?.close());

  it('reports malformed records by record and field, and loads the others', () => {
    expect(importResult.imported).toBe(2);
    const lines = importResult.issues.map(formatIssue);
    expect(lines).toEqual([
      'households[1] (id "FIX-0002"): members.0.dateOfBirth: expected a date YYYY-MM-DD',
      expect.stringMatching(/^households\[2\] \(id "FIX-0003"\): bgNumber: /),
      expect.stringMatching(/^households\[3\] \(id "FIX-0004"\): payments\.0\.amountCents: /),
    ]);
  });

  it('reports a record that clashes with a stored one and keeps the stored one', async () => {
    const again = await cases.importCaseFile(fixture);
    expect(again.imported).toBe(0);
    expect(again.issues.map(formatIssue)).toContain(
      'households[0] (id "FIX-0001"): id: a household with this id is already stored',
    );
  });

  it('verifies with the right customer number and date of birth, then answers', async () => {
    const result = await cases.verify(
      { customerNumber: '998 d 00001', dateOfBirth: '1985-04-12' },
      audit,
    );
    expect(result.verified).toBe(true);
    if (!result.verified) return;
    const ref = result.caseRef;
    expect(await cases.nextPayment(ref, audit)).toEqual({
      date: '2026-02-27',
      amountCents: 101300,
      forMonth: '2026-03',
    });
    expect(await cases.applications(ref, audit)).toEqual([
      {
        type: 'continuation_application',
        receivedDate: '2026-02-10',
        status: 'documents_missing',
        missingDocuments: ['Mietbescheinigung'],
      },
    ]);
    expect(await cases.nextAppointment(ref, audit)).toMatchObject({
      date: '2026-03-10',
      time: '09:30',
      kind: 'in_person',
    });
    expect(await cases.caseworker(ref, audit)).toEqual({
      name: 'Frau Erika Beispiel',
      team: 'Team Leistung 1',
      phone: '+493023125900',
    });
    expect(await cases.householdMembers(ref, audit)).toHaveLength(1);
    expect(await cases.benefitPeriod(ref, audit)).toEqual({
      start: '2025-11-01',
      end: '2026-10-31',
    });
    const note = await cases.addContactNote(
      ref,
      { channel: 'bot', text: 'Zahltermin genannt.' },
      audit,
    );
    const notes = await cases.contactNotes(ref, audit);
    expect(notes[0]).toEqual(note);
    expect(notes).toHaveLength(2);
  });

  it('verifies with the BG number or the PIN', async () => {
    expect(
      (await cases.verify({ bgNumber: '99998BG0000001', dateOfBirth: '1985-04-12' }, audit))
        .verified,
    ).toBe(true);
    expect((await cases.verify({ pin: '246810' }, audit)).verified).toBe(true);
    expect(await cases.verify({ pin: '111111' }, audit)).toEqual({ verified: false });
  });

  it('fails the same way, in similar time, for a wrong date of birth and an unknown number', async () => {
    const wrongBirth = { customerNumber: '998D00001', dateOfBirth: '1985-04-13' };
    const unknown = { customerNumber: '998D99999', dateOfBirth: '1985-04-12' };
    const malformed = { customerNumber: 'x', dateOfBirth: 'gestern' };
    const times: Record<string, number[]> = { wrongBirth: [], unknown: [] };
    for (let i = 0; i < 6; i++) {
      for (const [name, input] of Object.entries({ wrongBirth, unknown })) {
        const started = performance.now();
        const result = await cases.verify(input, audit);
        times[name]!.push(performance.now() - started);
        expect(result).toStrictEqual({ verified: false });
      }
    }
    expect(await cases.verify(malformed, audit)).toStrictEqual({ verified: false });
    expect(median(times.wrongBirth!)).toBeGreaterThanOrEqual(59);
    expect(median(times.unknown!)).toBeGreaterThanOrEqual(59);
    expect(Math.abs(median(times.wrongBirth!) - median(times.unknown!))).toBeLessThan(15);
  });

  it('gives no case data without a CaseRef from verification', async () => {
    // @ts-expect-error a plain string is not a CaseRef
    await expect(cases.nextPayment('FIX-0001', audit)).rejects.toThrow(CaseAccessError);
    const forged = 'FIX-0001' as CaseRef;
    await expect(cases.householdMembers(forged, audit)).rejects.toThrow(CaseAccessError);
    await expect(
      cases.addContactNote(forged, { channel: 'bot', text: 'x' }, audit),
    ).rejects.toThrow(CaseAccessError);
    const result = await cases.verify({ pin: '246810' }, audit);
    if (!result.verified) throw new Error('fixture PIN should verify');
    cases.release(result.caseRef);
    await expect(cases.caseworker(result.caseRef, audit)).rejects.toThrow(CaseAccessError);
  });

  it('refuses a read without who and why', async () => {
    const result = await cases.verify({ pin: '246810' }, audit);
    if (!result.verified) throw new Error('fixture PIN should verify');
    await expect(cases.nextPayment(result.caseRef, { who: '', why: 'x' })).rejects.toThrow(
      /audit\.who/,
    );
    await expect(cases.nextPayment(result.caseRef, { who: 'bot', why: ' ' })).rejects.toThrow(
      /audit\.why/,
    );
  });

  it('writes an audit row for every read, and names no case for a failed verification', async () => {
    const before = (await cases.auditLog({ householdId: 'FIX-0001', limit: 10_000 })).length;
    const result = await cases.verify(
      { customerNumber: '998D00001', dateOfBirth: '1985-04-12' },
      audit,
    );
    if (!result.verified) throw new Error('should verify');
    const reads = { who: 'agent:k.beispiel', why: 'case view after handoff', callId: 'call-2' };
    await cases.nextPayment(result.caseRef, reads);
    await cases.applications(result.caseRef, reads);
    await cases.nextAppointment(result.caseRef, reads);
    await cases.caseworker(result.caseRef, reads);
    await cases.householdMembers(result.caseRef, reads);
    await cases.benefitPeriod(result.caseRef, reads);
    await cases.contactNotes(result.caseRef, reads);
    const rows = await cases.auditLog({ householdId: 'FIX-0001', limit: 10_000 });
    expect(rows.length - before).toBe(8);
    expect(
      rows
        .filter((r) => r.who === 'agent:k.beispiel')
        .map((r) => r.what)
        .sort(),
    ).toEqual([
      'applications',
      'benefit_period',
      'caseworker',
      'contact_notes',
      'household_members',
      'next_appointment',
      'next_payment',
    ]);
    expect(rows.every((r) => r.at === now().toISOString())).toBe(true);
    const failed = (await cases.auditLog({ limit: 10_000 })).filter(
      (r) => r.outcome === 'not_verified',
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.householdId === null)).toBe(true);
  });

  it('gives the whole case context with the verifying member as the client, in one audit row', async () => {
    const imported = await cases.importCaseFile({
      version: 1,
      households: [
        {
          id: 'FIX-0100',
          bgNumber: '99998BG0000100',
          members: [
            {
              firstName: 'Petra',
              lastName: 'Kontext',
              dateOfBirth: '1980-01-01',
              role: 'applicant',
              customerNumber: '998D00100',
            },
            {
              firstName: 'Paul',
              lastName: 'Kontext',
              dateOfBirth: '1982-02-02',
              role: 'partner',
              customerNumber: '998D00101',
            },
            { firstName: 'Pia', lastName: 'Kontext', dateOfBirth: '2015-03-03', role: 'child' },
          ],
          payments: [{ date: '2026-03-02', amountCents: 150000, forMonth: '2026-03' }],
          appointments: [
            { date: '2026-02-19', time: '09:00', kind: 'phone', topic: 'vorbei' },
            { date: '2026-02-25', time: '11:00', kind: 'phone', topic: 'Rückruf' },
          ],
        },
      ],
    });
    expect(imported.imported).toBe(1);
    const countRows = async () =>
      (await cases.auditLog({ householdId: 'FIX-0100', limit: 10_000 })).filter(
        (r) => r.what === 'case_context',
      ).length;

    const partner = await cases.verify(
      { customerNumber: '998D00101', dateOfBirth: '1982-02-02' },
      audit,
    );
    if (!partner.verified) throw new Error('the partner should verify');
    const before = await countRows();
    const context = await cases.caseContext(partner.caseRef, audit);
    expect(await countRows()).toBe(before + 1);
    expect(context).toMatchObject({
      caseId: 'FIX-0100',
      bgNumber: '99998BG0000100',
      client: { firstName: 'Paul', role: 'partner', customerNumber: '998D00101' },
      benefitPeriod: null,
      nextPayment: { date: '2026-03-02', amountCents: 150000 },
      applications: [],
      notes: [],
      caseworker: null,
    });
    expect(context.members.map((m) => m.firstName)).toEqual(['Petra', 'Paul', 'Pia']);
    expect(context.appointments.map((a) => a.topic)).toEqual(['Rückruf']);

    const byBg = await cases.verify(
      { bgNumber: '99998BG0000100', dateOfBirth: '1982-02-02' },
      audit,
    );
    if (!byBg.verified) throw new Error('the BG number should verify');
    expect((await cases.caseContext(byBg.caseRef, audit)).client).toEqual({
      firstName: 'Petra',
      lastName: 'Kontext',
      dateOfBirth: '1980-01-01',
      role: 'applicant',
      customerNumber: '998D00100',
    });
  });

  it('gives no case context without a valid CaseRef, and writes no row for it', async () => {
    const before = (await cases.auditLog({ limit: 10_000 })).length;
    await expect(cases.caseContext('FIX-0001' as CaseRef, audit)).rejects.toThrow(CaseAccessError);
    const result = await cases.verify({ pin: '246810' }, audit);
    if (!result.verified) throw new Error('fixture PIN should verify');
    cases.release(result.caseRef);
    await expect(cases.caseContext(result.caseRef, audit)).rejects.toThrow(CaseAccessError);
    // Only the verify wrote a row.
    expect((await cases.auditLog({ limit: 10_000 })).length).toBe(before + 1);
  });

  it('gives a caller-ID hint without naming anyone', async () => {
    expect(await cases.findByCallerId('+49 30 23125990', audit)).toEqual({ known: true });
    expect(await cases.findByCallerId('+493023125991', audit)).toEqual({ known: false });
  });
});

describe.each(drivers)('case store files on %s', (driver) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-cases-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies migrations once and loads the demo once (open twice)', async () => {
    const first = await EmbeddedCaseSystem.open({
      dataDir: dir,
      driver,
      sqliteModule,
      now,
      demo: { households: 20 },
    });
    expect(await first.countHouseholds()).toBe(20);
    await first.close();
    const second = await EmbeddedCaseSystem.open({
      dataDir: dir,
      driver,
      sqliteModule,
      now,
      demo: { households: 20 },
    });
    expect(await second.countHouseholds()).toBe(20);
    const verified = await second.verify({ customerNumber: '990D10001', dateOfBirth: 'x' }, audit);
    expect(verified).toEqual({ verified: false });
    await second.close();
  }, 30_000);

  it('moves a damaged database aside, keeps it, and starts fresh', async () => {
    const damagedDir = path.join(dir, 'damaged');
    fs.mkdirSync(damagedDir);
    if (driver === 'sqlite') {
      fs.writeFileSync(path.join(damagedDir, 'cases.sqlite'), 'not a database '.repeat(200));
    } else {
      const first = await EmbeddedCaseSystem.open({
        dataDir: damagedDir,
        driver,
        now,
        demo: false,
      });
      await first.close();
      fs.writeFileSync(
        path.join(damagedDir, 'cases.pgdata', 'global', 'pg_control'),
        Buffer.alloc(8192, 7),
      );
    }
    const opened = await EmbeddedCaseSystem.open({
      dataDir: damagedDir,
      driver,
      sqliteModule,
      now,
      demo: false,
    });
    expect(opened.movedAside?.reason).toBeTruthy();
    expect(opened.movedAside?.to).toMatch(/\.damaged-2026-02-20T10-00-00-000Z$/);
    expect(fs.existsSync(opened.movedAside!.to)).toBe(true);
    expect(await opened.countHouseholds()).toBe(0);
    await opened.close();
  }, 30_000);
});
