// Calendar days of Europe/Brussels turned into epoch-ms bounds once (memoized), so a check compares
// numbers and never formats a date. A mandate valid from day F until day U (inclusive) is in force on
// [midnight(F), midnight(U + 1)); a null end is +Infinity.
import { addDays, brusselsMidnight, type CalendarDate } from '../core/dates.js';

const midnights = new Map<CalendarDate, number>();
const nextMidnights = new Map<CalendarDate, number>();

/** Epoch ms at which a Brussels day begins (memoized: the days in use are few). */
export function dayStart(day: CalendarDate): number {
  let ms = midnights.get(day);
  if (ms === undefined) {
    ms = brusselsMidnight(day);
    midnights.set(day, ms);
  }
  return ms;
}

/** Epoch ms at which a Brussels day ends (the next midnight), +Infinity for an unlimited end. */
export function dayEnd(day: CalendarDate | null): number {
  if (day === null) return Number.POSITIVE_INFINITY;
  let ms = nextMidnights.get(day);
  if (ms === undefined) {
    ms = dayStart(addDays(day, 1));
    nextMidnights.set(day, ms);
  }
  return ms;
}
