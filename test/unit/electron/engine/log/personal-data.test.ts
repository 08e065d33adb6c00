/** Pseudonyms instead of caller numbers, and the safety net for text from outside the engine. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pseudonyms } from '../../../../../electron/engine/log/personal-data';
import { EngineKeys } from '../../../../../electron/engine/store/engine-keys';

const keys = new EngineKeys(crypto.randomBytes(32));
const pseudonyms = new Pseudonyms((value) => keys.hmac('logs', value));

describe('Pseudonyms', () => {
  it('names a number by 8 hex digits of its keyed hash and its last two digits', () => {
    const tag = pseudonyms.of('015209876543');
    expect(tag).toMatch(/^#[0-9a-f]{8}\.\.43$/);
    expect(tag).toBe(`#${keys.hmac('logs', '015209876543').slice(0, 8)}..43`);
    // The same caller however the network writes the number.
    for (const form of [
      'sip:015209876543@127.0.0.1',
      '"Erika" <sip:015209876543@pbx.example;user=phone>',
      'tel:+4915209876543',
      '+49 152 0987 6543',
      '0049-152-09876543',
    ])
      expect(pseudonyms.of(form)).toBe(tag);
    // Another key, another pseudonym: not comparable across desks.
    expect(
      new Pseudonyms((v) => new EngineKeys(crypto.randomBytes(32)).hmac('logs', v)).of(
        '015209876543',
      ),
    ).not.toBe(tag);
    // A SIP user name is a caller too.
    expect(pseudonyms.of('sip:anrufer@127.0.0.1')).toMatch(/^#[0-9a-f]{8}$/);
    expect(pseudonyms.of('')).toBe('');
  });

  it('scrubs URIs, display names, numbers and dates from text written outside the engine', () => {
    const text = pseudonyms.scrub(
      'sip.js warn [sip.Transport]: From: "Erika Mustermann" <sip:015209876543@10.0.0.5>;tag=x ' +
        'to tel:+4930123456 geboren 14.03.1985 bzw. 1985-03-14 oder 14031985, ' +
        'WebSocket closed ws://192.168.10.20:8080 (code: 1006)',
    );
    for (const gone of [
      'Erika',
      '015209876543',
      '4930123456',
      '14.03.1985',
      '1985-03-14',
      '14031985',
    ])
      expect(text).not.toContain(gone);
    expect(text).toContain(`sip:${pseudonyms.of('015209876543')}@10.0.0.5`);
    // What IT needs to find a fault stays.
    expect(text).toContain('ws://192.168.10.20:8080 (code: 1006)');
    expect(text).toContain('sip.js warn [sip.Transport]');
    // A pseudonym is not scrubbed again.
    expect(pseudonyms.scrub(text)).toBe(text);
  });
});
