// Representatives and executors of enterprises, in memory for acting-person checks. They are not in
// the event log, so the follower reloads them whole, periodically and on demand, and swaps them in.
import type { Executor, Representation, Store } from '../store/port.js';

export class PartyRegistry {
  /** enterprise → its representatives. */
  private representatives = new Map<string, Set<string>>();
  /** enterprise → person → the types they execute. */
  private executors = new Map<string, Map<string, Set<string>>>();

  isRepresentative(enterpriseId: string, personId: string): boolean {
    return this.representatives.get(enterpriseId)?.has(personId) === true;
  }

  isExecutor(enterpriseId: string, personId: string, type: string): boolean {
    return this.executors.get(enterpriseId)?.get(personId)?.has(type) === true;
  }

  /** Replaces everything at once, so a check never sees half a reload. */
  replace(
    representatives: Iterable<{ enterpriseId: string; personId: string }>,
    executors: Iterable<{ enterpriseId: string; personId: string; type: string }>,
  ): void {
    const reps = new Map<string, Set<string>>();
    for (const r of representatives) {
      const people = reps.get(r.enterpriseId) ?? new Set<string>();
      reps.set(r.enterpriseId, people.add(r.personId));
    }
    const execs = new Map<string, Map<string, Set<string>>>();
    for (const e of executors) {
      const people = execs.get(e.enterpriseId) ?? new Map<string, Set<string>>();
      const types = people.get(e.personId) ?? new Set<string>();
      people.set(e.personId, types.add(e.type));
      execs.set(e.enterpriseId, people);
    }
    this.representatives = reps;
    this.executors = execs;
  }

  /** Reads both registers from the store, a page at a time, and swaps them in. */
  async load(store: Store, pageSize = 10_000): Promise<void> {
    const representatives = await readAll((after: Representation | null) => store.scanRepresentatives(after, pageSize), pageSize);
    const executors = await readAll((after: Executor | null) => store.scanExecutors(after, pageSize), pageSize);
    this.replace(representatives, executors);
  }
}

async function readAll<T>(scan: (after: T | null) => Promise<T[]>, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  for (let after: T | null = null; ; ) {
    const page = await scan(after);
    all.push(...page);
    if (page.length < pageSize) return all;
    after = page[page.length - 1] as T;
  }
}
