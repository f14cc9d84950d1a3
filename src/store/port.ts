// The Store port: everything the application needs from persistence, the same on every dialect.
import type { EventType, MandateEvent, StoredEvent } from '../core/events.js';
import type { Mandate, MandateStatus, Role } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { BatchStore, BatchTx, ProjectionWrite, SealedEvent, TripleKey } from './batch-port.js';
import type { BusinessStore } from './business-port.js';
import type { NewNotification, NotificationStore } from './notification-port.js';
import type { RegistryStore } from './registry-port.js';
import type { SessionStore } from './session-port.js';

export interface MandateQuery {
  party: Party;
  /** Only mandates where the party has this role; both when absent. */
  role?: Role;
  status?: MandateStatus[];
  type?: string;
  /** The other party, when filtering on a counterpart. */
  counterparty?: Party;
  limit: number;
  /** Opaque cursor from the previous page. */
  after?: string;
}

/** A signed mandate's parties, type, validity and version: what the check engine indexes. */
export type SignedMandate = Pick<Mandate, 'id' | 'type' | 'domain' | 'mandator' | 'mandatee' | 'validFrom' | 'validUntil' | 'version'>;

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ChainPosition {
  seq: number;
  hash: string;
}

/** A write transaction. It holds the log's write lock: writers are serialized, so sequence order is commit order. */
export interface WriteTx {
  /** The log's head as this transaction sees it (it moves with each append). */
  readonly position: ChainPosition;
  getMandate(id: string): Promise<Mandate | undefined>;
  getMandates(ids: readonly string[]): Promise<Mandate[]>;
  /** Mandates of one (mandator, mandatee, type), any status: the no-duplicate rule filters them. */
  sameTriple(mandator: Party, mandatee: Party, type: string): Promise<Mandate[]>;
  /** Appends events to the log (chained) and updates the projection, compare-and-set on each mandate's version. */
  append(events: readonly MandateEvent[]): Promise<StoredEvent[]>;
  /** Mandates of any of these triples, any status, in few queries (a bulk chunk's no-duplicate candidates). */
  sameTriples(keys: readonly TripleKey[]): Promise<Mandate[]>;
  /** Bulk jobs, in this transaction: a chunk's outcomes commit with its events. */
  readonly batches: BatchTx;
  /** The bulk path of `append`: events sealed and serialized by the caller; returns their positions. */
  appendSealed(entries: readonly SealedEvent[]): Promise<number[]>;
  /** The bulk path's projection: the rows of the mandates a chunk changed (compare-and-set on existing ones). */
  writeProjections(entries: readonly ProjectionWrite[]): Promise<void>;
  /** Queues notifications in the same transaction as the events that cause them (the outbox). */
  enqueueNotifications(rows: readonly NewNotification[]): Promise<void>;
}

export class VersionConflictError extends Error {
  constructor(readonly mandateId: string) {
    super(`mandate ${mandateId} changed concurrently`);
  }
}

export interface Representation {
  enterpriseId: string;
  personId: string;
  source: string;
}

export interface Executor {
  enterpriseId: string;
  personId: string;
  type: string;
}

/** A service signing key; the private half never leaves the store and the app. */
export interface SigningKey {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: string;
  retiredAt: string | null;
}

export interface IdempotentAnswer {
  fingerprint: string;
  status: number | null;
  headers: Record<string, string>;
  body: string | null;
}

/** What housekeeping may delete: rows that have served their purpose, never the event log or a mandate. */
export interface PruneCutoffs {
  /** Idempotency keys first used before this instant (their replay window is over). */
  idempotencyBefore: string;
  /** Webhook deliveries and e-mail messages that ended (delivered, sent or dead) created before this instant. */
  finishedBefore: string;
  /** Sessions and pending sign-ins that expired before this instant. */
  expiredBefore: string;
}

export interface PruneCounts {
  idempotencyKeys: number;
  sessions: number;
  pendingLogins: number;
  webhookDeliveries: number;
  mailMessages: number;
}

