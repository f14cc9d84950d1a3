// Renewing a mandate on the same terms: when it is offered, and the validity the new proposal will have
// (the server decides; this is the preview on the check page). Pure, so it is unit-tested.
import { addDays, addMonths } from '../../../src/core/dates.js';
import type { Mandate } from './types.js';

/** A limited mandate is offered renewal from this many days before its last day (the first reminder), and after it ended. */
export const RENEW_WINDOW_DAYS = 60;

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/**
 * Whether to offer "renew on the same terms": a signed mandate with an end date, near that end or past
 * it (stopped, transferred and never-signed ones cannot be renewed).
 */
export function renewalOffer(m: Pick<Mandate, 'status' | 'validUntil'>, today: string): 'ended' | 'soon' | undefined {
  if (m.status !== 'signed' || m.validUntil === null) return undefined;
  const left = daysBetween(today, m.validUntil);
  if (left < 0) return 'ended';
  return left <= RENEW_WINDOW_DAYS ? 'soon' : undefined;
}

/**
 * The new validity: from the day after the current end (today if that is past), for as long — in whole
 * calendar months when the current one runs whole months, else in days.
 */
export function renewedValidity(validFrom: string, validUntil: string, today: string): { validFrom: string; validUntil: string } {
  const dayAfter = addDays(validUntil, 1);
  const start = dayAfter < today ? today : dayAfter;
  for (let months = 1; months <= 1200; months += 1) {
    const last = addDays(addMonths(validFrom, months), -1);
    if (last > validUntil) break;
    if (last === validUntil) return { validFrom: start, validUntil: addDays(addMonths(start, months), -1) };
  }
  return { validFrom: start, validUntil: addDays(start, daysBetween(validFrom, validUntil)) };
}
