// Submitting a bulk job, whatever its form: a list of operations, a portfolio action, or a CSV file.
// Small jobs are processed at once in the request; larger ones are queued for the worker. A dry run
// judges every item and writes nothing.

import { brusselsDay } from '../core/dates.js';
import type { Party } from '../core/party.js';
import type { BatchJob } from '../store/batch-port.js';
import { readCsvItems } from './bulk-csv.js';
import { type DryRunReport, dryRun } from './bulk-dry-run.js';
import { type ItemInput, type JobRefusal, type Person, processJob, storeJob } from './bulk-jobs.js';
import { parseJsonOperation } from './bulk-operations.js';
import { expandPortfolio, type PortfolioSpec } from './bulk-portfolio.js';
import { workerId } from './bulk-worker.js';
import type { AppContext } from './context.js';

export interface BulkSettings {
  chunkSize: number;
  /** Jobs of at most this many items are processed in the request that submits them. */
  inlineMax: number;
  leaseMs: number;
}

export type BatchInput =
  | { form: 'operations'; operations: unknown[] }
  | { form: 'portfolio'; spec: PortfolioSpec }
  | { form: 'csv'; bytes: AsyncIterable<Uint8Array | string>; fileName: string | null };

export type Submission =
  | { outcome: 'dry-run'; report: DryRunReport }
  /** Processed in the request (done, or failed/cancelled meanwhile). */
  | { outcome: 'finished'; job: BatchJob }
  | { outcome: 'queued'; job: BatchJob }
  | { outcome: 'refused'; refusal: JobRefusal };

async function itemsOf(
  app: AppContext,
  input: BatchInput,
  as: Party,
): Promise<{ ok: true; items: AsyncIterable<ItemInput> | ItemInput[] } | { ok: false; refusal: JobRefusal }> {
  switch (input.form) {
    case 'operations':
      return { ok: true, items: input.operations.map((raw) => ({ row: null, line: null, op: parseJsonOperation(raw) })) };
    case 'portfolio':
      return expandPortfolio(app, as, input.spec);
    case 'csv':
      return { ok: true, items: readCsvItems(input.bytes, { today: brusselsDay(app.now()), actingParty: as }) };
  }
}

export async function submitBatch(
  app: AppContext,
  actor: Person,
  onBehalfOf: Party | null,
  input: BatchInput,
  settings: BulkSettings,
  options: { dryRun?: boolean; source?: 'json' | 'csv' | 'cli'; onQueued?: () => void } = {},
): Promise<Submission> {
  const as = onBehalfOf ?? { kind: 'person' as const, id: actor.id };
  const items = await itemsOf(app, input, as);
  if (!items.ok) return { outcome: 'refused', refusal: items.refusal };
  const request = {
    actor,
    onBehalfOf,
    kind: input.form === 'portfolio' ? input.spec.kind : 'operations',
    source: options.source ?? (input.form === 'csv' ? 'csv' : 'json'),
    fileName: input.form === 'csv' ? input.fileName : null,
  } as const;
  if (options.dryRun) {
    const judged = await dryRun(app, request, items.items, { chunkSize: settings.chunkSize });
    return judged.ok ? { outcome: 'dry-run', report: judged.report } : { outcome: 'refused', refusal: judged.refusal };
  }
  const runner = { worker: workerId('request'), leaseMs: settings.leaseMs, inlineMax: settings.inlineMax };
  const stored = await storeJob(app, request, items.items, { runner });
  if (!stored.ok) return { outcome: 'refused', refusal: stored.refusal };
  if (stored.job.status === 'running' && stored.job.leaseOwner === runner.worker) {
    const job = await processJob(app, stored.job.id, runner.worker, { chunkSize: settings.chunkSize, leaseMs: settings.leaseMs });
    return { outcome: 'finished', job: job ?? stored.job };
  }
  if (stored.job.status === 'queued') options.onQueued?.();
  return { outcome: stored.job.status === 'queued' ? 'queued' : 'finished', job: stored.job };
}
