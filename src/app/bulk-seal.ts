// Sealers for bulk jobs: sign and serialize events in worker threads (one per spare core), or inline
// when there is no spare core or the job is small. Either way the result is the same bytes.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MandateEvent } from '../core/events.js';
import { recordSigner, type SealedParts, type SealingKey, sealParts } from './bulk-seal-core.js';
import type { AppContext } from './context.js';

export interface Sealer {
  /** Signs the events' signatures (setting `jws` on them) and serializes them for the log, in order. */
  seal(events: MandateEvent[]): Promise<SealedParts[]>;
  close(): Promise<void>;
}

/** The key ring's current key, as the sealers need it. */
export async function sealingKey(app: AppContext): Promise<SealingKey> {
  const kid = app.keys.currentKid();
  const key = (await app.store.signingKeys()).find((k) => k.kid === kid);
  if (!key) throw new Error(`signing key ${kid} is not in the store`);
  return { kid: key.kid, alg: key.alg, privateJwk: key.privateJwk };
}

export function inlineSealer(key: SealingKey): Sealer {
  const signRecord = recordSigner(key);
  return { seal: async (events) => sealParts(events, signRecord), close: async () => undefined };
}

/** The ESM entry of tsx's API (the `import` condition of `tsx/esm/api`). */
function tsxEsmApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

/** Worker threads to use: every core but the one the job's own thread runs on. */
export const spareCores = () => Math.min(4, availableParallelism() - 1);

/** Seals in `threads` worker threads (round robin); a worker that fails is replaced by inline sealing. */
export function threadSealer(key: SealingKey, threads = spareCores()): Sealer {
  const inline = inlineSealer(key);
  if (threads < 1) return inline;
  // The worker is TypeScript like the rest: a small bootstrap registers tsx in the thread, then loads it.
  const tsxApi = tsxEsmApi();
  const entry = new URL('./bulk-seal-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  const waiting = new Map<number, { resolve: (p: SealedParts[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const workers: (Worker | null)[] = [];
  const ready: boolean[] = [];
  for (let i = 0; i < threads; i++) {
    // A larger young generation than the default: each message makes thousands of short-lived objects.
    const worker = new Worker(bootstrap, { eval: true, workerData: key, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    worker.unref();
    ready.push(false);
    worker.on('message', (m: { ready: true } | { id: number; parts: SealedParts[] }) => {
      if ('ready' in m) {
        ready[i] = true;
        return;
      }
      waiting.get(m.id)?.resolve(m.parts);
      waiting.delete(m.id);
    });
    const fail = (error: Error) => {
      workers[i] = null;
      // Requests this worker held are failed; the chunk is retried and sealed inline.
      for (const [id, w] of waiting) if (id % threads === i) w.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail(new Error(`sealing worker exited with ${code}`)));
    workers.push(worker);
  }
  return {
    seal(events) {
      const id = nextId++;
      const index = id % threads;
      const worker = workers[index];
      if (!worker || !ready[index]) return inline.seal(events);
      return new Promise<SealedParts[]>((resolve, reject) => {
        waiting.set(id, {
          resolve: (parts) => {
            // The worker signed copies: put each JWS on the caller's own event.
            parts.forEach((p, j) => {
              const e = events[j] as MandateEvent;
              if (p.jws && 'signature' in e.data && e.data.signature) e.data.signature.jws = p.jws;
            });
            resolve(parts);
          },
          reject,
        });
        worker.postMessage({ id, events });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w?.terminate()));
    },
  };
}
