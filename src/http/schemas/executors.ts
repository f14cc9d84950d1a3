// Schemas of an enterprise's executors: the people it names to carry out its mandates of given types.
import { Type } from 'typebox';
import { MAX_EXECUTOR_TYPES } from '../../core/executors.js';

export const EnterpriseParamsSchema = Type.Object({
  enterpriseNumber: Type.String({ maxLength: 32, description: 'An enterprise you represent', examples: ['0403170701'] }),
});

export const ExecutorParamsSchema = Type.Object({
  enterpriseNumber: EnterpriseParamsSchema.properties.enterpriseNumber,
  nationalNumber: Type.String({ maxLength: 32, description: 'The national number of the executor', examples: ['85073003328'] }),
});

const typesSchema = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    maxItems: MAX_EXECUTOR_TYPES,
    description,
    examples: [['finance.personal-income-tax']],
  });
const TypesSchema = typesSchema('Mandate types this person carries out for the enterprise');

export const ExecutorTypesBodySchema = Type.Object(
  { types: typesSchema('Exactly the types this person is to execute; an empty list removes them') },
  { additionalProperties: false },
);

const ExecutorSchema = Type.Object({ person: Type.String(), types: TypesSchema });

export const ExecutorListSchema = Type.Object({ enterprise: Type.String(), executors: Type.Array(ExecutorSchema) });

export const ExecutorChangeSchema = Type.Object({
  enterprise: Type.String(),
  person: Type.String(),
  types: TypesSchema,
  added: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
  registryCursor: Type.Integer({ description: 'The position of this change in the record of registry changes' }),
});
