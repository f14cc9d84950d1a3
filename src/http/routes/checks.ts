// Business applications: may X act for Y (one check or a batch), and for whom may X act. The hot
// path: answered from the in-memory engine, not rate-limited, not access-logged (metrics count it).
// Most check requests are answered by the fast lane in front of Fastify (../check-fast-lane.ts);
// this route defines and documents them, and answers the rest.
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import type { LiveCheckEngine, RepresentedFilter } from '../../check/index.js';
import { type Party, parseEnterpriseNumber, parseNationalNumber } from '../../core/party.js';
import { type CheckAnswers, type CheckBody, instant } from '../check-answers.js';
import { replayedBody, type Validate } from '../check-fast-lane.js';
import { serializeCheckResponse } from '../check-serializer.js';
import { requireClient } from '../plugins/client-auth.js';
import { HttpProblem } from '../problem.js';
import { CheckBodySchema, CheckResponseSchema, RepresentedQuerySchema, RepresentedResponseSchema } from '../schemas/checks.js';
import { problems } from '../schemas/common.js';
import { compileStricterLengths } from '../validation.js';

export async function checkRoutes(
  server: FastifyInstance,
  {
    app,
    engine,
    answers,
    openLane,
  }: { app: AppContext; engine: LiveCheckEngine; answers: CheckAnswers; openLane?: (validate: Validate) => void },
) {
  // The fast lane validates with this route's schema and formats, its string lengths counted in UTF-16
  // units: it hands over anything it refuses, and this route judges that with its own validator.
  if (openLane) server.addHook('onReady', async () => openLane(compileStricterLengths(CheckBodySchema)));
  const tags = ['business'];
  const security: Record<string, string[]>[] = [{ client: [] }, { clientToken: [] }];
  const hotPath = { rateLimit: false, requestLog: false, machineApi: true };

  server.post(
    '/checks',
    {
      config: hotPath,
      // A request the fast lane read but handed over (to be refused, most often) brings its body along.
      preParsing: (request, _reply, payload, done) => done(null, replayedBody(request.raw) ?? payload),
      serializerCompiler: ({ httpStatus }) => (httpStatus === '200' ? serializeCheckResponse : JSON.stringify),
      schema: {
        tags,
        security,
        summary: 'May the mandatee act for the mandator for this type (at this instant)? One check, or up to 1,000 in order',
        body: CheckBodySchema,
        response: { 200: CheckResponseSchema, ...problems(400, 401, 403, 429) },
      },
    },
    // Not an async function: what the engine answers from memory is returned without a promise.
    (request) => answers.answer(requireClient(request), request.body as CheckBody, app.now().getTime()),
  );

  server.get(
    '/represented',
    {
      config: hotPath,
      schema: {
        tags,
        security,
        summary: 'For whom may this party act, for a type or a whole domain',
        querystring: RepresentedQuerySchema,
        response: { 200: RepresentedResponseSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const client = requireClient(request);
      const q = request.query as Static<typeof RepresentedQuerySchema>;
      const digits = q.mandatee.replace(/^\s*BE/i, '').replace(/\D/g, '');
      const parsed = digits.length === 11 ? parseNationalNumber(q.mandatee, 'mandatee') : parseEnterpriseNumber(q.mandatee, 'mandatee');
      if (!parsed.ok) throw HttpProblem.fromRefusal(parsed.refusal);
      const mandatee: Party = { kind: digits.length === 11 ? 'person' : 'enterprise', id: parsed.value };
      if ((q.type === undefined) === (q.domain === undefined)) {
        throw new HttpProblem(400, 'REQUEST_INVALID', 'Give either type or domain.', q.type === undefined ? 'type' : 'domain');
      }
      if (q.type !== undefined && !answers.inScope(client, q.type)) {
        throw new HttpProblem(403, 'TYPE_NOT_IN_SCOPE', `This application may not see mandates of type ${q.type}.`, 'type');
      }
      if (q.domain !== undefined && q.domain !== client.domain) {
        throw new HttpProblem(403, 'DOMAIN_NOT_IN_SCOPE', `This application may not see the domain ${q.domain}.`, 'domain');
      }
      if (q.minCursor !== undefined) await engine.waitFor(q.minCursor, 250);
      const filter: RepresentedFilter = q.type !== undefined ? { type: q.type } : { domain: client.domain };
      const result = engine.represented(mandatee, filter, instant(q.at, -1, app.now().getTime()));
      return { mandators: result.mandators.filter((m) => answers.inScope(client, m.type)), cursor: result.cursor };
    },
  );
}
