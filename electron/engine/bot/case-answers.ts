/**
 * Case facts as the bot says them, for a verified caller only: the next
 * payment, the state of an application, the next appointment. Every read goes
 * through the CaseSystem with an audit context (who: the bot, why: the
 * caller's question). The bot informs; it never decides (Art. 22 GDPR): a
 * missing payment or an open application is explained and routed, not judged.
 */
import type { CaseRef, CaseSystem } from '../cases/case-system';
import type { IntentName } from '../../contract';
import { MONTH_NAMES } from '../util/german-format';
import type { DialogueDeps } from './dialogue-types';

const WEEKDAYS = ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'];

/** "2026-12-01" → "Dienstag, den 1. Dezember 2026": how the voice reads dates well. */
export function spokenDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday}, den ${d}. ${MONTH_NAMES[m - 1]} ${y}`;
}

/** 101320 → "1013 Euro 20"; whole euros without cents. */
export function spokenEuros(cents: number): string {
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  return rest === 0 ? `${euros} Euro` : `${euros} Euro ${rest}`;
}

const APPLICATION_NAMES: Record<string, string> = {
  first_application: 'Ihr Antrag auf Bürgergeld',
  continuation_application: 'Ihr Weiterbewilligungsantrag',
  change_application: 'Ihr Änderungsantrag',
  one_off_need: 'Ihr Antrag auf eine einmalige Leistung',
};

const STATUS: Record<string, string> = {
  received: 'ist eingegangen und wartet auf die Bearbeitung',
  in_review: 'wird gerade bearbeitet',
  documents_missing: 'wird bearbeitet, aber es fehlen noch Unterlagen',
  decided: 'ist entschieden; den Bescheid bekommen Sie per Post',
};

export function caseAnswersFrom(cases: CaseSystem, callId: string): DialogueDeps['caseAnswer'] {
  return async (
    caseRef,
    intent: IntentName,
  ): Promise<{ text: string; facts: Record<string, string> } | undefined> => {
    const ref = caseRef as CaseRef;
    const audit = { who: 'bot', why: `caller asked: ${intent}`, callId };
    switch (intent) {
      case 'payment_date':
      case 'payment_missing': {
        const payment = await cases.nextPayment(ref, audit);
        if (!payment) return undefined;
        const when = spokenDate(payment.date);
        const amount = spokenEuros(payment.amountCents);
        const text =
          intent === 'payment_date'
            ? `Ihre nächste Zahlung über ${amount} ist für ${when} angewiesen.`
            : `Laut Ihrer Akte ist die nächste Zahlung über ${amount} für ${when} angewiesen. Wenn eine Zahlung fehlt, prüft das eine Mitarbeiterin oder ein Mitarbeiter für Sie.`;
        return {
          text,
          facts: {
            nextPaymentDate: payment.date,
            nextPaymentAmountCents: String(payment.amountCents),
          },
        };
      }
      case 'application_status':
      case 'continuation_application': {
        const applications = await cases.applications(ref, audit);
        const open =
          applications.find(
            (a) => intent !== 'continuation_application' || a.type === 'continuation_application',
          ) ?? applications[0];
        if (!open) return undefined;
        const name = APPLICATION_NAMES[open.type] ?? 'Ihr Antrag';
        const missing =
          open.missingDocuments.length > 0
            ? ` Es fehlt noch: ${open.missingDocuments.join(', ')}.`
            : '';
        return {
          text: `${name} vom ${spokenDate(open.receivedDate).replace(/^\w+, den /, '')} ${STATUS[open.status] ?? 'ist in Bearbeitung'}.${missing}`,
          facts: {
            applicationType: open.type,
            applicationStatus: open.status,
            applicationReceived: open.receivedDate,
            ...(open.missingDocuments.length > 0
              ? { missingDocuments: open.missingDocuments.join('; ') }
              : {}),
          },
        };
      }
      case 'appointment': {
        const appointment = await cases.nextAppointment(ref, audit);
        if (!appointment) {
          return {
            text: 'Für Sie ist zurzeit kein Termin eingetragen.',
            facts: { nextAppointment: 'none' },
          };
        }
        const where =
          appointment.kind === 'phone'
            ? 'Wir rufen Sie an.'
            : appointment.place
              ? `Ort: ${appointment.place}.`
              : '';
        return {
          text: `Ihr nächster Termin ist am ${spokenDate(appointment.date)}, um ${appointment.time} Uhr. Thema: ${appointment.topic}. ${where}`.trim(),
          facts: { nextAppointmentDate: appointment.date, nextAppointmentTime: appointment.time },
        };
      }
      default:
        return undefined;
    }
  };
}

/** The dialogue's verify on top of the case system (no disclosure either way). */
export function verifierFrom(cases: CaseSystem, callId: string): DialogueDeps['verify'] {
  return async (input) => {
    const audit = { who: 'bot', why: 'caller verification', callId };
    const request = input.bgNumber
      ? { bgNumber: input.bgNumber, dateOfBirth: input.dateOfBirth }
      : { customerNumber: input.customerNumber ?? '', dateOfBirth: input.dateOfBirth };
    const result = await cases.verify(request, audit);
    if (result.verified) return { verified: true, caseRef: result.caseRef };
    return result.lockedUntil ? { verified: false, locked: true } : { verified: false };
  };
}
