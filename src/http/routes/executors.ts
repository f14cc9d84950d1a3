// An enterprise's executors, set by its representatives: who may carry out its mandates of which
// types. A change is answered once this instance's check engine reflects it (other instances follow
// within their poll interval), so a check made after the answer already sees it.
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { listExecutors, setExecutorTypes } from '../../app/executors.js';
import type { LiveCheckEngine } from '../../check/index.js';
import { type Parsed, parseEnterpriseNumber, parseNationalNumber } from '../../core/party.js';
import { requirePerson } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { problems } from '../schemas/common.js';
import {
  EnterpriseParamsSchema,
  ExecutorChangeSchema,
  ExecutorListSchema,
  ExecutorParamsSchema,
  ExecutorTypesBodySchema,
} from '../schemas/executors.js';

const tags = ['self-service'];
const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

function unwrap<T>(outcome: Parsed<T>): T {
  if (!outcome.ok) throw HttpProblem.fromRefusal(outcome.refusal);
  return outcome.value;
}

export async function executorRoutes(server: FastifyInstance, { app, engine }: { app: AppContext; engine: LiveCheckEngine }) {
  server.get(
    '/enterprises/:enterpriseNumber/executors',
    {
      schema: {
        tags,
        security,
        summary: 'The executors of an enterprise I represent, each with the mandate types they carry out',
        params: EnterpriseParamsSchema,
        response: { 200: ExecutorListSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const { enterpriseNumber } = request.params as Static<typeof EnterpriseParamsSchema>;
      const enterprise = unwrap(parseEnterpriseNumber(enterpriseNumber, 'enterpriseNumber'));
      return { enterprise, executors: unwrap(await listExecutors(app, person.nationalNumber, enterprise)) };
    },
  );

  const change = async (enterpriseNumber: string, nationalNumber: string, actorId: string, types: readonly string[]) => {
    const enterprise = unwrap(parseEnterpriseNumber(enterpriseNumber, 'enterpriseNumber'));
    const person = unwrap(parseNationalNumber(nationalNumber, 'nationalNumber'));
    const result = unwrap(await setExecutorTypes(app, actorId, enterprise, person, types));
    // Read-your-writes on this instance: the answer waits until the engine applies the change.
    await engine.catchUp();
    return { enterprise, ...result };
  };

  server.put(
    '/enterprises/:enterpriseNumber/executors/:nationalNumber',
    {
      schema: {
        tags,
        security,
        summary: 'Set exactly which mandate types a person carries out for an enterprise I represent',
        params: ExecutorParamsSchema,
        body: ExecutorTypesBodySchema,
        response: { 200: ExecutorChangeSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const { enterpriseNumber, nationalNumber } = request.params as Static<typeof ExecutorParamsSchema>;
      const { types } = request.body as Static<typeof ExecutorTypesBodySchema>;
      return change(enterpriseNumber, nationalNumber, requirePerson(request).nationalNumber, types);
    },
  );

  server.delete(
    '/enterprises/:enterpriseNumber/executors/:nationalNumber',
    {
      schema: {
        tags,
        security,
        summary: 'Stop a person carrying out mandates for an enterprise I represent',
        params: ExecutorParamsSchema,
        response: { 200: ExecutorChangeSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { enterpriseNumber, nationalNumber } = request.params as Static<typeof ExecutorParamsSchema>;
      return change(enterpriseNumber, nationalNumber, requirePerson(request).nationalNumber, []);
    },
  );
}
