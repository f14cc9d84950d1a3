// Bulk jobs over Kysely, both dialects. Claims use a lease (and FOR UPDATE SKIP LOCKED on PostgreSQL);
// a chunk's outcomes are settled inside the chunk's write transaction, compare-and-set on `processed`.
import { createHash } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type {
  BatchItem,
  BatchItemView,
  BatchJob,
  BatchResult,
  BatchStatus,
  BatchStore,
  BatchTx,
  ChunkSettlement,
  ItemOutcome,
  NewBatchJob,
  ProjectionWrite,
  SealedEvent,
  TripleKey,
} from './batch-port.js';
import { type ChainPosition, VersionConflictError } from './port.js';
import { mandateToRow, rowToMandate } from './rows.js';
import type { BatchJobsTable, BatchResultsTable, Database } from './schema.js';

/** Rows per multi-row INSERT: 10 columns at most, far under both dialects' bound-parameter limits. */
const INSERT_CHUNK = 1000;
/** Mandate rows per multi-row INSERT: 25 columns each. */
const PROJECTION_CHUNK = 500;
/** Bound parameters per candidate query. */
const TRIPLE_PARAMS = 2000;

function rowToJob(r: Selectable<BatchJobsTable>): BatchJob {
  return {
    id: r.id,
    owner: r.owner,
    onBehalfOf: r.on_behalf_of ? (JSON.parse(r.on_behalf_of) as Party) : null,
    kind: r.kind,
    source: r.source,
    fileName: r.file_name,
    status: r.status as BatchStatus,
    authTime: r.auth_time,
    authLevel: r.auth_level,
    total: Number(r.total),
    processed: Number(r.processed),
    done: Number(r.done),
    refused: Number(r.refused),
    skipped: Number(r.skipped),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    failures: Number(r.failures),
    error: r.error,
  };
}

function rowToResult(r: Selectable<BatchResultsTable>): BatchResult {
  return {
    seq: Number(r.seq),
    outcome: r.outcome as ItemOutcome,
    mandateId: r.mandate_id,
    relatedId: r.related_id,
    cursor: r.cursor === null ? null : Number(r.cursor),
    code: r.code,
    field: r.field,
    message: r.message,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  };
}

const resultToRow = (jobId: string, r: BatchResult) => ({
  job_id: jobId,
  seq: r.seq,
  outcome: r.outcome,
  mandate_id: r.mandateId,
  related_id: r.relatedId,
  cursor: r.cursor,
  code: r.code,
  field: r.field,
  message: r.message,
  details: r.details ? JSON.stringify(r.details) : null,
});

/**
 * Mandates of any of the triples, any status. Triples are grouped by (mandatee, type), the common case
 * of a bulk chunk (one accountant, one type, many clients) being one `mandator_id IN (…)` probe of the
 * triple index; kinds are compared here.
 */
export async function selectSameTriples(db: Kysely<Database>, keys: readonly TripleKey[]): Promise<Mandate[]> {
  const groups = new Map<string, { mandateeId: string; type: string; mandators: Set<string> }>();
  for (const k of keys) {
    const key = `${k.mandatee.id}|${k.type}`;
    let group = groups.get(key);
    if (!group) {
      group = { mandateeId: k.mandatee.id, type: k.type, mandators: new Set() };
      groups.set(key, group);
    }
    group.mandators.add(k.mandator.id);
  }
  // Queries of at most TRIPLE_PARAMS parameters, each an OR of groups (a large group is split).
  const batches: { mandateeId: string; type: string; mandators: string[] }[][] = [[]];
  let params = 0;
  for (const g of groups.values()) {
    const ids = [...g.mandators];
    for (let i = 0; i < ids.length; i += TRIPLE_PARAMS) {
      const part = ids.slice(i, i + TRIPLE_PARAMS);
      if (params + part.length + 2 > TRIPLE_PARAMS) {
        batches.push([]);
        params = 0;
      }
      (batches.at(-1) as (typeof batches)[number]).push({ mandateeId: g.mandateeId, type: g.type, mandators: part });
      params += part.length + 2;
    }
  }
  const found: Mandate[] = [];
  for (const batch of batches) {
    if (batch.length === 0) continue;
    const rows = await db
      .selectFrom('mandates')
      .selectAll()
      .where((eb) =>
        eb.or(batch.map((g) => eb.and([eb('mandatee_id', '=', g.mandateeId), eb('type', '=', g.type), eb('mandator_id', 'in', g.mandators)]))),
      )
      .execute();
    for (const row of rows) found.push(rowToMandate(row));
  }
  const wanted = new Set(keys.map((k) => `${k.mandator.kind}${k.mandator.id}|${k.mandatee.kind}${k.mandatee.id}|${k.type}`));
  return found.filter((m) => wanted.has(`${m.mandator.kind}${m.mandator.id}|${m.mandatee.kind}${m.mandatee.id}|${m.type}`));
}

