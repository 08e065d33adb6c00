/**
 * Logs hold no caller numbers, dates of birth or transcript text (DESIGN,
 * "Rules that come from German law"; GDPR Art. 5(1)(c), § 67 ff. SGB X).
 * Where a log line must say which caller it was about, it names a
 * pseudonym instead of the number:
 *
 *   #3f9c2a71..78      "#", the first 8 hex digits of HMAC-SHA256 with the
 *                      engine's log key (EngineKeys 'logs'), and for a
 *                      number of 6 digits or more "..", its last two digits
 *
 * The same number gives the same pseudonym on the same desk (support can
 * follow one caller through a night's log, and match "the caller ending in
 * 78 at 22:14" with the worklist), but it cannot be reversed without the
 * key, and 32 bits are too few to tell two desks' callers apart by it. The
 * number is normalised first, so +49 30 1234567, 0049301234567 and
 * sip:0301234567@pbx give the same pseudonym.
 *
 * `scrub` is the safety net for text the engine did not write itself (the
 * phone's reports, sip.js warnings, errors from a database): SIP and tel
 * URIs lose their user part, quoted display names their name, and any run
 * of 7 or more digits becomes a pseudonym.
 */
import crypto from 'node:crypto';

/** Keyed hash (hex) of a value; the engine's is EngineKeys.hmac('logs', …). */
export type LogHash = (value: string) => string;

/** A key that lives as long as the process: pseudonyms without the engine's key (tests, tools). */
export function processLogHash(): LogHash {
  const key = crypto.randomBytes(32);
  return (value) => crypto.createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

const URI = /\b(sips?|tel):([^@\s;>"',)]+)(@)?/gi;
const DISPLAY_NAME = /"[^"\n]{0,200}"(\s*<)/g;
/** 7+ digits, maybe with a leading + and the separators people write numbers (and dates) with. */
const DIGIT_RUN = /(?<![\w#])\+?\d(?:[\s./-]?\d){6,}(?!\w)/g;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export class Pseudonyms {
  constructor(private readonly hash: LogHash = processLogHash()) {}

  /** The pseudonym of a phone number, SIP URI or other caller identity ("" stays ""). */
  of(value: string): string {
    const normal = normalise(value);
    if (!normal) return value === '' ? '' : '#anonymous';
    const tag = `#${this.hash(normal).slice(0, 8)}`;
    return /^\d{6,}$/.test(normal) ? `${tag}..${normal.slice(-2)}` : tag;
  }

  /** Text the engine did not write itself, with the personal parts replaced (see the top). */
  scrub(text: string): string {
    return this.scrubUris(text)
      .replace(DISPLAY_NAME, '"…"$1')
      .replace(DIGIT_RUN, (run) => (IPV4.test(run) ? run : this.of(run)));
  }

  /** Only SIP and tel URIs' user parts (the safety net on every log line). */
  scrubUris(text: string): string {
    return text.replace(URI, (whole, scheme: string, user: string, at: string | undefined) => {
      // "sip:" with a host only (sip:pbx.example) has no user to hide.
      if (!at && scheme.toLowerCase() !== 'tel') return whole;
      if (user.startsWith('#')) return whole;
      return `${scheme}:${this.of(user)}${at ?? ''}`;
    });
  }
}

/** The identity inside a URI or number, in one form: national digits for numbers. */
function normalise(value: string): string {
  let v = value.trim();
  const uri = /^(?:"[^"]*"\s*)?<?(?:sips?|tel):([^@;>]*)/i.exec(v);
  if (uri) v = uri[1] ?? '';
  v = v.trim();
  if (/^\+?[\d\s()./-]+$/.test(v) && /\d{3}/.test(v.replace(/\D/g, ''))) {
    let digits = v.replace(/[^\d+]/g, '');
    if (digits.startsWith('+49')) digits = '0' + digits.slice(3);
    else if (digits.startsWith('0049')) digits = '0' + digits.slice(4);
    else if (digits.startsWith('+')) digits = '00' + digits.slice(1);
    return digits;
  }
  return v.toLowerCase();
}
