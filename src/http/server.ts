// Builds the Fastify server: plugins (errors, security, OpenAPI, auth, limits) and every route.
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import { devProviderPlugin } from '../auth/dev-provider.js';
import { createCheckEngine, type LiveCheckEngine } from '../check/index.js';
import type { Config } from '../config.js';
import { loggerOptions } from './logging.js';
import { authPlugin } from './plugins/auth.js';
import { clientAuthPlugin } from './plugins/client-auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { openapiPlugin } from './plugins/openapi.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { csrfPlugin, securityPlugin } from './plugins/security.js';
import { webPlugin } from './plugins/web.js';
import { authRoutes } from './routes/auth.js';
import { batchRoutes } from './routes/batches.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { checkRoutes } from './routes/checks.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes, observeRequests } from './routes/health.js';
import { mandateRoutes } from './routes/mandates.js';
import { notificationRoutes } from './routes/notifications.js';
import { proofRoutes } from './routes/proof.js';
import { renewalRoutes } from './routes/renewal.js';
import { sessionRoutes } from './routes/session.js';
import { whyRoutes } from './routes/why.js';

export type Server = FastifyInstance;

export interface ServerOptions {
  /** The check engine to answer from; built from the store (and closed with the server) when absent. */
  engine?: LiveCheckEngine;
}

export async function buildServer(app: AppContext, config: Config, options: ServerOptions = {}): Promise<Server> {
  const server = Fastify({
    logger: loggerOptions(config.logLevel),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1_048_576,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  server.decorateRequest('principal', null);
  const engine =
    options.engine ??
    (await createCheckEngine({
      store: app.store,
      catalogue: app.catalogue,
      now: () => app.now().getTime(),
      onError: (err) => server.log.error({ err }, 'check engine'),
    }));
  if (!options.engine) server.addHook('onClose', () => engine.close());
  // A change made through this instance wakes its engine at once instead of at the next poll.
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.hasHeader('ssm-cursor')) engine.notify();
    done(null, payload);
  });

  // Root-level plugins are called, not registered, so their hooks and handlers cover every route.
  await errorsPlugin(server);
  observeRequests(server);
  await securityPlugin(server, config);
  await openapiPlugin(server, config);
  await authPlugin(server, { app, config });
  await clientAuthPlugin(server, { app });
  await csrfPlugin(server, config);
  await rateLimitPlugin(server, { perMinute: config.rateLimitPerMinute });
  await idempotencyPlugin(server, { store: app.store });

  await server.register(healthRoutes, { app });
  if (config.devIdp) await server.register(devProviderPlugin, { app, config });
  await server.register(authRoutes, { app, config });
  await server.register(sessionRoutes, { app, config, prefix: '/api/v1' });
  await server.register(catalogueRoutes, { app });
  await server.register(mandateRoutes, { app, config, prefix: '/api/v1' });
  await server.register(batchRoutes, { app, config, prefix: '/api/v1' });
  await server.register(whyRoutes, { app, prefix: '/api/v1' });
  await server.register(checkRoutes, { app, engine, publicUrl: config.publicUrl, prefix: '/api/v1' });
  await server.register(eventRoutes, { app, prefix: '/api/v1' });
  await server.register(notificationRoutes, { app, config, prefix: '/api/v1' });
  await server.register(renewalRoutes, { app, config, prefix: '/api/v1' });
  await server.register(proofRoutes, { app, config, prefix: '/api/v1' });
  // Last: the web application answers the browser's page requests that no route above took.
  await webPlugin(server);
  return server;
}
