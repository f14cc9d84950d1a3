// Bulk jobs in a thread of their own, at a lower CPU priority than the thread that serves requests.
// On the serving thread a job's chunks (deciding, writing, the garbage they leave) stalled every
// request in turn, checks included; in their own thread they only compete for a core, and the kernel
// gives the serving thread the core first. The thread opens its own store connection (on SQLite the
// two take the process's write lock in turn, ours first) and starts with the server, so a job
// submitted finds it ready: loading it then, at its low priority beside busy requests, took seconds.
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { ThreadShare } from '../store/port.js';
import { WriteLock } from '../store/write-lock.js';
import type { JobRunner } from './bulk-worker.js';
import type { AppContext } from './context.js';
import { tsWorker } from './ts-worker.js';

/** What the thread is started with (a structured clone). */
export interface JobThreadData {
  config: Config;
  pollMs: number;
  /** What the thread's store shares with ours (SQLite's write lock). */
  share: ThreadShare | undefined;
}

/** Messages to the thread. */
export type ToJobThread = 'notify' | 'stop';
/** Messages from the thread: it is ready (its worker started), or something went wrong. */
export type FromJobThread = { ready: true } | { error: string };

/** How long `stop` waits for the chunk in progress before it ends the thread anyway. */
const STOP_GRACE_MS = 30_000;

export class BatchThread implements JobRunner {
  private thread: Worker | undefined;
  /** Whether the thread's worker started: before that it holds no job, and stopping it needs no grace. */
  private ready = false;
  /** Threads that died in a row: each waits twice as long before starting again (a database that is down). */
  private deaths = 0;
  private exited: Promise<void> | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly app: AppContext,
    private readonly config: Config,
    private readonly options: { pollMs: number; onError: (error: unknown) => void },
  ) {}

  start() {
    this.spawn();
  }

  notify() {
    this.thread?.postMessage('notify' satisfies ToJobThread);
  }

  /** Lets the thread finish its chunk and release its job (another instance resumes it), then ends it. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.restart);
    const thread = this.thread;
    if (!thread) return;
    if (!this.ready) void thread.terminate();
    thread.postMessage('stop' satisfies ToJobThread);
    const grace = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  private spawn() {
    if (this.stopped) return;
    const share = this.app.store.threadShare;
    const data: JobThreadData = { config: this.config, pollMs: this.options.pollMs, share };
    const thread = tsWorker(new URL('./bulk-job-thread-entry.ts', import.meta.url), data);
    this.thread = thread;
    this.ready = false;
    this.exited = new Promise((resolve) => thread.once('exit', () => resolve()));
    thread.on('message', (m: FromJobThread) => {
      if ('ready' in m) {
        this.ready = true;
        this.deaths = 0;
      } else this.options.onError(new Error(m.error));
    });
    thread.on('error', (error) => this.options.onError(error));
    const { threadId } = thread;
    thread.once('exit', (code) => {
      this.thread = undefined;
      // A thread ended in the middle of a write (terminated, or crashed) cannot release the lock itself.
      if (share) new WriteLock(share.writeLock).release(threadId);
      if (this.stopped) return;
      // It died (an error is logged above); its job stays claimable and a new thread resumes it.
      this.options.onError(new Error(`the bulk job thread exited with code ${code}`));
      this.deaths += 1;
      this.restart = setTimeout(() => this.spawn(), Math.min(60_000, this.options.pollMs * 2 ** (this.deaths - 1)));
      this.restart.unref();
    });
  }
}
