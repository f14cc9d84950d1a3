// Checks by business applications: one, or a batch of up to 1,000; and "for whom may this party act".
import { Type } from 'typebox';
import { PartySchema } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CheckSchema = Type.Object(
  {
    mandator: PartySchema,
    mandatee: PartySchema,
    type: Type.String({ minLength: 1, maxLength: 100, examples: ['finance.personal-income-tax'] }),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'The instant asked about; now by default' })),
    actingPerson: Type.Optional(
      Type.String({ maxLength: 32, description: 'National number of the person acting for an enterprise mandatee' }),
    ),
  },
  { additionalProperties: false },
);

const Options = {
  minCursor: Type.Optional(
    Type.Integer({ minimum: 0, description: 'An answer that includes at least this event-log position (read-your-writes)' }),
  ),
  assertion: Type.Optional(Type.Boolean({ description: 'Also return a short-lived signed JWT of the answer' })),
  explain: Type.Optional(Type.Boolean({ description: 'Say precisely why a refused check is refused' })),
};

/** One check (mandator, mandatee, type …) or a batch (`checks`); a single object schema keeps validation errors pointed at the real field. */
export const CheckBodySchema = Type.Object(
  {
    mandator: Type.Optional(PartySchema),
    mandatee: Type.Optional(PartySchema),
    type: Type.Optional(CheckSchema.properties.type),
    at: CheckSchema.properties.at,
    actingPerson: CheckSchema.properties.actingPerson,
    checks: Type.Optional(
      Type.Array(CheckSchema, { minItems: 1, maxItems: 1000, description: 'A batch of up to 1,000 checks, answered in order' }),
    ),
    ...Options,
  },
  { additionalProperties: false },
);

const MandateRefSchema = Type.Object({ id: Type.String(), validFrom: Type.String(), validUntil: Nullable(Type.String()) });

export const CheckAnswerSchema = Type.Object({
  allowed: Type.Boolean(),
  reason: Type.String({ description: 'active, no-mandate, not-yet-valid, expired, acting-person-not-allowed' }),
  mandate: Type.Optional(MandateRefSchema),
  cursor: Type.Integer({ description: 'Event-log position the answer reflects' }),
  assertion: Type.Optional(Type.String({ description: 'JWT (EdDSA) of the answer; verify with /.well-known/jwks.json' })),
  explanation: Type.Optional(Type.Object({ code: Type.String() }, { additionalProperties: true })),
});

export const CheckResponseSchema = Type.Union([
  CheckAnswerSchema,
  Type.Object({ results: Type.Array(CheckAnswerSchema), cursor: Type.Integer() }),
]);

export const RepresentedQuerySchema = Type.Object(
  {
    mandatee: Type.String({ minLength: 1, maxLength: 32, description: 'National number (11 digits) or enterprise number' }),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    domain: Type.Optional(Type.String({ maxLength: 50 })),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    minCursor: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const RepresentedResponseSchema = Type.Object({
  mandators: Type.Array(Type.Object({ mandator: PartySchema, type: Type.String(), mandate: MandateRefSchema })),
  cursor: Type.Integer(),
});
