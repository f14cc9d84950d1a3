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

/** The number written by `count` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12), by arithmetic alone. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function readInstant(text: string): number {
  // YYYY-MM-DDTHH:MM:SS at fixed places, then an optional fraction and a zone (Z or ±HH:MM).
  if (text.length < 20) return Number.NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const t = text[10];
  if (text[4] !== '-' || text[7] !== '-' || (t !== 'T' && t !== 't') || text[13] !== ':' || text[16] !== ':') return Number.NaN;
  // Years before 1900 are no instant a mandate is about.
  if (
    year < 1900 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Number.NaN;
  }
  if (day > (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return Number.NaN;
  let at = 19;
  let millis = 0;
  if (text[at] === '.') {
    const start = ++at;
    while (at < text.length && at - start < 9 && digitsAt(text, at, 1) >= 0) at++;
    if (at === start) return Number.NaN;
    // Milliseconds are the first three digits of the fraction; finer digits are dropped.
    for (let i = 0; i < 3; i++) millis = millis * 10 + (start + i < at ? text.charCodeAt(start + i) - 48 : 0);
  }
  let offset = 0;
  const zone = text[at];
  if (zone === 'Z' || zone === 'z') {
    at += 1;
  } else if (zone === '+' || zone === '-') {
    const hours = digitsAt(text, at + 1, 2);
    const minutes = digitsAt(text, at + 4, 2);
    if (text[at + 3] !== ':' || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;
    offset = (zone === '+' ? 1 : -1) * (hours * 60 + minutes) * 60_000;
    at += 6;
  } else {
    return Number.NaN;
  }
  if (at !== text.length) return Number.NaN;
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis - offset;
}

/** The last instant read: a batch of checks usually asks about one instant a thousand times. */
let lastText = '';
let lastValue = Number.NaN;

/**
 * An RFC 3339 date-time (`2027-01-01T12:00:00Z`, `…+01:00`, fractions allowed) as epoch ms, or NaN.
 * Stricter than Date.parse, which accepts other shapes and rolls 31 February over into March.
 */
export function parseInstant(text: string): number {
  if (text !== lastText) {
    lastValue = readInstant(text);
    lastText = text;
  }
  return lastValue;
}
