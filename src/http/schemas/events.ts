// The change feed of a business application's domain: CloudEvents-shaped JSON, the same as webhooks push.
import { type Static, Type } from 'typebox';
import type { MandateCloudEvent } from '../../app/change-feed.js';
import type { RegistryCloudEvent } from '../../app/registry-feed.js';
import { CalendarDateSchema, PartySchema } from './common.js';

const Role = Type.Union([Type.Literal('mandator'), Type.Literal('mandatee')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const EventsQuerySchema = Type.Object(
  {
    after: Type.Optional(
      Type.String({ pattern: '^\\d{1,15}$', description: 'The `next` of the previous page; from the start of the log when absent' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const MandateEventDataSchema = Type.Object({
  seq: Type.Integer({ description: 'Position in the event log' }),
  eventType: Type.String({ examples: ['MandateSigned'] }),
  mandateId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ description: "The mandate's version after this event" }),
  mandateType: Type.String({ examples: ['finance.personal-income-tax'] }),
  domain: Type.String(),
  mandator: PartySchema,
  mandatee: PartySchema,
  status: Type.String({ description: 'Stored status after this event: pending, signed, refused, withdrawn, lapsed, stopped, transferred' }),
  validFrom: CalendarDateSchema,
  validUntil: Nullable(CalendarDateSchema),
  signedBy: Type.Array(Role, { description: 'Roles whose signature covers the current content' }),
  pendingAmendment: Nullable(Type.Object({ validFrom: CalendarDateSchema, validUntil: Nullable(CalendarDateSchema), proposedBy: Role })),
  proposalExpiresAt: Nullable(Type.String()),
  predecessorId: Nullable(Type.String()),
  successorId: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  endedBy: Nullable(Type.Union([Role, Type.Literal('system')])),
});

export const CloudEventSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ description: 'The event position, unique and stable; deduplicate on it' }),
    source: Type.Literal('ssm'),
    type: Type.String({ examples: ['be.ssm.mandate-signed'] }),
    time: Type.String({ description: 'When the change happened (ISO instant)' }),
    subject: Type.String({ description: 'The mandate id' }),
    datacontenttype: Type.Literal('application/json'),
    data: MandateEventDataSchema,
  },
  { description: 'A CloudEvents 1.0 event (structured JSON)' },
);

export const EventsPageSchema = Type.Object({
  events: Type.Array(CloudEventSchema),
  next: Type.String({ description: 'Pass as `after` to continue; it moves past events of other domains too, so polling stays cheap' }),
});

// The use case's type and the schema must describe the same JSON.
export const assertCloudEventShape = (e: MandateCloudEvent): Static<typeof CloudEventSchema> => e;

export const RegistryCloudEventSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ description: '`registry-<position>`, unique and stable; deduplicate on it' }),
    source: Type.Literal('ssm'),
    type: Type.String({ examples: ['be.ssm.executor-added'] }),
    time: Type.String({ description: 'When the change happened (ISO instant)' }),
    subject: Type.String({ description: 'The enterprise number' }),
    datacontenttype: Type.Literal('application/json'),
    data: Type.Object({
      seq: Type.Integer({ description: 'Position in the record of register changes' }),
      role: Type.Union([Type.Literal('representative'), Type.Literal('executor')]),
      change: Type.Union([Type.Literal('added'), Type.Literal('removed')]),
      enterprise: Type.String(),
      person: Type.String({ description: 'National number' }),
      type: Nullable(Type.String({ description: 'The mandate type an executor gains or loses; null for a representative' })),
    }),
  },
  { description: 'A CloudEvents 1.0 event (structured JSON)' },
);

export const RegistryEventsPageSchema = Type.Object({
  events: Type.Array(RegistryCloudEventSchema),
  next: Type.String({ description: 'Pass as `after` to continue' }),
});

export const assertRegistryEventShape = (e: RegistryCloudEvent): Static<typeof RegistryCloudEventSchema> => e;

export const ActingPersonsQuerySchema = Type.Object(
  { enterprise: Type.String({ minLength: 1, maxLength: 32, description: 'Enterprise number' }) },
  { additionalProperties: false },
);

export const ActingPersonsSchema = Type.Object({
  enterprise: Type.String(),
  representatives: Type.Array(Type.String({ description: 'National number' })),
  executors: Type.Array(Type.Object({ person: Type.String({ description: 'National number' }), types: Type.Array(Type.String()) })),
  cursor: Type.String({ description: 'Continue GET /api/v1/registry-events from here (as `after`)' }),
});
