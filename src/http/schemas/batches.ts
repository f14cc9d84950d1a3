// Bulk jobs over HTTP: the submission (operations, a portfolio action or a CSV file), the job, its items.
import { type Static, Type } from 'typebox';
import { PartySchema } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const JobStatus = Type.Union(['queued', 'running', 'done', 'cancelled', 'failed'].map((s) => Type.Literal(s)));
const ItemStatus = Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('refused'), Type.Literal('skipped')]);
const Id = Type.String({ format: 'uuid' });

export const OperationSchema = Type.Object(
  {
    op: Type.Optional(
      Type.String({ description: 'create (default), sign, refuse, withdraw, stop, amend or transfer', examples: ['create', 'sign'] }),
    ),
    mandate: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'create: the body of POST /api/v1/mandates' })),
    id: Type.Optional(Type.String({ description: 'Every operation but create: the mandate' })),
    version: Type.Optional(Type.Integer({ description: 'The version you saw (like If-Match); a stale one refuses the item' })),
    reason: Type.Optional(Nullable(Type.String())),
    validFrom: Type.Optional(Type.String({ description: 'amend' })),
    validUntil: Type.Optional(Nullable(Type.String({ description: 'amend (null: unlimited)' }))),
    mandatee: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'transfer: the new mandatee' })),
    onBehalfOf: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The party to act for, if not the job's" })),
  },
  {
    additionalProperties: true,
    description: 'One operation; each is read and judged on its own, so a malformed one is refused alone, not the whole job',
  },
);

export const SubmitBodySchema = Type.Object(
  {
    kind: Type.Optional(
      Type.Union(
        [
          Type.Literal('operations'),
          Type.Literal('sign-selected'),
          Type.Literal('stop-selected'),
          Type.Literal('transfer-portfolio'),
          Type.Literal('sign-waiting'),
        ],
        { description: 'operations (default): the list given; or a portfolio action expanded on the server' },
      ),
    ),
    operations: Type.Optional(Type.Array(OperationSchema, { maxItems: 100_000 })),
    ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100_000, description: 'sign-selected, stop-selected: the mandates' })),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'stop-selected' }))),
    type: Type.Optional(Type.String({ maxLength: 100, description: 'transfer-portfolio: the type of the mandates to transfer' })),
    mandators: Type.Optional(
      Type.Array(PartySchema, { maxItems: 100_000, description: 'transfer-portfolio: only the mandates of these mandators' }),
    ),
    mandatee: Type.Optional(PartySchema),
    fromJob: Type.Optional(Type.String({ description: 'sign-waiting: only what this job made (e.g. the successors of a transfer job)' })),
    onBehalfOf: Type.Optional(PartySchema),
    dryRun: Type.Optional(Type.Boolean({ description: 'Judge every item against the current state, write nothing, answer the problems' })),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBodySchema>;

/** A CSV upload as the handler sees it: the file is spooled to disk; the body is its hash and size. */
export const CsvUploadSchema = Type.Object(
  { csv: Type.Object({ sha256: Type.String(), bytes: Type.Integer() }) },
  { description: 'A CSV file in the columns of docs/bulk.md (UTF-8, ";" or ","); send it as the raw body' },
);

export const SubmitQuerySchema = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean()),
    onBehalfOf: Type.Optional(Type.String({ maxLength: 32, description: 'CSV uploads: act for this enterprise (enterprise number)' })),
    fileName: Type.Optional(Type.String({ maxLength: 200, description: 'CSV uploads: the name of the file, shown in job lists' })),
  },
  { additionalProperties: false },
);

export const JobSchema = Type.Object({
  id: Id,
  status: JobStatus,
  kind: Type.String(),
  source: Type.String({ description: 'json, csv or cli' }),
  fileName: Nullable(Type.String()),
  onBehalfOf: Nullable(PartySchema),
  total: Type.Integer(),
  processed: Type.Integer({ description: 'Items with an outcome (done + refused + skipped)' }),
  done: Type.Integer(),
  refused: Type.Integer(),
  skipped: Type.Integer(),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  links: Type.Object({ self: Type.String(), report: Type.String() }),
});

export const ItemSchema = Type.Object({
  index: Type.Integer({ description: 'Position in the job, from 0' }),
  row: Nullable(Type.Integer({ description: 'CSV: the spreadsheet row (header = 1)' })),
  line: Nullable(Type.Integer({ description: 'CSV: the line of the file where the row starts' })),
  op: Type.String(),
  id: Nullable(Type.String({ description: 'The mandate the operation names' })),
  status: ItemStatus,
  mandateId: Nullable(Type.String({ description: 'done: the mandate created or acted on' })),
  relatedId: Nullable(Type.String({ description: "done: another mandate it changed (a transfer's successor)" })),
  cursor: Nullable(Type.Integer({ description: 'done: event-log position of the change' })),
  code: Nullable(Type.String({ description: 'refused: a stable code (see docs/bulk.md)' })),
  field: Nullable(Type.String()),
  column: Nullable(Type.String({ description: 'The CSV column at fault' })),
  message: Nullable(Type.String({ description: 'In the language of Accept-Language (nl, fr, de, en)' })),
  detail: Nullable(Type.String({ description: 'The precise reason, in English' })),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const JobResultSchema = Type.Object({
  job: JobSchema,
  items: Type.Array(ItemSchema),
  next: Nullable(Type.String({ description: 'Cursor of the next page of items' })),
});

export const DryRunSchema = Type.Object({
  dryRun: Type.Literal(true),
  total: Type.Integer(),
  wouldApply: Type.Integer(),
  refused: Type.Integer(),
  items: Type.Array(ItemSchema, { description: 'The refused items, in order' }),
  truncated: Type.Boolean({ description: 'More refused items than listed' }),
});

export const JobParamsSchema = Type.Object({ id: Type.String({ format: 'uuid', description: 'Job id' }) }, { additionalProperties: false });

export const JobQuerySchema = Type.Object(
  {
    status: Type.Optional(ItemStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const JobListQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

export const JobListSchema = Type.Object({ items: Type.Array(JobSchema), next: Nullable(Type.String()) });

export const ExportQuerySchema = Type.Object(
  {
    party: Type.Optional(Type.String({ maxLength: 32, description: 'An enterprise I represent (enterprise number); myself by default' })),
    role: Type.Optional(Type.Union([Type.Literal('mandator'), Type.Literal('mandatee')])),
    status: Type.Optional(
      Type.Array(Type.Union(['pending', 'signed', 'refused', 'withdrawn', 'lapsed', 'stopped', 'transferred'].map((s) => Type.Literal(s)))),
    ),
    type: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
