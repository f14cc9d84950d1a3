// Mandate events: a discriminated union, the only way state changes. Their JSON is a public,
// stored format (hash-chained): changing a shape needs a migration.
import type { CalendarDate } from './dates.js';
import type { Mandate, MandateContent, Role, SignatureRecord } from './mandate.js';
import { contentHash } from './mandate.js';
import type { Party } from './party.js';

export type EventActor = { kind: 'person'; id: string } | { kind: 'system' };

export type EventBody =
  | {
      type: 'MandateProposed';
      data: {
        content: MandateContent;
        domain: string;
        initiator: Role | null;
        proposalExpiresAt: string;
        predecessorId: string | null;
        signature: SignatureRecord | null;
      };
    }
  | { type: 'MandateSigned'; data: { signature: SignatureRecord } }
  | { type: 'MandateRefused'; data: { role: Role; reason: string | null } }
  | { type: 'MandateWithdrawn'; data: { role: Role } }
  | { type: 'MandateLapsed'; data: Record<string, never> }
  | { type: 'MandateStopped'; data: { role: Role; reason: string | null } }
  | { type: 'MandateAmended'; data: { role: Role; validFrom: CalendarDate; validUntil: CalendarDate | null; signature: SignatureRecord } }
  | {
      type: 'AmendmentProposed';
      data: { role: Role; validFrom: CalendarDate; validUntil: CalendarDate | null; contentHash: string; signature: SignatureRecord };
    }
  | { type: 'AmendmentSigned'; data: { signature: SignatureRecord } }
  | { type: 'AmendmentRefused'; data: { role: Role } }
  | { type: 'AmendmentWithdrawn'; data: { role: Role } }
  | { type: 'TransferProposed'; data: { role: Role; successorId: string; newMandatee: Party } }
  | { type: 'TransferCompleted'; data: { successorId: string } }
  | { type: 'TransferCancelled'; data: { successorId: string } };

export type EventType = EventBody['type'];

export interface EventEnvelope {
  mandateId: string;
  /** The mandate's version after this event. */
  version: number;
  at: string;
  actor: EventActor;
  /** The party the actor acted for; null for system events and side effects. */
  onBehalfOf: Party | null;
}

export type MandateEvent = EventEnvelope & EventBody;

/** An event as stored in the log: its global position and its link in the hash chain. */
export type StoredEvent = MandateEvent & { seq: number; prevHash: string; hash: string };

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** Applies one event to a mandate (undefined before its first event). The projection is a fold of this. */
export function evolve(mandate: Mandate | undefined, event: MandateEvent): Mandate {
  if (event.type === 'MandateProposed') {
    const { content, domain, proposalExpiresAt, predecessorId, signature } = event.data;
    return {
      ...content,
      domain,
      status: 'pending',
      version: event.version,
      contentHash: contentHash(content),
      signatures: signature ? [signature] : [],
      pendingAmendment: null,
      proposalExpiresAt,
      predecessorId,
      successorId: null,
      createdAt: event.at,
      updatedAt: event.at,
      endedAt: null,
      endedBy: null,
      endReason: null,
    };
  }
  if (!mandate) throw new Error(`event ${event.type} before MandateProposed for ${event.mandateId}`);
  const next: Mandate = { ...mandate, version: event.version, updatedAt: event.at };
  const end = (status: Mandate['status'], by: Mandate['endedBy'], reason: string | null = null): Mandate => ({
    ...next,
    status,
    endedAt: event.at,
    endedBy: by,
    endReason: reason,
    proposalExpiresAt: null,
    pendingAmendment: null,
  });
  switch (event.type) {
    case 'MandateSigned': {
      const signatures = [...mandate.signatures, event.data.signature];
      const complete = new Set(signatures.filter((s) => s.contentHash === mandate.contentHash).map((s) => s.role)).size === 2;
      return { ...next, signatures, ...(complete ? { status: 'signed', proposalExpiresAt: null } : {}) };
    }
    case 'MandateRefused':
      return end('refused', event.data.role, event.data.reason);
    case 'MandateWithdrawn':
      return end('withdrawn', event.data.role);
    case 'MandateLapsed':
      return end('lapsed', 'system');
    case 'MandateStopped':
      return end('stopped', event.data.role, event.data.reason);
    case 'MandateAmended': {
      const amended = { ...next, validFrom: event.data.validFrom, validUntil: event.data.validUntil };
      return { ...amended, contentHash: contentHash(amended), signatures: [...mandate.signatures, event.data.signature] };
    }
    case 'AmendmentProposed':
      return {
        ...next,
        pendingAmendment: {
          validFrom: event.data.validFrom,
          validUntil: event.data.validUntil,
          proposedBy: event.data.role,
          contentHash: event.data.contentHash,
          at: event.at,
        },
        signatures: [...mandate.signatures, event.data.signature],
      };
    case 'AmendmentSigned': {
      const pending = mandate.pendingAmendment;
      if (!pending) throw new Error(`AmendmentSigned without a pending amendment on ${event.mandateId}`);
      return {
        ...next,
        validFrom: pending.validFrom,
        validUntil: pending.validUntil,
        contentHash: pending.contentHash,
        pendingAmendment: null,
        signatures: [...mandate.signatures, event.data.signature],
      };
    }
    case 'AmendmentRefused':
    case 'AmendmentWithdrawn':
      return { ...next, pendingAmendment: null };
    case 'TransferProposed':
      return { ...next, successorId: event.data.successorId };
    case 'TransferCompleted':
      return { ...end('transferred', null), successorId: event.data.successorId };
    case 'TransferCancelled':
      return { ...next, successorId: null };
    default:
      return assertNever(event);
  }
}

export const replay = (events: readonly MandateEvent[]): Mandate | undefined =>
  events.reduce<Mandate | undefined>((m, e) => evolve(m, e), undefined);
