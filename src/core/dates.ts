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

/** The Brussels calendar day of an instant. */
export function brusselsDay(instant: Date | number): CalendarDate {
  return dayFormat.format(instant);
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
