/**
 * A caller's number the way the staff of a German job centre read it: a
 * German number in national format ("069 1234567", "0170 1234567"), a
 * foreign one in international format ("+33 1 23 45 67 89"), as
 * libphonenumber-js (Google's libphonenumber metadata) groups them. The
 * phone gives the number as the SIP user ("+496912345678", "sip:0691234567@…",
 * "tel:+49-69-1234567"); a SIP URI shows as its user part when that is a
 * number.
 *
 * Only for the eye: dialling back always uses the number as it came
 * (history, worklist and missed calls keep it). Whatever is not clearly a
 * telephone number stays exactly as it came: internal extensions ("1001",
 * they start with neither + nor 0), SIP users with letters ("agent",
 * "sip:erika@…"), anonymous callers, numbers libphonenumber finds impossible.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The user part of a sip:, sips: or tel: URI (or of "user@host"); the text itself otherwise. */
function userPart(remote: string): string {
  const uri = /^(?:sips?|tel):([^@;?]*)/i.exec(remote);
  const user = uri ? (uri[1] ?? '') : (remote.split('@')[0] ?? '');
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** Spaces, dashes, slashes, dots and brackets people and SIP servers put into numbers. */
const VISUAL_SEPARATORS = /[\s\-/.()]/g;

/** The number as the staff read it; the text unchanged when it is not a telephone number. */
export function formatPhoneNumber(remote: string): string {
  try {
    const digits = userPart(remote.trim()).replace(VISUAL_SEPARATORS, '');
    // A number to format starts with + (international) or 0 (national, or 00 international).
    if (!/^(?:\+|0)\d{3,}$/.test(digits)) return remote;
    const number = parsePhoneNumberFromString(digits, 'DE');
    if (!number?.isPossible()) return remote;
    return number.countryCallingCode === '49'
      ? number.formatNational()
      : number.formatInternational();
  } catch {
    return remote;
  }
}

/** "Name (number)" when the caller sent a name, else the number, formatted as above. */
export function formatCaller(remote: string | undefined, name?: string): string {
  const number = remote ? formatPhoneNumber(remote) : '';
  return name ? (number ? `${name} (${number})` : name) : number;
}
