// Dates in the reader's language: calendar days without time-zone drift, instants in Brussels time,
// and the three-field date input.
import { describe, expect, it } from 'vitest';
import { datePartsOf, formatDay, formatInstant, latestUntil, parseDateParts, today } from '../../web/src/lib/format.js';

describe('formatDay', () => {
  it('writes a calendar date in each language', () => {
    expect(formatDay('2027-03-01', 'nl')).toBe('1 maart 2027');
    expect(formatDay('2027-03-01', 'fr')).toBe('1 mars 2027');
    expect(formatDay('2027-03-01', 'de')).toBe('1. März 2027');
    expect(formatDay('2027-03-01', 'en')).toBe('1 March 2027');
  });

  it('never shifts a day whatever the time zone (the date is not an instant)', () => {
    expect(formatDay('2026-12-31', 'en')).toBe('31 December 2026');
    expect(formatDay('2027-01-01', 'nl')).toBe('1 januari 2027');
  });

  it('leaves something that is not a date as it is', () => {
    expect(formatDay('soon', 'en')).toBe('soon');
  });
});

describe('formatInstant', () => {
  it('shows the Brussels wall-clock time, summer and winter', () => {
    // 09:30 UTC is 10:30 in winter (CET) and 11:30 in summer (CEST).
    expect(formatInstant('2026-12-01T09:30:00Z', 'en')).toMatch(/1 December 2026.*10:30/);
    expect(formatInstant('2027-07-01T09:30:00Z', 'nl')).toMatch(/1 juli 2027.*11:30/);
    expect(formatInstant('2027-07-01T09:30:00Z', 'fr')).toMatch(/1 juillet 2027.*11:30/);
    expect(formatInstant('2027-07-01T09:30:00Z', 'de')).toMatch(/1\. Juli 2027.*11:30/);
  });

  it('shows the next Brussels day for a late-evening UTC instant', () => {
    expect(formatInstant('2026-12-31T23:30:00Z', 'en')).toMatch(/1 January 2027.*00:30/);
  });
});

describe('parseDateParts', () => {
  it('reads day, month and year, with or without leading zeros', () => {
    expect(parseDateParts({ day: '1', month: '3', year: '2027' })).toEqual({ ok: true, value: '2027-03-01' });
    expect(parseDateParts({ day: ' 09 ', month: '12', year: '2027' })).toEqual({ ok: true, value: '2027-12-09' });
  });

  it('tells missing, incomplete and impossible dates apart', () => {
    expect(parseDateParts({ day: '', month: '', year: '' })).toEqual({ ok: false, problem: 'missing' });
    expect(parseDateParts({ day: '1', month: '', year: '2027' })).toEqual({ ok: false, problem: 'incomplete' });
    expect(parseDateParts({ day: '30', month: '2', year: '2027' })).toEqual({ ok: false, problem: 'invalid' });
    expect(parseDateParts({ day: '1', month: '3', year: '27' })).toEqual({ ok: false, problem: 'invalid' });
    expect(parseDateParts({ day: 'x', month: '3', year: '2027' })).toEqual({ ok: false, problem: 'invalid' });
  });

  it('round-trips through datePartsOf', () => {
    expect(parseDateParts(datePartsOf('2028-02-29'))).toEqual({ ok: true, value: '2028-02-29' });
    expect(datePartsOf(null)).toEqual({ day: '', month: '', year: '' });
  });
});

describe('days', () => {
  it('knows today in Brussels and the last day of a capped validity', () => {
    expect(today(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(latestUntil('2027-03-01', 12)).toBe('2028-02-29');
    expect(latestUntil('2027-01-31', 1)).toBe('2027-02-27');
  });
});
