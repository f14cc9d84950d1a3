// "Why can't I act?": the precise reason a check is refused, from the mandates between the two
// parties (any status). Pure; the caller decides what the asker may see and passes only that.
import { brusselsDay } from './dates.js';
import { effectiveState, type Mandate, missingSigners, type Role } from './mandate.js';
import type { Party } from './party.js';

export type Explanation =
  | { code: 'ACTIVE'; mandateId: string }
  | { code: 'NO_MANDATE' }
  | { code: 'WAITING_FOR_SIGNATURE'; mandateId: string; waitingFor: Role[]; lapsesAt: string | null }
  | { code: 'NOT_YET_VALID'; mandateId: string; startsOn: string }
  | { code: 'EXPIRED'; mandateId: string; endedOn: string }
  | { code: 'STOPPED'; mandateId: string; stoppedOn: string; by: Role | 'system' | null; reason: string | null }
  | { code: 'TRANSFERRED'; mandateId: string; on: string; successorId: string | null; to: Party | null }
  | { code: 'REFUSED' | 'WITHDRAWN' | 'LAPSED'; mandateId: string; on: string; by: Role | 'system' | null }
  | { code: 'WRONG_TYPE'; types: string[] }
  | { code: 'WRONG_PARTY'; holder: Party; mandateId: string };

export interface ExplainInput {
  type: string;
  at: number;
  /** Mandates from this mandator to this mandatee, of the types the asker may see, any status. */
  between: readonly Mandate[];
  /** Active mandates of this mandator and type held by a party the mandatee is linked to (their enterprise, or the acting person themself). */
  heldElsewhere: readonly Mandate[];
  /** Successors of transferred mandates, to say to whom (only those the asker may see). */
  successors: ReadonlyMap<string, Mandate>;
}

const day = (iso: string | null, fallback: string) => (iso ? brusselsDay(Date.parse(iso)) : fallback);

/** How telling a mandate of the asked type is, when none is active: a proposal or a future start first, then the most recent end. */
function rank(m: Mandate, at: number): number {
  const state = effectiveState(m, at);
  if (state === 'pending') return 3e15;
  if (state === 'scheduled') return 2e15;
  return Date.parse(m.endedAt ?? `${m.validUntil ?? '1970-01-01'}T23:59:59Z`);
}

export function explain(input: ExplainInput): Explanation {
  const sameType = input.between.filter((m) => m.type === input.type);
  const active = sameType.find((m) => effectiveState(m, input.at) === 'active');
  if (active) return { code: 'ACTIVE', mandateId: active.id };
  const best = [...sameType].sort((a, b) => rank(b, input.at) - rank(a, input.at))[0];
  if (best) {
    const state = effectiveState(best, input.at);
    const endedOn = day(best.endedAt, best.validUntil ?? '');
    switch (state) {
      case 'pending':
        return { code: 'WAITING_FOR_SIGNATURE', mandateId: best.id, waitingFor: missingSigners(best), lapsesAt: best.proposalExpiresAt };
      case 'scheduled':
        return { code: 'NOT_YET_VALID', mandateId: best.id, startsOn: best.validFrom };
      case 'expired':
        return { code: 'EXPIRED', mandateId: best.id, endedOn: best.validUntil as string };
      case 'stopped':
        return { code: 'STOPPED', mandateId: best.id, stoppedOn: endedOn, by: best.endedBy, reason: best.endReason };
      case 'transferred': {
        const successor = best.successorId ? input.successors.get(best.successorId) : undefined;
        return {
          code: 'TRANSFERRED',
          mandateId: best.id,
          on: endedOn,
          successorId: successor?.id ?? null,
          to: successor?.mandatee ?? null,
        };
      }
      case 'refused':
      case 'withdrawn':
      case 'lapsed':
        return { code: state.toUpperCase() as 'REFUSED' | 'WITHDRAWN' | 'LAPSED', mandateId: best.id, on: endedOn, by: best.endedBy };
      case 'active':
        break;
    }
  }
  const elsewhere = input.heldElsewhere.find((m) => m.type === input.type && effectiveState(m, input.at) === 'active');
  if (elsewhere) return { code: 'WRONG_PARTY', holder: elsewhere.mandatee, mandateId: elsewhere.id };
  const neighbours = [...new Set(input.between.filter((m) => effectiveState(m, input.at) === 'active').map((m) => m.type))].sort();
  if (neighbours.length > 0) return { code: 'WRONG_TYPE', types: neighbours };
  return { code: 'NO_MANDATE' };
}
