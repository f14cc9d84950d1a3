// What the in-process benchmark's main thread and its contender threads (inprocess-contender.ts) tell
// each other. Kept apart from the contender's module, which runs as soon as it is imported.

export type ContenderName = 'engine' | 'map' | 'casbin';

export interface ContenderSetup {
  name: ContenderName;
  n: number;
  /** The SQLite file the engine builds from. */
  file: string;
  queries: number;
  budgetMs: number;
  slice: number;
}

/** What a contender measured besides its rounds; which fields it sets is in `STATS_OF`. */
export interface BuildStats {
  indexed?: number;
  buildS?: number;
  /** CPU time of the build: the whole process's, GC threads included (no other contender has started yet). */
  buildCpuS?: number;
  memoryBuildS?: number;
  bytesPerMandate?: number;
  casbinBuildS?: number;
  /** Mean time of casbin's full `enforceSync`, measured after the warm-up passes. */
  enforceUs?: number;
}

export const STATS_OF: Record<ContenderName, (keyof BuildStats)[]> = {
  engine: ['indexed', 'buildS', 'buildCpuS', 'memoryBuildS', 'bytesPerMandate'],
  map: [],
  casbin: ['casbinBuildS', 'enforceUs'],
};

export type ContenderMessage = { type: 'ready'; stats: BuildStats } | { type: 'round'; rate: number; sliceNs: Float64Array };
