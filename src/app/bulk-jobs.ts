// Bulk jobs: stored (job and items) before any work starts, then processed in chunks, each chunk in
// its own write transaction that commits the chunk's events, projection and item outcomes together.
// A job restarted after a crash resumes after its last committed chunk; no item is applied twice.
import type { MandateEvent, StoredEvent } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { BatchItem, BatchJob, BatchResult } from '../store/batch-port.js';
import type { WriteTx } from '../store/port.js';
import { ChunkState, decideChunk, type ItemDecision, type JobActor, Pacer } from './bulk-chunk.js';
import { type BulkOperation, type ItemProblem, signsSomething } from './bulk-operations.js';
import { inlineSealer, type Sealer, type Sealing, sealingKey, threadSealer } from './bulk-seal.js';
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

/**
 * Events are sealed in slices, so the first ones are signed while later items are still being decided;
 * a slice is also what is written between two pauses (one INSERT of events, of notifications, of mandates).
 */
const SEAL_SLICE = 256;

/** Jobs with fewer items left than this are sealed inline: starting worker threads would cost more. */
const THREADS_FROM = 2000;

/** An event with the position it takes in the log. */
type LoggedEvent = MandateEvent & { seq: number };

/** What stays the same while one worker processes a job. */
interface JobRun {
  app: AppContext;
  jobId: string;
  worker: string;
  options: ProcessOptions;
  sealer: Sealer;
  /** Requests waiting on this thread (checks, progress polls) are let in every few milliseconds. */
  pacer: Pacer;
}

/**
 * A chunk decided and handed to the sealers, not yet written. From the second chunk on, a job decides
 * each chunk in the transaction of the one before, before that one is written, starting from what that
 * one changes: the sealers sign it while the previous chunk is written and committed. It is written
 * only if the log has not moved since and the owner still represents the same enterprises; otherwise
 * the chunk is decided again, so every item is judged against the state it is committed on.
 */
interface PlannedChunk {
  from: number;
  items: BatchItem[];
  decisions: ItemDecision[];
  /** The mandates the chunk read and changed, as they are after it. */
  state: ChunkState;
  slices: { events: LoggedEvent[]; sealing: Sealing }[];
  /** Per item, the index (among the chunk's events) of its last event; -1 for a refused item. */
  lastEvent: number[];
  now: Date;
  /** The log's head the chunk follows: its events take the positions after it. */
  head: number;
  /** How many events the chunk appends. */
  count: number;
  represents: ReadonlySet<string>;
}

/**
 * Decides a chunk against what the transaction sees (and `after.state`: what the chunk before it changes,
 * when that one is not written yet), handing its events to the sealer slice by slice.
 */
async function planChunk(
  run: JobRun,
  tx: WriteTx,
  job: BatchJob,
  items: BatchItem[],
  represents: ReadonlySet<string>,
  after: { head: number; state: ChunkState },
): Promise<PlannedChunk> {
  const now = run.app.now();
  const { head, state } = after;
  const slices: PlannedChunk['slices'] = [];
  let slice: LoggedEvent[] = [];
  const flush = () => {
    if (slice.length === 0) return;
    slices.push({ events: slice, sealing: run.sealer.seal(slice) });
    slice = [];
  };
  const lastEvent: number[] = [];
  let count = 0;
  const operations = items.map((it) => JSON.parse(it.operation) as BulkOperation);
  const decisions = await decideChunk(run.app, tx, operations, jobActor(run.app, job, represents, now), state, now, {
    pacer: run.pacer,
    onDecision: (i, d) => {
      if (!d.ok) {
        lastEvent[i] = -1;
        return;
      }
      for (const e of d.events) {
        count += 1;
        slice.push(Object.assign(e, { seq: head + count }));
      }
      lastEvent[i] = count - 1;
      if (slice.length >= SEAL_SLICE) flush();
    },
  });
  flush();
  return { from: (items[0] as BatchItem).seq, items, decisions, state, slices, lastEvent, now, head, count, represents };
}

/** Where the chunk after `plan` starts: after its events, from the mandates it changes. */
const following = (plan: PlannedChunk) => ({
  head: plan.head + plan.count,
  state: ChunkState.after(
    plan.state,
    plan.slices.flatMap((s) => s.events.map((e) => e.mandateId)),
  ),
});

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** Is a plan still what deciding now would give: nothing logged since, and the same enterprises represented? */
const stillHolds = (plan: PlannedChunk, tx: WriteTx, represents: ReadonlySet<string>) =>
  plan.head === tx.position.seq && sameSet(plan.represents, represents);

function resultOf(plan: PlannedChunk, i: number): BatchResult {
  const seq = (plan.items[i] as BatchItem).seq;
  const d = plan.decisions[i] as ItemDecision;
  if (!d.ok) return asResult(seq, d.problem);
  return {
    seq,
    outcome: 'done',
    mandateId: d.mandateId,
    relatedId: d.relatedId,
    cursor: plan.head + 1 + (plan.lastEvent[i] as number),
    code: null,
    field: null,
    message: null,
    details: null,
  };
}

/**
 * Writes a planned chunk: the outcomes and the job's progress (compare-and-set); slice by slice, the
 * notifications and then the events once sealed (what needs no signature goes first, while the sealers
 * finish); then the projection. The thread pauses for waiting requests between the steps.
 */
