// Heap measurement for the benchmarks' threads. They need \`gc\`: bench/check-inprocess.ts turns on
// --expose-gc before it starts them.
const { gc } = globalThis as { gc?: () => void };

/** Full collections, twice (the second frees what finalizers of the first released). */
export function collectGarbage(): void {
  if (!gc) throw new Error('heap measurement needs --expose-gc');
  gc();
  gc();
}

/** Bytes this thread's heap keeps after full collections; typed arrays live outside the JS heap, so they count too. */
export function heapBytes(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
