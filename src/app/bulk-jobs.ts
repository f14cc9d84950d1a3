// Bulk jobs: stored (job and items) before any work starts, then processed in chunks, each chunk in
// its own write transaction that commits the chunk's events, projection and item outcomes together.
// A job restarted after a crash resumes after its last committed chunk; no item is applied twice.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MandateEvent, StoredEvent } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { BatchJob, BatchResult } from '../store/batch-port.js';
import type { WriteTx } from '../store/port.js';
import { ChunkState, decideChunk, type JobActor } from './bulk-chunk.js';
import { type BulkOperation, type ItemProblem, signsSomething } from './bulk-operations.js';
import { inlineSealer, type Sealer, sealingKey, threadSealer } from './bulk-seal.js';
import type { SealedParts } from './bulk-seal-core.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';
import { enqueueNotifications } from './notifications/enqueue.js';

/** The most items one job may carry. */
export const MAX_ITEMS = 100_000;
/** Items stored per insert while a job is received. */
const RECEIVE_SLICE = 2000;
/** Failed attempts at one chunk before the job is marked failed. */
const MAX_FAILURES = 3;

export type Person = { kind: 'person'; id: string; authTime: string; authLevel: string | null };

export interface JobRequest {
  actor: Person;
  /** The party acted for when an item names none; the person themself when null. */
  onBehalfOf: Party | null;
  kind: string;
  source: 'json' | 'csv' | 'cli';
  fileName?: string | null;
}

/** One item as submitted: the operation and, for CSV, where it was in the file. */
export interface ItemInput {
  row: number | null;
  line: number | null;
  op: BulkOperation;
}

