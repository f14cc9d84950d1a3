// The bulk path's writes and reads inside a chunk's transaction: no-duplicate candidates for many
// triples in few queries, sealed events appended with multi-row inserts, the projection rows of a chunk.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CompiledQuery, type Kysely } from 'kysely';
import { sha256Hex } from '../core/canonical.js';
import type { Mandate } from '../core/mandate.js';
import type { ProjectionWrite, SealedEvent, TripleKey } from './batch-port.js';
import { type ChainPosition, VersionConflictError } from './port.js';
import { mandateToRow, rowToMandate } from './rows.js';
import type { Database } from './schema.js';

/** Rows per multi-row INSERT of events: 10 columns each, far under both dialects' bound-parameter limits. */
const INSERT_CHUNK = 1000;
/** Mandate rows per multi-row INSERT: 25 columns each. */
const PROJECTION_CHUNK = 500;
/** Bound parameters per candidate query. */
const TRIPLE_PARAMS = 2000;

const insertSql = new Map<string, string>();

/**
 * A multi-row INSERT of rows that all have the same columns, without a query tree per row: the SQL is
 * compiled once per dialect, table, columns and row count, then run with the rows' values (on a large
 * chunk, building and compiling the tree costs about as much as SQLite's own work on the rows). Rows
 * go `perStatement` at a time, the rest in power-of-two parts, so few statements are ever compiled.
 */
export async function insertMany(
  conn: Kysely<Database>,
  table: keyof Database,
  rows: readonly object[],
  perStatement: number,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const dialect = conn.getExecutor().adapter.constructor.name;
  for (let i = 0, count = 0; i < rows.length; i += count) {
    const left = rows.length - i;
    count = left >= perStatement ? perStatement : 2 ** Math.floor(Math.log2(left));
    const key = `${dialect}|${table}|${count}|${columns.join(',')}`;
    let text = insertSql.get(key);
    if (text === undefined) {
      const placeholder = Object.fromEntries(columns.map((c) => [c, 0]));
      text = conn
        .insertInto(table)
        .values(Array.from({ length: count }, () => placeholder) as never)
        .compile().sql;
      insertSql.set(key, text);
    }
    const params = new Array<unknown>(count * columns.length);
    let p = 0;
    for (let r = i; r < i + count; r++) {
      const row = rows[r] as Record<string, unknown>;
      for (const c of columns) params[p++] = row[c];
    }
    await conn.executeQuery(CompiledQuery.raw(text, params));
  }
}

/**
 * Mandates of any of the triples, any status. Triples are grouped by (mandatee, type), the common case
 * of a bulk chunk (one accountant, one type, many clients) being one `mandator_id IN (…)` probe of the
 * triple index; kinds are compared here.
 */
export async function selectSameTriples(db: Kysely<Database>, keys: readonly TripleKey[]): Promise<Mandate[]> {
  const groups = new Map<string, { mandateeId: string; type: string; mandators: Set<string> }>();
  for (const k of keys) {
    const key = `${k.mandatee.id}|${k.type}`;
    let group = groups.get(key);
    if (!group) {
      group = { mandateeId: k.mandatee.id, type: k.type, mandators: new Set() };
      groups.set(key, group);
    }
    group.mandators.add(k.mandator.id);
  }
  // Queries of at most TRIPLE_PARAMS parameters, each an OR of groups (a large group is split).
  const batches: { mandateeId: string; type: string; mandators: string[] }[][] = [[]];
  let params = 0;
  for (const g of groups.values()) {
    const ids = [...g.mandators];
    for (let i = 0; i < ids.length; i += TRIPLE_PARAMS) {
      const part = ids.slice(i, i + TRIPLE_PARAMS);
      if (params + part.length + 2 > TRIPLE_PARAMS) {
        batches.push([]);
        params = 0;
      }
      (batches.at(-1) as (typeof batches)[number]).push({ mandateeId: g.mandateeId, type: g.type, mandators: part });
      params += part.length + 2;
    }
  }
  const found: Mandate[] = [];
  for (const batch of batches) {
    if (batch.length === 0) continue;
    const rows = await db
      .selectFrom('mandates')
      .selectAll()
      .where((eb) =>
        eb.or(
          batch.map((g) => eb.and([eb('mandatee_id', '=', g.mandateeId), eb('type', '=', g.type), eb('mandator_id', 'in', g.mandators)])),
        ),
      )
      .execute();
    for (const row of rows) found.push(rowToMandate(row));
  }
  const wanted = new Set(keys.map((k) => `${k.mandator.kind}${k.mandator.id}|${k.mandatee.kind}${k.mandatee.id}|${k.type}`));
  return found.filter((m) => wanted.has(`${m.mandator.kind}${m.mandator.id}|${m.mandatee.kind}${m.mandatee.id}|${m.type}`));
}

/** Appends sealed events to the log: chain hashes from their canonical parts, multi-row inserts, the new head. */
export async function insertSealedEvents(
  conn: Kysely<Database>,
  head: ChainPosition,
  entries: readonly SealedEvent[],
): Promise<{ seqs: number[]; head: ChainPosition }> {
  if (entries.length === 0) return { seqs: [], head };
  let { seq, hash } = head;
  const seqs: number[] = [];
  const rows = entries.map(({ event: e, head: before, tail, data }) => {
    seq += 1;
    const next = sha256Hex(`${hash}\n${before}${seq}${tail}`);
    const row = {
      seq,
      mandate_id: e.mandateId,
      version: e.version,
      type: e.type,
      at: e.at,
      actor: JSON.stringify(e.actor),
      on_behalf_of: e.onBehalfOf ? JSON.stringify(e.onBehalfOf) : null,
      data,
      prev_hash: hash,
      hash: next,
    };
    hash = next;
    seqs.push(seq);
    return row;
  });
  await insertMany(conn, 'events', rows, INSERT_CHUNK);
  await conn.updateTable('chain_head').set({ seq, hash }).where('id', '=', 1).execute();
  return { seqs, head: { seq, hash } };
}

/** Writes the projection rows of a chunk: inserts for new mandates, compare-and-set updates for the others. */
export async function writeProjectionRows(conn: Kysely<Database>, entries: readonly ProjectionWrite[]): Promise<void> {
  const created = entries.filter((p) => p.expectedVersion === null).map((p) => mandateToRow(p.mandate, p.lastSeq));
  await insertMany(conn, 'mandates', created, PROJECTION_CHUNK);
  for (const p of entries) {
    if (p.expectedVersion === null) continue;
    const result = await conn
      .updateTable('mandates')
      .set(mandateToRow(p.mandate, p.lastSeq))
      .where('id', '=', p.mandate.id)
      .where('version', '=', p.expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError(p.mandate.id);
  }
}

/** The checkpointing thread: plain JavaScript, its own connection, a passive checkpoint every `everyMs`. */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 10000 });
db.pragma('synchronous = NORMAL');
// A passive checkpoint never waits; one that finds another checkpoint running (another process) is simply skipped.
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a SQLite database's write-ahead log from a thread of its own while a bulk job writes, so the
 * copying and the fsyncs of checkpoints no longer stall the job's thread (and the requests it serves). The
 * log cannot restart while chunks follow one another: it grows by what the job writes until the job ends.
 * `onFailure` is called if the thread dies (the caller then checkpoints as before).
 */
export function startCheckpointer(file: string, onFailure: () => void, everyMs = 100): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file, everyMs } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', onFailure);
  return {
    async stop() {
      // Unreferenced while it runs (it must not keep a process alive), referenced while it finishes.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
