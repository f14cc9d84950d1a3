// Who gave a business application access to a domain's mandates, changed it or took it away, and when:
// every operator action on clients and webhooks is recorded, in the transaction that makes it. The
// clients and webhooks tables keep only the current state; this is the history.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('client_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('client_changes_client').on('client_changes').columns(['client_id', 'id']).execute();
}
