import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  hessenHolidays,
  officeMode,
  serviceHours,
  type OfficeSchedule,
} from '../../../../../electron/engine/bot/office-hours';
import { serviceHoursSchema } from '../../../../../electron/contract';

describe('holidays', () => {
  it.each([
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2038, 4, 25],
  ])('Easter %i is %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ month, day });
  });

  it('computes the moving holidays of Hessen', () => {
    const dates = Object.fromEntries(hessenHolidays(2026).map((h) => [h.name, h.date]));
    expect(dates).toMatchObject({
      Karfreitag: '2026-04-03',
      Ostermontag: '2026-04-06',
      'Christi Himmelfahrt': '2026-05-14',
      Pfingstmontag: '2026-05-25',
      Fronleichnam: '2026-06-04',
      'Tag der Deutschen Einheit': '2026-10-03',
    });
    expect(hessenHolidays(2026)).toHaveLength(10);
  });
});

describe('office mode', () => {
  const schedule: OfficeSchedule = {
    timeZone: 'Europe/Berlin',
    hours: { mon: ['08:00-12:00', '13:00-16:00'], tue: ['08:00-12:00'], thu: ['08:00-18:00'] },
  };
  it.each([
    ['2026-11-23T07:30:00Z', 'day'], // Monday 08:30 CET
    ['2026-11-23T11:30:00Z', 'night'], // Monday 12:30: lunch break
    ['2026-11-23T15:00:00Z', 'night'], // Monday 16:00: closed
    ['2026-11-25T09:00:00Z', 'night'], // Wednesday: no hours
    ['2026-06-04T08:00:00Z', 'night'], // Thursday, Fronleichnam
    ['2026-06-11T08:00:00Z', 'day'], // the Thursday after (summer time)
  ])('%s → %s', (at, mode) => {
    expect(officeMode(schedule, new Date(at))).toBe(mode);
  });

  it('a hand switch overrides the schedule', () => {
    expect(officeMode({ ...schedule, override: 'night' }, new Date('2026-11-23T07:30:00Z'))).toBe(
      'night',
    );
  });

  it('rejects malformed hours with a clear message', () => {
    expect(() =>
      officeMode({ ...schedule, hours: { mon: ['8-12'] } }, new Date('2026-11-23T07:30:00Z')),
    ).toThrow(/HH:MM/);
  });
});

describe('service hours for the screen', () => {
  it('gives each day with hours, Monday first, each range as from and to', () => {
    expect(
      serviceHours({
        fri: ['08:00-12:00'],
        mon: ['08:00-12:00', '13:30-16:00'],
        sun: [],
        thu: ['08:00-18:00'],
      }),
    ).toEqual([
      {
        day: 'mon',
        ranges: [
          { from: '08:00', to: '12:00' },
          { from: '13:30', to: '16:00' },
        ],
      },
      { day: 'thu', ranges: [{ from: '08:00', to: '18:00' }] },
      { day: 'fri', ranges: [{ from: '08:00', to: '12:00' }] },
    ]);
    expect(serviceHours({})).toEqual([]);
  });

  it('is what bot.mode carries, valid by the contract', () => {
    const hours = serviceHours({ mon: ['08:00-16:00'], sat: ['20:00-24:00'] });
    expect(serviceHoursSchema.parse(hours)).toEqual(hours);
  });
});
