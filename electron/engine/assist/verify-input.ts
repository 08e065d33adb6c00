/**
 * What the agent typed into the identity check, read as a verification
 * request (customer number, BG number or PIN), with a clear error for
 * anything else.
 */
import type { VerifyInput } from '../cases/case-system';
import { BG_NUMBER, CUSTOMER_NUMBER, PIN, isIsoDate } from '../cases/case-record';
import { AssistError } from './assist-error';

/** What the agent typed, as a verification request; a clear error for anything else. */
export function verifyInput(number: string, dateOfBirth: string | undefined): VerifyInput {
  const compact = number.replace(/[\s./-]/g, '').toUpperCase();
  if (PIN.test(compact) && !dateOfBirth) return { pin: compact };
  if (!dateOfBirth || !isIsoDate(dateOfBirth)) {
    throw new AssistError('bad_request', 'date of birth missing or invalid', {
      reason: 'date_of_birth_invalid',
    });
  }
  if (BG_NUMBER.test(compact)) return { bgNumber: compact, dateOfBirth };
  if (CUSTOMER_NUMBER.test(compact) || /^\d{8,9}$/.test(compact))
    return { customerNumber: compact, dateOfBirth };
  throw new AssistError(
    'bad_request',
    'number not recognised: neither a customer number (123D45678), a BG number (12345BG0012345) nor a PIN',
    { reason: 'number_not_recognised' },
  );
}
