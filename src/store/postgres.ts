// PostgreSQL: the scale-out engine. Writers lock the chain-head row first, which serializes them:
// sequence numbers are then gapless and in commit order, so instances can tail the log by cursor safely.

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';

const INT8 = 20;

export function openPostgresStore(url: string, poolSize = 10): KyselyStore {
  // Sequence numbers stay far below 2^53, so int8 is safe as a JavaScript number.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format)),
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig });
  // An idle client losing its connection (server restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, {
    name: 'postgres',
    insertChunk: 1000,
    async beginWrite(conn) {
      await sql`begin`.execute(conn);
      const head = await conn.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      return { seq: Number(head.seq), hash: head.hash };
    },
    async close() {},
  });
}
