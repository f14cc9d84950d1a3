// Sign-in: server-side sessions, logins waiting for the identity provider's answer, and the secrets
// of the sign-in machinery (the local provider's keys). Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('national_number', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('auth_time', 'text', (c) => c.notNull())
    .addColumn('acr', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires').on('sessions').columns(['expires_at']).execute();
  await db.schema.createIndex('sessions_person').on('sessions').columns(['national_number']).execute();

  await db.schema
    .createTable('pending_logins')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('max_age', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_logins_expires').on('pending_logins').columns(['expires_at']).execute();

  await db.schema
    .createTable('auth_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
