/**
 * In-process fakes for the dialogue's dependencies: a keyword "understanding",
 * a two-entry knowledge base and a one-household case table. They let the
 * dialogue policy and the bot's processors be tested on their own; the real
 * classifier, knowledge base and case store are tested elsewhere and together
 * in the simulator. Never used by the app.
 */
import type { BotDeps } from '../../electron/engine/bot/bot-session';
import type { Understanding } from '../../electron/engine/bot/understanding';
import type { IntentName } from '../../electron/contract';

const KEYWORDS: [RegExp, IntentName][] = [
  [/kein geld.*essen|strom.*abgestellt|räumung/, 'emergency'],
  [/nicht mehr leben|umbringen|leben nehmen/, 'crisis'],
  [/mitarbeiter|mensch/, 'human_request'],
  [/wann.*geld|zahlung|überwiesen/, 'payment_date'],
  [/antrag/, 'application_status'],
  [/termin/, 'appointment'],
  [/krank/, 'sick_note'],
];

export const FAKE_CASE = {
  customerNumber: '123D45678',
  dateOfBirth: '1980-03-01',
  caseRef: 'case-1',
  paymentSentence: 'Ihre nächste Zahlung kommt am 1. Dezember.',
};

/** A keyword "understanding": a few intents by regular expression, numbers and dates by shape. */
export function fakeUnderstand(text: string): Understanding {
  const digits = text.replace(/[^0-9d]/gi, '');
  const date = /(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(text);
  const entities = {
    ...(/\d{3}d\d{5}/i.test(text)
      ? { customerNumber: (/\d{3}d\d{5}/i.exec(text)?.[0] ?? '').toUpperCase() }
      : {}),
    ...(digits.length >= 4 ? { digits } : {}),
    ...(date
      ? { dateOfBirth: `${date[3]}-${date[2]?.padStart(2, '0')}-${date[1]?.padStart(2, '0')}` }
      : {}),
  };
  for (const [pattern, intent] of KEYWORDS) {
    if (pattern.test(text)) return { intent, confidence: 0.9, entities };
  }
  return { intent: 'other', confidence: 0.2, entities };
}

export function fakeDialogueDeps(mode: 'day' | 'night' = 'day', log: string[] = []): BotDeps {
  return {
    mode,
    understand: fakeUnderstand,
    answerFor(intent) {
      if (intent === 'sick_note')
        return { text: 'Bitte schicken Sie die Krankmeldung sofort.', source: '§ 56 SGB II' };
      return undefined;
    },
    async verify(input) {
      log.push(`verify ${JSON.stringify(input)}`);
      const ok =
        (input.customerNumber ?? '').toUpperCase() === FAKE_CASE.customerNumber &&
        input.dateOfBirth === FAKE_CASE.dateOfBirth;
      return ok ? { verified: true, caseRef: FAKE_CASE.caseRef } : { verified: false };
    },
    async caseAnswer(caseRef, intent) {
      if (caseRef !== FAKE_CASE.caseRef) throw new Error('unknown case');
      if (intent === 'payment_date')
        return { text: FAKE_CASE.paymentSentence, facts: { nextPaymentDate: '2026-12-01' } };
      return undefined;
    },
  };
}
