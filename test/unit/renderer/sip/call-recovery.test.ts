import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONNECT_LIMIT_MS,
  dialogGone,
  reconnectLimitMs,
  recoveryFailedReason,
  retryRecovery,
} from '../../../../renderer/sip/call-recovery';

describe('reconnectLimitMs', () => {
  it('uses the default without a setting or with garbage', () => {
    for (const raw of [null, undefined, '', 'abc', '-5', '3.5', '1e4', '10 s'])
      expect(reconnectLimitMs(raw), String(raw)).toBe(DEFAULT_RECONNECT_LIMIT_MS);
    expect(DEFAULT_RECONNECT_LIMIT_MS).toBe(30_000);
  });
  it('takes a whole number of ms and keeps it within 1 s … 5 min', () => {
    expect(reconnectLimitMs('3000')).toBe(3000);
    expect(reconnectLimitMs(' 4500 ')).toBe(4500);
    expect(reconnectLimitMs('0')).toBe(1000);
    expect(reconnectLimitMs('999999999')).toBe(300_000);
  });
});

describe('after the recovery re-INVITE failed', () => {
  it('408, 481 and no answer at all mean the dialog is gone', () => {
    for (const code of [0, 408, 481]) expect(dialogGone(code), String(code)).toBe(true);
    for (const code of [480, 488, 491, 500, 503])
      expect(dialogGone(code), String(code)).toBe(false);
  });
  it('480, 491 and 503 are worth another try; a refusal is not', () => {
    for (const code of [480, 491, 503]) expect(retryRecovery(code), String(code)).toBe(true);
    for (const code of [0, 408, 481, 488, 500, 603])
      expect(retryRecovery(code), String(code)).toBe(false);
  });
  it('the reason names the status when there was one', () => {
    expect(recoveryFailedReason(0)).toEqual({ code: 'connection-lost' });
    expect(recoveryFailedReason(481)).toEqual({ code: 'connection-lost', statusCode: 481 });
  });
});
