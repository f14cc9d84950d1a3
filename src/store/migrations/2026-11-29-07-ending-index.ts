// Mandates by end day: the reminder round ("ends in 30 days") asks for signed mandates ending in a
// window every few seconds. Without this index it read the whole table each time, which at a
// million mandates blocked the process (SQLite answers synchronously) for most of a second.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('mandates_ending').on('mandates').columns(['status', 'valid_until', 'id']).execute();
}
