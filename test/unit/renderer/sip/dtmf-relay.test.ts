import { describe, expect, it } from 'vitest';
import { DTMF_DURATION_MS, dtmfRelayBody } from '../../../../renderer/sip/sip-phone';

describe('SIP INFO DTMF body (application/dtmf-relay)', () => {
  it('names the digit and its duration, CRLF separated', () => {
    expect(dtmfRelayBody('1')).toBe('Signal=1\r\nDuration=160');
    expect(dtmfRelayBody('#', 250)).toBe('Signal=#\r\nDuration=250');
    expect(DTMF_DURATION_MS).toBe(160);
  });
});
