// Who may act inside an enterprise, as a feed for business applications: an enterprise mandatee's
// mandates are carried out by its representatives (every type but the sensitive ones) and by the
// executors it names per type (DESIGN.md §3). An application that keeps its own view of who may act
// follows this beside the mandate feed. It shows the changes of enterprises that hold mandates of the
// application's types (their representatives, and their executors of those types); never who made a change.
import type { CatalogueIndex } from '../core/catalogue.js';
import type { EventScope } from '../store/business-port.js';
import type { ActingPersons, RegistryChange, RegistryStore } from '../store/registry-port.js';
import { type CloudEvent, FEED_SCAN_WINDOW } from './change-feed.js';

export interface RegistryEventData {
  seq: number;
  role: RegistryChange['role'];
  change: RegistryChange['change'];
  enterprise: string;
  person: string;
  /** The mandate type an executor gains or loses; null for a representative (every type but the sensitive ones). */
  type: string | null;
}

/** Its id is `registry-<position>` (apart from the mandate feed's ids) and its subject the enterprise number. */
export type RegistryCloudEvent = CloudEvent<RegistryEventData>;

export function toRegistryCloudEvent(c: RegistryChange): RegistryCloudEvent {
  return {
    specversion: '1.0',
    id: `registry-${c.seq}`,
    source: 'ssm',
    type: `be.ssm.${c.role}-${c.change}`,
    time: c.at,
    subject: c.enterpriseId,
    datacontenttype: 'application/json',
    data: { seq: c.seq, role: c.role, change: c.change, enterprise: c.enterpriseId, person: c.personId, type: c.type },
  };
}

/** The mandate types an application sees: its own, or every type of its domain. */
const typesOf = (catalogue: Pick<CatalogueIndex, 'types'>, scope: EventScope) =>
  scope.types ?? catalogue.types.filter((t) => t.domain === scope.domain).map((t) => t.id);

/** A page of the record after a cursor, as an application of this domain (and types) may see it. */
export async function readRegistryFeed(
  store: RegistryStore,
  catalogue: Pick<CatalogueIndex, 'types'>,
  scope: EventScope,
  after: number,
  limit: number,
): Promise<{ events: RegistryCloudEvent[]; next: number }> {
  const { changes, scannedTo } = await store.visibleChangesAfter(after, typesOf(catalogue, scope), limit, FEED_SCAN_WINDOW);
  return { events: changes.map(toRegistryCloudEvent), next: scannedTo };
}

/** Where to start following an enterprise: who may act inside it now, and the feed's cursor to continue from. */
export function actingPersonsOf(
  store: RegistryStore,
  catalogue: Pick<CatalogueIndex, 'types'>,
  scope: EventScope,
  enterpriseId: string,
): Promise<ActingPersons | undefined> {
  return store.actingPersons(enterpriseId, typesOf(catalogue, scope));
}
