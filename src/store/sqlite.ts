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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingWriteStatements(database) }) });
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

/** Write statements kept prepared between runs: SQLite compiles a bulk job's multi-row INSERT once, not per chunk. */
const CACHED_STATEMENTS = 64;

/**
 * Kysely prepares every query it runs. Statements that return no rows are kept and reused (they run to
 * completion at once, so one is never busy when reused); readers are left alone, as a streamed one may be.
 */
function reusingWriteStatements(database: SqliteDatabase.Database): SqliteHandle {
  const writers = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      const cached = writers.get(text);
      if (cached) return cached;
      const statement = database.prepare(text);
      if (!statement.reader) {
        if (writers.size >= CACHED_STATEMENTS) writers.delete(writers.keys().next().value as string);
        writers.set(text, statement);
      }
      return statement;
    },
  };
}
