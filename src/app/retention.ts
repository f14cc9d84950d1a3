// Housekeeping: what has served its purpose is deleted, hourly in `ssm serve` and on demand with
// `ssm prune`. Idempotency keys are remembered for a day (a client's retries come within minutes);
// finished webhook deliveries and e-mail messages for the retention period (for support questions:
// "did you send it?"); expired sessions and sign-ins not at all. The event log is the record and is
// never pruned.
import type { PruneCounts } from '../store/port.js';
import type { AppContext } from './context.js';

const DAY_MS = 86_400_000;
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;
const PRUNE_INTERVAL_MS = 3_600_000;

export function prune(app: AppContext, retentionDays: number): Promise<PruneCounts> {
  const now = app.now().getTime();
  return app.store.prune({
    idempotencyBefore: new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString(),
    finishedBefore: new Date(now - retentionDays * DAY_MS).toISOString(),
    expiredBefore: new Date(now).toISOString(),
  });
}

/** Prunes once an hour (and once at start); returns the function that stops it. */
export function startPruning(app: AppContext, retentionDays: number, onError: (error: unknown) => void): () => void {
  const run = () => prune(app, retentionDays).catch(onError);
  void run();
  const timer = setInterval(run, PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
