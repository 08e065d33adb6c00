import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EngineKeys, KEY_PURPOSES } from '../../../../../electron/engine/store/engine-keys';
import { SecretBox, SecretBoxError } from '../../../../../electron/engine/store/secret-box';

describe('engine keys (HKDF, one per purpose)', () => {
  const master = crypto.randomBytes(32);

  it('derives a different 32-byte key for every purpose, the same one every time', () => {
    const keys = new EngineKeys(master);
    const all = KEY_PURPOSES.map((purpose) => keys.key(purpose).toString('hex'));
    expect(new Set(all).size).toBe(KEY_PURPOSES.length);
    expect(all).not.toContain(master.toString('hex'));
    expect(new EngineKeys(master).key('transcripts')).toEqual(keys.key('transcripts'));
    expect(new EngineKeys(crypto.randomBytes(32)).key('transcripts')).not.toEqual(
      keys.key('transcripts'),
    );
    // RFC 5869 with SHA-256: what node's hkdf gives for the same input.
    expect(keys.key('audit')).toEqual(
      Buffer.from(crypto.hkdfSync('sha256', master, 'lotse engine keys v1', 'lotse:audit', 32)),
    );
  });

  it('seals with the purpose key and still opens what the master key sealed before', () => {
    const keys = new EngineKeys(master);
    const old = new SecretBox(master).seal('Passwort von gestern');
    expect(keys.box('settings').open(old)).toBe('Passwort von gestern');
    const sealed = keys.box('settings').seal('neu');
    expect(keys.box('settings').open(sealed)).toBe('neu');
    // Not with the master key alone, and not with another purpose's key.
    expect(() => new SecretBox(master).open(sealed)).toThrow(SecretBoxError);
    expect(() => new SecretBox(keys.key('transcripts')).open(sealed)).toThrow(SecretBoxError);
  });

  it('keys hashes per purpose: the same number hashes differently for the logs', () => {
    const keys = new EngineKeys(master);
    expect(keys.hmac('verification', '123D45678')).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.hmac('verification', '123D45678')).toBe(keys.hmac('verification', '123D45678'));
    expect(keys.hmac('logs', '123D45678')).not.toBe(keys.hmac('verification', '123D45678'));
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new EngineKeys(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
