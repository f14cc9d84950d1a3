// The scheduler's one lifecycle duty: proposals not countersigned in time lapse. Safe to run on
// several instances at once: each lapse is a command under the log's write lock, and a proposal
// another instance lapsed first is simply refused (MANDATE_STATUS) and skipped.
import type { AppContext } from './context.js';
import { lapseMandate } from './mandate-commands.js';

export async function lapseDueProposals(app: AppContext, batch = 500): Promise<number> {
  let lapsed = 0;
  for (;;) {
    const due = await app.store.dueProposals(app.now().toISOString(), batch);
    for (const id of due) {
      const result = await lapseMandate(app, id);
      if (result.ok) lapsed += 1;
    }
    if (due.length < batch) return lapsed;
  }
}

/** Runs `lapseDueProposals` every `intervalMs` until stopped; errors are reported, never fatal. */
export function startLapseScheduler(app: AppContext, intervalMs: number, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await lapseDueProposals(app);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
