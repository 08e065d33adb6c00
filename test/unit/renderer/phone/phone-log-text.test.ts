/**
 * The developer text the engine logs and keeps in the call history: plain
 * English, and read by the engine's history into the same outcome as the
 * two-language sentences the phone sent before the codes.
 */
import { describe, expect, it } from 'vitest';
import { deriveOutcome } from '../../../../electron/engine/history/call-outcome';
import {
  causeText,
  endReasonText,
  failureText,
  missedReasonText,
  transferFailureText,
} from '../../../../renderer/phone/phone-log-text';
import { callOutcome } from '../../../../renderer/phone/call-outcome';
import type { CallEndReason, MissedReason } from '../../../../renderer/phone/phone-reasons';

/** Each code with the sentence the phone reported for it before. */
const BEFORE: [CallEndReason, string][] = [
  [{ code: 'local-hangup' }, 'Aufgelegt / hung up'],
  [{ code: 'remote-hangup' }, 'Gegenseite hat aufgelegt / remote hung up'],
  [{ code: 'caller-gave-up' }, 'Anrufer hat aufgelegt / caller hung up'],
  [{ code: 'call-ended' }, 'Gespräch beendet / call ended'],
  [{ code: 'declined' }, 'Abgelehnt / declined'],
  [
    { code: 'waiting-declined' },
    'Besetzt: Anklopfen abgelehnt / busy: waiting call declined (486)',
  ],
  [{ code: 'rejected', status: { statusCode: 486 } }, 'Besetzt / busy (486)'],
  [{ code: 'rejected', status: { statusCode: 404 } }, 'Teilnehmer unbekannt / not found (404)'],
  [{ code: 'rejected', status: { statusCode: 487 } }, 'Anruf abgebrochen / cancelled (487)'],
  [{ code: 'rejected', status: { statusCode: 603 } }, 'Abgelehnt / declined (603)'],
  [
    { code: 'rejected', status: { statusCode: 500, reasonPhrase: 'Server Error' } },
    'Anruf fehlgeschlagen / call failed (500 Server Error)',
  ],
  [{ code: 'call-failed', detail: 'x' }, 'Anruf fehlgeschlagen / call failed: x'],
  [{ code: 'answer-failed', detail: 'SDP' }, 'Annehmen fehlgeschlagen / answer failed: SDP'],
  [
    { code: 'unusable-offer' },
    'Annehmen fehlgeschlagen: Angebot der Gegenseite unbrauchbar / answer failed: unusable offer',
  ],
  [
    { code: 'no-common-codec', offered: ['G729'] },
    'Kein gemeinsamer Audio-Codec / no common codec (angeboten: G729); abgewiesen mit 488',
  ],
  [{ code: 'transferred', target: 'kim' }, 'Vermittelt an kim / transferred to kim'],
  [{ code: 'forwarded', target: 'kim' }, 'Weitergeleitet an kim / transferred to kim'],
  [
    { code: 'replaced', by: 'kim' },
    'Vermittelt: kim übernimmt das Gespräch / transferred: kim takes over',
  ],
  [{ code: 'consultation-ended' }, 'Rückfrage beendet / consultation ended'],
  [
    { code: 'connection-lost', statusCode: 481 },
    'Verbindung zum Telefonserver verloren – Gespräch beendet / connection to the phone server lost – call ended (481)',
  ],
  [{ code: 'reconfigured' }, 'Telefon neu konfiguriert / phone reconfigured'],
];

const MISSED_BEFORE: [MissedReason, string][] = [
  [{ code: 'do-not-disturb' }, 'Nicht stören: abgewiesen / do not disturb: refused (486)'],
  [{ code: 'all-lines-busy' }, 'Besetzt: alle Leitungen belegt / busy: all lines in use (486)'],
];

describe('phone log text', () => {
  it('is the English half of what the phone reported before', () => {
    // The codec reason had German inside its English half; the rest is word for word.
    for (const [reason, before] of BEFORE.filter(([r]) => r.code !== 'no-common-codec'))
      expect(endReasonText(reason), reason.code).toBe(before.split(' / ').at(-1));
    for (const [reason, before] of MISSED_BEFORE)
      expect(missedReasonText(reason), reason.code).toBe(before.split(' / ').at(-1));
    expect(endReasonText({ code: 'no-common-codec', offered: ['G729'] })).toBe(
      'no common codec (offered: G729); refused with 488',
    );
    expect(missedReasonText({ code: 'do-not-disturb' })).toBe('do not disturb: refused (486)');
    expect(transferFailureText({ code: 'target-not-reached', statusCode: 404 })).toBe(
      'target not reached: not found (404)',
    );
    expect(
      failureText({ code: 'hold-failed', statusCode: 488, reasonPhrase: 'Not Acceptable Here' }),
    ).toBe('hold failed: 488 Not Acceptable Here');
    expect(causeText({ kind: 'unreachable', detail: 'ws://x: refused' }, 3_000, 1_000)).toBe(
      'server unreachable (ws://x: refused); retry in 2 s',
    );
  });

  it('gives the call history the same outcome as before, answered or not, either direction', () => {
    const cases = [
      ...BEFORE.map(([reason, before]) => [endReasonText(reason), before] as const),
      ...MISSED_BEFORE.map(([reason, before]) => [missedReasonText(reason), before] as const),
    ];
    for (const [now, before] of cases)
      for (const direction of ['incoming', 'outgoing'] as const)
        for (const answered of [false, true])
          expect(
            deriveOutcome({ direction, answered, reason: now }),
            `${now} (${direction}, ${answered ? 'answered' : 'not answered'})`,
          ).toBe(deriveOutcome({ direction, answered, reason: before }));
  });

  it('decides from the code the outcome the history read from the sentence before', () => {
    for (const [reason, before] of [...BEFORE, ...MISSED_BEFORE])
      for (const direction of ['incoming', 'outgoing'] as const)
        for (const answered of [false, true])
          expect(
            callOutcome({ direction, answered }, reason),
            `${reason.code} (${direction}, ${answered ? 'answered' : 'not answered'})`,
          ).toBe(deriveOutcome({ direction, answered, reason: before }));
  });
});
