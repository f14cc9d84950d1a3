// `ssm batch run <file.csv> --as <national number>`: runs a CSV bulk job in this process against
// SSM_DATABASE_URL, with a progress bar on stderr, a summary on stdout and the report CSV next to the
// input. An operator tool: whoever has the database can act as anyone, so the person named by --as
// acts with a sign-in time of now. The job is stored like any other; if this process dies, a server's
// worker (or the next `ssm batch run`) can finish it: it resumes after the last committed chunk.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { readCsvItems } from '../app/bulk-csv.js';
import { type DryRunReport, dryRun } from '../app/bulk-dry-run.js';
import { processJob, storeJob } from '../app/bulk-jobs.js';
import { bulkMessage } from '../app/bulk-messages.js';
import { columnOf, excelCsv, jobReportRows } from '../app/bulk-report.js';
import { workerId } from '../app/bulk-worker.js';
import { loadConfig } from '../config.js';
import { brusselsDay } from '../core/dates.js';
import { isLanguage, type Language, type Party, parseEnterpriseNumber, parseNationalNumber } from '../core/party.js';
import type { BatchJob } from '../store/batch-port.js';
import { print, UsageError, withApp } from './io.js';

const USAGE =
  'ssm batch run <file.csv> --as <national number> [--on-behalf-of <enterprise number>] [--dry-run] [--report <file>] [--lang nl|fr|de|en]';

/** Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise (logs, CI). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, now = () => Date.now()) {
  const started = now();
  let lastLine = 0;
  return {
    update(job: Pick<BatchJob, 'processed' | 'total' | 'done' | 'refused'>) {
      const elapsed = (now() - started) / 1000;
      const rate = elapsed > 0 ? job.processed / elapsed : 0;
      const left = rate > 0 ? Math.ceil((job.total - job.processed) / rate) : 0;
      const share = job.total === 0 ? 1 : job.processed / job.total;
      const counts = `${job.processed}/${job.total}  done ${job.done}  refused ${job.refused}  ${Math.round(rate)}/s`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${counts}  ETA ${left}s \x1b[K`,
        );
      } else if (now() - lastLine >= 2000 || job.processed === job.total) {
        lastLine = now();
        stream.write(`progress: ${counts}\n`);
      }
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

async function writeCsv(file: string, rows: AsyncIterable<string[]> | Iterable<string[]>) {
  await pipeline(Readable.from(rows), excelCsv(), createWriteStream(file));
}

function* dryRunRows(report: DryRunReport, language: Language): Generator<string[]> {
  yield ['row', 'line', 'operation', 'code', 'column', 'message'];
  for (const p of report.problems) {
    yield [
      String(p.row ?? p.index + 1),
      String(p.line ?? ''),
      p.op,
      p.problem.code,
      columnOf(p.problem.field) ?? '',
      bulkMessage(p.problem.code, language, p.problem.details),
    ];
  }
}

export async function batch(args: string[]): Promise<number> {
  if (args[0] !== 'run') throw new UsageError(USAGE);
  const { values, positionals } = parseArgs({
    args: args.slice(1),
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      'on-behalf-of': { type: 'string' },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(USAGE);
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  if (!values.as) throw new UsageError(`--as <national number> is required\n  ${USAGE}`);
  const person = parseNationalNumber(values.as, 'as');
  if (!person.ok) throw new UsageError(`--as: ${person.refusal.message}`);
  let onBehalfOf: Party | null = null;
  if (values['on-behalf-of']) {
    const enterprise = parseEnterpriseNumber(values['on-behalf-of'], 'on-behalf-of');
    if (!enterprise.ok) throw new UsageError(`--on-behalf-of: ${enterprise.refusal.message}`);
    onBehalfOf = { kind: 'enterprise', id: enterprise.value };
  }
  const language = values.lang ?? 'en';
  if (!isLanguage(language)) throw new UsageError('--lang is nl, fr, de or en');
  const dry = values['dry-run'] === true;
  const report = values.report ?? join(dirname(file), `${basename(file, extname(file))}.${dry ? 'dry-run' : 'report'}.csv`);
  const config = loadConfig();

  return withApp(async (app) => {
    // An operator acts as the person, signed in now.
    const actor = { kind: 'person' as const, id: person.value, authTime: app.now().toISOString(), authLevel: 'operator' };
    const request = { actor, onBehalfOf, kind: 'operations', source: 'cli' as const, fileName: basename(file) };
    const as = onBehalfOf ?? { kind: 'person' as const, id: person.value };
    const items = readCsvItems(createReadStream(file), { today: brusselsDay(app.now()), actingParty: as });
    const started = Date.now();
    if (dry) {
      const judged = await dryRun(app, request, items, { chunkSize: config.batchChunkSize });
      if (!judged.ok) {
        process.stderr.write(`ssm batch: ${judged.refusal.code}: ${bulkMessage(judged.refusal.code, language, judged.refusal.details)}\n`);
        return 1;
      }
      const r = judged.report;
      await writeCsv(report, dryRunRows(r, language));
      print(
        `dry run of ${file}: ${r.total} rows, ${r.wouldApply} would be applied, ${r.refused} refused${r.truncated ? ' (report truncated)' : ''}; nothing written`,
      );
      print(`report: ${report}`);
      return r.refused > 0 ? 1 : 0;
    }
    const runner = { worker: workerId('cli'), leaseMs: config.batchLeaseSeconds * 1000 };
    const stored = await storeJob(app, request, items, { runner });
    if (!stored.ok) {
      process.stderr.write(`ssm batch: ${stored.refusal.code}: ${bulkMessage(stored.refusal.code, language, stored.refusal.details)}\n`);
      return 1;
    }
    const progress = progressReporter();
    progress.update(stored.job);
    const job = (await processJob(app, stored.job.id, runner.worker, {
      chunkSize: config.batchChunkSize,
      leaseMs: runner.leaseMs,
      onProgress: (j) => progress.update(j),
    })) as BatchJob;
    progress.end();
    await writeCsv(report, jobReportRows(app, job, language));
    const seconds = (Date.now() - started) / 1000;
    print(
      `job ${job.id} ${job.status}: ${job.total} rows, ${job.done} done, ${job.refused} refused, ${job.skipped} skipped in ${seconds.toFixed(1)} s`,
    );
    print(`report: ${report}`);
    if (job.status !== 'done') return 4;
    return job.refused > 0 ? 1 : 0;
  });
}
