// Calendar days in Europe/Brussels. Validity is expressed in Brussels days; instants are UTC.
const ZONE = 'Europe/Brussels';
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' });

/** A calendar date `YYYY-MM-DD`. */
export type CalendarDate = string;

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

let lastDay = { ms: Number.NaN, day: '' };

/** The Brussels calendar day of an instant (the last one is remembered: a bulk job asks for the same instant per item). */
export function brusselsDay(instant: Date | number): CalendarDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (ms !== lastDay.ms) lastDay = { ms, day: dayFormat.format(ms) };
  return lastDay.day;
}

/** The instant (epoch ms) at which a Brussels calendar day begins. Midnight never falls in a DST gap there (changes happen at 02:00/03:00). */
export function brusselsMidnight(day: CalendarDate): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  for (const offsetHours of [1, 2]) {
    const candidate = utcMidnight - offsetHours * 3_600_000;
    if (brusselsDay(candidate) === day && Number(hourFormat.format(candidate)) === 0) return candidate;
  }
  throw new Error(`no Brussels midnight for ${day}`);
}

export function addDays(day: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Adds calendar months; the day is clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** Later of two days; `null` stands for "unlimited" only where callers say so, never here. */
export const maxDay = (a: CalendarDate, b: CalendarDate) => (a > b ? a : b);

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An RFC 3339 date-time (`2027-01-01T12:00:00Z`, `…+01:00`, fractions allowed) as epoch ms, or NaN.
 * Stricter than Date.parse, which accepts other shapes and rolls 31 February over into March.
 */
export function parseInstant(text: string): number {
  const m = INSTANT.exec(text);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // Years before 1900 are no instant a mandate is about (and Date.UTC would read 0–99 as 1900–1999).
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return Number.NaN;
  }
  const fraction = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second) + fraction;
  if (m[8] === undefined) return local;
  const offsetHours = Number(m[9]);
  const offsetMinutes = Number(m[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
  return local - (m[8] === '+' ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
}
