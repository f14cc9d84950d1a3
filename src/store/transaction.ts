// A short transaction on one connection, for the stores beside the event log (jobs, webhooks,
// notifications). SQLite takes the write lock up front, so a read-then-write never fails on upgrade.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export function inTransaction<T>(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  fn: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
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
