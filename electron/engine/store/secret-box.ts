/**
 * Authenticated encryption for secrets at rest (AES-256-GCM). The key comes
 * from the host: Electron's safeStorage in the desktop app, a key file with
 * owner-only permissions in web mode (see key-file.ts).
 *
 * Associated data (`aad`) binds a sealed value to where it belongs – a
 * transcript line to its call and position, a worklist field to its row and
 * column – without being stored in it: whoever opens must name the same
 * place, so a value moved elsewhere no longer opens (GCM's tag covers it).
 */
import crypto from 'node:crypto';

export interface SealedSecret {
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export class SecretBox {
  private readonly key: Buffer;
  /** Keys that sealed older data: tried after `key` when opening, never used to seal. */
  private readonly legacyKeys: Buffer[];

  constructor(key: Buffer, options: { legacyKeys?: readonly Buffer[] } = {}) {
    if (key.length !== 32) throw new SecretBoxError('the settings key must be 32 bytes');
    this.key = Buffer.from(key);
    this.legacyKeys = (options.legacyKeys ?? []).map((k) => Buffer.from(k));
  }

  seal(plain: string, aad?: string): SealedSecret {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return {
      alg: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** Opens what `seal` sealed with the same associated data (none: none). */
  open(sealed: SealedSecret, aad?: string): string {
    for (const key of [this.key, ...this.legacyKeys]) {
      try {
        const decipher = crypto.createDecipheriv(
          'aes-256-gcm',
          key,
          Buffer.from(sealed.iv, 'base64'),
        );
        if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([
          decipher.update(Buffer.from(sealed.data, 'base64')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        // the next key, if any
      }
    }
    throw new SecretBoxError('a stored secret cannot be decrypted (wrong key or damaged file)');
  }
}
