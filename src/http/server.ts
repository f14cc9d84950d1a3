// Builds the Fastify server: plugins (errors, security, OpenAPI, auth, limits) and every route.
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import { devProviderPlugin } from '../auth/dev-provider.js';
import { createCheckEngine, type LiveCheckEngine } from '../check/index.js';
import type { Config } from '../config.js';
import { checkAnswers } from './check-answers.js';
import { CheckFastLane, type Validate } from './check-fast-lane.js';
import { logController, loggerOptions, requestLogger } from './logging.js';
import { authPlugin, createAuthServices } from './plugins/auth.js';
import { clientAuthPlugin } from './plugins/client-auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { openapiPlugin } from './plugins/openapi.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { csrfPlugin, machineApiHeaders, securityPlugin } from './plugins/security.js';
import { webPlugin } from './plugins/web.js';
import { authRoutes } from './routes/auth.js';
import { batchRoutes } from './routes/batches.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { checkRoutes } from './routes/checks.js';
import { eventRoutes } from './routes/events.js';
import { executorRoutes } from './routes/executors.js';
import { healthRoutes, observeLaneCheck, observeRequests } from './routes/health.js';
import { mandateRoutes } from './routes/mandates.js';
import { notificationRoutes } from './routes/notifications.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { proofRoutes } from './routes/proof.js';
import { renewalRoutes } from './routes/renewal.js';
import { sessionRoutes } from './routes/session.js';
import { whyRoutes } from './routes/why.js';
import { AJV_OPTIONS, addInstantFormat } from './validation.js';

const BODY_LIMIT = 1_048_576;

export type Server = FastifyInstance;

export interface ServerOptions {
  /** The check engine to answer from; built from the store (and closed with the server) when absent. */
  engine?: LiveCheckEngine;
}

export async function buildServer(app: AppContext, config: Config, options: ServerOptions = {}): Promise<Server> {
  const lane = new CheckFastLane(BODY_LIMIT);
  const server = Fastify({
    serverFactory: lane.serverFactory,
    logger: loggerOptions(config.logLevel),
    logController: logController(),
    childLoggerFactory: requestLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    ajv: { customOptions: AJV_OPTIONS, onCreate: addInstantFormat },
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
  const answers = checkAnswers({ app, engine, publicUrl: config.publicUrl });

  // Root level: what every request gets (problem+json errors, metrics, security headers, the
  // self-service rate limit, which routes opt out of at registration and then cost nothing).
  await errorsPlugin(server);
  observeRequests(server);
  await securityPlugin(server, config);
  await openapiPlugin(server, config);
  await rateLimitPlugin(server, { perMinute: config.rateLimitPerMinute });
  // Business applications' credentials are read everywhere (a cheap synchronous hook once cached),
  // so a person-only route can tell an application that it is one, not just that no one signed in.
  const clients = await clientAuthPlugin(server, { app, publicUrl: config.publicUrl });
  server.decorate('ssmAuth', createAuthServices(app, config));
  await server.register(healthRoutes, { app, moreMetrics: () => lane.metricsText() });
  await server.register(catalogueRoutes, { app });
  await server.register(oauthTokenRoutes, { app, publicUrl: config.publicUrl });

  // Two surfaces, each in its own encapsulated scope, so a request pays only for its own hooks:
  // people (sessions, bearer tokens, CSRF, idempotency) and business applications. The check
  // routes are the hot path; nothing of the self-service stack runs there.
  await server.register(async (people) => {
    await authPlugin(people, server.ssmAuth);
    await csrfPlugin(people, config);
    await idempotencyPlugin(people, { store: app.store });
    // A change made through this instance wakes its engine at once instead of at the next poll.
    people.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.hasHeader('ssm-cursor')) engine.notify();
      done(null, payload);
    });
    if (config.devIdp) await people.register(devProviderPlugin, { app, config });
    await people.register(authRoutes, { app, config });
    const api = { app, config, prefix: '/api/v1' };
    await people.register(sessionRoutes, api);
    await people.register(mandateRoutes, api);
    await people.register(batchRoutes, api);
    await people.register(whyRoutes, api);
    await people.register(notificationRoutes, api);
    await people.register(renewalRoutes, api);
    await people.register(proofRoutes, api);
    await people.register(executorRoutes, { app, engine, prefix: '/api/v1' });
  });
  // The check fast lane answers well-formed checks of known applications before Fastify sees them,
  // with the route's own validator and answers (see check-fast-lane.ts); the route opens it when ready.
  const openLane = config.checkFastLane
    ? (validate: Validate) =>
        lane.open({
          clients,
          answers,
          validate,
          headers: machineApiHeaders(config),
          now: () => app.now().getTime(),
          observe: observeLaneCheck,
        })
    : undefined;
  server.addHook('preClose', async () => lane.close());

  await server.register(async (business) => {
    await business.register(checkRoutes, { app, engine, answers, openLane, prefix: '/api/v1' });
    await business.register(eventRoutes, { app, prefix: '/api/v1' });
  });

  // Last: the web application answers the browser's page requests that no route above took.
  await webPlugin(server);
  return server;
}
