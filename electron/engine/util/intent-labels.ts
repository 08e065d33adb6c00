/**
 * Every intent of the catalogue in German words, as an office writes them:
 * `topic` is the short name (the bot's handoff summary, a callback's topic),
 * `occasion` the reason for the call as a caseworker writes it in a contact
 * note ("Anlass"). One table, so a new intent gets its words in one place and
 * the summary and the note cannot drift apart.
 */
import type { IntentName } from '../../contract';

export interface IntentLabel {
  /** Short name, e.g. "Zahlungstermin". */
  topic: string;
  /** The call's occasion in a note, e.g. "Frage zum Zahlungstermin". */
  occasion: string;
}

export const INTENT_LABELS: Readonly<Record<IntentName, IntentLabel>> = {
  payment_date: { topic: 'Zahlungstermin', occasion: 'Frage zum Zahlungstermin' },
  payment_missing: { topic: 'Zahlung nicht angekommen', occasion: 'Zahlung nicht angekommen' },
  application_status: { topic: 'Stand des Antrags', occasion: 'Frage zum Stand des Antrags' },
  continuation_application: {
    topic: 'Weiterbewilligungsantrag',
    occasion: 'Weiterbewilligungsantrag',
  },
  notice_explanation: { topic: 'Bescheid erklären', occasion: 'Fragen zum Bescheid' },
  objection: { topic: 'Widerspruch', occasion: 'Widerspruch gegen einen Bescheid' },
  appointment: { topic: 'Termin', occasion: 'Frage zu einem Termin' },
  sick_note: { topic: 'Krankmeldung', occasion: 'Krankmeldung' },
  change_of_circumstances: {
    topic: 'Veränderungsmitteilung',
    occasion: 'Mitteilung einer Veränderung',
  },
  document_submission: { topic: 'Unterlagen einreichen', occasion: 'Einreichen von Unterlagen' },
  housing_costs: {
    topic: 'Kosten der Unterkunft',
    occasion: 'Frage zu den Kosten der Unterkunft',
  },
  absence: { topic: 'Ortsabwesenheit', occasion: 'Mitteilung einer Ortsabwesenheit' },
  human_request: {
    topic: 'Wunsch nach einer Person',
    occasion: 'Wunsch nach einem persönlichen Gespräch',
  },
  emergency: { topic: 'Notlage', occasion: 'Notlage' },
  crisis: { topic: 'Krise', occasion: 'Krisensituation' },
  education_participation: {
    topic: 'Bildung und Teilhabe',
    occasion: 'Frage zu Bildung und Teilhabe',
  },
  job_support: { topic: 'Arbeitsvermittlung', occasion: 'Frage zur Arbeitsvermittlung' },
  other: { topic: 'Sonstiges', occasion: 'Sonstiges Anliegen' },
};
