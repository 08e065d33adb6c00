import { describe, expect, it } from 'vitest';
import { DTMF_DURATION_MS, dtmfRelayBody, parseDtmfInfo } from '../../../../renderer/sip/sip-phone';

describe('SIP INFO DTMF body (application/dtmf-relay)', () => {
  it('names the digit and its duration, CRLF separated', () => {
    expect(dtmfRelayBody('1')).toBe('Signal=1\r\nDuration=160');
    expect(dtmfRelayBody('#', 250)).toBe('Signal=#\r\nDuration=250');
    expect(DTMF_DURATION_MS).toBe(160);
  });
});

describe('received SIP INFO DTMF', () => {
  it('reads dtmf-relay and dtmf bodies, in any case, with the 10/11 aliases', () => {
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160')).toBe('5');
    expect(parseDtmfInfo('Application/DTMF-Relay; charset=utf-8', 'signal= #\r\n')).toBe('#');
    expect(parseDtmfInfo('application/dtmf', '11')).toBe('#');
    expect(parseDtmfInfo('application/dtmf', '10')).toBe('*');
    expect(parseDtmfInfo('application/dtmf', 'a')).toBe('A');
  });

  it('ignores garbage and other packages', () => {
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=12')).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', 'Duration=160')).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf', 'x')).toBeUndefined();
    expect(parseDtmfInfo('text/plain', '5')).toBeUndefined();
    expect(parseDtmfInfo('', '')).toBeUndefined();
  });
});
