// The OpenAPI 3.1 document, generated from the route schemas, at /openapi.json; browsable at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';

export async function openapiPlugin(server: FastifyInstance, config: Config) {
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SSM — Self-Service Mandates API',
        version: '1.0.0',
        description:
          'Grant, sign, amend, stop and transfer mandates (self-service), and check them (business applications). Errors are RFC 9457 problem+json with a stable `code` and the offending `field`.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ssm_session' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          client: { type: 'http', scheme: 'basic' },
          clientToken: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes: {} } } },
        },
      },
      tags: [
        { name: 'self-service', description: 'Citizens and enterprise representatives' },
        { name: 'business', description: 'Business applications of one domain' },
        { name: 'operations', description: 'Health, readiness, metrics' },
      ],
    },
  });
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  await server.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { url: '/openapi.json' } as never });
}
