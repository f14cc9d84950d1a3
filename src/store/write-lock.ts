// SQLite's write lock, taken in turn by the threads of one process before SQLite is asked for it.
// SQLite itself lets a connection that finds the database locked sleep and retry, blocking its thread
// (the one serving requests, for the main connection) and favouring whoever asks again first: a bulk
// job thread starting chunk after chunk kept a request's write waiting for seconds. Here a thread
// waits without blocking, and the job thread (`polite`) lets waiting threads go first — for a while:
// under a steady stream of other writes it would otherwise never get a turn, so once its patience
// runs out the others let it go next, once.
const STATE = 0; // 0: free; otherwise the holder's thread id + 1
const WAITERS = 1; // threads waiting for it, not counting polite ones
const NEXT = 2; // 0, or the id + 1 of a polite thread out of patience: the others wait until it has had its turn
/** A waiter looks again this often even if nobody notifies it (e.g. a holder that died is released by its parent). */
const RECHECK_MS = 250;
/** How long a polite thread lets others go first before it claims the next turn. */
export const POLITE_PATIENCE_MS = 200;

export class WriteLock {
  readonly buffer: SharedArrayBuffer;
  private readonly words: Int32Array;

  constructor(buffer = new SharedArrayBuffer(12)) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
  }

  /** Resolves once `owner` holds the lock. A polite owner first lets waiting threads have it, for a while. */
  async acquire(owner: number, polite = false): Promise<void> {
    const w = this.words;
    const id = owner + 1;
    const patientUntil = performance.now() + POLITE_PATIENCE_MS;
    let claimed = false;
    if (!polite) Atomics.add(w, WAITERS, 1);
    try {
      for (;;) {
        if (polite && !claimed) {
          while (Atomics.load(w, WAITERS) > 0 && performance.now() < patientUntil) await new Promise((resolve) => setTimeout(resolve, 1));
          if (Atomics.load(w, WAITERS) > 0) claimed = Atomics.compareExchange(w, NEXT, 0, id) === 0;
        }
        const next = Atomics.load(w, NEXT);
        if (next !== 0 && next !== id) {
          await waitWhile(w, NEXT, next);
          continue;
        }
        const held = Atomics.compareExchange(w, STATE, 0, id);
        if (held === 0) return;
        await waitWhile(w, STATE, held);
      }
    } finally {
      if (!polite) Atomics.sub(w, WAITERS, 1);
      if (claimed) this.unclaim(id);
    }
  }

  /** Releases the lock if `owner` holds it, and any claim it has on the next turn (for a thread that died waiting or writing). */
  release(owner: number): void {
    if (Atomics.compareExchange(this.words, STATE, owner + 1, 0) === owner + 1) Atomics.notify(this.words, STATE);
    this.unclaim(owner + 1);
  }

  private unclaim(id: number) {
    if (Atomics.compareExchange(this.words, NEXT, id, 0) === id) Atomics.notify(this.words, NEXT);
  }
}

/** Waits, without blocking the thread, until the word is no longer `value` (or a while has passed). */
async function waitWhile(words: Int32Array, index: number, value: number): Promise<void> {
  const wait = Atomics.waitAsync(words, index, value, RECHECK_MS);
  if (!wait.async) return;
  // A pending waitAsync does not keep the thread's event loop alive; with nothing else to do the thread would exit.
  const alive = setTimeout(() => undefined, RECHECK_MS);
  await wait.value;
  clearTimeout(alive);
}
