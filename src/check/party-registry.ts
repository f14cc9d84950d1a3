// Representatives and executors of enterprises, in memory for acting-person checks. They are not in
// the event log but have a record of changes of their own: the follower loads them whole at start
// (and now and then, as a safety net), and applies each recorded change after the position it loaded.
import type { Executor, Representation, Store } from '../store/port.js';
import type { RegistryChange } from '../store/registry-port.js';

export class PartyRegistry {
  /** enterprise → its representatives. */
  private representatives = new Map<string, Set<string>>();
  /** enterprise → person → the types they execute. */
  private executors = new Map<string, Map<string, Set<string>>>();
  /** The position in the record of changes that these registers reflect. */
  cursor = 0;

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

  /**
   * Reads both registers from the store, a page at a time, and swaps them in. The position is read
   * first: a change committed during the read is applied again after it, which changes nothing.
   */
  async load(store: Store, pageSize = 10_000): Promise<void> {
    const cursor = await store.registry.head();
    const representatives = await readAll((after: Representation | null) => store.scanRepresentatives(after, pageSize), pageSize);
    const executors = await readAll((after: Executor | null) => store.scanExecutors(after, pageSize), pageSize);
    this.replace(representatives, executors);
    this.cursor = cursor;
  }

  /** Applies recorded changes in order, skipping those already reflected (two catch-ups may read the same page). */
  apply(changes: readonly RegistryChange[]): void {
    for (const c of changes) {
      if (c.seq <= this.cursor) continue;
      if (c.role === 'representative') this.setRepresentative(c.enterpriseId, c.personId, c.change === 'added');
      else if (c.type !== null) this.setExecutor(c.enterpriseId, c.personId, c.type, c.change === 'added');
      this.cursor = c.seq;
    }
  }

  private setRepresentative(enterpriseId: string, personId: string, on: boolean) {
    const people = this.representatives.get(enterpriseId);
    if (on) this.representatives.set(enterpriseId, (people ?? new Set()).add(personId));
    else if (people?.delete(personId) && people.size === 0) this.representatives.delete(enterpriseId);
  }

  private setExecutor(enterpriseId: string, personId: string, type: string, on: boolean) {
    const people = this.executors.get(enterpriseId) ?? new Map<string, Set<string>>();
    const types = people.get(personId) ?? new Set<string>();
    if (on) types.add(type);
    else types.delete(type);
    if (types.size > 0) people.set(personId, types);
    else people.delete(personId);
    if (people.size > 0) this.executors.set(enterpriseId, people);
    else this.executors.delete(enterpriseId);
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
