// Sealers for bulk jobs: sign and serialize events in worker threads (one per spare core), or inline
// when there is no spare core or the job is small. Either way the result is the same bytes.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { MandateEvent } from '../core/events.js';
import { recordSigner, type SealedParts, type SealingKey, sealParts } from './bulk-seal-core.js';
import type { AppContext } from './context.js';
import { tsWorker } from './ts-worker.js';

/** Events handed to a sealer. */
export interface Sealing {
  /** The sealed parts, in order; events no thread has started on yet are sealed here and now. */
  result(): Promise<SealedParts[]>;
}

export interface Sealer {
  /** Hands events over to be signed (setting `jws` on their signatures) and serialized for the log. */
  seal(events: MandateEvent[]): Sealing;
  close(): Promise<void>;
}

/** The key ring's current key, as the sealers need it. */
export async function sealingKey(app: AppContext): Promise<SealingKey> {
  const kid = app.keys.currentKid();
  const key = (await app.store.signingKeys()).find((k) => k.kid === kid);
  if (!key) throw new Error(`signing key ${kid} is not in the store`);
  return { kid: key.kid, alg: key.alg, privateJwk: key.privateJwk };
}

/** Seals on the calling thread, when the result is asked for. */
export function inlineSealer(key: SealingKey): Sealer {
  const signRecord = recordSigner(key);
  return {
    seal: (events) => ({ result: async () => sealParts(events, signRecord) }),
    close: async () => undefined,
  };
}

/** Worker threads to use: every core but the one the job's own thread runs on. */
export const spareCores = () => Math.min(4, availableParallelism() - 1);

/** Requests a thread holds at once: one being sealed, one waiting, so it never idles between messages. */
const IN_FLIGHT = 2;

interface Request {
  events: MandateEvent[];
  resolve(parts: SealedParts[]): void;
  done: Promise<SealedParts[]>;
}

interface SealingThread {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Request>;
}

/**
 * Seals in `threads` worker threads. Requests wait in a queue and go to a thread that has room; one
 * still queued when its result is asked for is sealed inline instead (the asking thread would only
 * wait), which also covers the threads' start and a thread that fails (its requests go back in the queue).
 */
export function threadSealer(key: SealingKey, threads = spareCores()): Sealer {
  const inline = inlineSealer(key);
  if (threads < 1) return inline;
  const queue: Request[] = [];
  const pool: SealingThread[] = [];
  let nextId = 0;

  const pump = () => {
    for (const thread of pool) {
      while (thread.ready && thread.inFlight.size < IN_FLIGHT && queue.length > 0) {
        const request = queue.shift() as Request;
        const id = nextId++;
        thread.inFlight.set(id, request);
        thread.worker.postMessage({ id, events: request.events });
      }
    }
  };

  for (let i = 0; i < threads; i++) {
    const worker = tsWorker(new URL('./bulk-seal-worker.ts', import.meta.url), key);
    worker.unref();
    const thread: SealingThread = { worker, ready: false, inFlight: new Map() };
    pool.push(thread);
    worker.on('message', (m: { ready: true } | { id: number; parts: SealedParts[] }) => {
      if ('ready' in m) thread.ready = true;
      else {
        thread.inFlight.get(m.id)?.resolve(m.parts);
        thread.inFlight.delete(m.id);
      }
      pump();
    });
    const fail = () => {
      thread.ready = false;
      pool.splice(pool.indexOf(thread), 1);
      // Its requests are sealed by another thread, or inline when asked for.
      queue.unshift(...thread.inFlight.values());
      thread.inFlight.clear();
      pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && pool.includes(thread) && fail());
  }

  return {
    seal(events) {
      let resolve!: (parts: SealedParts[]) => void;
      const done = new Promise<SealedParts[]>((settle) => {
        resolve = (parts) => {
          // The thread signed copies: put each JWS on the caller's own event.
          parts.forEach((p, j) => {
            const e = events[j] as MandateEvent;
            if (p.jws && 'signature' in e.data && e.data.signature) e.data.signature.jws = p.jws;
          });
          settle(parts);
        };
      });
      const request: Request = { events, resolve, done };
      queue.push(request);
      pump();
      return {
        async result() {
          const queued = queue.indexOf(request);
          if (queued < 0) return done;
          queue.splice(queued, 1);
          return inline.seal(events).result();
        },
      };
    },
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
