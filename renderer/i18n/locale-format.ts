/**
 * Dates, money, sizes and service hours in the language of the screen, all
 * through the browser's Intl (CLDR data), so English shows "Mon", "€1,013.20"
 * and "1.9 GB" where German shows "Mo.", "1.013,20 €" and "1,9 GB". The
 * locale comes from localeOf(language) (language.ts); components take it with
 * useLocale(), so switching the language re-renders them.
 */
import type { ServiceHours, Weekday } from '../../electron/contract';

/**
 * Formatters are dear to build (tens of µs each) and the screen formats on
 * every render (the log's 40 times, the history's rows): one per locale and
 * options, kept.
 */
const formatters = new Map<string, unknown>();

function kept<F>(kind: string, locale: string, options: object, make: () => F): F {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, make());
  return formatters.get(key) as F;
}

const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  kept('date', locale, options, () => new Intl.DateTimeFormat(locale, options));

const numberFormat = (locale: string, options: Intl.NumberFormatOptions) =>
  kept('number', locale, options, () => new Intl.NumberFormat(locale, options));

/**
 * A calendar day from the engine ("2026-12-01", or the date part of an ISO
 * instant) as offices write it: "01.12.2026" / "01/12/2026". Read as a
 * date, not an instant: no time zone can move it to the day before.
 */
export function formatDay(iso: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(day.getTime())) return iso;
  return dateFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(day);
}

/**
 * The local clock time of an instant from the engine (ISO, UTC), with
 * seconds: "14:03:07". Not the ISO string's own digits, which are UTC.
 */
export function formatClock(iso: string, locale: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return dateFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** A month from the engine ("2026-12") in words: "Dezember 2026" / "December 2026". */
export function formatMonth(yearMonth: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  if (!match) return yearMonth;
  const month = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  if (Number.isNaN(month.getTime())) return yearMonth;
  return dateFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(month);
}

/** An amount in euro cents: "1.013,20 €" / "€1,013.20". */
export function formatEuros(cents: number, locale: string): string {
  return numberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;

/**
 * A file size, once, with its unit: "44 MB", "318 MB", "1,9 GB" / "1.9 GB".
 * Counted in steps of 1024, as Windows Explorer counts the sizes it labels
 * KB, MB and GB and as alphacephei.com lists its models, so the size on
 * screen is the one the staff see for the same file on their PC. Below
 * 10 GB one decimal, from then on whole numbers.
 */
export function formatSize(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const [value, unit] =
    bytes >= GB
      ? [bytes / GB, 'gigabyte']
      : bytes >= MB
        ? [bytes / MB, 'megabyte']
        : bytes >= KB
          ? [bytes / KB, 'kilobyte']
          : [bytes, 'byte'];
  // A no-break space: "318 MB" never breaks between number and unit.
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: unit === 'byte' ? 'long' : 'short',
    maximumFractionDigits: unit === 'gigabyte' && value < 10 ? 1 : 0,
  })
    .format(value)
    .replace(/ /g, '\u00a0');
}

/** Monday first, as the week is counted in Germany and in the site profile. */
const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The short name of a weekday: "Mo." / "Mon". */
function weekdayName(day: Weekday, locale: string): string {
  // 2024-01-01 was a Monday.
  const date = new Date(Date.UTC(2024, 0, 1 + WEEK.indexOf(day)));
  return dateFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(date);
}

function timeRanges(ranges: ServiceHours[number]['ranges'], locale: string): string {
  const format = dateFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  // "08:00" as a clock time in the locale; "24:00" (the end of the day) has no clock time of its own.
  const clock = (hhmm: string): string => {
    const [hours, minutes] = hhmm.split(':').map(Number);
    if (hours === 24) return hhmm;
    return format.format(new Date(Date.UTC(2024, 0, 1, hours ?? 0, minutes ?? 0)));
  };
  return ranges.map((r) => `${clock(r.from)}–${clock(r.to)}`).join(', ');
}

/**
 * The phone service hours for the screen, days with the same hours joined:
 * "Mo.–Mi. 08:00–16:00; Do. 08:00–18:00; Fr. 08:00–12:00" /
 * "Mon–Wed 08:00–16:00; …". Empty when the office has none.
 */
export function formatServiceHours(hours: ServiceHours, locale: string): string {
  const byDay = new Map(hours.map((h) => [h.day, h.ranges]));
  const groups: { first: Weekday; last: Weekday; text: string }[] = [];
  for (const day of WEEK) {
    const ranges = byDay.get(day);
    if (!ranges || ranges.length === 0) continue;
    const text = timeRanges(ranges, locale);
    const previous = groups.at(-1);
    const follows = previous && WEEK.indexOf(day) === WEEK.indexOf(previous.last) + 1;
    if (previous && follows && previous.text === text) previous.last = day;
    else groups.push({ first: day, last: day, text });
  }
  return groups
    .map(({ first, last, text }) => {
      const days =
        first === last
          ? weekdayName(first, locale)
          : `${weekdayName(first, locale)}–${weekdayName(last, locale)}`;
      return `${days} ${text}`;
    })
    .join('; ');
}
