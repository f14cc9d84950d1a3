// The check engine as an application embeds it: built from the store at start, kept current from
// the event log, with read-your-writes for callers that pass the cursor of their own write.
import type { CatalogueIndex } from '../core/catalogue.js';
import type { Party } from '../core/party.js';
import type { Store } from '../store/port.js';
import { CheckEngine } from './check-engine.js';
import { checkFromStore } from './check-from-store.js';
import { FeedFollower, type FollowerOptions } from './feed-follower.js';
import { MandateIndex } from './mandate-index.js';
import type { CheckAnswer, CheckQuery, RepresentedAnswer, RepresentedFilter } from './types.js';

export interface CreateCheckEngineOptions extends Partial<FollowerOptions> {
  store: Store;
  catalogue: Pick<CatalogueIndex, 'type'>;
  /** The clock for checks without `at` (and for dropping long-expired mandates); tests move it. */
  now?: () => number;
  /** Follow the event log in the background (default true); when false, call `catchUp()` yourself. */
  follow?: boolean;
  /** Sizes the index up front when the number of mandates is known. */
  expectedSize?: number;
}

export interface LiveCheckEngine {
  /** Answers from memory at once. */
  check(query: CheckQuery): CheckAnswer;
  /** Many checks from memory, answered in order (`CheckEngine.checkAll`). */
  checkAll(queries: readonly CheckQuery[]): CheckAnswer[];
  represented(mandatee: Party, filter: RepresentedFilter, at?: number): RepresentedAnswer;
  /** Read-your-writes: answers once the engine reflects `minCursor`, or from the store if that takes longer than the timeout. */
  checkAtLeast(query: CheckQuery, minCursor: number, timeoutMs?: number): Promise<CheckAnswer>;
  waitFor(minCursor: number, timeoutMs: number): Promise<boolean>;
  /** Wake the follower now (call after committing a change). */
  notify(): void;
  /** Applies what the event log and the record of registry changes hold beyond what the engine reflects; returns the log's cursor. */
  catchUp(): Promise<number>;
  reloadParties(): Promise<void>;
  /** Whether answers about this instant come entirely from memory (see `CheckEngine.covers`). */
  covers(at: number): boolean;
  readonly cursor: number;
  /** Mandates held in memory. */
  readonly size: number;
  readonly engine: CheckEngine;
  close(): Promise<void>;
}

const DEFAULTS: FollowerOptions = {
  pageSize: 10_000,
  batchSize: 1000,
  pollIntervalMs: 100,
  partiesRefreshMs: 600_000,
  expiredRetentionDays: 730,
  onError: (error) => console.error('check engine: reading the store failed; retrying', error),
};

export async function createCheckEngine(options: CreateCheckEngineOptions): Promise<LiveCheckEngine> {
  const { store, catalogue } = options;
  const settings: FollowerOptions = {
    pageSize: options.pageSize ?? DEFAULTS.pageSize,
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    partiesRefreshMs: options.partiesRefreshMs ?? DEFAULTS.partiesRefreshMs,
    expiredRetentionDays: options.expiredRetentionDays === undefined ? DEFAULTS.expiredRetentionDays : options.expiredRetentionDays,
    onError: options.onError ?? DEFAULTS.onError,
  };
  const engine = new CheckEngine({ catalogue, now: options.now, index: new MandateIndex(options.expectedSize) });
  const follower = new FeedFollower(store, engine, settings);
  await follower.build();
  if (options.follow !== false) follower.start();
  const now = engine.now;

  return {
    check: (query) => engine.check(query),
    checkAll: (queries) => engine.checkAll(queries),
    represented: (mandatee, filter, at) => engine.represented(mandatee, filter, at),
    async checkAtLeast(query, minCursor, timeoutMs = 250) {
      const at = query.at ?? now();
      if (engine.covers(at) && (await follower.waitFor(minCursor, timeoutMs))) return engine.check({ ...query, at });
      return checkFromStore(store, { ...query, at }, { catalogue, now });
    },
    waitFor: (minCursor, timeoutMs) => follower.waitFor(minCursor, timeoutMs),
    notify: () => follower.notify(),
    catchUp: () => follower.catchUp(),
    reloadParties: () => follower.reloadParties(),
    covers: (at) => engine.covers(at),
    get cursor() {
      return engine.cursor;
    },
    get size() {
      return engine.index.size;
    },
    engine,
    close: () => follower.stop(),
  };
}
