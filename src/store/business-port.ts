// The store port of the business-application side: API clients, webhooks, the webhook delivery
// outbox, and the domain-filtered reading of the event log. Same behaviour on every dialect.
import type { StoredEvent } from '../core/events.js';

/** The dispatcher's cursor in `feed_cursors`: events up to it have been fanned out to webhooks. */
export const WEBHOOK_FEED = 'webhooks';

export interface ApiClient {
  id: string;
  name: string;
  domain: string;
  /** The types it may see, or null for every type of its domain. */
  types: string[] | null;
  secretHash: string;
  /** The secret the last rotation replaced and the end of its overlap (which may have passed); null when it ended at once. */
  previousSecret: { hash: string; until: string } | null;
  /** When the secret was last replaced; access tokens issued before are refused once the overlap ends. */
  secretRotatedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** Requests per second; null for no quota. */
  quotaPerSecond: number | null;
}

export interface Webhook {
  id: string;
  clientId: string;
  url: string;
  secret: string;
  /** Receives the events after this position of the log (the head when it was added). */
  afterSeq: number;
  createdAt: string;
  disabledAt: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  seq: number;
  mandateId: string;
  /** Attempts started so far (counted when claimed, so a crash mid-flight counts too). */
  attempts: number;
  nextAttemptAt: string;
  status: DeliveryStatus;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** A delivery claimed for an attempt, with what is needed to make it. */
export interface ClaimedDelivery extends WebhookDelivery {
  url: string;
  secret: string;
  /** False when the webhook was disabled or its client revoked since the delivery was planned. */
  active: boolean;
}

/** An event's position with what fan-out routes on (a mandate's domain and type never change). */
export interface ScopedEvent {
  seq: number;
  mandateId: string;
  domain: string;
  type: string;
}

/** An active webhook of an active client, with the client's scope. */
export interface ActiveWebhook {
  id: string;
  clientId: string;
  afterSeq: number;
  domain: string;
  types: string[] | null;
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  seq: number;
  mandateId: string;
}

export type DeliveryOutcome =
  | { status: 'delivered'; at: string }
  | { status: 'pending'; nextAttemptAt: string; error: string }
  | { status: 'dead'; error: string };

export interface EventScope {
  domain: string;
  types: readonly string[] | null;
}

export type ClientChangeAction =
  | 'client-created'
  | 'client-revoked'
  | 'secret-rotated'
  | 'quota-set'
  | 'webhook-added'
  | 'webhook-disabled'
  | 'deliveries-redelivered';

/** Who acts, and when: each change to a client or webhook records it, in the same transaction. */
export interface ChangeStamp {
  /** The record's id (UUIDv7, so records sort in the order they were made). */
  id: string;
  at: string;
  actor: string;
}

/** One operator action on a business application's access. */
export interface ClientChange extends ChangeStamp {
  clientId: string;
  webhookId: string | null;
  action: ClientChangeAction;
  /** What changed (no secret, nor its hash), or null. */
  details: Record<string, unknown> | null;
}

export interface BusinessStore {
  createClient(client: ApiClient, stamp: ChangeStamp): Promise<void>;
  getClient(id: string): Promise<ApiClient | undefined>;
  listClients(): Promise<ApiClient[]>;
  /** Marks the client revoked (and keeps it, for the record); false if unknown or already revoked. */
  revokeClient(id: string, stamp: ChangeStamp): Promise<boolean>;
  setClientQuota(id: string, perSecond: number | null, stamp: ChangeStamp): Promise<boolean>;
  /**
   * Replaces an active client's secret; the one it replaces stays accepted until `previousUntil` (none
   * when null), and one replaced before that is dropped. False if unknown or revoked.
   */
  rotateClientSecret(id: string, secretHash: string, previousUntil: string | null, stamp: ChangeStamp): Promise<boolean>;
  /** The recorded changes, of one client or of all, newest first. */
  clientChanges(filter: { clientId?: string; limit: number }): Promise<ClientChange[]>;

  /** Adds a webhook receiving the events committed from now on (serialized with fan-out, so none falls between). */
  addWebhook(webhook: Omit<Webhook, 'afterSeq' | 'disabledAt'>, stamp: ChangeStamp): Promise<Webhook>;
  listWebhooks(clientId?: string): Promise<Webhook[]>;
  disableWebhook(id: string, stamp: ChangeStamp): Promise<boolean>;
  listDeliveries(filter: { status?: DeliveryStatus; webhookId?: string; limit: number }): Promise<WebhookDelivery[]>;
  /**
   * Gives dead deliveries of a webhook (all of them, or the named ones) a fresh set of tries, due at the
   * stamp's instant. All or nothing: when a named delivery is not a dead one of this webhook, nothing
   * changes (nor is recorded) and `notDead` names it.
   */
  redeliverDead(webhookId: string, stamp: ChangeStamp, deliveryIds?: readonly string[]): Promise<{ requeued: number; notDead: string[] }>;
  /**
   * Deliveries to active webhooks of active clients: how many wait (pending) and how many were given up
   * on (dead), and since when the most overdue one has been due (null when none is due by `now`).
   */
  deliveryBacklog(now: string): Promise<{ pending: number; dead: number; oldestDueAt: string | null }>;

  /**
   * Events of one domain (and types) after a position, in order. Scans at most `window` positions of the
   * log; `scannedTo` is the last position looked at (matching or not), the cursor to continue from.
   */
  domainEvents(scope: EventScope, afterSeq: number, limit: number, window: number): Promise<{ events: StoredEvent[]; scannedTo: number }>;
  /** The events at these positions, in order. */
  eventsAt(seqs: readonly number[]): Promise<StoredEvent[]>;
  /** The events of these mandates up to a position, in order (to know each mandate's state after an event). */
  mandateHistories(mandateIds: readonly string[], uptoSeq: number): Promise<StoredEvent[]>;

  /**
   * Fans the next events out to webhooks: claims the named cursor (skipping if another instance holds it),
   * reads up to `batch` events after it, asks `plan` which deliveries they make, inserts those (due at `at`)
   * and advances the cursor, all in one transaction. `claimed` is false when another instance was doing it.
   */
  fanOut(
    cursor: string,
    batch: number,
    at: string,
    plan: (events: ScopedEvent[], webhooks: ActiveWebhook[]) => NewDelivery[],
  ): Promise<{ claimed: boolean; events: number; deliveries: number; cursor: number }>;
  /**
   * Claims due deliveries (pending, next attempt due, no earlier pending delivery of the same webhook and
   * mandate), counts an attempt and leases them until `leaseUntil`, so no other instance takes them meanwhile.
   */
  claimDeliveries(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]>;
  /** Records the outcome of a claimed attempt; ignored if the claim was lost (another attempt started since). */
  settleDelivery(delivery: Pick<WebhookDelivery, 'id' | 'attempts'>, outcome: DeliveryOutcome): Promise<boolean>;
}
