// SQLite (better-sqlite3, WAL): the embedded default. BEGIN IMMEDIATE takes the write lock up
// front, so a writer never fails halfway on a lock upgrade and writers are serialized across processes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase as SqliteHandle, sql } from 'kysely';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';

export function openSqliteStore(file: string): KyselyStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file, { timeout: 10_000 });
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable across application crashes; only an OS crash may lose the last commits.
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
  return new KyselyStore(db, {
    name: 'sqlite',
    insertChunk: 500,
    async beginWrite(conn) {
      await sql`begin immediate`.execute(conn);
      const head = await conn.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { seq: Number(head.seq), hash: head.hash };
    },
    async backup(target) {
      mkdirSync(dirname(target), { recursive: true });
      await database.backup(target);
    },
    async close() {},
  });
}

/** Statements kept prepared between runs: SQLite compiles a bulk job's multi-row INSERT once, not per chunk. */
const CACHED_STATEMENTS = 128;

/**
 * Kysely prepares every query it runs; this keeps the statements and reuses them. A statement being
 * iterated (a streamed query) is busy: a query of the same text meanwhile gets a fresh one.
 */
function reusingStatements(database: SqliteDatabase.Database): SqliteHandle {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      const cached = statements.get(text);
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(text);
      if (!cached) {
        if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}
