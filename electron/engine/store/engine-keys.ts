/**
 * One key per purpose, derived from the engine's master key with HKDF
 * (RFC 5869, SHA-256): a key that leaks from one use (say, the key that
 * hashes customer numbers for the verification limits) tells nothing about
 * the others, and the master key itself never encrypts or hashes anything.
 *
 * Data sealed before the keys were derived was sealed with the master key
 * itself: a box still opens it (and the next write seals it with the
 * purpose's key), so an update loses no password, transcript or note.
 */
import crypto from 'node:crypto';
import { SecretBox } from './secret-box';

export const KEY_PURPOSES = [
  /** The SIP password in settings.json. */
  'settings',
  /** Transcript lines at rest. */
  'transcripts',
  /** Worklist callbacks and messages at rest. */
  'worklist',
  /** Notes waiting for the case system. */
  'learning',
  /** HMAC of customer numbers and caller IDs for the verification limits. */
  'verification',
  /** HMAC chain over the audit log's rows. */
  'audit',
  /** HMAC of PINs in the embedded case store. */
  'pins',
  /** Hashing phone numbers for the logs. */
  'logs',
] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Fixed, public salt: HKDF's extract step with a salt that names the application. */
const SALT = Buffer.from('lotse engine keys v1', 'utf8');

export class EngineKeys {
  private readonly master: Buffer;
  private readonly derived = new Map<KeyPurpose, Buffer>();

  constructor(master: Buffer) {
    if (master.length !== 32) throw new Error('the engine key must be 32 bytes');
    this.master = Buffer.from(master);
  }

  /** The 32-byte key for one purpose (the same for the same master key, every time). */
  key(purpose: KeyPurpose): Buffer {
    let key = this.derived.get(purpose);
    if (!key) {
      key = Buffer.from(crypto.hkdfSync('sha256', this.master, SALT, `lotse:${purpose}`, 32));
      this.derived.set(purpose, key);
    }
    return Buffer.from(key);
  }

  /** A box that seals with the purpose's key and still opens what the master key sealed. */
  box(purpose: KeyPurpose): SecretBox {
    return new SecretBox(this.key(purpose), { legacyKeys: [this.master] });
  }

  /** A keyed hash for one purpose (hex), e.g. of a customer number: stable, not reversible. */
  hmac(purpose: KeyPurpose, value: string): string {
    return crypto.createHmac('sha256', this.key(purpose)).update(value, 'utf8').digest('hex');
  }
}
