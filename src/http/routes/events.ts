// GET /api/v1/events: the change feed of the calling business application's domain (and types); GET
// /api/v1/registry-events: who may act inside enterprises (representatives, and executors of its types),
// and GET /api/v1/acting-persons: where to start following one enterprise.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { readDomainFeed } from '../../app/change-feed.js';
import type { AppContext } from '../../app/context.js';
import { actingPersonsOf, readRegistryFeed } from '../../app/registry-feed.js';
import { parseEnterpriseNumber } from '../../core/party.js';
import { requireClient } from '../plugins/client-auth.js';
import { HttpProblem } from '../problem.js';
import { problems } from '../schemas/common.js';
import {
  ActingPersonsQuerySchema,
  ActingPersonsSchema,
  EventsPageSchema,
  EventsQuerySchema,
  RegistryEventsPageSchema,
} from '../schemas/events.js';

export async function eventRoutes(server: FastifyInstance, { app }: { app: AppContext }) {
  // Polled by machines on the hot path: per-client quotas apply instead of the self-service limit.
  const machine = { rateLimit: false, machineApi: true };
  const tags = ['business'];
  const security: Record<string, string[]>[] = [{ client: [] }, { clientToken: [] }];
  const scopeOf = (request: FastifyRequest) => {
    const client = requireClient(request);
    return { domain: client.domain, types: client.types };
  };

  server.get(
    '/events',
    {
      config: machine,
      schema: {
        tags,
        security,
        summary: 'Changes to the mandates of my domain, after a cursor, in log order',
        querystring: EventsQuerySchema,
        response: { 200: EventsPageSchema, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof EventsQuerySchema>;
      const page = await readDomainFeed(app.store.business, scopeOf(request), Number(q.after ?? 0), q.limit ?? 100);
      return { events: page.events, next: String(page.next) };
    },
  );

  server.get(
    '/registry-events',
    {
      config: machine,
      schema: {
        tags,
        security,
        summary: "Changes to who may act inside enterprises: representatives, and executors of my domain's types",
        querystring: EventsQuerySchema,
        response: { 200: RegistryEventsPageSchema, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof EventsQuerySchema>;
      const page = await readRegistryFeed(app.store.registry, app.catalogue, scopeOf(request), Number(q.after ?? 0), q.limit ?? 100);
      return { events: page.events, next: String(page.next) };
    },
  );

  server.get(
    '/acting-persons',
    {
      config: machine,
      schema: {
        tags,
        security,
        summary: 'Who may act inside an enterprise holding mandates of my types now, and where to follow the changes from',
        querystring: ActingPersonsQuerySchema,
        response: { 200: ActingPersonsSchema, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const q = request.query as Static<typeof ActingPersonsQuerySchema>;
      const parsed = parseEnterpriseNumber(q.enterprise, 'enterprise');
      if (!parsed.ok) throw HttpProblem.fromRefusal(parsed.refusal);
      const found = await actingPersonsOf(app.store.registry, app.catalogue, scope, parsed.value);
      // Outsiders learn nothing, not even whether the enterprise holds other domains' mandates.
      if (!found)
        throw new HttpProblem(404, 'ENTERPRISE_NOT_FOUND', 'No enterprise holding mandates of your types has this number.', 'enterprise');
      return { enterprise: parsed.value, ...found, cursor: String(found.cursor) };
    },
  );
}
