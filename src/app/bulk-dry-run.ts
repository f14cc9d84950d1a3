// Dry runs: every item judged against the current state with the real rules, in memory; nothing is
// written. Items see the effects of the items before them, as they would in the job.
import type { BatchJob } from '../store/batch-port.js';
import { ChunkState, decideChunk } from './bulk-chunk.js';
import { checkOnBehalfOf, type ItemInput, JobInputError, type JobRefusal, type JobRequest, jobActor, MAX_ITEMS } from './bulk-jobs.js';
import type { ItemProblem } from './bulk-operations.js';
import type { AppContext } from './context.js';

export interface DryRunProblem {
  index: number;
  row: number | null;
  line: number | null;
  op: string;
  problem: ItemProblem;
}

export interface DryRunReport {
  total: number;
  wouldApply: number;
  refused: number;
  /** The refused items, in order (at most `limit`). */
  problems: DryRunProblem[];
  truncated: boolean;
}

/**
 * Judges every item against the current state with the real rules, in memory: nothing is written.
 * Items see the effects of the items before them, as they would in the job.
 */
export async function dryRun(
  app: AppContext,
  req: JobRequest,
  items: AsyncIterable<ItemInput> | Iterable<ItemInput>,
  options: { chunkSize: number; limit?: number },
): Promise<{ ok: true; report: DryRunReport } | { ok: false; refusal: JobRefusal }> {
  const notAllowed = await checkOnBehalfOf(app, req.actor, req.onBehalfOf);
  if (notAllowed) return { ok: false, refusal: notAllowed };
  const limit = options.limit ?? 10_000;
  const source = {
    getMandates: (ids: readonly string[]) => app.store.getMandates(ids),
    sameTriples: app.store.batches.sameTriples.bind(app.store.batches),
  };
  const state = new ChunkState();
  const represents = new Set(await app.store.enterprisesRepresentedBy(req.actor.id));
  const now = app.now();
  const pseudoJob = {
    owner: req.actor.id,
    authTime: req.actor.authTime,
    authLevel: req.actor.authLevel,
    onBehalfOf: req.onBehalfOf,
    createdAt: now.toISOString(),
  } as BatchJob;
  const who = jobActor(app, pseudoJob, represents, now);
  const report: DryRunReport = { total: 0, wouldApply: 0, refused: 0, problems: [], truncated: false };
  let chunk: ItemInput[] = [];
  const judge = async () => {
    const decisions = await decideChunk(
      app,
      source,
      chunk.map((c) => c.op),
      who,
      state,
      now,
    );
    decisions.forEach((d, i) => {
      const item = chunk[i] as ItemInput;
      if (d.ok) {
        report.wouldApply += 1;
        return;
      }
      report.refused += 1;
      if (report.problems.length >= limit) report.truncated = true;
      else
        report.problems.push({
          index: report.total - chunk.length + i,
          row: item.row,
          line: item.line,
          op: item.op.op === 'invalid' ? (item.op.attempted ?? 'invalid') : item.op.op,
          problem: d.problem,
        });
    });
    chunk = [];
  };
  try {
    for await (const item of items) {
      if (report.total >= MAX_ITEMS) {
        throw new JobInputError({
          status: 413,
          code: 'CSV_TOO_MANY_ROWS',
          message: `A job has at most ${MAX_ITEMS} operations; split the file.`,
        });
      }
      chunk.push(item);
      report.total += 1;
      if (chunk.length >= options.chunkSize) await judge();
    }
    if (chunk.length > 0) await judge();
  } catch (error) {
    if (error instanceof JobInputError) return { ok: false, refusal: error.refusal };
    throw error;
  }
  return { ok: true, report };
}
