import { describe, expect, it } from 'vitest';
import { accountInputSchema, eventSchema, requestSchemas } from '../../../../electron/contract';

const valid = {
  serverUrl: 'wss://sip.jobcenter.example:8443/ws',
  sipUri: 'sip:1001@jobcenter.example',
  authUser: '1001',
  displayName: 'Frau Beispiel',
  iceServers: [],
  autoRegister: true,
};

describe('account settings schema', () => {
  it('accepts a complete account', () => {
    expect(accountInputSchema.parse({ ...valid, password: 'geheim' }).password).toBe('geheim');
  });

  it.each([
    [
      'a server URL that is not ws/wss',
      { serverUrl: 'http://sip.example' },
      /"reason":"server_url_scheme"/,
    ],
    [
      'a SIP URI without domain',
      { sipUri: 'sip:1001' },
      /"reason":"sip_uri_form".*sip:name@domain/,
    ],
    ['a missing field', { autoRegister: undefined }, /autoRegister/],
  ])('rejects %s with a clear message', (_name, patch, message) => {
    const result = accountInputSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });
});

describe('request and event schemas', () => {
  it('checks params of phone.report by kind', () => {
    const schema = requestSchemas['phone.report'].params;
    expect(
      schema.safeParse({ kind: 'registration', state: 'failed', reason: '403 Forbidden' }).success,
    ).toBe(true);
    expect(schema.safeParse({ kind: 'registration', state: 'bogus' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'call', callId: 'x', state: 'connected' }).success).toBe(false);
  });

  it('bounds the test tone', () => {
    const schema = requestSchemas['audio.play'].params;
    expect(
      schema.parse({
        leg: 'outgoing',
        source: { kind: 'tone', frequencyHz: 1000, durationMs: 500 },
      }).source.levelDbfs,
    ).toBe(-12);
    expect(
      schema.safeParse({
        leg: 'outgoing',
        source: { kind: 'tone', frequencyHz: 1000, durationMs: 10 ** 9 },
      }).success,
    ).toBe(false);
  });

  it('rejects an event whose data does not match its name', () => {
    expect(
      eventSchema.safeParse({
        event: 'audio.level',
        data: { leg: 'caller', seq: 1, rmsDbfs: -20, speech: true },
      }).success,
    ).toBe(true);
    expect(eventSchema.safeParse({ event: 'audio.level', data: { message: 'hi' } }).success).toBe(
      false,
    );
  });
});
