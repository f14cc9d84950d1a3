// Validity rules shared by create, amend and transfer: no back-dating, end after start, and the
// type's limits on duration.
import type { MandateType } from './catalogue.js';
import { addDays, addMonths, type CalendarDate, isCalendarDate } from './dates.js';
import { type Refusal, refusal } from './refusal.js';

export interface Validity {
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
}

/** Checks a validity against today (Brussels) and the type; `fromLocked` skips the back-dating check of a start that is not changing. */
export function checkValidity(v: Validity, today: CalendarDate, type: MandateType, fromLocked = false): Refusal | undefined {
  if (!isCalendarDate(v.validFrom)) return refusal('DATE_INVALID', 'validFrom is not a calendar date (YYYY-MM-DD).', 'validFrom');
  if (v.validUntil !== null && !isCalendarDate(v.validUntil)) {
    return refusal('DATE_INVALID', 'validUntil is not a calendar date (YYYY-MM-DD).', 'validUntil');
  }
  if (!fromLocked && v.validFrom < today) {
    return refusal('VALIDITY_BACKDATED', 'A mandate cannot start before today.', 'validFrom', { today });
  }
  if (v.validUntil !== null && v.validUntil < today) {
    return refusal('VALIDITY_BACKDATED', 'A mandate cannot end before today.', 'validUntil', { today });
  }
  if (v.validUntil !== null && v.validUntil < v.validFrom) {
    return refusal('VALIDITY_END_BEFORE_START', 'validUntil must be on or after validFrom.', 'validUntil');
  }
  if (v.validUntil === null && !type.unlimitedAllowed) {
    return refusal('VALIDITY_UNLIMITED_FORBIDDEN', `Mandates of type ${type.id} need an end date.`, 'validUntil', {
      maxDurationMonths: type.maxDurationMonths,
    });
  }
  if (type.maxDurationMonths !== null && v.validUntil !== null) {
    // Inclusive end: 12 months from 1 March ends on the last day of February.
    const latest = addDays(addMonths(v.validFrom, type.maxDurationMonths), -1);
    if (v.validUntil > latest) {
      return refusal('VALIDITY_TOO_LONG', `Mandates of type ${type.id} last at most ${type.maxDurationMonths} months.`, 'validUntil', {
        latest,
      });
    }
  }
  return undefined;
}
