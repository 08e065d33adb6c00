/**
 * Dates, amounts and case labels as a German office writes them: shared by
 * the bot's spoken answers, the suggestions' case facts and the wrap-up note,
 * so the caller, the screen and the contact note say the same thing.
 */
import type { ApplicationStatus, ApplicationType } from '../../contract';

export const MONTH_NAMES = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
] as const;

/** 2026-12-01 → 01.12.2026 (anything else as it is). */
export function germanDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : iso;
}

/** 101320 → "1.013,20 €". */
export function germanEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')} €`;
}

export const APPLICATION_LABELS: Record<ApplicationType, string> = {
  first_application: 'Erstantrag',
  continuation_application: 'Antrag auf Weiterbewilligung',
  change_application: 'Änderungsantrag',
  one_off_need: 'Antrag auf einmaligen Bedarf',
};

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  received: 'eingegangen',
  in_review: 'in Bearbeitung',
  documents_missing: 'Unterlagen fehlen',
  decided: 'entschieden',
};
