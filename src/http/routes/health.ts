// Operations: liveness, readiness (the store answers) and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { AppContext } from '../../app/context.js';
import { HttpProblem } from '../problem.js';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const requestDuration = new client.Histogram({
  name: 'ssm_http_request_duration_seconds',
  help: 'HTTP request duration by route and status class',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** Times every request; called on the root instance so it sees all routes. */
export function observeRequests(server: FastifyInstance) {
  // One labelled child per route, method and status class: prom-client would otherwise hash the
  // label object on every observation, and this runs on the hot check path too.
  const series = new Map<string, client.Histogram.Internal<'method' | 'route' | 'status'>>();
  server.addHook('onResponse', (request, reply, done) => {
    // Route templates, never raw URLs, as labels: no identifiers in metrics and bounded cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    const key = `${request.method} ${route} ${status}`;
    let child = series.get(key);
    if (!child) {
      child = requestDuration.labels({ method: request.method, route, status });
      series.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}

export async function healthRoutes(server: FastifyInstance, { app }: { app: AppContext }) {
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
    return registry.metrics();
  });
}