/** Why a whole job is refused (the HTTP status it maps to, a stable code, the field at fault). */
export interface JobRefusal {
  status: number;
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

/** Thrown by an item source (the CSV reader) when the input as a whole cannot be read. */
export class JobInputError extends Error {
  constructor(readonly refusal: JobRefusal) {
    super(refusal.message);
  }
}

export interface ProcessOptions {
  chunkSize: number;
  leaseMs: number;
  onProgress?: (job: BatchJob) => void;
  signal?: AbortSignal;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** May this person act for this party (themself, or an enterprise they represent)? */
export async function checkOnBehalfOf(app: AppContext, actor: Person, as: Party | null): Promise<JobRefusal | undefined> {
  if (!as || (as.kind === 'person' && as.id === actor.id)) return undefined;
  if (as.kind === 'enterprise' && (await app.store.enterprisesRepresentedBy(actor.id)).includes(as.id)) return undefined;
  return {
    status: 403,
    code: 'ACTOR_NOT_REPRESENTATIVE',
    message: 'You may act only for yourself or for an enterprise you represent.',
    field: 'onBehalfOf',
  };
}

function authTooOld(app: AppContext, actor: Person): JobRefusal | undefined {
  const age = (app.now().getTime() - Date.parse(actor.authTime)) / 1000;
  if (age <= app.policy.signMaxAgeSeconds) return undefined;
  return {
    status: 401,
    code: 'SIGNATURE_AUTH_TOO_OLD',
    message: 'This job signs: it needs a recent sign-in. Authenticate again and resubmit.',
    details: { maxAgeSeconds: app.policy.signMaxAgeSeconds },
  };
}

/**
 * Stores a job and all its items, then makes it visible: queued for a worker, or already running for
 * `runner` (a small job processed at once). Items are read from the source as they come (a CSV stream).
 */
export async function storeJob(
  app: AppContext,
  req: JobRequest,
  items: AsyncIterable<ItemInput> | Iterable<ItemInput>,
  /** `runner` takes the job at once (to process it in this request) if it has at most `inlineMax` items. */
  options: { runner?: { worker: string; leaseMs: number; inlineMax?: number } } = {},
): Promise<{ ok: true; job: BatchJob } | { ok: false; refusal: JobRefusal }> {
  const notAllowed = await checkOnBehalfOf(app, req.actor, req.onBehalfOf);
  if (notAllowed) return { ok: false, refusal: notAllowed };
  const id = uuidv7();
  await app.store.batches.open({
    id,
    owner: req.actor.id,
    onBehalfOf: req.onBehalfOf,
    kind: req.kind,
    source: req.source,
    fileName: req.fileName ?? null,
    authTime: req.actor.authTime,
    authLevel: req.actor.authLevel,
    createdAt: app.now().toISOString(),
  });
  let total = 0;
  let signs = false;
  try {
    let slice: { seq: number; row: number | null; line: number | null; operation: string }[] = [];
    for await (const item of items) {
      if (total >= MAX_ITEMS) {
        throw new JobInputError({
          status: 413,
          code: 'CSV_TOO_MANY_ROWS',
          message: `A job has at most ${MAX_ITEMS} operations; split the file.`,
          details: { max: MAX_ITEMS },
        });
      }
      signs ||= signsSomething(item.op);
      slice.push({ seq: total, row: item.row, line: item.line, operation: JSON.stringify(item.op) });
      total += 1;
      if (slice.length >= RECEIVE_SLICE) {
        await app.store.batches.addItems(id, slice);
        slice = [];
      }
    }
    await app.store.batches.addItems(id, slice);
  } catch (error) {
    await app.store.batches.discard(id);
    if (error instanceof JobInputError) return { ok: false, refusal: error.refusal };
    throw error;
  }
  const stale = signs ? authTooOld(app, req.actor) : undefined;
  if (stale) {
    await app.store.batches.discard(id);
    return { ok: false, refusal: stale };
  }
  const runner = options.runner && total <= (options.runner.inlineMax ?? Number.POSITIVE_INFINITY) ? options.runner : undefined;
  const now = Date.now();
  await app.store.batches.seal(id, total, runner && { worker: runner.worker, now: iso(now), leaseUntil: iso(now + runner.leaseMs) });
  if (total === 0) await app.store.write((tx) => tx.batches.finish(id, 'done', app.now().toISOString()));
  return { ok: true, job: (await app.store.batches.get(id)) as BatchJob };
}

/** The person a job acts as; freshness of the sign-in is judged at submission, when they consented. */
export function jobActor(app: AppContext, job: BatchJob, represents: ReadonlySet<string>, now: Date): JobActor {
  const waited = Math.max(0, (now.getTime() - Date.parse(job.createdAt)) / 1000);
  return {
    actor: { kind: 'person', id: job.owner, authTime: job.authTime, authLevel: job.authLevel },
    defaultAs: job.onBehalfOf ?? { kind: 'person', id: job.owner },
    represents,
    policy: { ...app.policy, signMaxAgeSeconds: app.policy.signMaxAgeSeconds + waited },
  };
}

const asResult = (seq: number, p: ItemProblem): BatchResult => ({
  seq,
  outcome: 'refused',
  mandateId: null,
  relatedId: null,
  cursor: null,
  code: p.code,
  field: p.field ?? null,
  message: p.message,
  details: p.details ?? null,
});

class ChunkAbandoned extends Error {}

/** Items of a job's first chunk. */
const FIRST_CHUNK = 100;

/** Events are sealed in slices, so the first ones are signed while later items are still being decided. */
const SEAL_SLICE = 200;

/** Decides, seals and commits one chunk; false if the job is no longer this worker's to advance. */
async function runChunk(
  app: AppContext,
  jobId: string,
  from: number,
  worker: string,
  options: ProcessOptions,
  sealer: Sealer,
  represents: ReadonlySet<string>,
): Promise<boolean> {
  // The first chunk is small, so progress shows at once.
  const size = from === 0 ? Math.min(options.chunkSize, FIRST_CHUNK) : options.chunkSize;
  const items = await app.store.batches.pendingItems(jobId, from, size);
  if (items.length === 0) throw new Error(`job ${jobId} has no item at ${from}`);
  try {
    return await app.store.write(async (tx: WriteTx) => {
      const job = await tx.batches.job(jobId);
      if (job?.status !== 'running' || job.leaseOwner !== worker || job.processed !== from) return false;
      const now = app.now();
      const operations = items.map((it) => JSON.parse(it.operation) as BulkOperation);
      const state = new ChunkState();
      const slices: { events: MandateEvent[]; sealed: Promise<SealedParts[]> }[] = [];
      let slice: MandateEvent[] = [];
      const flush = () => {
        if (slice.length === 0) return;
        slices.push({ events: slice, sealed: sealer.seal(slice) });
        slice = [];
      };
      // Index (in the chunk's events) of each item's last event, or -1 for a refused item.
      const lastEvent: number[] = [];
      let count = 0;
      const decisions = await decideChunk(app, tx, operations, jobActor(app, job, represents, now), state, now, (i, d) => {
        if (!d.ok) {
          lastEvent[i] = -1;
          return;
        }
        slice.push(...d.events);
        count += d.events.length;
        lastEvent[i] = count - 1;
        if (slice.length >= SEAL_SLICE) flush();
      });
      flush();
      const seqs: number[] = [];
      const lastSeq = new Map<string, number>();
      for (const { events, sealed } of slices) {
        const parts = await sealed;
        const positions = await tx.appendSealed(events.map((event, j) => ({ event, ...(parts[j] as SealedParts) })));
        events.forEach((e, j) => {
          lastSeq.set(e.mandateId, positions[j] as number);
          (e as MandateEvent & { seq?: number }).seq = positions[j];
        });
        seqs.push(...positions);
        // Between slices, requests waiting on this thread (checks, progress polls) are served.
        await yieldToEventLoop();
      }
      await yieldToEventLoop();
      await tx.writeProjections(
        [...lastSeq].map(([id, seq]) => ({
          mandate: state.mandates.get(id) as Mandate,
          lastSeq: seq,
          expectedVersion: state.storedVersions.get(id) ?? null,
        })),
      );
      // The outbox: what the chunk's events tell people is committed with them (digests are made from it).
      const logged = slices.flatMap((s) => s.events) as (MandateEvent & { seq: number })[];
      await yieldToEventLoop();
      await enqueueNotifications(app, tx, logged as unknown as StoredEvent[], state.mandates);
      await yieldToEventLoop();
      const results = decisions.map((d, i): BatchResult => {
        const seq = (items[i] as { seq: number }).seq;
        if (!d.ok) return asResult(seq, d.problem);
        const cursor = seqs[lastEvent[i] as number] as number;
        return {
          seq,
          outcome: 'done',
          mandateId: d.mandateId,
          relatedId: d.relatedId,
          cursor,
          code: null,
          field: null,
          message: null,
          details: null,
        };
      });
      const finished = from + items.length >= job.total;
      const settled = await tx.batches.settleChunk(jobId, {
        from,
        results,
        finishedAt: finished ? now.toISOString() : null,
        leaseOwner: worker,
        leaseExpiresAt: iso(Date.now() + options.leaseMs),
      });
      if (!settled) throw new ChunkAbandoned();
      return true;
    });
  } catch (error) {
    if (error instanceof ChunkAbandoned) return false;
    throw error;
  }
}

/** Jobs with fewer items left than this are sealed inline: starting worker threads would cost more. */
const THREADS_FROM = 2000;

/**
 * Processes a job this worker holds (status running, lease ours) until it is done, cancelled, taken
 * over by another worker, or the signal stops it (the job is then released for another to resume).
 */
export async function processJob(app: AppContext, jobId: string, worker: string, options: ProcessOptions): Promise<BatchJob | undefined> {
  let job = await app.store.batches.get(jobId);
  if (!job) return undefined;
  const key = await sealingKey(app);
  const large = job.total - job.processed >= THREADS_FROM;
  // Sealing threads start after the first chunk: booting them competes for the CPU the first progress needs.
  let sealer: Sealer = inlineSealer(key);
  if (large) await app.store.batches.bulkWrites(true);
  try {
    while (job && job.status === 'running' && job.leaseOwner === worker) {
      if (job.processed >= job.total) {
        await app.store.write((tx) => tx.batches.finish(jobId, 'done', app.now().toISOString()));
      } else if (options.signal?.aborted) {
        await app.store.batches.release(jobId, worker);
        return app.store.batches.get(jobId);
      } else {
        try {
          const represents = new Set(await app.store.enterprisesRepresentedBy(job.owner));
          if (!(await runChunk(app, jobId, job.processed, worker, options, sealer, represents))) return app.store.batches.get(jobId);
          if (large && job.processed === 0) sealer = threadSealer(key);
        } catch (error) {
          const failures = await app.store.batches.recordFailure(jobId, worker, (error as Error).message.slice(0, 500));
          if (failures >= MAX_FAILURES) {
            await app.store.write((tx) =>
              tx.batches.finish(jobId, 'failed', app.now().toISOString(), 'The job failed repeatedly on our side.'),
            );
          } else {
            await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** failures));
          }
        }
      }
      job = await app.store.batches.get(jobId);
      if (job) options.onProgress?.(job);
      // Let requests (progress polls, checks) in between chunks.
      await yieldToEventLoop();
    }
    return job;
  } finally {
    await sealer.close();
    if (large) await app.store.batches.bulkWrites(false);
  }
}

/** Cancels a job of this person that has not ended: items without an outcome are recorded as skipped. */
export async function cancelJob(app: AppContext, owner: string, jobId: string): Promise<{ job: BatchJob; cancelled: boolean } | undefined> {
  return app.store.write(async (tx) => {
    const job = await tx.batches.job(jobId);
    if (!job || job.owner !== owner || job.status === 'receiving') return undefined;
    if (job.status !== 'queued' && job.status !== 'running') return { job, cancelled: false };
    await tx.batches.finish(jobId, 'cancelled', app.now().toISOString());
    return { job: (await tx.batches.job(jobId)) as BatchJob, cancelled: true };
  });
}

/** A job of this person (anyone else's reads as no job at all). */
export async function jobOf(app: AppContext, owner: string, jobId: string): Promise<BatchJob | undefined> {
  const job = await app.store.batches.get(jobId);
  return job && job.owner === owner && job.status !== 'receiving' ? job : undefined;
}
