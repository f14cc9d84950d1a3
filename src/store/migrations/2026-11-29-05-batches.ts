// Bulk jobs: the job, its items (the operations, as submitted) and the outcome of each processed item.
// Outcomes are written with the events of their chunk, so a restarted job resumes after the last
// committed chunk. Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('batch_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('on_behalf_of', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'text', (c) => c.notNull())
    .addColumn('auth_level', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('refused', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('batch_jobs_owner').on('batch_jobs').columns(['owner', 'id']).execute();
  await db.schema.createIndex('batch_jobs_claim').on('batch_jobs').columns(['status', 'lease_expires_at']).execute();

  await db.schema
    .createTable('batch_items')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('row_number', 'integer')
    .addColumn('line', 'integer')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('batch_items_pk', ['job_id', 'seq'])
    .execute();

  await db.schema
    .createTable('batch_results')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('mandate_id', 'text')
    .addColumn('related_id', 'text')
    .addColumn('cursor', 'bigint')
    .addColumn('code', 'text')
    .addColumn('field', 'text')
    .addColumn('message', 'text')
    .addColumn('details', 'text')
    .addPrimaryKeyConstraint('batch_results_pk', ['job_id', 'seq'])
    .execute();
}
