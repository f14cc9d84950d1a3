// Heap measurement for the benchmarks: a full collection on demand (the benchmark that starts threads
// sets --expose-gc itself before they start; otherwise it is turned on here).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

/** Full collections, twice (the second frees what finalizers of the first released). */
export function collectGarbage(): void {
  gc();
  gc();
}

/** Bytes this thread's heap keeps after full collections; typed arrays live outside the JS heap, so they count too. */
export function heapBytes(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
