import { describe, expect, it } from 'vitest';
import {
  BG_NUMBER,
  CUSTOMER_NUMBER,
  parseCaseFile,
} from '../../../../../electron/engine/cases/case-record';
import {
  generateDemoHouseholds,
  paymentDate,
} from '../../../../../electron/engine/cases/demo-households';

const asOf = new Date('2026-02-20T10:00:00Z');

describe('demo households', () => {
  it('are the same for the same seed and date, and differ for another seed', () => {
    const a = JSON.stringify(generateDemoHouseholds({ asOf }));
    expect(JSON.stringify(generateDemoHouseholds({ asOf }))).toBe(a);
    expect(JSON.stringify(generateDemoHouseholds({ asOf, seed: 7 }))).not.toBe(a);
  });

  it('are ~200 valid records with the documented fictitious formats', () => {
    const households = generateDemoHouseholds({ asOf });
    expect(households).toHaveLength(200);
    const { records, issues } = parseCaseFile({ version: 1, households });
    expect(issues).toEqual([]);
    const numbers = records.flatMap((r) => r.members.flatMap((m) => m.customerNumber ?? []));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.every((n) => CUSTOMER_NUMBER.test(n) && /^99\dD\d{5}$/.test(n))).toBe(true);
    expect(
      records.every((r) => BG_NUMBER.test(r.bgNumber) && r.bgNumber.startsWith('99999BG')),
    ).toBe(true);
    expect(new Set(records.map((r) => r.pin)).size).toBe(200);
    expect(records[0]?.members[0]?.customerNumber).toBe('990D10001');
    expect(JSON.stringify(households).length).toBeLessThan(1_000_000);
  });

  it('pays single adults the 2026 Regelbedarf plus housing, at the start of the month', () => {
    const households = parseCaseFile({
      version: 1,
      households: generateDemoHouseholds({ asOf }),
    }).records;
    const singles = households.filter((h) => h.members.length === 1);
    expect(singles.length).toBeGreaterThan(30);
    for (const single of singles) {
      for (const payment of single.payments) {
        expect(payment.amountCents).toBeGreaterThanOrEqual((563 + 390 - 600) * 100);
        expect(payment.amountCents).toBeLessThanOrEqual((563 + 700) * 100);
        expect(payment.date <= `${payment.forMonth}-01`).toBe(true);
      }
    }
    const pending = households.filter((h) =>
      h.applications.some((a) => a.type === 'continuation_application'),
    );
    expect(pending.length).toBeGreaterThan(10);
    expect(households.some((h) => h.applications.some((a) => a.missingDocuments.length > 0))).toBe(
      true,
    );
    expect(households.some((h) => h.appointments.length > 0)).toBe(true);
  });

  it('moves a payment on a weekend or 1 January to the working day before', () => {
    expect(paymentDate(2026, 2)).toBe('2026-02-27'); // 1 March 2026 is a Sunday
    expect(paymentDate(2026, 0)).toBe('2025-12-31'); // 1 January is a holiday
    expect(paymentDate(2026, 3)).toBe('2026-04-01'); // a Wednesday
  });
});
