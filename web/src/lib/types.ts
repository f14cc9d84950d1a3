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

/** POST /api/v1/why: may the asker (or the enterprise they act for) act for this mandator, and if not, why. */
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

export interface WhyAnswer {
  allowed: boolean;
  explanation: Explanation;
}

/** One notification of the in-app inbox; title and text come in the language asked for. */
export interface InboxItem {
  id: string;
  kind: string;
  mandateId: string | null;
  at: string;
  read: boolean;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

export interface InboxPage {
  party: Party;
  unread: number;
  items: InboxItem[];
  next: string | null;
}

export interface Contact {
  party: Party;
  email: string | null;
  emailConfirmed: boolean;
  /** Until when the link sent to an unconfirmed address works (null when none is pending). */
  confirmationPendingUntil: string | null;
  /** null: each mandate's own language. */
  language: Language | null;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';
export type ItemStatus = 'pending' | 'done' | 'refused' | 'skipped';

export interface BatchJob {
  id: string;
  status: JobStatus;
  kind: string;
  source: string;
  fileName: string | null;
  onBehalfOf: Party | null;
  total: number;
  processed: number;
  done: number;
  refused: number;
  skipped: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  links: { self: string; report: string };
}

export interface BatchItem {
  index: number;
  /** CSV: the spreadsheet row (header = 1). */
  row: number | null;
  line: number | null;
  op: string;
  id: string | null;
  status: ItemStatus;
  mandateId: string | null;
  relatedId: string | null;
  cursor: number | null;
  code: string | null;
  field: string | null;
  /** The CSV column at fault. */
  column: string | null;
  /** In the language asked for (Accept-Language). */
  message: string | null;
  detail: string | null;
  details: Record<string, unknown> | null;
}

export interface JobResult {
  job: BatchJob;
  items: BatchItem[];
  next: string | null;
}

export interface DryRun {
  dryRun: true;
  total: number;
  wouldApply: number;
  refused: number;
  /** The refused items, in order. */
  items: BatchItem[];
  truncated: boolean;
}

export interface JobList {
  items: BatchJob[];
  next: string | null;
}

/** GET /api/v1/enterprises/{n}/executors: who carries out the enterprise's mandates of which types. */
export interface ExecutorList {
  enterprise: string;
  executors: { person: string; types: string[] }[];
}
