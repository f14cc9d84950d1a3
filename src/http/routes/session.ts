// GET /api/v1/session: who is signed in, until when they may sign, and the enterprises they represent.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { Config } from '../../config.js';
import { requirePerson, signedInName } from '../plugins/auth.js';
import { problems } from '../schemas/common.js';
import { type SessionBody, SessionSchema } from '../schemas/session.js';

export async function sessionRoutes(server: FastifyInstance, { app, config }: { app: AppContext; config: Config }) {
  server.get(
    '/session',
    {
      schema: {
        tags: ['self-service'],
        security: [{ session: [] }, { bearer: [] }],
        summary: 'Who I am, how recently I signed in, and the enterprises I may represent',
        response: { 200: SessionSchema, ...problems(401, 403) },
      },
    },
    async (request, reply): Promise<SessionBody> => {
      const person = requirePerson(request);
      const enterprises = await app.store.enterprisesRepresentedBy(person.nationalNumber);
      reply.header('cache-control', 'no-store');
      return {
        person: { nationalNumber: person.nationalNumber, name: signedInName(request) },
        authTime: person.authTime,
        authLevel: person.authLevel,
        signFreshUntil: new Date(Date.parse(person.authTime) + config.signMaxAgeSeconds * 1000).toISOString(),
        via: person.via,
        enterprises: enterprises.map((enterpriseNumber) => ({ enterpriseNumber })),
      };
    },
  );
}
