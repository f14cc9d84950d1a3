// The catalogue (domains and mandate types with their labels) and the service's public keys: both public.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';

const Labels = Type.Object({ nl: Type.String(), fr: Type.String(), de: Type.String(), en: Type.String() });
const Kinds = Type.Array(Type.Union([Type.Literal('person'), Type.Literal('enterprise')]));
const CatalogueSchema = Type.Object({
  version: Type.String(),
  domains: Type.Array(Type.Object({ id: Type.String(), label: Labels })),
  types: Type.Array(
    Type.Object({
      id: Type.String(),
      domain: Type.String(),
      label: Labels,
      description: Labels,
      mandatorKinds: Kinds,
      mandateeKinds: Kinds,
      unlimitedAllowed: Type.Boolean(),
      maxDurationMonths: Type.Union([Type.Integer(), Type.Null()]),
      sensitive: Type.Boolean(),
    }),
  ),
});
const JwksSchema = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

export async function catalogueRoutes(server: FastifyInstance, { app }: { app: AppContext }) {
  server.get(
    '/api/v1/catalogue',
    {
      schema: {
        tags: ['self-service'],
        summary: 'Domains and mandate types, labelled in nl, fr, de and en',
        response: { 200: CatalogueSchema },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      const { version, domains, types } = app.catalogue;
      return { version, domains, types };
    },
  );

  server.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['business'],
        summary: "The service's public keys: verify signatures and assertions with them",
        response: { 200: JwksSchema },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=60');
      // Read from the store each time (cheap), so a key rotated by another instance or the CLI shows at once.
      const keys = await app.store.signingKeys();
      return { keys: keys.map((k) => k.publicJwk) };
    },
  );
}
