// Schemas shared by several resources: parties, dates, problems, pagination.
import { type Static, Type } from 'typebox';

export const PartySchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')], {
      description: 'person (national number) or enterprise (enterprise number)',
    }),
    id: Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'Digits; dots, dashes, spaces and a BE prefix are accepted on input',
      examples: ['85073003328'],
    }),
  },
  { additionalProperties: false },
);
export type PartyBody = Static<typeof PartySchema>;

export const CalendarDateSchema = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar date (Europe/Brussels), YYYY-MM-DD',
  examples: ['2027-01-01'],
});

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. MANDATE_DUPLICATE' }),
    detail: Type.String(),
    field: Type.Optional(Type.String({ description: 'The offending field, as a dotted path' })),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { description: 'RFC 9457 problem details' },
);

/** Problem responses a route may give, for the OpenAPI document. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));

export const IdParamsSchema = Type.Object(
  { id: Type.String({ format: 'uuid', description: 'Mandate id' }) },
  { additionalProperties: false },
);
