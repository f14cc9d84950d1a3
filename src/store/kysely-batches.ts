// Bulk jobs over Kysely, both dialects. Claims use a lease (and FOR UPDATE SKIP LOCKED on PostgreSQL);
// a chunk's outcomes are settled inside the chunk's write transaction, compare-and-set on `processed`.
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
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
  TripleKey,
} from './batch-port.js';
import { insertMany, selectSameTriples, startCheckpointer } from './kysely-bulk-writes.js';
import type { BatchJobsTable, BatchResultsTable, Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** Rows per multi-row INSERT: 10 columns at most, far under both dialects' bound-parameter limits. */
const INSERT_CHUNK = 1000;

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
/** Jobs a worker may take: queued ones, and running ones whose worker stopped renewing its lease. */
const claimableAt = (now: string) => (eb: ExpressionBuilder<Database, 'batch_jobs'>) =>
  eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)])]);

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
    await insertMany(
      this.conn,
      'batch_results',
      s.results.map((r) => resultToRow(jobId, r)),
      INSERT_CHUNK,
    );
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
    const rows = items.map((it) => ({ job_id: jobId, seq: it.seq, row_number: it.row, line: it.line, operation: it.operation }));
    await insertMany(this.db, 'batch_items', rows, INSERT_CHUNK);
  }

  async seal(jobId: string, total: number, runner?: { worker: string; now: string; leaseUntil: string }) {
    const running = runner
      ? { status: 'running', lease_owner: runner.worker, lease_expires_at: runner.leaseUntil, started_at: runner.now }
      : {};
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

  private transaction<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, this.dialect, fn);
  }

  async claimable(now: string) {
    const any = await this.db.selectFrom('batch_jobs').select('id').where(claimableAt(now)).limit(1).executeTakeFirst();
    return any !== undefined;
  }

  async claim(worker: string, now: string, leaseUntil: string) {
    // A plain read first: an idle worker polling does not take the write lock every time.
    if (!(await this.claimable(now))) return undefined;
    return this.transaction(async (conn) => {
      const candidate = await conn
        .selectFrom('batch_jobs')
        .select('id')
        .where(claimableAt(now))
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

  async bulkWrites(on: boolean) {
    if (this.dialect !== 'sqlite') return;
    if (on) {
      this.bulkJobs += 1;
      if (this.bulkJobs > 1) return;
      // Checkpoints move to a thread of their own; without a file (an in-memory database) there is no log.
      const main = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(this.db);
      const file = main.rows[0]?.file;
      if (!file) return;
      await sql`pragma wal_autocheckpoint = 0`.execute(this.db);
      this.checkpointer = startCheckpointer(file, () => {
        void sql`pragma wal_autocheckpoint = 1000`.execute(this.db);
      });
      return;
    }
    this.bulkJobs = Math.max(0, this.bulkJobs - 1);
    if (this.bulkJobs > 0) return;
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    await sql`pragma wal_autocheckpoint = 1000`.execute(this.db);
    // The log grew during the job; when it restarts it is cut back to this size.
    await sql`pragma journal_size_limit = 67108864`.execute(this.db);
    await sql`pragma wal_checkpoint(passive)`.execute(this.db);
  }

  private checkpointer: { stop(): Promise<void> } | undefined;

  /** Jobs of this process writing in bulk now (the pragma is per connection, and SQLite has one per process). */
  private bulkJobs = 0;
}
