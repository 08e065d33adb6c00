/**
 * When people answer the phone: the office's opening hours per weekday, minus
 * public holidays. Outside them the bot runs alone (night mode: callbacks and
 * messages for the morning). Holidays are computed for any year (Easter by the
 * Gregorian computus), not typed in per year; Hessen is the default state.
 */
import type { BotMode, ServiceHours, Weekday } from '../../contract';

export type { Weekday } from '../../contract';
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** "08:00-12:00" ranges per weekday, local time of the office. */
export type OpeningHours = Partial<Record<Weekday, string[]>>;

export interface Holiday {
  date: string; // YYYY-MM-DD
  name: string;
}

/** Easter Sunday (Gregorian) for a year: the anonymous Gregorian algorithm. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function shift(year: number, month: number, day: number, days: number): string {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return iso(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Public holidays in Hessen (gesetzliche Feiertage, HFeiertagsG). */
export function hessenHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const fromEaster = (days: number, name: string): Holiday => ({
    date: shift(year, easter.month, easter.day, days),
    name,
  });
  return [
    { date: iso(year, 1, 1), name: 'Neujahr' },
    fromEaster(-2, 'Karfreitag'),
    fromEaster(1, 'Ostermontag'),
    { date: iso(year, 5, 1), name: 'Tag der Arbeit' },
    fromEaster(39, 'Christi Himmelfahrt'),
    fromEaster(50, 'Pfingstmontag'),
    fromEaster(60, 'Fronleichnam'),
    { date: iso(year, 10, 3), name: 'Tag der Deutschen Einheit' },
    { date: iso(year, 12, 25), name: '1. Weihnachtstag' },
    { date: iso(year, 12, 26), name: '2. Weihnachtstag' },
  ].sort((a, b) => a.date.localeCompare(b.date));
}

export interface OfficeSchedule {
  hours: OpeningHours;
  /** IANA time zone of the office. */
  timeZone: string;
  holidays?: (year: number) => Holiday[];
  /** Set by hand (e.g. a staff meeting): overrides the schedule. */
  override?: BotMode | null;
}

/** The office's local date, weekday and minutes since midnight. */
function localParts(
  at: Date,
  timeZone: string,
): { date: string; weekday: Weekday; minutes: number; year: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday =
    WEEKDAYS[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '')] ??
    'sun';
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    year: Number(parts.year),
  };
}

function toMinutes(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!match) throw new Error(`opening hours: "${hhmm}" is not HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The opening hours as the screen gets them (bot.mode): Monday first, each
 * range split into from and to; the screen words them in its language.
 */
export function serviceHours(hours: OpeningHours): ServiceHours {
  const week: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return week.flatMap((day) => {
    const ranges = (hours[day] ?? []).flatMap((range) => {
      const [from, to] = range.split('-').map((t) => t.trim());
      return from && to ? [{ from, to }] : [];
    });
    return ranges.length > 0 ? [{ day, ranges }] : [];
  });
}

/** 'day' when people are in (a handoff can ring someone), else 'night'. */
export function officeMode(schedule: OfficeSchedule, at: Date): BotMode {
  if (schedule.override) return schedule.override;
  const local = localParts(at, schedule.timeZone);
  const holidays = (schedule.holidays ?? hessenHolidays)(local.year);
  if (holidays.some((h) => h.date === local.date)) return 'night';
  for (const range of schedule.hours[local.weekday] ?? []) {
    const [from, to] = range.split('-');
    if (from && to && local.minutes >= toMinutes(from) && local.minutes < toMinutes(to))
      return 'day';
  }
  return 'night';
}
