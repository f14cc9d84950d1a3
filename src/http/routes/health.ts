// Operations: liveness, readiness (the store answers) and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { AppContext } from '../../app/context.js';
import { HttpProblem } from '../problem.js';
import { RequestHistogram } from '../request-histogram.js';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const requestDuration = new RequestHistogram();

/** Counts a check answered by the fast lane, which Fastify's hooks below never see. */
export const observeLaneCheck = requestDuration.observer('POST', '/api/v1/checks', '2xx');

/** Times every request; called on the root instance so it sees all routes. */
export function observeRequests(server: FastifyInstance) {
  // A callback hook: it runs on every request, the hot check path included, and needs no promise.
  server.addHook('onResponse', (request, reply, done) => {
    // Route templates, never raw URLs, as labels: no identifiers in metrics and bounded cardinality.
    const status = reply.statusCode < 300 ? '2xx' : `${Math.floor(reply.statusCode / 100)}xx`;
    requestDuration.observe(request.method, request.routeOptions.url ?? 'unmatched', status, reply.elapsedTime / 1000);
    done();
  });
}

export async function healthRoutes(
  server: FastifyInstance,
  {
    app,
    moreMetrics = () => '',
  }: { app: AppContext /** Prometheus text of parts outside Fastify (the check fast lane). */; moreMetrics?: () => string },
) {
  const hidden = { tags: ['operations'] };
  server.get('/healthz', { schema: hidden, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: hidden, config: { rateLimit: false } }, async () => {
    try {
      await app.store.ping();
    } catch {
      throw new HttpProblem(503, 'STORE_UNREACHABLE', 'The database does not answer.');
    }
    return { status: 'ready' };
  });
  server.get('/metrics', { schema: hidden, config: { rateLimit: false } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return `${await registry.metrics()}${requestDuration.text()}${moreMetrics()}`;
  });
}
