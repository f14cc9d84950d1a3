// The background worker of bulk jobs: claims a queued job (or one whose worker died: its lease
// expired) and processes it chunk by chunk. Several instances may run one each; on PostgreSQL their
// claims skip each other (FOR UPDATE SKIP LOCKED), and a chunk commits only under the claimer's lease.
import { hostname } from 'node:os';
import type { BatchJob } from '../store/batch-port.js';
import { processJob } from './bulk-jobs.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';

export interface WorkerOptions {
  chunkSize: number;
  leaseMs: number;
  /** How often to look for work when nothing woke the worker. */
  pollMs: number;
  onError?: (error: unknown) => void;
  onProgress?: (job: BatchJob) => void;
}

/** A worker id that tells operators which process holds a job. */
export const workerId = (label = 'worker') => `${label}:${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;

/** What runs the jobs of an instance: this worker on the calling thread, or a thread of its own (bulk-job-thread.ts). */
export interface JobRunner {
  start(): void;
  /** Look for work now (a job was just submitted). */
  notify(): void;
  stop(): Promise<void>;
}

export class BatchWorker implements JobRunner {
  readonly id = workerId();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private wake = false;

  constructor(
    private readonly app: AppContext,
    private readonly options: WorkerOptions,
  ) {}

  start() {
    this.schedule(0);
  }

  notify() {
    if (this.stopping.signal.aborted) return;
    if (this.running) this.wake = true;
    else this.schedule(0);
  }

  /** Stops after the chunk in progress; the job is released so another worker resumes it at once. */
  async stop() {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        this.schedule(this.wake ? 0 : this.options.pollMs);
        this.wake = false;
      });
    }, ms);
    this.timer.unref();
  }

  /** Claims and processes jobs until there is none. */
  private async drain() {
    try {
      await this.app.store.batches.discardStale(new Date(Date.now() - 3_600_000).toISOString());
      while (!this.stopping.signal.aborted) {
        const job = await this.runOnce();
        if (!job) return;
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Claims one job and processes it; undefined when there was none. */
  async runOnce(): Promise<BatchJob | undefined> {
    const now = Date.now();
    const job = await this.app.store.batches.claim(
      this.id,
      new Date(now).toISOString(),
      new Date(now + this.options.leaseMs).toISOString(),
    );
    if (!job) return undefined;
    return (
      (await processJob(this.app, job.id, this.id, {
        chunkSize: this.options.chunkSize,
        leaseMs: this.options.leaseMs,
        signal: this.stopping.signal,
        onProgress: this.options.onProgress,
      })) ?? job
    );
  }
}
