// Calendar days of Europe/Brussels turned into epoch-ms bounds once, so a check compares numbers and
// never formats a date. A mandate valid from day F until day U (inclusive) is in force on
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

/** Interns calendar days: an index stores a small integer per bound and gets the text back for answers. */
export class DayTable {
  static readonly NONE = -1;
  private readonly ids = new Map<CalendarDate, number>();
  readonly texts: CalendarDate[] = [];

  intern(day: CalendarDate | null): number {
    if (day === null) return DayTable.NONE;
    let id = this.ids.get(day);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(day);
      this.ids.set(day, id);
    }
    return id;
  }

  text(id: number): CalendarDate | null {
    return id === DayTable.NONE ? null : (this.texts[id] as CalendarDate);
  }
}
