// The mandate as the domain sees it: its content, stored status, signatures, and the effective
// state derived at any instant (never stored).
import { canonicalJson, sha256Hex } from './canonical.js';
import { brusselsDay, type CalendarDate } from './dates.js';
import { type Language, type Party, sameParty } from './party.js';

export const MANDATE_STATUSES = ['pending', 'signed', 'refused', 'withdrawn', 'lapsed', 'stopped', 'transferred'] as const;
export type MandateStatus = (typeof MANDATE_STATUSES)[number];
export type EffectiveState = Exclude<MandateStatus, 'signed'> | 'scheduled' | 'active' | 'expired';

export type Role = 'mandator' | 'mandatee';
export const otherRole = (role: Role): Role => (role === 'mandator' ? 'mandatee' : 'mandator');

/** What a signature binds to: these fields, hashed. */
export interface MandateContent {
  id: string;
  type: string;
  mandator: Party;
  mandatee: Party;
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
  reference: string | null;
  language: Language;
}

/** A party's recorded approval of one exact version; `jws` is the service's signature over the other fields. */
export interface SignatureRecord {
  role: Role;
  party: Party;
  /** National number of the person who signed (themself or as representative). */
  signer: string;
  version: number;
  contentHash: string;
  at: string;
  authTime: string;
  authLevel: string | null;
  jws?: string;
}

export interface PendingAmendment {
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
  proposedBy: Role;
  contentHash: string;
  at: string;
}

export interface Mandate extends MandateContent {
  domain: string;
  status: MandateStatus;
  version: number;
  contentHash: string;
  signatures: SignatureRecord[];
  pendingAmendment: PendingAmendment | null;
  /** When a pending proposal lapses if not countersigned. */
  proposalExpiresAt: string | null;
  predecessorId: string | null;
  /** Set while a transfer is pending, and kept once it completed. */
  successorId: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  endedBy: Role | 'system' | null;
  endReason: string | null;
}

export function contentHash(content: MandateContent): string {
  const { id, type, mandator, mandatee, validFrom, validUntil, reference, language } = content;
  return sha256Hex(canonicalJson({ id, type, mandator, mandatee, validFrom, validUntil, reference, language }));
}

export function roleOf(mandate: Pick<Mandate, 'mandator' | 'mandatee'>, party: Party): Role | undefined {
  if (sameParty(mandate.mandator, party)) return 'mandator';
  if (sameParty(mandate.mandatee, party)) return 'mandatee';
  return undefined;
}

export const partyOf = (mandate: Pick<Mandate, 'mandator' | 'mandatee'>, role: Role): Party => mandate[role];

/** Roles that have signed the current content of the mandate. */
export function signedRoles(mandate: Mandate): Set<Role> {
  return new Set(mandate.signatures.filter((s) => s.contentHash === mandate.contentHash).map((s) => s.role));
}

/** The role whose signature a pending proposal waits for (if any; a transfer proposed by the old mandatee waits for both). */
export function missingSigners(mandate: Mandate): Role[] {
  const signed = signedRoles(mandate);
  return (['mandator', 'mandatee'] as const).filter((r) => !signed.has(r));
}

/** The effective state at an instant: derived from the stored status and the validity in Brussels days. */
export function effectiveState(mandate: Pick<Mandate, 'status' | 'validFrom' | 'validUntil'>, at: Date | number): EffectiveState {
  if (mandate.status !== 'signed') return mandate.status;
  const day = brusselsDay(at);
  if (day < mandate.validFrom) return 'scheduled';
  if (mandate.validUntil !== null && day > mandate.validUntil) return 'expired';
  return 'active';
}

/** A signed mandate that has not ended (scheduled or active). */
export const isInForce = (mandate: Mandate, at: Date | number) => {
  const state = effectiveState(mandate, at);
  return state === 'scheduled' || state === 'active';
};

/** Live for the no-duplicate rule: pending, or signed and not ended. */
export const isLive = (mandate: Mandate, at: Date | number) => mandate.status === 'pending' || isInForce(mandate, at);

/** Do two validities overlap? `null` as end is unlimited. */
export function validitiesOverlap(
  a: { validFrom: CalendarDate; validUntil: CalendarDate | null },
  b: { validFrom: CalendarDate; validUntil: CalendarDate | null },
): boolean {
  return (b.validUntil === null || a.validFrom <= b.validUntil) && (a.validUntil === null || b.validFrom <= a.validUntil);
}
