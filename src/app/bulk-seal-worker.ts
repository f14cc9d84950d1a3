// A worker thread that seals events for bulk jobs (signing is the costly part), so the job's own
// thread decides and writes meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import type { MandateEvent } from '../core/events.js';
import { recordSigner, type SealingKey, sealParts } from './bulk-seal-core.js';

const signRecord = recordSigner(workerData as SealingKey);
// Until this arrives the job seals inline, so its first chunks do not wait for the thread to start.
parentPort?.postMessage({ ready: true });
// Events come as a structured clone: cheaper for the job's thread to send than JSON text (this thread has time to spare).
parentPort?.on('message', (message: { id: number; events: MandateEvent[] }) => {
  parentPort?.postMessage({ id: message.id, parts: sealParts(message.events, signRecord) });
});
