// Renew a mandate on the same terms: a successor proposal signed by the caller, waiting for the other party.
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { renewMandate } from '../../app/renew-mandate.js';
import type { Config } from '../../config.js';
import type { Party } from '../../core/party.js';
import { requirePerson } from '../plugins/auth.js';
import { etagOf, parseIfMatch, presentMandate } from '../present.js';
import { HttpProblem } from '../problem.js';
import { IdParamsSchema, problems } from '../schemas/common.js';
import { ActBodySchema, CommandResultSchema } from '../schemas/mandates.js';

export async function renewalRoutes(server: FastifyInstance, { app }: { app: AppContext; config: Config }) {
  server.post(
    '/mandates/:id/renew',
    {
      schema: {
        tags: ['self-service'],
        security: [{ session: [] }, { bearer: [] }],
        summary:
          'Renew on the same terms: a new proposal (same parties, type, reference, language and duration, starting the day after this one ends) signed by you, waiting for the other party',
        params: IdParamsSchema,
        body: ActBodySchema,
        response: { 201: CommandResultSchema, ...problems(400, 401, 403, 404, 409, 412, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const raw = request.headers['if-match'];
      if (raw === undefined) {
        throw new HttpProblem(
          428,
          'PRECONDITION_REQUIRED',
          'Send the version you last saw in If-Match (the ETag of the mandate).',
          'If-Match',
        );
      }
      const expectedVersion = parseIfMatch(raw);
      if (expectedVersion === undefined) throw new HttpProblem(400, 'REQUEST_INVALID', 'If-Match is an ETag such as "v3".', 'If-Match');
      const body = (request.body ?? {}) as Static<typeof ActBodySchema>;
      const as: Party = body.onBehalfOf ?? { kind: 'person', id: person.nationalNumber };
      const result = await renewMandate(app, {
        actor: { kind: 'person', id: person.nationalNumber, authTime: person.authTime, authLevel: person.authLevel },
        as,
        mandateId: (request.params as { id: string }).id,
        expectedVersion,
      });
      if (!result.ok) {
        if ('renewal' in result) throw new HttpProblem(422, result.renewal.code, result.renewal.message, 'validUntil');
        throw HttpProblem.fromRefusal(result.refusal);
      }
      const now = app.now();
      reply
        .code(201)
        .header('ETag', etagOf(result.mandate))
        .header('SSM-Cursor', String(result.cursor))
        .header('Location', `/api/v1/mandates/${result.mandate.id}`);
      return {
        mandate: presentMandate(result.mandate, now),
        related: result.related.map((m) => presentMandate(m, now)),
        cursor: result.cursor,
      };
    },
  );
}
