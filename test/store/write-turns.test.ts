// Two threads of one process writing one SQLite file: a bulk job's thread in long transactions back
// to back, and the serving thread. The serving thread's writes must get their turn after at most the
// transaction in progress, without its event loop being blocked meanwhile (SQLite's own busy wait
// sleeps in the waiting thread, and lets whoever asks again first win).
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { tsWorker } from '../../src/app/ts-worker.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { inTransaction } from '../../src/store/transaction.js';
import { POLITE_PATIENCE_MS, WriteLock } from '../../src/store/write-lock.js';
import { sqliteDatabase } from '../fixtures/databases.js';

// Long enough that a blocked event loop (SQLite's busy handler sleeps up to 100 ms a time) stands out
// from a busy test machine's scheduling and collection pauses.
const HOLD_MS = 100;

describe('SQLite writers in two threads', () => {
  const database = sqliteDatabase();
  const file = database.url.slice('sqlite:'.length);
  const store = openSqliteStore(file);
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('gives the serving thread its turn after the job thread’s transaction in progress, and never blocks its loop', async () => {
    await sql`create table turns (seq integer primary key, who text not null)`.execute(store.db);
    const share = store.threadShare;
    expect(share).toBeDefined();
    const thread = tsWorker(new URL('./write-turns-worker.ts', import.meta.url), {
      file,
      writeLock: share?.writeLock,
      holdMs: HOLD_MS,
      transactions: 40,
    });
    const messages: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      thread.on('message', (m: string) => {
        messages.push(m);
        if (m === 'done') resolve();
      });
      thread.once('error', reject);
    });
    await new Promise<void>((resolve) => thread.once('message', () => resolve()));

    // The loop's longest gap while our writes wait (a timer every 2 ms).
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 2);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = performance.now();
      // A transaction and a lone statement: both kinds of write take their turn.
      if (i % 2 === 0) await inTransaction(store.db, 'sqlite', (conn) => sql`insert into turns (who) values ('request')`.execute(conn));
      else await sql`insert into turns (who) values ('request')`.execute(store.db);
      waits.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    clearInterval(ticker);
    await done;
    await thread.terminate();

    const rows = await sql<{ who: string }>`select who from turns order by seq`.execute(store.db);
    expect(rows.rows.filter((r) => r.who === 'request')).toHaveLength(8);
    expect(rows.rows.filter((r) => r.who === 'job')).toHaveLength(40);
    // The job was still writing when our last write went in: the turns were taken between its transactions.
    expect(rows.rows.at(-1)?.who).toBe('job');
    // Each waited for at most the job's transaction in progress (plus scheduling slack), never for several.
    expect(Math.max(...waits)).toBeLessThan(2 * HOLD_MS + 60);
    expect(longestGap).toBeLessThan(HOLD_MS / 2);
  });

  it('lets a waiting thread in when the holder died without releasing (its parent releases for it)', async () => {
    const lock = new WriteLock();
    await lock.acquire(41, true);
    let acquired = false;
    const waiting = lock.acquire(0).then(() => {
      acquired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acquired).toBe(false);
    lock.release(7); // not the holder: nothing happens
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acquired).toBe(false);
    lock.release(41);
    await waiting;
    expect(acquired).toBe(true);
  });

  it('gives the polite thread a turn under a steady stream of other writes, once its patience runs out', async () => {
    const lock = new WriteLock();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Two writers taking turns: one always holds the lock while the other waits for it.
    let streaming = true;
    const turns: string[] = [];
    const writer = async (owner: number) => {
      while (streaming) {
        await lock.acquire(owner);
        turns.push(`writer ${owner}`);
        await sleep(5);
        lock.release(owner);
      }
    };
    const writers = [writer(1), writer(2)];
    await sleep(20);
    const asked = performance.now();
    await lock.acquire(9, true);
    const waited = performance.now() - asked;
    turns.push('polite');
    await sleep(5);
    lock.release(9);
    await sleep(50);
    streaming = false;
    await Promise.all(writers);

    // It let the others go first while patient, then had its turn, and the others went on after it.
    expect(waited).toBeGreaterThanOrEqual(POLITE_PATIENCE_MS - 5);
    expect(waited).toBeLessThan(POLITE_PATIENCE_MS + 200);
    const at = turns.indexOf('polite');
    expect(at).toBeGreaterThan(10);
    expect(turns.length - at).toBeGreaterThan(3);
  });

  it('lets the others go again when a polite thread that claimed the next turn dies (its parent releases for it)', async () => {
    const lock = new WriteLock();
    // The state a polite thread (id 41) leaves when it dies after claiming the next turn: the claim word set.
    new Int32Array(lock.buffer)[2] = 42;
    let acquired = false;
    const waiting = lock.acquire(0).then(() => {
      acquired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(acquired).toBe(false);
    lock.release(41);
    await waiting;
    expect(acquired).toBe(true);
  });
});
