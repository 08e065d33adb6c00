import { describe, expect, it } from 'vitest';
import { localeOf } from '../../../../renderer/i18n/language';
import {
  formatClock,
  formatDay,
  formatEuros,
  formatMonth,
  formatServiceHours,
  formatSize,
} from '../../../../renderer/i18n/locale-format';
import type { ServiceHours } from '../../../../electron/contract';

const de = localeOf('de');
const en = localeOf('en');
// Intl may use a narrow no-break space between number and unit or currency.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** The demo office: Mon–Wed 8–16, Thu 8–18, Fri 8–12 (resources/site-profile/demo.json). */
const DEMO_HOURS: ServiceHours = [
  { day: 'mon', ranges: [{ from: '08:00', to: '16:00' }] },
  { day: 'tue', ranges: [{ from: '08:00', to: '16:00' }] },
  { day: 'wed', ranges: [{ from: '08:00', to: '16:00' }] },
  { day: 'thu', ranges: [{ from: '08:00', to: '18:00' }] },
  { day: 'fri', ranges: [{ from: '08:00', to: '12:00' }] },
];

describe('service hours in the language of the screen', () => {
  it('names the weekdays in German and in English, days with the same hours joined', () => {
    // CLDR versions differ on the German abbreviation's dot ("Mo." / "Mo").
    expect(formatServiceHours(DEMO_HOURS, de)).toMatch(
      /^Mo\.?–Mi\.? 08:00–16:00; Do\.? 08:00–18:00; Fr\.? 08:00–12:00$/,
    );
    expect(formatServiceHours(DEMO_HOURS, en)).toBe(
      'Mon–Wed 08:00–16:00; Thu 08:00–18:00; Fri 08:00–12:00',
    );
  });

  it('keeps a day apart when one in between has other hours, and shows split days', () => {
    const hours: ServiceHours = [
      {
        day: 'mon',
        ranges: [
          { from: '08:00', to: '12:00' },
          { from: '13:30', to: '15:00' },
        ],
      },
      { day: 'wed', ranges: [{ from: '08:00', to: '12:00' }] },
      { day: 'thu', ranges: [{ from: '08:00', to: '12:00' }] },
      { day: 'sat', ranges: [{ from: '20:00', to: '24:00' }] },
    ];
    expect(formatServiceHours(hours, de)).toMatch(
      /^Mo\.? 08:00–12:00, 13:30–15:00; Mi\.?–Do\.? 08:00–12:00; Sa\.? 20:00–24:00$/,
    );
    expect(formatServiceHours(hours, en)).toBe(
      'Mon 08:00–12:00, 13:30–15:00; Wed–Thu 08:00–12:00; Sat 20:00–24:00',
    );
    expect(formatServiceHours([], de)).toBe('');
  });
});

describe('sizes, once and with their unit', () => {
  it('shows the large German model as 1,9 GB / 1.9 GB, as Windows shows the zip', () => {
    // vosk-model-de-0.21.zip: 2,031,717,803 bytes.
    expect(plain(formatSize(2_031_717_803, de))).toBe('1,9 GB');
    expect(plain(formatSize(2_031_717_803, en))).toBe('1.9 GB');
  });

  it('shows the small models in whole megabytes', () => {
    // vosk-model-small-de-0.15.zip (46,499,967 bytes) and the Arabic one (333,241,610).
    expect(plain(formatSize(46_499_967, de))).toBe('44 MB');
    expect(plain(formatSize(333_241_610, en))).toBe('318 MB');
    expect(plain(formatSize(1536, de))).toBe('2 kB');
    expect(plain(formatSize(12 * 1024 ** 3, de))).toBe('12 GB');
    expect(formatSize(-1, de)).toBe('–');
    expect(formatSize(Number.NaN, en)).toBe('–');
  });
});

describe('dates and money', () => {
  it('writes a calendar day as offices do, never a day early', () => {
    expect(formatDay('2026-12-01', de)).toBe('01.12.2026');
    expect(formatDay('2026-12-01', en)).toBe('01/12/2026');
    expect(formatDay('2026-03-29T23:30:00.000Z', de)).toBe('29.03.2026');
    expect(formatDay('unbekannt', de)).toBe('unbekannt');
  });

  it('names the month and writes euros in the language of the screen', () => {
    expect(formatMonth('2026-12', de)).toBe('Dezember 2026');
    expect(formatMonth('2026-12', en)).toBe('December 2026');
    expect(formatMonth('12/2026', en)).toBe('12/2026');
    expect(plain(formatEuros(101_320, de))).toBe('1.013,20 €');
    expect(formatEuros(101_320, en)).toBe('€1,013.20');
  });

  it('shows a log line’s time on the local clock, not the UTC digits of its ISO string', () => {
    const iso = '2026-07-01T12:34:56.000Z';
    const local = new Date(iso);
    const expected = [local.getHours(), local.getMinutes(), local.getSeconds()]
      .map((n) => String(n).padStart(2, '0'))
      .join(':');
    expect(formatClock(iso, de)).toBe(expected);
    expect(formatClock(iso, en)).toBe(expected);
    expect(formatClock('kaputt', de)).toBe('kaputt');
  });
});
