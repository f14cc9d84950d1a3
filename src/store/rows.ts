// Mapping between domain objects and rows; the only place that knows column names.
import type { Insertable, Selectable } from 'kysely';
import type { EventActor, MandateEvent, StoredEvent } from '../core/events.js';
import type { Mandate, MandateStatus, Role } from '../core/mandate.js';
import type { Language, Party, PartyKind } from '../core/party.js';
import type { EventsTable, MandatesTable } from './schema.js';

export function mandateToRow(m: Mandate, lastSeq: number): Insertable<MandatesTable> {
  return {
    id: m.id,
    type: m.type,
    domain: m.domain,
    mandator_kind: m.mandator.kind,
    mandator_id: m.mandator.id,
    mandatee_kind: m.mandatee.kind,
    mandatee_id: m.mandatee.id,
    valid_from: m.validFrom,
    valid_until: m.validUntil,
    reference: m.reference,
    language: m.language,
    status: m.status,
    version: m.version,
    content_hash: m.contentHash,
    signatures: JSON.stringify(m.signatures),
    pending_amendment: m.pendingAmendment ? JSON.stringify(m.pendingAmendment) : null,
    proposal_expires_at: m.proposalExpiresAt,
    predecessor_id: m.predecessorId,
    successor_id: m.successorId,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    ended_at: m.endedAt,
    ended_by: m.endedBy,
    end_reason: m.endReason,
    last_seq: lastSeq,
  };
}

export function rowToMandate(r: Selectable<MandatesTable>): Mandate {
  return {
    id: r.id,
    type: r.type,
    domain: r.domain,
    mandator: { kind: r.mandator_kind as PartyKind, id: r.mandator_id },
    mandatee: { kind: r.mandatee_kind as PartyKind, id: r.mandatee_id },
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    reference: r.reference,
    language: r.language as Language,
    status: r.status as MandateStatus,
    version: Number(r.version),
    contentHash: r.content_hash,
    signatures: JSON.parse(r.signatures),
    pendingAmendment: r.pending_amendment ? JSON.parse(r.pending_amendment) : null,
    proposalExpiresAt: r.proposal_expires_at,
    predecessorId: r.predecessor_id,
    successorId: r.successor_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by as Role | 'system' | null,
    endReason: r.end_reason,
  };
}

export function eventToRow(e: MandateEvent, seq: number, prevHash: string, hash: string): EventsTable {
  return {
    seq,
    mandate_id: e.mandateId,
    version: e.version,
    type: e.type,
    at: e.at,
    actor: JSON.stringify(e.actor),
    on_behalf_of: e.onBehalfOf ? JSON.stringify(e.onBehalfOf) : null,
    data: JSON.stringify(e.data),
    prev_hash: prevHash,
    hash,
  };
}

export function rowToEvent(r: Selectable<EventsTable>): StoredEvent {
  return {
    seq: Number(r.seq),
    mandateId: r.mandate_id,
    version: Number(r.version),
    type: r.type,
    at: r.at,
    actor: JSON.parse(r.actor) as EventActor,
    onBehalfOf: r.on_behalf_of ? (JSON.parse(r.on_behalf_of) as Party) : null,
    data: JSON.parse(r.data),
    prevHash: r.prev_hash,
    hash: r.hash,
  } as StoredEvent;
}
