// The change feed of one domain, as CloudEvents: what the events API returns and webhooks push.
// Each event carries the mandate's state after it, so an application can keep its own view current
// without calling back.
import { type EventType, evolve, type StoredEvent } from '../core/events.js';
import { type Mandate, type MandateStatus, type Role, signedRoles } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { BusinessStore, EventScope } from '../store/business-port.js';

/** Positions of the log scanned per feed request at most; a quiet domain moves its cursor this far per call. */
export const FEED_SCAN_WINDOW = 10_000;

export interface MandateEventData {
  seq: number;
  eventType: EventType;
  mandateId: string;
  /** The mandate's version after this event. */
  version: number;
  mandateType: string;
  domain: string;
  mandator: Party;
  mandatee: Party;
  /** The stored status after this event (the effective state follows from it and the validity). */
  status: MandateStatus;
  validFrom: string;
  validUntil: string | null;
  /** Roles whose signature covers the current content. */
  signedBy: Role[];
  pendingAmendment: { validFrom: string; validUntil: string | null; proposedBy: Role } | null;
  proposalExpiresAt: string | null;
  predecessorId: string | null;
  successorId: string | null;
  endedAt: string | null;
  endedBy: Role | 'system' | null;
}

/** A CloudEvents 1.0 event in structured JSON, as the feeds return and webhooks push. */
export interface CloudEvent<Data> {
  specversion: '1.0';
  id: string;
  source: 'ssm';
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: Data;
}

export type MandateCloudEvent = CloudEvent<MandateEventData>;

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** `MandateSigned` → `be.ssm.mandate-signed`, `TransferCompleted` → `be.ssm.transfer-completed`. */
export const cloudEventType = (type: EventType) => `be.ssm.${kebab(type)}`;

export function toCloudEvent(event: StoredEvent, after: Mandate): MandateCloudEvent {
  return {
    specversion: '1.0',
    id: `${event.seq}`,
    source: 'ssm',
    type: cloudEventType(event.type),
    time: event.at,
    subject: event.mandateId,
    datacontenttype: 'application/json',
    data: {
      seq: event.seq,
      eventType: event.type,
      mandateId: event.mandateId,
      version: event.version,
      mandateType: after.type,
      domain: after.domain,
      mandator: after.mandator,
      mandatee: after.mandatee,
      status: after.status,
      validFrom: after.validFrom,
      validUntil: after.validUntil,
      signedBy: [...signedRoles(after)].sort(),
      pendingAmendment: after.pendingAmendment
        ? {
            validFrom: after.pendingAmendment.validFrom,
            validUntil: after.pendingAmendment.validUntil,
            proposedBy: after.pendingAmendment.proposedBy,
          }
        : null,
      proposalExpiresAt: after.proposalExpiresAt,
      predecessorId: after.predecessorId,
      successorId: after.successorId,
      endedAt: after.endedAt,
      endedBy: after.endedBy,
    },
  };
}

const HISTORY_CHUNK = 500;

/** CloudEvents for stored events (in log order), each with its mandate's state right after it, from one read of their histories. */
export async function toCloudEvents(store: BusinessStore, events: readonly StoredEvent[]): Promise<MandateCloudEvent[]> {
  if (events.length === 0) return [];
  const upto = Math.max(...events.map((e) => e.seq));
  const ids = [...new Set(events.map((e) => e.mandateId))];
  const wanted = new Set(events.map((e) => e.seq));
  const stateAfter = new Map<number, Mandate>();
  for (let i = 0; i < ids.length; i += HISTORY_CHUNK) {
    const current = new Map<string, Mandate>();
    for (const e of await store.mandateHistories(ids.slice(i, i + HISTORY_CHUNK), upto)) {
      const next = evolve(current.get(e.mandateId), e);
      current.set(e.mandateId, next);
      if (wanted.has(e.seq)) stateAfter.set(e.seq, next);
    }
  }
  return events.map((e) => {
    const after = stateAfter.get(e.seq);
    if (!after) throw new Error(`no history for event ${e.seq} of mandate ${e.mandateId}`);
    return toCloudEvent(e, after);
  });
}

/** A page of the domain's feed after a cursor; `next` is the last position scanned, so quiet domains move on too. */
export async function readDomainFeed(
  store: BusinessStore,
  scope: EventScope,
  after: number,
  limit: number,
): Promise<{ events: MandateCloudEvent[]; next: number }> {
  const { events, scannedTo } = await store.domainEvents(scope, after, limit, FEED_SCAN_WINDOW);
  return { events: await toCloudEvents(store, events), next: scannedTo };
}
