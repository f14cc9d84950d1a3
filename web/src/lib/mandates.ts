// What a mandate means for the party looking at it: their role, what waits for them, which
// dashboard section it belongs in, and which actions they may take. Pure, so it is unit-tested.
import type { Mandate, Party, Role } from './types.js';

export const sameParty = (a: Party, b: Party) => a.kind === b.kind && a.id === b.id;

export function roleOf(mandate: Pick<Mandate, 'mandator' | 'mandatee'>, party: Party): Role | undefined {
  if (sameParty(mandate.mandator, party)) return 'mandator';
  if (sameParty(mandate.mandatee, party)) return 'mandatee';
  return undefined;
}

export const otherRole = (role: Role): Role => (role === 'mandator' ? 'mandatee' : 'mandator');

export const SECTIONS = ['waitingMine', 'waitingOther', 'transfer', 'active', 'ended'] as const;
export type Section = (typeof SECTIONS)[number];

const ENDED_STATES = new Set(['refused', 'withdrawn', 'lapsed', 'stopped', 'transferred', 'expired']);

/** Something waits for a signature: a proposal, or a pending amendment of a signed mandate. */
export const isAwaitingSignature = (m: Mandate) => m.waitingFor.length > 0 && (m.status === 'pending' || m.pendingAmendment !== null);

/** A signed mandate whose transfer to a new mandatee is not yet signed. */
export const isTransferPending = (m: Mandate) => m.status === 'signed' && m.successorId !== null && !ENDED_STATES.has(m.state);

export function sectionOf(m: Mandate, me: Role): Section {
  if (ENDED_STATES.has(m.state)) return 'ended';
  if (isAwaitingSignature(m)) return m.waitingFor.includes(me) ? 'waitingMine' : 'waitingOther';
  if (isTransferPending(m)) return 'transfer';
  return 'active';
}

export type Action = 'sign' | 'refuse' | 'withdraw' | 'stop' | 'amend' | 'transfer';

const inForce = (m: Mandate) => m.status === 'signed' && (m.state === 'active' || m.state === 'scheduled');

/** The actions open to the party in role `me`, in the order they are offered. */
export function availableActions(m: Mandate, me: Role): Action[] {
  const actions: Action[] = [];
  const waiting = isAwaitingSignature(m);
  if (waiting && m.waitingFor.includes(me)) actions.push('sign', 'refuse');
  const myProposal = m.status === 'pending' ? waiting && !m.waitingFor.includes(me) : m.pendingAmendment?.proposedBy === me;
  if (waiting && myProposal) actions.push('withdraw');
  if (inForce(m)) {
    if (m.pendingAmendment === null) actions.push('amend');
    if (m.successorId === null) actions.push('transfer');
    actions.push('stop');
  }
  return actions;
}

/** Does a new end date only narrow the mandate (applies at once) or widen it (needs the other party)? */
export function amendmentEffect(currentUntil: string | null, newUntil: string | null): 'narrows' | 'widens' | 'same' {
  if (currentUntil === newUntil) return 'same';
  if (newUntil === null) return 'widens';
  if (currentUntil === null) return 'narrows';
  return newUntil < currentUntil ? 'narrows' : 'widens';
}

/** Case- and separator-insensitive search over the counterparty's number, the type (id and label) and the reference. */
export function matchesSearch(m: Mandate, me: Role, query: string, typeLabel: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const other = m[otherRole(me)];
  const digits = q.replace(/[\s.\-/]/g, '').replace(/^be/, '');
  if (/^\d+$/.test(digits) && other.id.includes(digits)) return true;
  return [m.type, typeLabel, m.reference ?? ''].some((text) => text.toLowerCase().includes(q));
}

/**
 * The party the person looks at a mandate as: the party they act for if it is one of the mandate's
 * parties, else the first of their own parties (themself, then their enterprises) that is.
 */
export function viewerParty(
  m: Pick<Mandate, 'mandator' | 'mandatee'>,
  self: Party,
  enterprises: readonly string[],
  acting: Party | null,
): Party | undefined {
  if (acting && roleOf(m, acting)) return acting;
  const mine: Party[] = [self, ...enterprises.map((id): Party => ({ kind: 'enterprise', id }))];
  return mine.find((p) => roleOf(m, p) !== undefined);
}
