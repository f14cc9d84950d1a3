// The check engine's questions and answers. Instants are epoch milliseconds (no Date on the hot path).
import type { CalendarDate } from '../core/dates.js';
import type { Party } from '../core/party.js';

export interface CheckQuery {
  mandator: Party;
  mandatee: Party;
  type: string;
  /** The instant asked about, epoch ms; now when absent. */
  at?: number;
  /** National number of the person who acts for an enterprise mandatee (or, for a person mandatee, that person). */
  actingPerson?: string;
}

export type CheckReason = 'active' | 'no-mandate' | 'not-yet-valid' | 'expired' | 'acting-person-not-allowed';

/** Shared between answers (the engine keeps one per mandate version): read it, never change it. */
export interface MandateRef {
  readonly id: string;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate | null;
}

export interface CheckAnswer {
  allowed: boolean;
  reason: CheckReason;
  /** The mandate in force (or, when refused for time, the next to start or the last ended). */
  mandate?: MandateRef;
  /** Position in the event log the answer reflects (at least). */
  cursor: number;
}

export type RepresentedFilter = { type: string } | { domain: string };

export interface RepresentedMandator {
  mandator: Party;
  type: string;
  mandate: MandateRef;
}

export interface RepresentedAnswer {
  /** Sorted by mandator, then type. */
  mandators: RepresentedMandator[];
  cursor: number;
}