async function writeChunk(run: JobRun, tx: WriteTx, plan: PlannedChunk, job: BatchJob) {
  const { app, pacer } = run;
  const finished = plan.from + plan.items.length >= job.total;
  const settled = await tx.batches.settleChunk(job.id, {
    from: plan.from,
    results: plan.items.map((_, i) => resultOf(plan, i)),
    finishedAt: finished ? plan.now.toISOString() : null,
    leaseOwner: run.worker,
    leaseExpiresAt: iso(Date.now() + run.options.leaseMs),
  });
  if (!settled) throw new ChunkAbandoned();
  for (const { events, sealing } of plan.slices) {
    await pacer.pause();
    // The outbox: what the events tell people is committed with them (an item's events are all in one slice).
    await enqueueNotifications(app, tx, events as unknown as StoredEvent[], plan.state.mandates);
    await pacer.pause();
    const parts = await sealing.result();
    const positions = await tx.appendSealed(events.map((event, j) => ({ event, ...(parts[j] as SealedParts) })));
    if (positions[0] !== events[0]?.seq) throw new Error(`chunk at ${plan.from}: the log is not where the chunk was decided`);
  }
  const lastSeq = new Map<string, number>();
  for (const { events } of plan.slices) for (const e of events) lastSeq.set(e.mandateId, e.seq);
  const projections = [...lastSeq].map(([id, seq]) => ({
    mandate: plan.state.mandates.get(id) as Mandate,
    lastSeq: seq,
    expectedVersion: plan.state.storedVersions.get(id) ?? null,
  }));
  for (let i = 0; i < projections.length; i += SEAL_SLICE) {
    await pacer.pause();
    await tx.writeProjections(projections.slice(i, i + SEAL_SLICE));
  }
  // The commit (a few milliseconds of writing to the log) comes next.
  await pacer.pause();
}

/**
 * Commits one chunk (the plan made ahead if it still holds, else decided now) and, given the next
 * chunk's items, decides that one first, so it is sealed while this one is written. Undefined if the
 * job is no longer this worker's to advance.
 */
async function runChunk(
  run: JobRun,
  chunk: { items: BatchItem[]; ahead?: PlannedChunk; nextItems?: BatchItem[]; represents: ReadonlySet<string> },
): Promise<{ next?: PlannedChunk } | undefined> {
  const from = (chunk.items[0] as BatchItem).seq;
  try {
    return await run.app.store.write(async (tx: WriteTx) => {
      const job = await tx.batches.job(run.jobId);
      if (job?.status !== 'running' || job.leaseOwner !== run.worker || job.processed !== from) return undefined;
      const plan =
        chunk.ahead && stillHolds(chunk.ahead, tx, chunk.represents)
          ? chunk.ahead
          : await planChunk(run, tx, job, chunk.items, chunk.represents, { head: tx.position.seq, state: new ChunkState() });
      const next = chunk.nextItems && (await planChunk(run, tx, job, chunk.nextItems, chunk.represents, following(plan)));
      await writeChunk(run, tx, plan, job);
      return { next };
    });
  } catch (error) {
    if (error instanceof ChunkAbandoned) return undefined;
    throw error;
  }
}

/** The next chunk's items (the first chunk is small, so progress shows at once), and the items of the one after it. */
async function chunkItems(run: JobRun, job: BatchJob, ahead: PlannedChunk | undefined) {
  const { app, jobId, options } = run;
  const from = job.processed;
  const items =
    ahead?.from === from
      ? ahead.items
      : await app.store.batches.pendingItems(jobId, from, from === 0 ? Math.min(options.chunkSize, FIRST_CHUNK) : options.chunkSize);
  if (items.length === 0) throw new Error(`job ${jobId} has no item at ${from}`);
  // The first chunk plans nothing ahead, to stay small.
  const nextFrom = from + items.length;
  const nextItems = from > 0 && nextFrom < job.total ? await app.store.batches.pendingItems(jobId, nextFrom, options.chunkSize) : undefined;
  return { items, nextItems };
}

/**
 * Processes a job this worker holds (status running, lease ours) until it is done, cancelled, taken
 * over by another worker, or the signal stops it (the job is then released for another to resume).
 */
export async function processJob(app: AppContext, jobId: string, worker: string, options: ProcessOptions): Promise<BatchJob | undefined> {
  let job = await app.store.batches.get(jobId);
  if (!job) return undefined;
  const key = await sealingKey(app);
  const large = job.total - job.processed >= THREADS_FROM;
  // Sealing threads boot (a few hundred ms) while the first chunks are sealed inline.
  const run: JobRun = { app, jobId, worker, options, sealer: large ? threadSealer(key) : inlineSealer(key), pacer: new Pacer() };
  let ahead: PlannedChunk | undefined;
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
          const ran = await runChunk(run, { ...(await chunkItems(run, job, ahead)), ahead, represents });
          ahead = ran?.next;
          if (!ran) return app.store.batches.get(jobId);
        } catch (error) {
          ahead = undefined;
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
      await run.pacer.pause();
    }
    return job;
  } finally {
    await run.sealer.close();
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
