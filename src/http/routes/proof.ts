// The printable proof of a mandate as a PDF, in the reader's language (parties only; others get not-found).
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { mandateProof } from '../../app/proof/mandate-proof.js';
import type { Config } from '../../config.js';
import { requirePerson } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { IdParamsSchema, problems } from '../schemas/common.js';
import { ProofQuerySchema } from '../schemas/notifications.js';
import { acceptedLanguage } from './notifications.js';

export async function proofRoutes(server: FastifyInstance, { app, config }: { app: AppContext; config: Config }) {
  server.get(
    '/mandates/:id/proof.pdf',
    {
      schema: {
        tags: ['self-service'],
        security: [{ session: [] }, { bearer: [] }],
        summary: 'A printable, tagged PDF proof of the mandate with its signatures, history and how to verify them',
        params: IdParamsSchema,
        querystring: ProofQuerySchema,
        response: {
          200: { description: 'The PDF proof', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
          ...problems(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const { lang } = request.query as Static<typeof ProofQuerySchema>;
      const id = (request.params as { id: string }).id;
      const result = await mandateProof(app, person.nationalNumber, id, lang ?? acceptedLanguage(request), config.publicUrl);
      if (!result.ok) throw HttpProblem.fromRefusal(result.refusal);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="mandate-${id}-${result.lang}.pdf"`)
        .header('Cache-Control', 'private, no-store')
        .send(result.pdf);
    },
  );
}
