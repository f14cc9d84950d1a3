// The mandate resource: its representation, the command bodies and the list query.
import { type Static, Type } from 'typebox';
import { CalendarDateSchema, PartySchema } from './common.js';

const Role = Type.Union([Type.Literal('mandator'), Type.Literal('mandatee')]);
const Status = Type.Union(['pending', 'signed', 'refused', 'withdrawn', 'lapsed', 'stopped', 'transferred'].map((s) => Type.Literal(s)));
const Language = Type.Union(['nl', 'fr', 'de', 'en'].map((l) => Type.Literal(l)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const OnBehalfOf = Type.Optional(
  Type.Object(PartySchema.properties, {
    additionalProperties: false,
    description: 'The party you act for: yourself (default) or an enterprise you represent',
  }),
);

export const SignatureSchema = Type.Object({
  role: Role,
  party: PartySchema,
  signer: Type.String({ description: 'National number of the person who signed' }),
  version: Type.Integer(),
  contentHash: Type.String(),
  at: Type.String({ format: 'date-time' }),
  authTime: Type.String({ format: 'date-time' }),
  authLevel: Nullable(Type.String()),
  jws: Type.Optional(Type.String({ description: "Compact JWS by the service's key; verify with /.well-known/jwks.json" })),
});

export const MandateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: Type.String(),
  domain: Type.String(),
  mandator: PartySchema,
  mandatee: PartySchema,
  validFrom: CalendarDateSchema,
  validUntil: Nullable(CalendarDateSchema),
  reference: Nullable(Type.String()),
  language: Language,
  status: Status,
  state: Type.String({
    description: 'Effective state now: pending, scheduled, active, expired, refused, withdrawn, lapsed, stopped, transferred',
  }),
  waitingFor: Type.Array(Role, { description: 'Whose signature a proposal (or pending amendment) waits for' }),
  version: Type.Integer(),
  contentHash: Type.String(),
  signatures: Type.Array(SignatureSchema),
  pendingAmendment: Nullable(
    Type.Object({
      validFrom: CalendarDateSchema,
      validUntil: Nullable(CalendarDateSchema),
      proposedBy: Role,
      contentHash: Type.String(),
      at: Type.String(),
    }),
  ),
  proposalExpiresAt: Nullable(Type.String()),
  predecessorId: Nullable(Type.String()),
  successorId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  endedBy: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
});

export const HistoryEntrySchema = Type.Object({
  seq: Type.Integer({ description: 'Position in the event log' }),
  type: Type.String(),
  version: Type.Integer(),
  at: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Type.Optional(Type.String()) }),
  onBehalfOf: Nullable(PartySchema),
  data: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

export const CommandResultSchema = Type.Object({
  mandate: MandateSchema,
  related: Type.Array(MandateSchema, {
    description: "Other mandates the command changed: a transfer's successor, or the predecessor it completed",
  }),
  cursor: Type.Integer({ description: 'Event-log position of this change; pass it as minCursor to a check to be sure it is included' }),
});

export const CreateBodySchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 100, examples: ['finance.personal-income-tax'] }),
    mandator: PartySchema,
    mandatee: PartySchema,
    validFrom: CalendarDateSchema,
    validUntil: Type.Optional(Nullable(CalendarDateSchema)),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    language: Type.Optional(Language),
    onBehalfOf: OnBehalfOf,
  },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof CreateBodySchema>;

export const ActBodySchema = Type.Object({ onBehalfOf: OnBehalfOf }, { additionalProperties: false });
export const ReasonBodySchema = Type.Object(
  { onBehalfOf: OnBehalfOf, reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) },
  { additionalProperties: false },
);
export const AmendBodySchema = Type.Object(
  { onBehalfOf: OnBehalfOf, validFrom: Type.Optional(CalendarDateSchema), validUntil: Type.Optional(Nullable(CalendarDateSchema)) },
  { additionalProperties: false },
);
export const TransferBodySchema = Type.Object({ onBehalfOf: OnBehalfOf, mandatee: PartySchema }, { additionalProperties: false });

export const ListQuerySchema = Type.Object(
  {
    party: Type.Optional(Type.String({ maxLength: 32, description: 'Act as this enterprise (enterprise number); yourself by default' })),
    role: Type.Optional(Role),
    status: Type.Optional(Type.Array(Status, { description: 'Comma-separated or repeated' })),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ListResultSchema = Type.Object({ items: Type.Array(MandateSchema), next: Nullable(Type.String()) });
