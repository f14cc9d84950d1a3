// The other side of write-turns.test.ts: a thread that writes in long transactions, one after the
// other, as a bulk job's thread does, on its own connection sharing the write lock (politely).
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { inTransaction } from '../../src/store/transaction.js';

const { file, writeLock, holdMs, transactions } = workerData as {
  file: string;
  writeLock: SharedArrayBuffer;
  holdMs: number;
  transactions: number;
};
const store = openSqliteStore(file, { writeLock, polite: true });
for (let i = 0; i < transactions; i++) {
  await inTransaction(store.db, 'sqlite', async (conn) => {
    await sql`insert into turns (who) values ('job')`.execute(conn);
    // Work that keeps the lock, as deciding and writing a chunk does (synchronous, like better-sqlite3).
    const until = performance.now() + holdMs;
    while (performance.now() < until);
  });
  if (i === 0) parentPort?.postMessage('writing');
}
await store.close();
parentPort?.postMessage('done');
