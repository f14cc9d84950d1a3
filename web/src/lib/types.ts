// The shapes the HTTP API answers with (see src/http/schemas), as the web application reads them.
import type { Language } from './format.js';
import type { PartyKind } from './identifiers.js';

export interface Party {
  kind: PartyKind;
  id: string;
}

export type Role = 'mandator' | 'mandatee';
export type MandateStatus = 'pending' | 'signed' | 'refused' | 'withdrawn' | 'lapsed' | 'stopped' | 'transferred';
export type EffectiveState = Exclude<MandateStatus, 'signed'> | 'scheduled' | 'active' | 'expired';

export interface Signature {
  role: Role;
  party: Party;
  signer: string;
  version: number;
  contentHash: string;
  at: string;
  authTime: string;
  authLevel: string | null;
}

export interface Mandate {
  id: string;
  type: string;
  domain: string;
  mandator: Party;
  mandatee: Party;
  validFrom: string;
  validUntil: string | null;
  reference: string | null;
  language: Language;
  status: MandateStatus;
  state: EffectiveState;
  waitingFor: Role[];
  version: number;
  contentHash: string;
  signatures: Signature[];
  pendingAmendment: { validFrom: string; validUntil: string | null; proposedBy: Role; contentHash: string; at: string } | null;
  proposalExpiresAt: string | null;
  predecessorId: string | null;
  successorId: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  endedBy: Role | 'system' | null;
  endReason: string | null;
}

export interface HistoryEntry {
  seq: number;
  type: string;
  version: number;
  at: string;
  actor: { kind: string; id?: string };
  onBehalfOf: Party | null;
  data: Record<string, unknown>;
}

export interface CommandResult {
  mandate: Mandate;
  related: Mandate[];
  cursor: number;
}

export interface Session {
  person: { nationalNumber: string; name?: string };
  authTime: string;
  authLevel: string | null;
  signFreshUntil: string;
  enterprises: { enterpriseNumber: string; name?: string }[];
}

export type Labels = Record<Language, string>;

export interface MandateType {
  id: string;
  domain: string;
  label: Labels;
  description: Labels;
  mandatorKinds: PartyKind[];
  mandateeKinds: PartyKind[];
  unlimitedAllowed: boolean;
  maxDurationMonths: number | null;
  sensitive: boolean;
}

export interface Catalogue {
  version: string;
  domains: { id: string; label: Labels }[];
  types: MandateType[];
}
