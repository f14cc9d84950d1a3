// The store port of bulk jobs: a job, its items as submitted and the outcome of each processed item.
// Outcomes of a chunk are written inside the chunk's write transaction (`WriteTx.batches`), with its events.
import type { MandateEvent } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';

export const BATCH_STATUSES = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;
/** `receiving` is internal: the items are still being stored and nobody sees the job yet. */
export type BatchStatus = (typeof BATCH_STATUSES)[number] | 'receiving';
export type ItemOutcome = 'done' | 'refused' | 'skipped';

export interface BatchJob {
  id: string;
  owner: string;
  onBehalfOf: Party | null;
  kind: string;
  source: string;
  fileName: string | null;
  status: BatchStatus;
  authTime: string;
  authLevel: string | null;
  total: number;
  processed: number;
  done: number;
  refused: number;
  skipped: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  failures: number;
  error: string | null;
}

export interface BatchItem {
  seq: number;
  row: number | null;
  line: number | null;
  /** The operation as JSON text (parsed by the application). */
  operation: string;
}

export interface BatchResult {
  seq: number;
  outcome: ItemOutcome;
  mandateId: string | null;
  relatedId: string | null;
  cursor: number | null;
  code: string | null;
  field: string | null;
  message: string | null;
  details: Record<string, unknown> | null;
}

/** An item with its outcome, if it has one yet. */
export interface BatchItemView extends BatchItem {
  result: BatchResult | null;
}

export interface TripleKey {
  mandator: Party;
  mandatee: Party;
  type: string;
}

/**
 * An event sealed by the application for the bulk path: its canonical JSON around the position the log
 * gives it (chain hash = SHA-256(prev + "\n" + head + seq + tail)) and its stored `data` column.
 */
export interface SealedEvent {
  event: MandateEvent;
  head: string;
  tail: string;
  data: string;
}

/** A mandate's row after a chunk: inserted when new, else compare-and-set on the version the chunk read. */
export interface ProjectionWrite {
  mandate: Mandate;
  lastSeq: number;
  /** The version the chunk read, or null for a mandate the chunk created. */
  expectedVersion: number | null;
}

/** What a processed chunk changes on its job, committed with the chunk's events. */
export interface ChunkSettlement {
  /** The job's `processed` before the chunk: the chunk applies only if the job is still there (exactly once). */
  from: number;
  results: readonly BatchResult[];
  /** Also done when the job is finished by this chunk. */
  finishedAt: string | null;
  leaseOwner: string;
  leaseExpiresAt: string;
}

/** Batch operations inside a write transaction (serialized with every other writer). */
export interface BatchTx {
  job(id: string): Promise<BatchJob | undefined>;
  /** Records a chunk's outcomes and advances the job; false if the job moved on, was cancelled or lost its lease. */
  settleChunk(jobId: string, settlement: ChunkSettlement): Promise<boolean>;
  /** Ends a job: every item without an outcome is recorded as skipped. */
  finish(jobId: string, status: 'done' | 'cancelled' | 'failed', at: string, error?: string | null): Promise<void>;
}

export interface NewBatchJob {
  id: string;
  owner: string;
  onBehalfOf: Party | null;
  kind: string;
  source: string;
  fileName: string | null;
  authTime: string;
  authLevel: string | null;
  createdAt: string;
}

export interface BatchStore {
  /** Starts a job in `receiving`: invisible and not claimable until `seal`. */
  open(job: NewBatchJob): Promise<void>;
  addItems(jobId: string, items: readonly BatchItem[]): Promise<void>;
  /**
   * Makes a received job visible with its item count: queued, or already running for `runner` (a job
   * processed in the request that submitted it). False if it no longer exists.
   */
  seal(jobId: string, total: number, runner?: { worker: string; now: string; leaseUntil: string }): Promise<boolean>;
  /** Removes a job and everything of it (a refused upload). */
  discard(jobId: string): Promise<void>;
  get(jobId: string): Promise<BatchJob | undefined>;
  /** The owner's jobs, newest first, keyset-paginated by id. */
  list(owner: string, limit: number, beforeId?: string): Promise<BatchJob[]>;
  /** Items from a position, in order, with their outcome. */
  items(jobId: string, afterSeq: number, limit: number, outcome?: ItemOutcome | 'pending'): Promise<BatchItemView[]>;
  /** Items without an outcome from a position, for processing. */
  pendingItems(jobId: string, fromSeq: number, limit: number): Promise<BatchItem[]>;
  /** Whether there is a job to claim (a plain read: an idle poller takes no lock). */
  claimable(now: string): Promise<boolean>;
  /**
   * Claims one job to work on: a queued one, or a running one whose lease expired (its worker died).
   * On PostgreSQL concurrent claimers skip each other's rows (FOR UPDATE SKIP LOCKED).
   */
  claim(worker: string, now: string, leaseUntil: string): Promise<BatchJob | undefined>;
  /** Gives a job back (worker stopping), so another can claim it at once. */
  release(jobId: string, worker: string): Promise<void>;
  /** Counts a failed attempt at the current chunk; returns the count. */
  recordFailure(jobId: string, worker: string, error: string): Promise<number>;
  /** Jobs still `receiving` since before this instant (uploads that died) are removed. */
  discardStale(before: string): Promise<number>;
  /**
   * While a job writes chunk after chunk: on SQLite, the write-ahead log is checkpointed by a thread of its
   * own instead of by the committing writer (whose thread would stall on the checkpoint's fsyncs); on
   * PostgreSQL nothing changes.
   */
  bulkWrites(on: boolean): Promise<void>;
  /** Mandates of any of these (mandator, mandatee, type) triples, any status, outside a write transaction (dry runs). */
  sameTriples(keys: readonly TripleKey[]): Promise<Mandate[]>;
}
