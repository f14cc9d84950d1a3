// Notifications: parties' contact details, the notification outbox (which is also the in-app inbox),
// the e-mail messages planned from it (digests and address confirmations), the reminders already
// sent (their unique key makes each reminder happen once), and a named lock for the digest planner.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('party_kind', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('email_confirmed_at', 'text')
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', 'text')
    .addColumn('language', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contacts_pk', ['party_kind', 'party_id'])
    .execute();
  await db.schema.createIndex('contacts_confirm_token').on('contacts').column('confirm_token_hash').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mandate_id', 'text')
    .addColumn('event_seq', 'bigint')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    // pending → planned (in a message) → sent; or none (no confirmed address when it was due).
    .addColumn('mail_status', 'text', (c) => c.notNull())
    .addColumn('mail_key', 'text')
    .execute();
  await db.schema.createIndex('notifications_inbox').on('notifications').columns(['recipient_kind', 'recipient_id', 'id']).execute();
  await db.schema.createIndex('notifications_mail_due').on('notifications').columns(['mail_status', 'created_at']).execute();
  await db.schema.createIndex('notifications_mail_key').on('notifications').column('mail_key').execute();

  await db.schema
    .createTable('mail_messages')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('mail_messages_due').on('mail_messages').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('reminders_sent')
    .addColumn('mandate_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // What the reminder is about: the last valid day, or the instant the proposal lapses.
    .addColumn('anchor', 'text', (c) => c.notNull())
    .addColumn('threshold_days', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_sent_pk', ['mandate_id', 'kind', 'anchor', 'threshold_days'])
    .execute();

  await db.schema
    .createTable('notification_locks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .execute();
  await db
    .insertInto('notification_locks')
    .values([{ name: 'mail-planner' }])
    .execute();
}
