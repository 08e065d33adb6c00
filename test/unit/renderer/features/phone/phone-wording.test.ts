/**
 * The phone's codes in words: the German is what the screen said before
 * the codes (the German half of the old two-language sentences), the
 * English its own table.
 */
import { describe, expect, it } from 'vitest';
import type { MessageParams } from '../../../../../renderer/i18n/define-messages';
import {
  phoneMessages,
  type PhoneMessageKey,
} from '../../../../../renderer/features/phone/phone-messages';
import {
  wordCause,
  wordEndReason,
  wordError,
  wordMissedReason,
  wordNotice,
  wordStatus,
  wordTransferFailure,
} from '../../../../../renderer/features/phone/phone-wording';
import { decideIncoming, transferFailure } from '../../../../../renderer/phone/call-machine';
import { phoneError } from '../../../../../renderer/phone/phone-log-text';
import { recoveryFailedReason } from '../../../../../renderer/sip/call-recovery';

const de = (key: PhoneMessageKey, params?: MessageParams) =>
  phoneMessages.translate('de', key, params);
const en = (key: PhoneMessageKey, params?: MessageParams) =>
  phoneMessages.translate('en', key, params);

describe('phone wording', () => {
  it('words final SIP statuses without stray spaces', () => {
    expect(wordStatus(de, { statusCode: 603 })).toBe('Abgelehnt (603)');
    expect(wordStatus(de, { statusCode: 500, reasonPhrase: 'Server Error' })).toBe(
      'Anruf fehlgeschlagen (500 Server Error)',
    );
    expect(wordStatus(de, { statusCode: 500 })).toBe('Anruf fehlgeschlagen (500)');
    expect(wordStatus(de, { statusCode: 488 })).toBe('Kein gemeinsamer Audio-Codec (488)');
    expect(wordStatus(de, { statusCode: 486, reasonPhrase: 'Busy Here' })).toBe('Besetzt (486)');
    expect(wordStatus(en, { statusCode: 404 })).toBe('Not found (404)');
  });

  it('says why a transfer failed, in German and English', () => {
    const say = (t: typeof de, event: Parameters<typeof transferFailure>[0]) =>
      wordTransferFailure(t, transferFailure(event)!);
    expect(say(de, { type: 'notify', statusCode: 404 })).toBe(
      'Ziel nicht erreicht: Teilnehmer unbekannt (404)',
    );
    expect(say(de, { type: 'notify', statusCode: 486 })).toMatch(/Besetzt/);
    expect(say(de, { type: 'rejected', statusCode: 603 })).toMatch(
      /lehnt die Vermittlung ab .*603/,
    );
    expect(say(en, { type: 'rejected', statusCode: 501 })).toMatch(
      /does not support transfer \(501\)/,
    );
    expect(say(de, { type: 'timeout' })).toMatch(/Keine Rückmeldung/);
  });

  it('words how a call ended', () => {
    expect(wordEndReason(de, { code: 'remote-hangup' })).toBe('Gegenseite hat aufgelegt');
    expect(wordEndReason(en, { code: 'remote-hangup' })).toBe('Remote hung up');
    expect(wordEndReason(de, { code: 'transferred', target: 'kollegin' })).toBe(
      'Vermittelt an kollegin',
    );
    expect(wordEndReason(de, recoveryFailedReason(0))).toBe(
      'Verbindung zum Telefonserver verloren – Gespräch beendet',
    );
    expect(wordEndReason(de, recoveryFailedReason(481))).toBe(
      'Verbindung zum Telefonserver verloren – Gespräch beendet (481)',
    );
    expect(wordEndReason(de, { code: 'no-common-codec', offered: ['G729'] })).toBe(
      'Kein gemeinsamer Audio-Codec (angeboten: G729); abgewiesen mit 488',
    );
    expect(wordEndReason(de, { code: 'no-common-codec', offered: [] })).toMatch(
      /kein Audio angeboten/,
    );
    expect(
      wordEndReason(de, { code: 'rejected', status: { statusCode: 486, reasonPhrase: 'Busy' } }),
    ).toBe('Besetzt (486)');
    expect(wordEndReason(de, { code: 'answer-failed', detail: 'SDP' })).toBe(
      'Annehmen fehlgeschlagen: SDP',
    );
  });

  it('words why a caller is listed as missed, without looking at the words', () => {
    const policy = { autoAnswer: false, doNotDisturb: true };
    const dnd = decideIncoming({ policy, liveLines: 0, replacesOurCall: false });
    expect(dnd.kind === 'refuse' && wordMissedReason(de, dnd.reason)).toMatch(/Nicht stören/);
    const full = decideIncoming({
      policy: { ...policy, doNotDisturb: false },
      liveLines: 3,
      replacesOurCall: false,
    });
    expect(full.kind === 'refuse' && wordMissedReason(de, full.reason)).toBe(
      'Besetzt: alle Leitungen belegt (486)',
    );
    expect(wordMissedReason(de, { code: 'waiting-declined' })).toBe(
      'Besetzt: Anklopfen abgelehnt (486)',
    );
    expect(
      wordMissedReason(de, { code: 'waiting-ended', reason: { code: 'caller-gave-up' } }),
    ).toBe('Anklopfen: Anrufer hat aufgelegt');
  });

  it('words the status line and the reasons registration failed', () => {
    expect(
      wordNotice(de, { kind: 'call-ended', remote: 'bert', reason: { code: 'caller-gave-up' } }),
    ).toBe('bert: Anrufer hat aufgelegt');
    // Numbers in the status line as the staff read them; names stay as they are.
    expect(
      wordNotice(de, {
        kind: 'call-ended',
        remote: '+496912345678',
        remoteName: 'Erika Mustermann',
        reason: { code: 'caller-gave-up' },
      }),
    ).toBe('Erika Mustermann (069 12345678): Anrufer hat aufgelegt');
    expect(
      wordNotice(de, {
        kind: 'forwarding',
        from: 'sip:+33123456789@gw.example',
        target: '03012345678',
      }),
    ).toContain('+33 1 23 45 67 89');
    expect(
      wordNotice(de, { kind: 'transferred-to-you', from: 'kollegin', party: '03012345678' }),
    ).toContain('030 12345678');
    expect(
      wordNotice(de, {
        kind: 'forward-refused',
        target: 'kollegin',
        why: 'policy',
        statusCode: 603,
      }),
    ).toBe('Weiterleitung an kollegin abgelehnt (Einstellung)');
    expect(wordNotice(en, { kind: 'forwarding', from: 'anna', target: 'kollegin' })).toBe(
      'anna transfers you to kollegin',
    );
    expect(wordCause(de, { kind: 'rejected', statusCode: 403, reasonPhrase: 'Forbidden' })).toBe(
      'Anmeldung abgelehnt: 403 Forbidden',
    );
    // The technical detail (a close code) is for the log file, not the screen.
    expect(
      wordCause(de, { kind: 'unreachable', detail: 'ws://x: WebSocket closed (code: 1006)' }),
    ).toBe('Server nicht erreichbar – bitte Serveradresse und Netzwerk prüfen');
    expect(
      wordCause(en, { kind: 'connection-lost', detail: 'WebSocket closed (code: 1006)' }),
    ).toBe('Connection to the server lost');
  });

  it('words a PhoneError by its code, and any other error as it said', () => {
    expect(wordError(de, phoneError({ code: 'no-connected-call' }))).toBe(
      'Kein verbundenes Gespräch',
    );
    expect(wordError(en, phoneError({ code: 'no-connected-call' }))).toBe('No connected call');
    expect(
      wordError(
        de,
        phoneError({ code: 'hold-failed', statusCode: 488, reasonPhrase: 'Not Acceptable Here' }),
      ),
    ).toBe('Halten fehlgeschlagen: 488 Not Acceptable Here');
    expect(
      wordError(de, phoneError({ code: 'resume-failed', statusCode: 0, reasonPhrase: '' })),
    ).toBe('Fortsetzen fehlgeschlagen: keine Antwort');
    expect(wordError(de, new Error('Mikrofon belegt'))).toBe('Mikrofon belegt');
  });

  it('has no two-language sentence left in either table', () => {
    for (const table of [phoneMessages.tables.de, phoneMessages.tables.en])
      for (const text of Object.values(table)) expect(text).not.toMatch(/\S \/ [a-z]/);
  });
});
