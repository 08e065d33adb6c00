/**
 * Finds the household a verification names: a customer number, a BG number
 * (both with the date of birth) or a telephone PIN, as said or keyed. Never
 * reveal whether a number exists (§ 35 SGB I, § 67 ff. SGB X): an unknown
 * number, a wrong date and malformed input all end in null, after the same
 * work – the date comparison runs against a dummy when nothing matched, and
 * in constant time.
 */
import crypto from 'node:crypto';
import type { SqlExecutor } from '../store/db/sql-database';
import { BG_NUMBER, CUSTOMER_NUMBER, PIN, isIsoDate } from './case-record';
import type { VerifyInput } from './case-system';

/** Who verified: the household, and the member (customer number) or null (BG number, PIN: the applicant). */
export interface VerificationMatch {
  householdId: string;
  memberId: string | null;
}

/** A verification compares against this when the number is unknown, so both paths do the same work. */
const DUMMY_BIRTH_DATE = '1900-01-01';

function sameText(a: string, b: string): boolean {
  const left = Buffer.alloc(32);
  const right = Buffer.alloc(32);
  left.write(a.slice(0, 32));
  right.write(b.slice(0, 32));
  return crypto.timingSafeEqual(left, right) && a.length === b.length;
}

/**
 * A phone keypad has no letters: callers key the digits of "990D10001" as
 * "99010001". This turns such a digit string into a LIKE pattern with one
 * wildcard per letter ("990_10001"); numbers with letters match exactly.
 */
function keypadPattern(
  digits: string,
  lettersAt: number,
  letterCount: number,
  minLength: number,
  maxLength: number,
): string | undefined {
  if (!/^\d+$/.test(digits) || digits.length < minLength || digits.length > maxLength)
    return undefined;
  return `${digits.slice(0, lettersAt)}${'_'.repeat(letterCount)}${digits.slice(lettersAt)}`;
}

const normalizeNumber = (value: unknown) =>
  typeof value === 'string' ? value.replace(/[\s./-]/g, '').toUpperCase() : '';

/** The household whose number and date of birth match; null otherwise. Same work either way. */
export async function matchVerification(
  db: SqlExecutor,
  input: VerifyInput,
  hashPin: (pin: string) => string,
): Promise<VerificationMatch | null> {
  if (input && 'pin' in input) {
    const pin = typeof input.pin === 'string' ? input.pin.replace(/\s/g, '') : '';
    const rows = await db.query<{ id: string }>('SELECT id FROM households WHERE pin_hash = $1', [
      hashPin(PIN.test(pin) ? pin : `invalid:${pin}`),
    ]);
    return rows[0] ? { householdId: rows[0].id, memberId: null } : null;
  }
  const dateOfBirth =
    input && typeof input.dateOfBirth === 'string' && isIsoDate(input.dateOfBirth.trim())
      ? input.dateOfBirth.trim()
      : '';
  let candidates: { id: string; household_id: string; date_of_birth: string }[];
  const byCustomerNumber = Boolean(input && 'customerNumber' in input);
  if (input && 'customerNumber' in input) {
    const number = normalizeNumber(input.customerNumber);
    candidates = await db.query(
      'SELECT id, household_id, date_of_birth FROM members WHERE customer_number LIKE $1',
      [CUSTOMER_NUMBER.test(number) ? number : (keypadPattern(number, 3, 1, 8, 9) ?? '')],
    );
  } else {
    const number = normalizeNumber(input && 'bgNumber' in input ? input.bgNumber : '');
    // Only members able to act for the household (those with a customer number) verify.
    candidates = await db.query(
      `SELECT m.id, m.household_id, m.date_of_birth FROM members m
       JOIN households h ON h.id = m.household_id
       WHERE h.bg_number LIKE $1 AND m.customer_number IS NOT NULL`,
      [BG_NUMBER.test(number) ? number : (keypadPattern(number, 5, 2, 12, 12) ?? '')],
    );
  }
  // A keyed number matching more than one household identifies nobody.
  if (new Set(candidates.map((c) => c.household_id)).size > 1) candidates = [];
  let found: VerificationMatch | null = null;
  const compared = candidates.length
    ? candidates
    : [{ id: '', household_id: '', date_of_birth: DUMMY_BIRTH_DATE }];
  for (const candidate of compared) {
    const same = sameText(String(candidate.date_of_birth), dateOfBirth);
    if (same && candidate.household_id && dateOfBirth && !found) {
      found = {
        householdId: candidate.household_id,
        memberId: byCustomerNumber ? candidate.id : null,
      };
    }
  }
  return found;
}
