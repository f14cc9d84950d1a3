import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import { BatchThread } from '../../app/bulk-job-thread.js';
import { cancelJob, type JobRefusal, jobOf } from '../../app/bulk-jobs.js';
import { pickLanguage } from '../../app/bulk-messages.js';
import type { PortfolioSpec } from '../../app/bulk-portfolio.js';
import { excelCsv, jobReportRows, mandateExportRows, presentItem } from '../../app/bulk-report.js';
import { type BatchInput, type BulkSettings, submitBatch } from '../../app/bulk-submit.js';
import { BatchWorker, type JobRunner } from '../../app/bulk-worker.js';
import type { AppContext } from '../../app/context.js';
import { mayActAs } from '../../app/queries.js';
import type { Config } from '../../config.js';
import { type Party, parseEnterpriseNumber, parseParty } from '../../core/party.js';
import type { BatchJob } from '../../store/batch-port.js';
import { acceptCsvUploads, spooledFile } from '../csv-upload.js';
import { requirePerson } from '../plugins/auth.js';
import type { PersonPrincipal } from '../principal.js';
import { HttpProblem } from '../problem.js';
import {
  CsvUploadSchema,
  DryRunSchema,
  ExportQuerySchema,
  JobListQuerySchema,
  JobListSchema,
  JobParamsSchema,
  JobQuerySchema,
  JobResultSchema,
  JobSchema,
  SubmitBodySchema,
  SubmitQuerySchema,
} from '../schemas/batches.js';
import { problems } from '../schemas/common.js';

/** JSON jobs of 100,000 operations run to about 30 MB. */
const JSON_BODY_LIMIT = 64 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

const present = (job: BatchJob) => ({
  id: job.id,
  status: job.status === 'receiving' ? 'queued' : job.status,
  kind: job.kind,
  source: job.source,
  fileName: job.fileName,
  onBehalfOf: job.onBehalfOf,
  total: job.total,
  processed: job.processed,
  done: job.done,
  refused: job.refused,
  skipped: job.skipped,
  createdAt: job.createdAt,
  startedAt: job.startedAt,
  finishedAt: job.finishedAt,
  error: job.error,
  links: { self: `/api/v1/batches/${job.id}`, report: `/api/v1/batches/${job.id}/report.csv` },
});

const actorOf = (p: PersonPrincipal) => ({ kind: 'person' as const, id: p.nationalNumber, authTime: p.authTime, authLevel: p.authLevel });
const problemOf = (r: JobRefusal) => new HttpProblem(r.status, r.code, r.message, r.field, r.details);
const notFound = () => new HttpProblem(404, 'BATCH_NOT_FOUND', 'No such job among yours.', 'id');

function portfolioSpec(body: Static<typeof SubmitBodySchema>): PortfolioSpec | undefined {
  const missing = (field: string, what: string) => new HttpProblem(400, 'REQUEST_FIELD_MISSING', `${what} needs ${field}.`, field);
  switch (body.kind) {
    case 'sign-selected':
      if (!body.ids) throw missing('ids', 'sign-selected');
      return { kind: 'sign-selected', ids: body.ids };
    case 'stop-selected':
      if (!body.ids) throw missing('ids', 'stop-selected');
      return { kind: 'stop-selected', ids: body.ids, reason: body.reason?.trim() || null };
    case 'transfer-portfolio': {
      const mandatee = parseParty(body.mandatee, 'mandatee');
      if (!mandatee.ok) throw HttpProblem.fromRefusal(mandatee.refusal);
      const mandators = (body.mandators ?? []).map((m, i) => {
        const p = parseParty(m, `mandators.${i}`);
        if (!p.ok) throw HttpProblem.fromRefusal(p.refusal);
        return p.value;
      });
      return {
        kind: 'transfer-portfolio',
        mandatee: mandatee.value,
        ...(body.type === undefined ? {} : { type: body.type }),
        ...(mandators.length > 0 ? { mandators } : {}),
      };
    }
    case 'sign-waiting':
      return { kind: 'sign-waiting', ...(body.fromJob === undefined ? {} : { fromJob: body.fromJob }) };
    default:
      return undefined;
  }
}

