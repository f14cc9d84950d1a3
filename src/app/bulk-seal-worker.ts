// A worker thread that seals events for bulk jobs (signing is the costly part), so the job's own
// thread decides and writes meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import type { MandateEvent } from '../core/events.js';
import { recordSigner, type SealingKey, sealParts } from './bulk-seal-core.js';

const signRecord = recordSigner(workerData as SealingKey);
// Until this arrives the job seals inline, so its first chunks do not wait for the thread to start.
parentPort?.postMessage({ ready: true });
// Events come as JSON text: cheaper to pass than a structured clone of many small objects.
parentPort?.on('message', (message: { id: number; events: string }) => {
  parentPort?.postMessage({ id: message.id, parts: sealParts(JSON.parse(message.events) as MandateEvent[], signRecord) });
});
