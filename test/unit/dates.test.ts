import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, brusselsDay, brusselsMidnight, isCalendarDate, maxDay, parseInstant } from '../../src/core/dates.js';

describe('brusselsDay', () => {
  it('in winter (UTC+1) the day changes at 23:00 UTC', () => {
    expect(brusselsDay(new Date('2026-12-31T22:59:59.999Z'))).toBe('2026-12-31');
    expect(brusselsDay(new Date('2026-12-31T23:00:00.000Z'))).toBe('2027-01-01');
    expect(brusselsDay(Date.parse('2026-01-15T23:30:00Z'))).toBe('2026-01-16');
  });

  it('in summer (UTC+2) the day changes at 22:00 UTC', () => {
    expect(brusselsDay(new Date('2026-07-14T21:59:59.999Z'))).toBe('2026-07-14');
    expect(brusselsDay(new Date('2026-07-14T22:00:00.000Z'))).toBe('2026-07-15');
  });

  it('a UTC instant just after midnight UTC is still the same Brussels day', () => {
    expect(brusselsDay(new Date('2026-07-15T00:30:00Z'))).toBe('2026-07-15');
    expect(brusselsDay(new Date('2026-02-01T00:00:00Z'))).toBe('2026-02-01');
  });

  it('accepts a Date or epoch milliseconds alike', () => {
    const t = Date.parse('2026-03-29T01:30:00Z');
    expect(brusselsDay(t)).toBe(brusselsDay(new Date(t)));
  });
});

describe('brusselsMidnight', () => {
  it('is 23:00 UTC the day before in winter and 22:00 UTC in summer', () => {
    expect(new Date(brusselsMidnight('2027-01-01')).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(new Date(brusselsMidnight('2026-07-15')).toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('on the day summer time starts (2026-03-29) midnight is still UTC+1, the next one UTC+2', () => {
    expect(new Date(brusselsMidnight('2026-03-29')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(brusselsMidnight('2026-03-30')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // That day lasts 23 hours.
    expect(brusselsMidnight('2026-03-30') - brusselsMidnight('2026-03-29')).toBe(23 * 3_600_000);
  });

  it('on the day summer time ends (2026-10-25) midnight is still UTC+2, the next one UTC+1', () => {
    expect(new Date(brusselsMidnight('2026-10-25')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(brusselsMidnight('2026-10-26')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // That day lasts 25 hours.
    expect(brusselsMidnight('2026-10-26') - brusselsMidnight('2026-10-25')).toBe(25 * 3_600_000);
  });

  it('is the first instant of its Brussels day', () => {
    for (const day of ['2026-03-29', '2026-03-30', '2026-10-25', '2026-10-26', '2028-02-29', '2026-12-31']) {
      const midnight = brusselsMidnight(day);
      expect(brusselsDay(midnight)).toBe(day);
      expect(brusselsDay(midnight - 1)).toBe(addDays(day, -1));
    }
  });
});

describe('addMonths', () => {
  it('keeps the day when the target month has it', () => {
    expect(addMonths('2026-12-15', 2)).toBe('2027-02-15');
    expect(addMonths('2026-03-01', 12)).toBe('2027-03-01');
    expect(addMonths('2026-12-01', 60)).toBe('2031-12-01');
  });

  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-05-31', 1)).toBe('2026-06-30');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('goes backwards with negative months, clamping too', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-10-31', -1)).toBe('2026-09-30');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });
});

describe('addDays and maxDay', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('maxDay is the later day', () => {
    expect(maxDay('2026-12-01', '2027-01-01')).toBe('2027-01-01');
    expect(maxDay('2027-01-01', '2026-12-01')).toBe('2027-01-01');
  });
});

describe('isCalendarDate', () => {
  it('accepts real dates, leap days included', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29']) expect(isCalendarDate(d), d).toBe(true);
  });

  it('refuses impossible or badly written dates', () => {
    for (const d of [
      '2026-02-30',
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-1',
      '2026-01-1',
      '26-01-01',
      '2026/01/01',
    ]) {
      expect(isCalendarDate(d), d).toBe(false);
    }
    expect(isCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isCalendarDate(' 2026-01-01')).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const v of [null, undefined, 20260101, new Date('2026-01-01')]) expect(isCalendarDate(v)).toBe(false);
  });
});

describe('parseInstant', () => {
  it('reads RFC 3339 date-times in UTC, with offsets and fractions, as Date.parse does', () => {
    for (const text of [
      '2027-01-01T12:00:00Z',
      '2027-01-01t12:00:00z',
      '2026-03-29T01:59:59.999Z',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T02:30:00+02:00',
      '2024-02-29T23:59:59-11:30',
      '2026-06-15T10:00:00.123456789Z',
    ]) {
      expect(parseInstant(text), text).toBe(Date.parse(text.toUpperCase()));
    }
  });

  it('refuses what is not a real instant, where Date.parse would guess or roll over', () => {
    for (const text of [
      '2026-02-31T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01T10:00Z',
      '2026-01-01',
      '2026-01-01T10:00:00',
      '2026-01-01T10:00:00+1:00',
      '2026-01-01T10:00:00+24:00',
      '0099-01-01T00:00:00Z',
      'Jan 1 2027',
      '',
    ]) {
      expect(parseInstant(text), text).toBeNaN();
    }
  });
});

describe('parseInstant against Date.parse', () => {
  it('agrees on every valid instant of random days, times, fractions and offsets', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.integer({ min: 0, max: 3 }),
        (date, offsetMinutes, fractionDigits) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const fraction = fractionDigits === 0 ? '' : `.${String(date.getUTCMilliseconds()).padStart(3, '0').slice(0, fractionDigits)}`;
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone =
            offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const text = `${local}${fraction}${zone}`;
          expect(parseInstant(text)).toBe(Date.parse(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