/** Appends sealed events to the log: chain hashes from their canonical parts, multi-row inserts, the new head. */
export async function insertSealedEvents(
  conn: Kysely<Database>,
  head: ChainPosition,
  entries: readonly SealedEvent[],
): Promise<{ seqs: number[]; head: ChainPosition }> {
  if (entries.length === 0) return { seqs: [], head };
  let { seq, hash } = head;
  const seqs: number[] = [];
  const rows = entries.map(({ event: e, head: before, tail, data }) => {
    seq += 1;
    const next = createHash('sha256').update(`${hash}\n${before}${seq}${tail}`).digest('hex');
    const row = {
      seq,
      mandate_id: e.mandateId,
      version: e.version,
      type: e.type,
      at: e.at,
      actor: JSON.stringify(e.actor),
      on_behalf_of: e.onBehalfOf ? JSON.stringify(e.onBehalfOf) : null,
      data,
      prev_hash: hash,
      hash: next,
    };
    hash = next;
    seqs.push(seq);
    return row;
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await conn.insertInto('events').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  await conn.updateTable('chain_head').set({ seq, hash }).where('id', '=', 1).execute();
  return { seqs, head: { seq, hash } };
}

/** Writes the projection rows of a chunk: inserts for new mandates, compare-and-set updates for the others. */
export async function writeProjectionRows(conn: Kysely<Database>, entries: readonly ProjectionWrite[]): Promise<void> {
  const created = entries.filter((p) => p.expectedVersion === null);
  for (let i = 0; i < created.length; i += PROJECTION_CHUNK) {
    await conn
      .insertInto('mandates')
      .values(created.slice(i, i + PROJECTION_CHUNK).map((p) => mandateToRow(p.mandate, p.lastSeq)))
      .execute();
  }
  for (const p of entries) {
    if (p.expectedVersion === null) continue;
    const result = await conn
      .updateTable('mandates')
      .set(mandateToRow(p.mandate, p.lastSeq))
      .where('id', '=', p.mandate.id)
      .where('version', '=', p.expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError(p.mandate.id);
  }
}

async function insertSkipped(conn: Kysely<Database>, jobId: string, fromSeq: number): Promise<number> {
  const result = await conn
    .insertInto('batch_results')
    .columns(['job_id', 'seq', 'outcome'])
    .expression((eb) =>
      eb
        .selectFrom('batch_items')
        .select(['job_id', 'seq', sql.lit('skipped').as('outcome')])
        .where('job_id', '=', jobId)
        .where('seq', '>=', fromSeq),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Batch operations on the connection of an open write transaction. */
export class KyselyBatchTx implements BatchTx {
  constructor(private readonly conn: Kysely<Database>) {}

  async job(id: string) {
    const row = await this.conn.selectFrom('batch_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToJob(row) : undefined;
  }

  async settleChunk(jobId: string, s: ChunkSettlement): Promise<boolean> {
    const count = (o: ItemOutcome) => s.results.filter((r) => r.outcome === o).length;
    const processed = s.from + s.results.length;
    const update = await this.conn
      .updateTable('batch_jobs')
      .set((eb) => ({
        processed,
        done: eb('done', '+', count('done')),
        refused: eb('refused', '+', count('refused')),
        skipped: eb('skipped', '+', count('skipped')),
        failures: 0,
        lease_expires_at: s.leaseExpiresAt,
        ...(s.finishedAt === null ? {} : { status: 'done', finished_at: s.finishedAt, lease_owner: null, lease_expires_at: null }),
      }))
      .where('id', '=', jobId)
      .where('processed', '=', s.from)
      .where('status', '=', 'running')
      .where('lease_owner', '=', s.leaseOwner)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) !== 1) return false;
    for (let i = 0; i < s.results.length; i += INSERT_CHUNK) {
      await this.conn
        .insertInto('batch_results')
        .values(s.results.slice(i, i + INSERT_CHUNK).map((r) => resultToRow(jobId, r)))
        .execute();
    }
    return true;
  }

  async finish(jobId: string, status: 'done' | 'cancelled' | 'failed', at: string, error: string | null = null) {
    const job = await this.job(jobId);
    if (!job) return;
    const skipped = await insertSkipped(this.conn, jobId, job.processed);
    await this.conn
      .updateTable('batch_jobs')
      .set({
        status,
        finished_at: at,
        processed: job.total,
        skipped: job.skipped + skipped,
        lease_owner: null,
        lease_expires_at: null,
        error,
      })
      .where('id', '=', jobId)
      .execute();
  }
}

export class KyselyBatches implements BatchStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async open(job: NewBatchJob) {
    await this.db
      .insertInto('batch_jobs')
      .values({
        id: job.id,
        owner: job.owner,
        on_behalf_of: job.onBehalfOf ? JSON.stringify(job.onBehalfOf) : null,
        kind: job.kind,
        source: job.source,
        file_name: job.fileName,
        status: 'receiving',
        auth_time: job.authTime,
        auth_level: job.authLevel,
        total: 0,
        processed: 0,
        done: 0,
        refused: 0,
        skipped: 0,
        created_at: job.createdAt,
        started_at: null,
        finished_at: null,
        lease_owner: null,
        lease_expires_at: null,
        failures: 0,
        error: null,
      })
      .execute();
  }

  async addItems(jobId: string, items: readonly BatchItem[]) {
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('batch_items')
        .values(
          items.slice(i, i + INSERT_CHUNK).map((it) => ({ job_id: jobId, seq: it.seq, row_number: it.row, line: it.line, operation: it.operation })),
        )
        .execute();
    }
  }

  async seal(jobId: string, total: number, runner?: { worker: string; now: string; leaseUntil: string }) {
    const running = runner ? { status: 'running', lease_owner: runner.worker, lease_expires_at: runner.leaseUntil, started_at: runner.now } : {};
    const result = await this.db
      .updateTable('batch_jobs')
      .set({ status: 'queued', total, ...running })
      .where('id', '=', jobId)
      .where('status', '=', 'receiving')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async discard(jobId: string) {
    await this.db.deleteFrom('batch_results').where('job_id', '=', jobId).execute();
    await this.db.deleteFrom('batch_items').where('job_id', '=', jobId).execute();
    await this.db.deleteFrom('batch_jobs').where('id', '=', jobId).execute();
  }

  async get(jobId: string) {
    const row = await this.db.selectFrom('batch_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return row ? rowToJob(row) : undefined;
  }

  async list(owner: string, limit: number, beforeId?: string) {
    let query = this.db.selectFrom('batch_jobs').selectAll().where('owner', '=', owner).where('status', '!=', 'receiving');
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(rowToJob);
  }

  async items(jobId: string, afterSeq: number, limit: number, outcome?: ItemOutcome | 'pending'): Promise<BatchItemView[]> {
    let query = this.db
      .selectFrom('batch_items as i')
      .leftJoin('batch_results as r', (join) => join.onRef('r.job_id', '=', 'i.job_id').onRef('r.seq', '=', 'i.seq'))
      .select([
        'i.seq',
        'i.row_number',
        'i.line',
        'i.operation',
        'r.outcome',
        'r.mandate_id',
        'r.related_id',
        'r.cursor',
        'r.code',
        'r.field',
        'r.message',
        'r.details',
      ])
      .where('i.job_id', '=', jobId)
      .where('i.seq', '>', afterSeq);
    if (outcome === 'pending') query = query.where('r.outcome', 'is', null);
    else if (outcome !== undefined) query = query.where('r.outcome', '=', outcome);
    const rows = await query.orderBy('i.seq').limit(limit).execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      row: r.row_number === null ? null : Number(r.row_number),
      line: r.line === null ? null : Number(r.line),
      operation: r.operation,
      result:
        r.outcome === null
          ? null
          : rowToResult({
              job_id: jobId,
              seq: r.seq,
              outcome: r.outcome,
              mandate_id: r.mandate_id,
              related_id: r.related_id,
              cursor: r.cursor,
              code: r.code,
              field: r.field,
              message: r.message,
              details: r.details,
            }),
    }));
  }

  async pendingItems(jobId: string, fromSeq: number, limit: number): Promise<BatchItem[]> {
    const rows = await this.db
      .selectFrom('batch_items')
      .select(['seq', 'row_number', 'line', 'operation'])
      .where('job_id', '=', jobId)
      .where('seq', '>=', fromSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      row: r.row_number === null ? null : Number(r.row_number),
      line: r.line === null ? null : Number(r.line),
      operation: r.operation,
    }));
  }

  /** A short transaction; SQLite takes the write lock up front so the read-then-write never fails on upgrade. */
  private transaction<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      await sql.raw(this.dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  async claim(worker: string, now: string, leaseUntil: string) {
    return this.transaction(async (conn) => {
      const candidate = await conn
        .selectFrom('batch_jobs')
        .select('id')
        .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)])]))
        .orderBy('id')
        .limit(1)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .executeTakeFirst();
      if (!candidate) return undefined;
      const row = await conn
        .updateTable('batch_jobs')
        .set((eb) => ({
          status: 'running',
          lease_owner: worker,
          lease_expires_at: leaseUntil,
          started_at: eb.fn.coalesce('started_at', sql.val(now)),
        }))
        .where('id', '=', candidate.id)
        .returningAll()
        .executeTakeFirst();
      return row ? rowToJob(row) : undefined;
    });
  }

  async release(jobId: string, worker: string) {
    await this.db
      .updateTable('batch_jobs')
      .set({ lease_expires_at: new Date(0).toISOString() })
      .where('id', '=', jobId)
      .where('lease_owner', '=', worker)
      .where('status', '=', 'running')
      .execute();
  }

  async recordFailure(jobId: string, worker: string, error: string) {
    const row = await this.db
      .updateTable('batch_jobs')
      .set((eb) => ({ failures: eb('failures', '+', 1), error }))
      .where('id', '=', jobId)
      .where('lease_owner', '=', worker)
      .returning('failures')
      .executeTakeFirst();
    return row ? Number(row.failures) : 0;
  }

  async discardStale(before: string) {
    const stale = await this.db
      .selectFrom('batch_jobs')
      .select('id')
      .where('status', '=', 'receiving')
      .where('created_at', '<', before)
      .execute();
    for (const { id } of stale) await this.discard(id);
    return stale.length;
  }

  sameTriples(keys: readonly TripleKey[]) {
    return selectSameTriples(this.db, keys);
  }
}
