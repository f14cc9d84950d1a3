// Self-service mandate routes: each is a schema, the caller, one use case and the mapping of its result.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { createMandate } from '../../app/create-mandate.js';
import {
  amendMandate,
  refuseMandate,
  signMandate,
  stopMandate,
  type Target,
  transferMandate,
  withdrawMandate,
} from '../../app/mandate-commands.js';
import { getMandateFor, listMandatesFor } from '../../app/queries.js';
import type { CommandResult } from '../../app/run-command.js';
import type { Config } from '../../config.js';
import type { Actor } from '../../core/command.js';
import { type Party, parseEnterpriseNumber } from '../../core/party.js';
import { requirePerson } from '../plugins/auth.js';
import { etagOf, parseIfMatch, presentHistory, presentMandate } from '../present.js';
import type { PersonPrincipal } from '../principal.js';
import { HttpProblem } from '../problem.js';
import { IdParamsSchema, type PartyBody, problems } from '../schemas/common.js';
import {
  ActBodySchema,
  AmendBodySchema,
  CommandResultSchema,
  CreateBodySchema,
  HistoryEntrySchema,
  ListQuerySchema,
  ListResultSchema,
  MandateSchema,
  ReasonBodySchema,
  TransferBodySchema,
} from '../schemas/mandates.js';

const actorOf = (p: PersonPrincipal): Actor => ({ kind: 'person', id: p.nationalNumber, authTime: p.authTime, authLevel: p.authLevel });
const asParty = (p: PersonPrincipal, onBehalfOf: PartyBody | undefined): Party => onBehalfOf ?? { kind: 'person', id: p.nationalNumber };
const STATE_CHANGE = { ...problems(400, 401, 403, 404, 409, 412, 422, 428, 429) };

export async function mandateRoutes(server: FastifyInstance, { app }: { app: AppContext; config: Config }) {
  const send = (reply: FastifyReply, result: CommandResult, created = false) => {
    if (!result.ok) throw HttpProblem.fromRefusal(result.refusal);
    const now = app.now();
    reply.header('ETag', etagOf(result.mandate)).header('SSM-Cursor', String(result.cursor));
    if (created) reply.code(201).header('Location', `/api/v1/mandates/${result.mandate.id}`);
    return {
      mandate: presentMandate(result.mandate, now),
      related: result.related.map((m) => presentMandate(m, now)),
      cursor: result.cursor,
    };
  };

  /** State changes on an existing mandate need the version the client saw. */
  const target = (
    request: FastifyRequest<{ Params: Static<typeof IdParamsSchema>; Body: { onBehalfOf?: PartyBody } | undefined }>,
  ): Target => {
    const person = requirePerson(request);
    const raw = request.headers['if-match'];
    if (raw === undefined)
      throw new HttpProblem(
        428,
        'PRECONDITION_REQUIRED',
        'Send the version you last saw in If-Match (the ETag of the mandate).',
        'If-Match',
      );
    const expectedVersion = parseIfMatch(raw);
    if (expectedVersion === undefined) throw new HttpProblem(400, 'REQUEST_INVALID', 'If-Match is an ETag such as "v3".', 'If-Match');
    return { actor: actorOf(person), as: asParty(person, request.body?.onBehalfOf), mandateId: request.params.id, expectedVersion };
  };

  const tags = ['self-service'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  server.get(
    '/mandates',
    {
      schema: {
        tags,
        security,
        summary: 'My mandates, or those of an enterprise I represent',
        querystring: ListQuerySchema,
        response: { 200: ListResultSchema, ...problems(400, 401, 403) },
      },
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        if (typeof query.status === 'string') query.status = query.status.split(',');
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof ListQuerySchema>;
      let party: Party = { kind: 'person', id: person.nationalNumber };
      if (q.party !== undefined) {
        const enterprise = parseEnterpriseNumber(q.party, 'party');
        if (enterprise.ok) party = { kind: 'enterprise', id: enterprise.value };
        else if (q.party.replace(/\D/g, '') !== person.nationalNumber) throw HttpProblem.fromRefusal(enterprise.refusal);
      }
      const result = await listMandatesFor(app, person.nationalNumber, {
        party,
        role: q.role,
        status: q.status,
        type: q.type,
        limit: q.limit ?? 50,
        after: q.cursor,
      });
      if (!result.ok) throw HttpProblem.fromRefusal(result.refusal);
      const now = app.now();
      return { items: result.page.items.map((m) => presentMandate(m, now)), next: result.page.next };
    },
  );

  server.post(
    '/mandates',
    {
      schema: {
        tags,
        security,
        summary: 'Propose a mandate (your signature is part of it)',
        body: CreateBodySchema,
        response: { 201: CommandResultSchema, ...STATE_CHANGE },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const body = request.body as Static<typeof CreateBodySchema>;
      return send(reply, await createMandate(app, actorOf(person), asParty(person, body.onBehalfOf), body), true);
    },
  );

  server.get(
    '/mandates/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One of my mandates, with its signatures and history',
        params: IdParamsSchema,
        response: { 200: Type.Object({ mandate: MandateSchema, history: Type.Array(HistoryEntrySchema) }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const person = requirePerson(request);
      const result = await getMandateFor(app, person.nationalNumber, (request.params as { id: string }).id);
      if (!result.ok) throw HttpProblem.fromRefusal(result.refusal);
      reply.header('ETag', etagOf(result.mandate));
      return { mandate: presentMandate(result.mandate, app.now()), history: presentHistory(result.history) };
    },
  );

  const command = <B extends typeof ActBodySchema | typeof ReasonBodySchema | typeof AmendBodySchema | typeof TransferBodySchema>(
    path: string,
    summary: string,
    body: B,
    run: (t: Target, body: Static<B>) => Promise<CommandResult>,
  ) =>
    server.post(
      `/mandates/:id/${path}`,
      { schema: { tags, security, summary, params: IdParamsSchema, body, response: { 200: CommandResultSchema, ...STATE_CHANGE } } },
      async (request, reply) => {
        const t = target(request as never);
        return send(reply, await run(t, (request.body ?? {}) as Static<B>));
      },
    );

  command('sign', 'Sign what waits for your signature: the proposal, or a pending amendment', ActBodySchema, (t) => signMandate(app, t));
  command('refuse', 'Refuse a proposal or a pending amendment', ReasonBodySchema, (t, b) => refuseMandate(app, t, b.reason ?? null));
  command('withdraw', 'Withdraw your own proposal or pending amendment', ActBodySchema, (t) => withdrawMandate(app, t));
  command('stop', 'Stop a mandate at once', ReasonBodySchema, (t, b) => stopMandate(app, t, b.reason ?? null));
  command('amendments', 'Change the validity: narrowing applies at once, widening waits for the other party', AmendBodySchema, (t, b) =>
    amendMandate(app, t, {
      ...(b.validFrom === undefined ? {} : { validFrom: b.validFrom }),
      ...(b.validUntil === undefined ? {} : { validUntil: b.validUntil }),
    }),
  );
  command('transfer', 'Transfer to a new mandatee (a successor mandate to be signed)', TransferBodySchema, (t, b) =>
    transferMandate(app, t, b.mandatee),
  );
}
