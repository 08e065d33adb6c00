/**
 * The contract's length limits for what comes from the other side of a
 * call, and the two small helpers that keep to them, shared by both sides
 * so the renderer never sends what the engine must refuse.
 *
 * One Call-ID limit everywhere. SIP itself puts no bound on a Call-ID
 * (RFC 3261 8.1.1.4 only asks it to be unique), and a far end may send
 * one of any length; the renderer's phone maps a Call-ID it cannot pass on
 * to a stable short id once (renderer/phone/call-id.ts), and that id is the
 * call's name in the store, the reports, the bot, the transcript and the
 * audio frames. Truncating instead would let two long Call-IDs with the
 * same beginning name one call.
 */
import { z } from 'zod';

/** The longest call id any request takes. */
export const CALL_ID_MAX_LENGTH = 256;

/** A call's id as every request names it (the phone's id for the SIP Call-ID). */
export const callIdSchema = z.string().min(1).max(CALL_ID_MAX_LENGTH);

/** The longest remote party (SIP user part or URI) or display name a phone report takes. */
export const REMOTE_MAX_LENGTH = 500;

/** The longest reason (English log text) a phone report takes. */
export const REASON_MAX_LENGTH = 500;

/**
 * `text` cut to at most `max` UTF-16 units, never between the two halves
 * of a surrogate pair (an emoji in a display name stays whole or goes).
 */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/**
 * A stable 64-bit hash of a text (FNV-1a over its UTF-16 units, each as two
 * bytes, low byte first), as 16 hex digits. Not a secret: it names a call
 * when its Call-ID is too long, and tags the call's audio frames.
 */
export function stableHash(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash = BigInt.asUintN(64, (hash ^ BigInt(unit & 0xff)) * FNV_PRIME);
    hash = BigInt.asUintN(64, (hash ^ BigInt(unit >>> 8)) * FNV_PRIME);
  }
  return hash.toString(16).padStart(16, '0');
}
