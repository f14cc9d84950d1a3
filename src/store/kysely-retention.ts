// Housekeeping deletes: each table's rows that have served their purpose, one statement per table.
// The event log, the mandates and the people's inbox are never touched here.
import type { Kysely } from 'kysely';
import type { PruneCounts, PruneCutoffs } from './port.js';
import type { Database } from './schema.js';

const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

export async function pruneRows(db: Kysely<Database>, cutoffs: PruneCutoffs): Promise<PruneCounts> {
  const idempotencyKeys = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoffs.idempotencyBefore).executeTakeFirst();
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<', cutoffs.expiredBefore).executeTakeFirst();
  const pendingLogins = await db.deleteFrom('pending_logins').where('expires_at', '<', cutoffs.expiredBefore).executeTakeFirst();
  const webhookDeliveries = await db
    .deleteFrom('webhook_deliveries')
    .where('status', 'in', ['delivered', 'dead'])
    .where('created_at', '<', cutoffs.finishedBefore)
    .executeTakeFirst();
  // A notification keeps its mail_key after its message is gone: the inbox shows it as sent.
  const mailMessages = await db
    .deleteFrom('mail_messages')
    .where('status', 'in', ['sent', 'dead'])
    .where('created_at', '<', cutoffs.finishedBefore)
    .executeTakeFirst();
  return {
    idempotencyKeys: count(idempotencyKeys),
    sessions: count(sessions),
    pendingLogins: count(pendingLogins),
    webhookDeliveries: count(webhookDeliveries),
    mailMessages: count(mailMessages),
  };
}
