// Who may act for an enterprise changes: representatives come and go in the enterprise register, and
// an enterprise names and removes its executors. Each change is recorded, in order, so that (like the
// event log for mandates) it is audited and every instance's check engine follows it by cursor
// instead of rereading the registers whole. The head row serialises writers: seq order is commit order.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registry_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('registry_head').values({ id: 1, seq: 0 }).execute();
  await db.schema
    .createTable('registry_changes')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('enterprise_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .execute();
  await db.schema.createIndex('registry_changes_enterprise').on('registry_changes').columns(['enterprise_id', 'seq']).execute();
}