export async function batchRoutes(server: FastifyInstance, { app, config }: { app: AppContext; config: Config }) {
  const settings: BulkSettings = {
    chunkSize: config.batchChunkSize,
    inlineMax: config.batchInlineMax,
    leaseMs: config.batchLeaseSeconds * 1000,
  };
  const onError = (err: unknown) => server.log.error({ err }, 'bulk job worker');
  const worker: JobRunner | undefined = !config.batchWorker
    ? undefined
    : config.batchThread
      ? new BatchThread(app, config, { pollMs: 1000, onError })
      : new BatchWorker(app, { chunkSize: settings.chunkSize, leaseMs: settings.leaseMs, pollMs: 1000, onError });
  server.addHook('onReady', async () => worker?.start());
  server.addHook('onClose', async () => worker?.stop());

  // A CSV body is spooled to disk as it arrives and parsed from there as a stream.
  acceptCsvUploads(server);

  const tags = ['bulk'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  const polling = { rateLimit: { max: Math.max(config.rateLimitPerMinute, 1200), timeWindow: '1 minute' } };

  /** The party to act for: an enterprise I represent, or myself. */
  const asParty = async (person: PersonPrincipal, raw: Party | string | undefined): Promise<Party | null> => {
    if (raw === undefined) return null;
    const parsed = typeof raw === 'string' ? parseEnterpriseNumber(raw, 'onBehalfOf') : parseParty(raw, 'onBehalfOf');
    if (!parsed.ok) throw HttpProblem.fromRefusal(parsed.refusal);
    const party: Party = typeof parsed.value === 'string' ? { kind: 'enterprise', id: parsed.value } : parsed.value;
    if (party.kind === 'person' && party.id === person.nationalNumber) return null;
    return party;
  };

  const firstItems = async (job: BatchJob, language: ReturnType<typeof pickLanguage>, limit = 100) => {
    const page = await app.store.batches.items(job.id, -1, limit + 1);
    return {
      items: page.slice(0, limit).map((it) => presentItem(it, language)),
      next: page.length > limit ? String(page[limit - 1]?.seq) : null,
    };
  };

  server.post(
    '/batches',
    {
      bodyLimit: JSON_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Submit a bulk job: operations, a portfolio action, or a CSV file (text/csv); or judge it without writing (dryRun)',
        description:
          'Small jobs (up to SSM_BATCH_INLINE_MAX items) are processed at once: 200 with the results. Larger ones answer 202 with ' +
          'Location and run in the background. A CSV body (text/csv) follows docs/bulk.md; parameters then go in the query.',
        querystring: SubmitQuerySchema,
        body: {
          content: {
            'application/json': { schema: SubmitBodySchema },
            ...Object.fromEntries(CSV_TYPES.map((t) => [t, { schema: CsvUploadSchema }])),
          },
        },
        response: {
          200: { description: 'Done at once, or a dry run', anyOf: [JobResultSchema, DryRunSchema] },
          202: JobSchema,
          ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const query = request.query as Static<typeof SubmitQuerySchema>;
      const spooled = spooledFile(request);
      const body = request.body as Static<typeof SubmitBodySchema>;
      const language = pickLanguage(request.headers['accept-language']);
      let input: BatchInput;
      let onBehalfOf: Party | null;
      if (spooled) {
        onBehalfOf = await asParty(person, query.onBehalfOf);
        input = { form: 'csv', bytes: createReadStream(spooled), fileName: query.fileName ?? null };
      } else {
        onBehalfOf = await asParty(person, body.onBehalfOf ?? query.onBehalfOf);
        const spec = portfolioSpec(body);
        if (spec) input = { form: 'portfolio', spec };
        else if (body.operations) input = { form: 'operations', operations: body.operations };
        else
          throw new HttpProblem(
            400,
            'REQUEST_FIELD_MISSING',
            'Send operations, a portfolio action (kind), or a CSV file (text/csv).',
            'operations',
          );
      }
      const dryRun = query.dryRun === true || body.dryRun === true;
      const submitted = await submitBatch(app, actorOf(person), onBehalfOf, input, settings, { dryRun, onQueued: () => worker?.notify() });
      switch (submitted.outcome) {
        case 'refused':
          throw problemOf(submitted.refusal);
        case 'dry-run': {
          const r = submitted.report;
          return {
            dryRun: true as const,
            total: r.total,
            wouldApply: r.wouldApply,
            refused: r.refused,
            truncated: r.truncated,
            items: r.problems.map((p) =>
              presentItem(
                {
                  seq: p.index,
                  row: p.row,
                  line: p.line,
                  operation: JSON.stringify({ op: 'invalid', attempted: p.op, problem: p.problem }),
                  result: {
                    seq: p.index,
                    outcome: 'refused',
                    mandateId: null,
                    relatedId: null,
                    cursor: null,
                    code: p.problem.code,
                    field: p.problem.field ?? null,
                    message: p.problem.message,
                    details: p.problem.details ?? null,
                  },
                },
                language,
              ),
            ),
          };
        }
        case 'finished': {
          const page = await firstItems(submitted.job, language, Math.max(settings.inlineMax, 1));
          reply.header('Location', `/api/v1/batches/${submitted.job.id}`);
          // The last change's position, as single commands give it: a check passing it as minCursor sees the job's effects.
          const cursor = Math.max(0, ...page.items.map((i) => i.cursor ?? 0));
          if (cursor > 0) reply.header('SSM-Cursor', String(cursor));
          return { job: present(submitted.job), ...page };
        }
        case 'queued':
          return reply.code(202).header('Location', `/api/v1/batches/${submitted.job.id}`).send(present(submitted.job));
      }
    },
  );

  server.get(
    '/batches',
    {
      config: polling,
      schema: {
        tags,
        security,
        summary: 'My bulk jobs, newest first',
        querystring: JobListQuerySchema,
        response: { 200: JobListSchema, ...problems(400, 401) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof JobListQuerySchema>;
      const limit = q.limit ?? 50;
      const jobs = await app.store.batches.list(person.nationalNumber, limit + 1, q.cursor);
      return { items: jobs.slice(0, limit).map(present), next: jobs.length > limit ? (jobs[limit - 1] as BatchJob).id : null };
    },
  );

  server.get(
    '/batches/:id',
    {
      config: polling,
      schema: {
        tags,
        security,
        summary: 'A bulk job of mine: progress and per-item results (paginated)',
        params: JobParamsSchema,
        querystring: JobQuerySchema,
        response: { 200: JobResultSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const job = await jobOf(app, person.nationalNumber, (request.params as { id: string }).id);
      if (!job) throw notFound();
      const q = request.query as Static<typeof JobQuerySchema>;
      const limit = q.limit ?? 100;
      const after = q.cursor === undefined ? -1 : Number(q.cursor);
      if (!Number.isInteger(after))
        throw new HttpProblem(400, 'REQUEST_INVALID', 'cursor is the next value of the previous page.', 'cursor');
      const page = await app.store.batches.items(job.id, after, limit + 1, q.status);
      const language = pickLanguage(request.headers['accept-language']);
      return {
        job: present(job),
        items: page.slice(0, limit).map((it) => presentItem(it, language)),
        next: page.length > limit ? String(page[limit - 1]?.seq) : null,
      };
    },
  );

  server.post(
    '/batches/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a bulk job of mine: items not yet processed are skipped (done ones stay done)',
        params: JobParamsSchema,
        response: { 200: JobSchema, ...problems(401, 404, 409) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const result = await cancelJob(app, person.nationalNumber, (request.params as { id: string }).id);
      if (!result) throw notFound();
      const { job, cancelled } = result;
      if (!cancelled)
        throw new HttpProblem(409, 'BATCH_ENDED', `This job has already ended (${job.status}).`, undefined, { status: job.status });
      return present(job);
    },
  );

  const sendCsv = (reply: FastifyReply, name: string, rows: AsyncIterable<string[]>) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .send(Readable.from(rows).pipe(excelCsv()));

  server.get(
    '/batches/:id/report.csv',
    {
      schema: {
        tags,
        security,
        summary: 'The report of a bulk job: every item with its input and outcome (CSV for Excel: UTF-8 with BOM, ";")',
        params: JobParamsSchema,
        produces: ['text/csv'],
        response: { 200: { description: 'CSV', type: 'string' }, ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const job = await jobOf(app, person.nationalNumber, (request.params as { id: string }).id);
      if (!job) throw notFound();
      return sendCsv(reply, `ssm-job-${job.id}.csv`, jobReportRows(app, job, pickLanguage(request.headers['accept-language'])));
    },
  );

  server.get(
    '/mandates/export.csv',
    {
      schema: {
        tags,
        security,
        summary: 'My mandates (or an enterprise’s I represent) as CSV for Excel: UTF-8 with BOM, ";", CRLF',
        querystring: ExportQuerySchema,
        produces: ['text/csv'],
        response: { 200: { description: 'CSV', type: 'string' }, ...problems(400, 401, 403) },
      },
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        if (typeof query.status === 'string') query.status = query.status.split(',');
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof ExportQuerySchema>;
      let party: Party = { kind: 'person', id: person.nationalNumber };
      if (q.party !== undefined && q.party.replace(/\D/g, '') !== person.nationalNumber) {
        const enterprise = parseEnterpriseNumber(q.party, 'party');
        if (!enterprise.ok) throw HttpProblem.fromRefusal(enterprise.refusal);
        party = { kind: 'enterprise', id: enterprise.value };
      }
      if (!(await mayActAs(app, person.nationalNumber, party))) {
        throw new HttpProblem(403, 'ACTOR_NOT_REPRESENTATIVE', 'You are not a representative of this enterprise.', 'party');
      }
      const stamp = app.now().toISOString().slice(0, 10);
      return sendCsv(
        reply,
        `ssm-mandates-${party.id}-${stamp}.csv`,
        mandateExportRows(app, { party, role: q.role, status: q.status, type: q.type }),
      );
    },
  );
}