/** What another thread of this process is given to open the same database beside a store (a structured clone). */
export interface ThreadShare {
  /** SQLite: the lock the process's connections take in turn before writing (write-lock.ts). */
  writeLock: SharedArrayBuffer;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Set where a thread opening the same database must share something with this store (SQLite's write lock). */
  readonly threadShare?: ThreadShare;
  /** Sign-in sessions, pending logins and sign-in secrets. */
  readonly sessions: SessionStore;
  /** Business applications: API clients, webhooks and their delivery outbox, the domain change feed. */
  readonly business: BusinessStore;
  /** Bulk jobs: their items and per-item outcomes. */
  readonly batches: BatchStore;
  /** Contact details, the notification outbox and inbox, e-mail messages and reminders. */
  readonly notifications: NotificationStore;
  /** Representatives and executors, and the record of their changes. */
  readonly registry: RegistryStore;
  migrate(): Promise<void>;
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  getMandate(id: string): Promise<Mandate | undefined>;
  listMandates(query: MandateQuery): Promise<Page<Mandate>>;
  /** All mandates in id order, a page at a time (index builds, audits). */
  scanMandates(afterId: string | null, limit: number): Promise<Mandate[]>;
  /** The signed mandates in id order, a page at a time, with only what the check engine indexes (a fraction of a row's cost to read). */
  scanSignedMandates(afterId: string | null, limit: number): Promise<SignedMandate[]>;
  /** How many mandates are signed (the check engine sizes its index once, before it scans them). */
  countSignedMandates(): Promise<number>;
  /** The current rows of some mandates (any order; unknown ids are left out). The check engine re-reads what events touched. */
  getMandates(ids: readonly string[]): Promise<Mandate[]>;
  /** Mandates of one (mandator, mandatee, type), any status, outside a write transaction (direct checks). */
  mandatesOfTriple(mandator: Party, mandatee: Party, type: string): Promise<Mandate[]>;
  /** All representatives in (enterprise, person) order, a page at a time, after the given one. */
  scanRepresentatives(after: { enterpriseId: string; personId: string } | null, limit: number): Promise<Representation[]>;
  /** All executors in (enterprise, person, type) order, a page at a time, after the given one. */
  scanExecutors(after: Executor | null, limit: number): Promise<Executor[]>;
  /** Ids of pending proposals whose proposal period ended at or before `now`, oldest first. */
  dueProposals(now: string, limit: number): Promise<string[]>;
  /** The history of one mandate, oldest first. */
  mandateEvents(mandateId: string): Promise<StoredEvent[]>;
  /** Events after a position in the global log, in order. */
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** Only the position and mandate of the events after a position, in order: which rows changed, at a fraction of readEvents' cost. */
  eventPositions(afterSeq: number, limit: number): Promise<{ seq: number; mandateId: string; type: EventType }[]>;
  head(): Promise<ChainPosition>;
  /** Enterprises this person may represent. */
  enterprisesRepresentedBy(personId: string): Promise<string[]>;
  /** Adds representatives (recorded as registry changes by `actor`); returns how many were new. */
  addRepresentatives(rows: readonly Representation[], actor?: string): Promise<number>;
  removeRepresentative(enterpriseId: string, personId: string, actor?: string): Promise<boolean>;
  /** An enterprise's executors, by person and type. */
  executorsOf(enterpriseId: string): Promise<Executor[]>;
  addExecutors(rows: readonly Executor[], actor?: string): Promise<number>;
  /** Records the catalogue version in use (idempotent). */
  recordCatalogue(version: string, content: string): Promise<void>;
  /** All signing keys, newest first; retired ones stay so old signatures remain verifiable. */
  signingKeys(): Promise<SigningKey[]>;
  /** Adds a key and retires the others, in one transaction. */
  rotateSigningKey(key: SigningKey): Promise<void>;
  /** Reserves an idempotency key; false if it is taken (then `findIdempotent` tells by what). */
  reserveIdempotent(scope: string, key: string, fingerprint: string): Promise<boolean>;
  /** Deletes what has served its purpose (see PruneCutoffs) and says how much of each. */
  prune(cutoffs: PruneCutoffs): Promise<PruneCounts>;
  findIdempotent(scope: string, key: string): Promise<IdempotentAnswer | undefined>;
  /** Stores the answer of a reserved key, or releases it (answer null) so a retry can run. */
  settleIdempotent(
    scope: string,
    key: string,
    answer: { status: number; headers: Record<string, string>; body: string } | null,
  ): Promise<void>;
  /** Copies the database to a file while it serves (SQLite only). */
  backup(file: string): Promise<void>;
  /** Cheap liveness query for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
