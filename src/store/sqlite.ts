// SQLite (better-sqlite3, WAL): the embedded default. BEGIN IMMEDIATE takes the write lock up
// front, so a writer never fails halfway on a lock upgrade and writers are serialized across processes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteDialect,
  type SqliteDatabase as SqliteHandle,
  sql,
} from 'kysely';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import { WriteLock } from './write-lock.js';

export interface SqliteThreadOptions {
  /** The write lock of the process's other connections to this file (a new one if none). */
  writeLock?: SharedArrayBuffer;
  /** Let the other threads' writers go first (a bulk job's thread). */
  polite?: boolean;
}

export function openSqliteStore(file: string, options: SqliteThreadOptions = {}): KyselyStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file, { timeout: 10_000 });
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable across application crashes; only an OS crash may lose the last commits.
  database.pragma('synchronous = NORMAL');
  const handle = reusingStatements(database);
  const lock = new WriteLock(options.writeLock);
  const dialect = new WriteTurnsDialect({ database: handle }, handle, lock, options.polite === true);
  const db = new Kysely<Database>({ dialect });
  return new KyselyStore(db, {
    name: 'sqlite',
    threadShare: { writeLock: lock.buffer },
    insertChunk: 500,
    async beginWrite(conn) {
      await sql`begin immediate`.execute(conn);
      const head = await conn.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { seq: Number(head.seq), hash: head.hash };
    },
    async arrayRows(query) {
      // A statement of its own: raw mode is a property of the statement, and the cached ones serve Kysely.
      return database
        .prepare(query.sql)
        .raw(true)
        .all(...query.parameters) as unknown[][];
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

/** SQLite with the process's write lock (write-lock.ts) taken before each write transaction or lone write. */
class WriteTurnsDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly handle: SqliteHandle,
    private readonly lock: WriteLock,
    private readonly polite: boolean,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const { handle, lock, polite } = this;
    let connection: DatabaseConnection | undefined;
    return {
      init: () => driver.init(),
      destroy: () => driver.destroy(),
      beginTransaction: (conn, settings) => driver.beginTransaction(conn, settings),
      commitTransaction: (conn) => driver.commitTransaction(conn),
      rollbackTransaction: (conn) => driver.rollbackTransaction(conn),
      releaseConnection: (conn) => driver.releaseConnection(conn),
      // SQLite has one connection per driver, handed to one user at a time: wrap it once.
      async acquireConnection() {
        const inner = await driver.acquireConnection();
        connection ??= writeTurns(inner, handle, lock, polite);
        return connection;
      },
    };
  }
}

const BEGIN = /^\s*begin\b/i;
const END = /^\s*(commit|end|rollback)\s*(transaction\s*)?;?\s*$/i;

function writeTurns(inner: DatabaseConnection, handle: SqliteHandle, lock: WriteLock, polite: boolean): DatabaseConnection {
  let inTransaction = false;
  return {
    streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const text = query.sql;
      if (BEGIN.test(text)) {
        await lock.acquire(threadId, polite);
        inTransaction = true;
        try {
          return await inner.executeQuery<R>(query);
        } catch (error) {
          inTransaction = false;
          lock.release(threadId);
          throw error;
        }
      }
      if (inTransaction) {
        try {
          return await inner.executeQuery<R>(query);
        } finally {
          if (END.test(text)) {
            inTransaction = false;
            lock.release(threadId);
          }
        }
      }
      // A lone statement: a write takes the lock for itself (the statement is prepared once and cached).
      if (handle.prepare(text).reader) return inner.executeQuery<R>(query);
      await lock.acquire(threadId, polite);
      try {
        return await inner.executeQuery<R>(query);
      } finally {
        lock.release(threadId);
      }
    },
  };
}
