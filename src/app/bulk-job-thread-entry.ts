// The bulk job thread (see bulk-job-thread.ts): its own store connection and a BatchWorker, at a lower
// CPU priority. On Linux the priority is per thread, and the sealing threads it starts inherit it.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open.js';
import type { FromJobThread, JobThreadData, ToJobThread } from './bulk-job-thread.js';
import { BatchWorker } from './bulk-worker.js';
import { openApp } from './context.js';

/** A background niceness: the serving thread (0) gets about nine tenths of a core both want. */
const BACKGROUND_NICE = 10;

const { config, pollMs, share } = workerData as JobThreadData;
const report = (error: unknown) =>
  parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromJobThread);

try {
  setPriority(BACKGROUND_NICE);
} catch (error) {
  // Where threads cannot be reniced the job still runs, only at the same priority as requests.
  report(error);
}
// Our writers let the serving thread's go first: a request's write waits for at most the chunk in progress.
const app = await openApp(config, { store: openStore(config.databaseUrl, { writeLock: share?.writeLock, polite: true }) });
const worker = new BatchWorker(app, {
  chunkSize: config.batchChunkSize,
  leaseMs: config.batchLeaseSeconds * 1000,
  pollMs,
  onError: report,
});
worker.start();
parentPort?.postMessage({ ready: true } satisfies FromJobThread);
parentPort?.on('message', async (message: ToJobThread) => {
  if (message === 'notify') return worker.notify();
  await worker.stop();
  await app.store.close();
  parentPort?.close();
});
