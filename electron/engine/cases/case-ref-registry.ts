/**
 * The verifications a case system has issued. A successful `verify` gets an
 * opaque, expiring CaseRef (random, never derived from the case); behind it
 * the system keeps what it needs to answer later reads – the embedded store
 * its household and member, the HTTP connector the server's case id and
 * token. Both systems use this one registry, so an invented, released or
 * expired ref fails the same way everywhere: CaseAccessError.
 */
import crypto from 'node:crypto';
import { CaseAccessError, type CaseRef } from './case-system';

export interface CaseRefRegistryOptions {
  /** How long a CaseRef stays valid (default 2 h: longer than any call). */
  ttlMs?: number;
  now?: () => Date;
}

interface Entry<T> {
  value: T;
  /** Epoch ms. */
  expires: number;
}

export class CaseRefRegistry<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(options: CaseRefRegistryOptions = {}) {
    this.ttlMs = options.ttlMs ?? 2 * 3600_000;
    this.now = options.now ?? (() => new Date());
  }

  /** A new CaseRef for `value`, valid for the TTL or until `expiresAt` (epoch ms), whichever is sooner. */
  issue(value: T, expiresAt = Infinity): CaseRef {
    const ref = crypto.randomBytes(24).toString('base64url');
    this.entries.set(ref, {
      value,
      expires: Math.min(this.now().getTime() + this.ttlMs, expiresAt),
    });
    return ref as CaseRef;
  }

  /** What stands behind a CaseRef; throws CaseAccessError for one not issued here, released or expired. */
  resolve(caseRef: CaseRef): T {
    const entry = typeof caseRef === 'string' ? this.entries.get(caseRef) : undefined;
    if (!entry) throw new CaseAccessError();
    if (entry.expires <= this.now().getTime()) {
      this.entries.delete(caseRef);
      throw new CaseAccessError(
        'the verification has expired: verify the caller again',
        'verification_expired',
      );
    }
    return entry.value;
  }

  /** Forgets a CaseRef (the call is over); returns what stood behind it, expired or not. */
  release(caseRef: CaseRef): T | undefined {
    const entry = typeof caseRef === 'string' ? this.entries.get(caseRef) : undefined;
    if (!entry) return undefined;
    this.entries.delete(caseRef);
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }

  /** How many verifications are held (expired ones until they are next touched). */
  get size(): number {
    return this.entries.size;
  }
}
