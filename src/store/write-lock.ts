// SQLite's write lock, taken in turn by the threads of one process before SQLite is asked for it.
// SQLite itself lets a connection that finds the database locked sleep and retry, blocking its thread
// (the one serving requests, for the main connection) and favouring whoever asks again first: a bulk
// job thread starting chunk after chunk kept a request's write waiting for seconds. Here a thread
// waits without blocking, and the job thread (`polite`) lets waiting threads go first.
const STATE = 0; // 0: free; otherwise the holder's thread id + 1
const WAITERS = 1; // threads waiting for it, not counting polite ones
/** A waiter looks again this often even if nobody notifies it (e.g. a holder that died is released by its parent). */
const RECHECK_MS = 250;

export class WriteLock {
  readonly buffer: SharedArrayBuffer;
  private readonly words: Int32Array;

  constructor(buffer = new SharedArrayBuffer(8)) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
  }

  /** Resolves once `owner` holds the lock. A polite owner first lets every waiting thread have it. */
  async acquire(owner: number, polite = false): Promise<void> {
    const w = this.words;
    const id = owner + 1;
    if (!polite) Atomics.add(w, WAITERS, 1);
    try {
      for (;;) {
        if (polite) while (Atomics.load(w, WAITERS) > 0) await new Promise((resolve) => setTimeout(resolve, 1));
        const held = Atomics.compareExchange(w, STATE, 0, id);
        if (held === 0) return;
        const wait = Atomics.waitAsync(w, STATE, held, RECHECK_MS);
        if (!wait.async) continue;
        // A pending waitAsync does not keep the thread's event loop alive; with nothing else to do the thread would exit.
        const alive = setTimeout(() => undefined, RECHECK_MS);
        await wait.value;
        clearTimeout(alive);
      }
    } finally {
      if (!polite) Atomics.sub(w, WAITERS, 1);
    }
  }

  release(owner: number): void {
    if (Atomics.compareExchange(this.words, STATE, owner + 1, 0) === owner + 1) Atomics.notify(this.words, STATE);
  }
}
