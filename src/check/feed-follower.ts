// Builds the engine's index from the store and keeps it current from the event log: it tails the log
// by cursor, re-reads the rows of the mandates each batch of events touched, and applies them
// (idempotent: a row no newer than what the index holds changes nothing). Representatives and
// executors are not in the log: it follows their own record of changes the same way, by position.
import type { EventType } from '../core/events.js';
import type { Store } from '../store/port.js';
import type { CheckEngine } from './check-engine.js';

export interface FollowerOptions {
  /** Rows per page when scanning the mandates at build. */
  pageSize: number;
  /** Events per read of the log. */
  batchSize: number;
  /** How often to look for new events when nobody calls `notify`. */
  pollIntervalMs: number;
  /** How often to reload representatives and executors whole, a safety net beside following their changes (and to drop long-expired mandates). */
  partiesRefreshMs: number;
  /** Days an expired mandate stays in memory (for checks about past instants); null keeps them all. */
  expiredRetentionDays: number | null;
  onError: (error: unknown) => void;
}

interface Waiter {
  minCursor: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const DAY_MS = 86_400_000;

/**
 * Events that only concern a mandate nobody has signed yet: proposed, refused, withdrawn, lapsed. The
 * index holds signed mandates only, so these change nothing in it and their rows need not be read;
 * a bulk job of creates writes nothing else, a thousand events a chunk.
 */
const PENDING_ONLY: ReadonlySet<EventType> = new Set(['MandateProposed', 'MandateRefused', 'MandateWithdrawn', 'MandateLapsed']);

export class FeedFollower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = true;
  private partiesLoadedAt = 0;
  private waiters: Waiter[] = [];

  constructor(
    private readonly store: Store,
    private readonly engine: CheckEngine,
    private readonly options: FollowerOptions,
  ) {}

  /** Fills the index from scratch: remember the log head, scan the signed mandates, then apply what happened meanwhile. */
  async build(): Promise<void> {
    const { seq } = await this.store.head();
    await this.reloadParties();
    this.engine.index.horizon = this.horizon();
    // Sized once: growing by doubling from empty re-places every record about twice (a second of a million's build).
    this.engine.index.reserve(await this.store.countSignedMandates());
    const { pageSize } = this.options;
    for (let afterId: string | null = null; ; ) {
      const page = await this.store.scanSignedMandates(afterId, pageSize);
      for (const mandate of page) this.engine.index.keep(mandate);
      if (page.length < pageSize) break;
      afterId = (page[page.length - 1] as { id: string }).id;
    }
    this.engine.cursor = seq;
    await this.catchUp();
  }

  /**
   * Applies every event after the cursor; returns the new cursor. It reads only which mandates
   * changed (not the events themselves), then their current rows, a page at a time, and lets the
   * event loop answer checks between pages: a bulk job writes thousands of events a second.
   */
  async catchUp(): Promise<number> {
    const { batchSize } = this.options;
    for (;;) {
      const positions = await this.store.eventPositions(this.engine.cursor, batchSize);
      if (positions.length === 0) break;
      const changed = new Set<string>();
      for (const p of positions) if (!PENDING_ONLY.has(p.type)) changed.add(p.mandateId);
      const rows = changed.size === 0 ? [] : await this.store.getMandates([...changed]);
      for (const row of rows) this.engine.index.apply(row);
      this.engine.cursor = (positions[positions.length - 1] as { seq: number }).seq;
      this.settleWaiters();
      if (positions.length < batchSize) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.catchUpParties();
    return this.engine.cursor;
  }

  /** Applies the changes to representatives and executors recorded after the position the registers reflect. */
  private async catchUpParties(): Promise<void> {
    const { batchSize } = this.options;
    for (;;) {
      const changes = await this.store.registry.changesAfter(this.engine.parties.cursor, batchSize);
      this.engine.parties.apply(changes);
      if (changes.length < batchSize) return;
    }
  }

  async reloadParties(): Promise<void> {
    await this.engine.parties.load(this.store, this.options.pageSize);
    this.partiesLoadedAt = Date.now();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.pollIntervalMs);
  }

  /** Looks for new events now (the app calls this right after its own commit). */
  notify(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    clearTimeout(this.timer);
    void this.tick();
  }

  /** Resolves true once the engine reflects the log up to `minCursor`, false if that takes longer than the timeout. */
  waitFor(minCursor: number, timeoutMs: number): Promise<boolean> {
    if (this.engine.cursor >= minCursor) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        minCursor,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.notify();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve(this.engine.cursor >= w.minCursor);
    }
    this.waiters = [];
  }

  private horizon(): number {
    const days = this.options.expiredRetentionDays;
    return days === null ? Number.NEGATIVE_INFINITY : this.engine.now() - days * DAY_MS;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // The follower never keeps a process alive on its own.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.running = this.poll();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    if (this.wakeAgain) {
      this.wakeAgain = false;
      void this.tick();
    } else {
      this.schedule(this.options.pollIntervalMs);
    }
  }

  private async poll(): Promise<void> {
    try {
      await this.catchUp();
      if (Date.now() - this.partiesLoadedAt >= this.options.partiesRefreshMs) {
        await this.reloadParties();
        this.engine.index.prune(this.horizon());
      }
    } catch (error) {
      // A failed read (database restart, failover) is retried at the next poll; the index stays as it was.
      this.options.onError(error);
    }
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const cursor = this.engine.cursor;
    this.waiters = this.waiters.filter((w) => {
      if (w.minCursor > cursor) return true;
      clearTimeout(w.timer);
      w.resolve(true);
      return false;
    });
  }
}
