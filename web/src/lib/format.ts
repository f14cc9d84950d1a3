// Dates shown in the reader's language: calendar dates (validity) as plain days, instants
// (signatures, history) in Brussels time. Uses only Intl, so it behaves the same in Node and browsers.
import { addDays, addMonths, brusselsDay, isCalendarDate } from '../../../src/core/dates.js';

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** The Intl locale for each interface language: Belgian conventions where they exist. */
export const LOCALE: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };

/** 2027-03-01 → "1 maart 2027" / "1 mars 2027" / "1. März 2027" / "1 March 2027". */
export function formatDay(day: string, language: Language): string {
  if (!isCalendarDate(day)) return day;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(LOCALE[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant as a Brussels date and time, e.g. "1 March 2027 at 14:05" in the reader's words. */
export function formatInstant(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(date);
}

/** Today's Brussels calendar day. */
export const today = (now: Date = new Date()) => brusselsDay(now);

/** The last day a mandate of at most `months` months starting on `from` may run to (inclusive). */
export const latestUntil = (from: string, months: number) => addDays(addMonths(from, months), -1);

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DatePartsResult = { ok: true; value: string } | { ok: false; problem: 'missing' | 'incomplete' | 'invalid' };

/** Three text fields (day, month, year) → a calendar date, or what is wrong with them. */
export function parseDateParts(parts: DateParts): DatePartsResult {
  const values = [parts.day, parts.month, parts.year].map((p) => p.trim());
  if (values.every((v) => v === '')) return { ok: false, problem: 'missing' };
  if (values.some((v) => v === '')) return { ok: false, problem: 'incomplete' };
  if (!values.every((v) => /^\d+$/.test(v)) || values[2]!.length !== 4) return { ok: false, problem: 'invalid' };
  const day = `${values[2]}-${values[1]!.padStart(2, '0')}-${values[0]!.padStart(2, '0')}`;
  return isCalendarDate(day) ? { ok: true, value: day } : { ok: false, problem: 'invalid' };
}

/** A calendar date → the three fields, for prefilling. */
export function datePartsOf(day: string | null | undefined): DateParts {
  if (!day || !isCalendarDate(day)) return { day: '', month: '', year: '' };
  const [y, m, d] = day.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
}
