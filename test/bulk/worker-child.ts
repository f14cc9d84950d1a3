// A worker process for the crash test: opens the app on the database given and processes bulk jobs
// until none is left, printing progress. The test kills it with SIGKILL mid-job and starts another.
//   node --import tsx test/bulk/worker-child.ts <database url> <chunk size> <lease ms>
import { BatchWorker } from '../../src/app/bulk-worker.js';
import { openApp } from '../../src/app/context.js';
import { loadConfig } from '../../src/config.js';

const [url, chunk = '100', lease = '1500'] = process.argv.slice(2);
if (!url) throw new Error('usage: worker-child.ts <database url> [chunk] [lease ms]');
const app = await openApp(loadConfig({}, { databaseUrl: url }));
const worker = new BatchWorker(app, {
  chunkSize: Number(chunk),
  leaseMs: Number(lease),
  pollMs: 100,
  onProgress: (job) => process.stdout.write(`${job.processed}/${job.total}\n`),
});
// Claim until nothing is left; a job whose worker died is claimable once its lease has expired.
for (let idle = 0; idle < 50; ) {
  const job = await worker.runOnce();
  if (job) idle = 0;
  else {
    idle += 1;
    await new Promise((r) => setTimeout(r, 100));
  }
  const open = (await app.store.batches.list(process.env.SSM_TEST_OWNER ?? '', 10)).filter(
    (j) => j.status === 'queued' || j.status === 'running',
  );
  if (open.length === 0) break;
}
await app.store.close();
process.stdout.write('exit\n');
