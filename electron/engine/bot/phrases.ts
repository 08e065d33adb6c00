/**
 * What the bot says, in one place: plain German for the ear – short
 * sentences, one thing at a time, always a way to a person. Numbers are
 * written so the voice reads them well.
 */
import type { HandoffReason } from './frames';
import type { IntentName } from '../../contract';

export const PHRASES = {
  /**
   * AI disclosure first (AI Act Art. 50), then that the call is transcribed
   * and where the privacy notice is (Art. 13 GDPR, § 82 SGB X): the office's
   * website (site profile `office.website`), where every job centre keeps it.
   */
  greeting:
    'Guten Tag. Sie sprechen mit dem digitalen Assistenten des Jobcenters. Ich bin eine künstliche Intelligenz, kein Mensch. Das Gespräch wird zur Bearbeitung mitgeschrieben, die Hinweise zum Datenschutz finden Sie auf unserer Internetseite. Sie können jederzeit „Mitarbeiter“ sagen, dann verbinde ich Sie.',
  openQuestion: 'Worum geht es bei Ihnen?',
  reprompt:
    'Entschuldigung, das habe ich nicht verstanden. Sagen Sie bitte in einem kurzen Satz, worum es geht.',
  silenceReprompt: 'Ich habe nichts gehört. Sagen Sie bitte, worum es geht.',
  helpWithThat: 'Kann ich Ihnen bei etwas davon helfen?',
  /** A question outside the job centre's remit: what the bot can do instead of "not understood". */
  outOfRemit:
    'Dabei kann ich Ihnen leider nicht helfen, ich bin der Assistent des Jobcenters. Ich kann Ihnen sagen, wann Ihr Geld kommt, ob Ihr Antrag angekommen ist und wann Ihr Termin ist. Ich nehme Krankmeldungen und Änderungen auf, und ich verbinde Sie mit einer Mitarbeiterin oder einem Mitarbeiter.',
  keypadMenu:
    'Sie können auch die Tasten Ihres Telefons nutzen. Drücken Sie die 1 für den Zahlungstermin, die 2 für Ihren Antrag, die 3 für einen Termin, die 4 für eine Krankmeldung, die 5 für eine Änderung, die 6 für Unterlagen, die 7 für einen Widerspruch, die 8 für Miete und Heizung, oder die 0 für einen Mitarbeiter.',
  askNumber:
    'Dafür muss ich kurz prüfen, wer Sie sind. Bitte nennen Sie Ihre Kundennummer oder die Nummer Ihrer Bedarfsgemeinschaft. Sie können sie auch eintippen und mit der Raute-Taste abschließen.',
  askNumberAgain:
    'Ich habe die Nummer nicht verstanden. Bitte sagen Sie sie Ziffer für Ziffer, oder tippen Sie sie ein.',
  askDateOfBirth:
    'Danke. Und Ihr Geburtsdatum, bitte. Zum Beispiel: erster März neunzehnhundertachtzig. Oder tippen Sie es achtstellig ein: Tag, Monat, Jahr.',
  askDateOfBirthAgain: 'Ich habe das Datum nicht verstanden. Bitte sagen Sie Tag, Monat und Jahr.',
  /** Silent at a question: the same question again, with the keys that answer it. */
  numberSilence:
    'Ich habe nichts gehört. Bitte nennen Sie Ihre Kundennummer oder die Nummer Ihrer Bedarfsgemeinschaft, oder tippen Sie sie ein und drücken Sie zum Schluss die Raute-Taste.',
  dateOfBirthSilence:
    'Ich habe nichts gehört. Bitte nennen Sie Ihr Geburtsdatum, oder tippen Sie es achtstellig ein: Tag, Monat, Jahr.',
  /** The caller paused in the middle of keying a number: what was keyed is kept. */
  keyTheRest:
    'Ich habe Ihre ersten Ziffern. Bitte tippen Sie die weiteren Ziffern ein und drücken Sie zum Schluss die Raute-Taste.',
  /** The same for a date (complete after eight digits, no # needed). */
  keyTheRestOfDate:
    'Ich habe Ihre ersten Ziffern. Bitte tippen Sie die weiteren Ziffern Ihres Geburtsdatums ein.',
  verifyFailed:
    'Das konnte ich leider nicht bestätigen. Bitte nennen Sie noch einmal Ihre Kundennummer oder die Nummer Ihrer Bedarfsgemeinschaft.',
  /** The same refusal, before a person or a callback (a number or line locked after failed attempts). */
  notConfirmed: 'Das konnte ich leider nicht bestätigen.',
  verified: 'Danke, ich habe Sie gefunden.',
  caseSystemDown:
    'Unser Fachverfahren ist gerade nicht erreichbar, deshalb kann ich Ihre Angaben jetzt nicht prüfen.',
  anythingElse: 'Kann ich sonst noch etwas für Sie tun?',
  whatElse: 'Was kann ich noch für Sie tun?',
  noAnswer:
    'Dazu kann ich Ihnen leider keine sichere Auskunft geben. Eine Mitarbeiterin oder ein Mitarbeiter hilft Ihnen gern weiter.',
  noCaseAnswer:
    'Dazu finde ich in Ihren Unterlagen gerade keinen Eintrag. Eine Mitarbeiterin oder ein Mitarbeiter hilft Ihnen gern weiter.',
  connecting:
    'Ich verbinde Sie mit einer Mitarbeiterin oder einem Mitarbeiter. Bitte bleiben Sie in der Leitung.',
  connectingUrgent:
    'Ich verbinde Sie sofort mit einer Mitarbeiterin oder einem Mitarbeiter. Bitte bleiben Sie in der Leitung.',
  waiting: 'Bitte bleiben Sie in der Leitung. Gleich ist jemand für Sie da.',
  emergencyNumbers: 'Wenn Gefahr für Leib und Leben besteht, rufen Sie bitte die 1 1 2 an.',
  crisisNumbers:
    'Sie sind nicht allein. Die Telefonseelsorge ist Tag und Nacht für Sie da, kostenlos, unter 0 8 0 0, 1 1 1, 0, 1 1 1. In akuter Gefahr rufen Sie bitte die 1 1 2.',
  nightNoAgents:
    'Gerade ist niemand im Haus. Ich kann einen Rückruf für morgen eintragen, oder Sie hinterlassen eine Nachricht.',
  /** An emergency or a crisis said while a callback is being taken (night). */
  callbackMadeUrgent: 'Ich trage Ihren Rückruf als dringend ein.',
  nightUrgentCallback:
    'Gerade ist niemand im Haus. Ich trage einen dringenden Rückruf ein, gleich für den Morgen.',
  callbackSameNumber: (digits: string) =>
    `Sollen wir Sie unter der Nummer ${digits} zurückrufen? Sagen Sie ja oder nein. Für eine Nachricht sagen Sie „Nachricht“.`,
  askCallbackNumber:
    'Unter welcher Nummer können wir Sie zurückrufen? Bitte Ziffer für Ziffer, oder eintippen.',
  askCallbackNumberAgain:
    'Ich habe die Nummer nicht verstanden. Bitte noch einmal, Ziffer für Ziffer.',
  callbackNumberSilence:
    'Ich habe nichts gehört. Unter welcher Nummer können wir Sie zurückrufen? Bitte Ziffer für Ziffer, oder eintippen und zum Schluss die Raute-Taste drücken.',
  askWindow: 'Wann passt es Ihnen besser: vormittags oder nachmittags?',
  callbackConfirmed: (window: string) =>
    `Gut. Wir rufen Sie ${window === 'jederzeit' ? 'so bald wie möglich' : window} zurück. Auf Wiederhören.`,
  askMessage: 'Bitte sprechen Sie jetzt Ihre Nachricht.',
  askMessageAgain: 'Ich habe nichts gehört. Bitte sprechen Sie jetzt Ihre Nachricht.',
  messageTaken: 'Danke, Ihre Nachricht ist notiert. Wir melden uns. Auf Wiederhören.',
  messageUrgent:
    'Ich habe Ihre Nachricht als dringend notiert. Wir rufen Sie gleich am Morgen zurück. Auf Wiederhören.',
  goodbye: 'Vielen Dank für Ihren Anruf. Auf Wiederhören.',
  reasonLabel: {
    human_request: 'Wunsch nach einer Person',
    emergency: 'Notlage',
    crisis: 'Krise',
    low_confidence: 'nicht verstanden',
    verification_failed: 'Identität nicht bestätigt',
    frustration: 'Anrufer/in unzufrieden',
    speech_failed: 'Spracherkennung gescheitert',
    bot_unavailable: 'Bot ausgefallen',
    case_system_unavailable: 'Fachverfahren nicht erreichbar',
  } satisfies Record<HandoffReason, string>,
};

/** The keypad menu (fallback when speech fails): 0 is always a person. */
export const KEYPAD_MENU: Record<string, IntentName> = {
  '1': 'payment_date',
  '2': 'application_status',
  '3': 'appointment',
  '4': 'sick_note',
  '5': 'change_of_circumstances',
  '6': 'document_submission',
  '7': 'objection',
  '8': 'housing_costs',
  '0': 'human_request',
};
