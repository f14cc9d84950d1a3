// A business application's secret can be replaced while the old one keeps working for an overlap, so
// the application rolls the new one out without a moment of refused requests. The old secret's hash
// is kept until the overlap ends; `secret_rotated_at` tells access tokens issued before from those after.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely on purpose (they outlive the app's types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('previous_secret_hash', 'text').execute();
  await db.schema.alterTable('clients').addColumn('previous_secret_until', 'text').execute();
  await db.schema.alterTable('clients').addColumn('secret_rotated_at', 'text').execute();
}
