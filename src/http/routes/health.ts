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
    return `${await registry.metrics()}${requestDuration.text()}${moreMetrics()}${await webhookBacklogText(app)}`;
  });
}

/** How long a scrape waits for the store: the process's own figures must not hang on a slow database. */
const BACKLOG_TIMEOUT_MS = 2000;

/**
 * The webhook outbox, read from the store at each scrape, so every instance reports the same shared
 * figures: alert on dead deliveries (a receiver needs fixing, then `ssm webhooks redeliver`) and on the
 * most overdue delivery growing late (the dispatchers are not keeping up).
 */
async function webhookBacklogText(app: AppContext): Promise<string> {
  const now = app.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), BACKLOG_TIMEOUT_MS);
  });
  let backlog: Awaited<ReturnType<AppContext['store']['business']['deliveryBacklog']>>;
  try {
    backlog = await Promise.race([app.store.business.deliveryBacklog(now.toISOString()), timeout]);
  } catch {
    // The process's own figures still matter while the store is away or slow (/readyz says so); these go missing.
    return '';
  } finally {
    clearTimeout(timer);
  }
  const { pending, dead, oldestDueAt } = backlog;
  const late = oldestDueAt === null ? 0 : Math.max(0, (now.getTime() - Date.parse(oldestDueAt)) / 1000);
  return [
    '# HELP ssm_webhook_deliveries Deliveries to active webhooks waiting to be sent (pending) or given up on after every try (dead)',
    '# TYPE ssm_webhook_deliveries gauge',
    `ssm_webhook_deliveries{status="pending"} ${pending}`,
    `ssm_webhook_deliveries{status="dead"} ${dead}`,
    '# HELP ssm_webhook_overdue_seconds How long the most overdue delivery has been due and not yet tried (0 when none is)',
    '# TYPE ssm_webhook_overdue_seconds gauge',
    `ssm_webhook_overdue_seconds ${late.toFixed(3)}`,
    '',
  ].join('\n');
}
