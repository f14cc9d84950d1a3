// Business applications: may X act for Y (one check or a batch), and for whom may X act. The hot
// path: answered from the in-memory engine, not rate-limited, not access-logged (metrics count it).
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { explainCheck } from '../../app/explain-check.js';
import type { CheckQuery, LiveCheckEngine, RepresentedFilter } from '../../check/index.js';
import { parseInstant } from '../../core/dates.js';
import { type Party, parseEnterpriseNumber, parseNationalNumber, parseParty } from '../../core/party.js';
import type { Refusal } from '../../core/refusal.js';
import { type CheckAnswerBody, serializeCheckResponse } from '../check-serializer.js';
import { requireClient } from '../plugins/client-auth.js';
import type { ClientPrincipal } from '../principal.js';
import { HttpProblem } from '../problem.js';
import { CheckBodySchema, CheckResponseSchema, RepresentedQuerySchema, RepresentedResponseSchema } from '../schemas/checks.js';
import { problems } from '../schemas/common.js';

type CheckInput = { mandator: unknown; mandatee: unknown; type: string; at?: string; actingPerson?: string };
const ASSERTION_SECONDS = 60;
/** Where a field is: `checks.17.` for the 18th item of a batch, nothing for a single check (item -1). */
const prefixOf = (item: number) => (item < 0 ? '' : `checks.${item}.`);

/** Field names of a batch item carry its position; they are made only when something is refused. */
function refused(refusal: Refusal, item: number): HttpProblem {
  return HttpProblem.fromRefusal(item < 0 ? refusal : { ...refusal, field: `${prefixOf(item)}${refusal.field ?? ''}` });
}

function party(raw: unknown, field: string, item: number): Party {
  const parsed = parseParty(raw, field);
  if (!parsed.ok) throw refused(parsed.refusal, item);
  return parsed.value;
}

/** A batch's answers, with the lowest cursor among them: the position all of them reflect. */
function withCursor(results: CheckAnswerBody[]): { results: CheckAnswerBody[]; cursor: number } {
  let cursor = Number.POSITIVE_INFINITY;
  for (const r of results) if (r.cursor < cursor) cursor = r.cursor;
  return { results, cursor };
}

function instant(raw: string | undefined, item: number, now: number): number {
  if (raw === undefined) return now;
  const at = parseInstant(raw);
  if (Number.isNaN(at)) {
    const field = `${prefixOf(item)}at`;
    throw new HttpProblem(400, 'REQUEST_INVALID', `${field} is an instant such as 2027-01-01T12:00:00Z.`, field);
  }
  return at;
}

export async function checkRoutes(
  server: FastifyInstance,
  { app, engine, publicUrl }: { app: AppContext; engine: LiveCheckEngine; publicUrl: string },
) {
  /** A business application sees its own domain, and only its types when restricted. */
  const inScope = (client: ClientPrincipal, type: string) => {
    const known = app.catalogue.type(type);
    return known !== undefined && known.domain === client.domain && (client.types === null || client.types.includes(type));
  };

  const toQuery = (client: ClientPrincipal, input: CheckInput, item: number, now: number): CheckQuery => {
    if (!inScope(client, input.type)) {
      const field = `${prefixOf(item)}type`;
      throw new HttpProblem(403, 'TYPE_NOT_IN_SCOPE', `This application may not check mandates of type ${input.type}.`, field);
    }
    const query: CheckQuery = {
      mandator: party(input.mandator, 'mandator', item),
      mandatee: party(input.mandatee, 'mandatee', item),
      type: input.type,
      at: instant(input.at, item, now),
    };
    if (input.actingPerson !== undefined) {
      const person = parseNationalNumber(input.actingPerson, 'actingPerson');
      if (!person.ok) throw refused(person.refusal, item);
      query.actingPerson = person.value;
    }
    return query;
  };

  const answer = async (
    client: ClientPrincipal,
    query: CheckQuery,
    options: { minCursor?: number; assertion?: boolean; explain?: boolean },
  ) => {
    const result: CheckAnswerBody =
      // A position the engine has not reached yet, or an instant older than it keeps in memory, goes through checkAtLeast (store fallback).
      (options.minCursor !== undefined && engine.cursor < options.minCursor) || !engine.covers(query.at as number)
        ? await engine.checkAtLeast(query, options.minCursor ?? 0)
        : engine.check(query);
    if (options.explain && !result.allowed) {
      result.explanation = await explainCheck(app, { ...query, at: query.at as number }, (type) => inScope(client, type));
    }
    if (options.assertion) {
      const iat = Math.floor(app.now().getTime() / 1000);
      result.assertion = await app.keys.signPayload(
        {
          iss: publicUrl,
          aud: client.clientId,
          iat,
          exp: iat + ASSERTION_SECONDS,
          sub: `${query.mandatee.kind}:${query.mandatee.id}`,
          mandator: query.mandator,
          mandatee: query.mandatee,
          type: query.type,
          at: new Date(query.at as number).toISOString(),
          allowed: result.allowed,
          reason: result.reason,
          mandateId: result.mandate?.id ?? null,
          cursor: result.cursor,
        },
        'JWT',
      );
    }
    return result;
  };

  /** A batch that waits for a cursor, asks for assertions or explanations, or reaches into the store. */
  const answerAll = async (client: ClientPrincipal, queries: CheckQuery[], options: Static<typeof CheckBodySchema>) => {
    if (options.minCursor !== undefined && engine.cursor < options.minCursor) await engine.waitFor(options.minCursor, 250);
    const results: CheckAnswerBody[] = [];
    for (const q of queries) results.push(await answer(client, q, options));
    return withCursor(results);
  };

  const tags = ['business'];
  const security = [{ client: [] }];
  const hotPath = { rateLimit: false, requestLog: false, machineApi: true };

  server.post(
    '/checks',
    {
      config: hotPath,
      serializerCompiler: ({ httpStatus }) => (httpStatus === '200' ? serializeCheckResponse : JSON.stringify),
      schema: {
        tags,
        security,
        summary: 'May the mandatee act for the mandator for this type (at this instant)? One check, or up to 1,000 in order',
        body: CheckBodySchema,
        response: { 200: CheckResponseSchema, ...problems(400, 401, 403, 429) },
      },
    },
    // Not an async function: a check the engine answers from memory is returned as it is, without a
    // promise and a turn of the microtask queue; only what must wait (a cursor not reached yet, the
    // store, an assertion or an explanation) goes through `answer` and returns a promise.
    (request) => {
      const client = requireClient(request);
      const body = request.body as Static<typeof CheckBodySchema>;
      const now = app.now().getTime();
      const waits = body.assertion === true || body.explain === true || (body.minCursor !== undefined && engine.cursor < body.minCursor);
      if (body.checks !== undefined) {
        const stray = (['mandator', 'mandatee', 'type', 'at', 'actingPerson'] as const).find((f) => body[f] !== undefined);
        if (stray)
          throw new HttpProblem(
            400,
            'REQUEST_INVALID',
            `Put ${stray} inside each item of checks, or send a single check without checks.`,
            stray,
          );
        const queries = body.checks.map((c, i) => toQuery(client, c, i, now));
        if (waits || !queries.every((q) => engine.covers(q.at as number))) return answerAll(client, queries, body);
        return withCursor(queries.map((q) => engine.check(q)));
      }
      const missing = (['mandator', 'mandatee', 'type'] as const).find((f) => body[f] === undefined);
      if (missing)
        throw new HttpProblem(400, 'REQUEST_FIELD_MISSING', `The field ${missing} is required (or send a batch as checks).`, missing);
      const query = toQuery(client, body as CheckInput, -1, now);
      return waits || !engine.covers(query.at as number) ? answer(client, query, body) : engine.check(query);
    },
  );

  server.get(
    '/represented',
    {
      config: hotPath,
      schema: {
        tags,
        security,
        summary: 'For whom may this party act, for a type or a whole domain',
        querystring: RepresentedQuerySchema,
        response: { 200: RepresentedResponseSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const client = requireClient(request);
      const q = request.query as Static<typeof RepresentedQuerySchema>;
      const digits = q.mandatee.replace(/^\s*BE/i, '').replace(/\D/g, '');
      const parsed = digits.length === 11 ? parseNationalNumber(q.mandatee, 'mandatee') : parseEnterpriseNumber(q.mandatee, 'mandatee');
      if (!parsed.ok) throw HttpProblem.fromRefusal(parsed.refusal);
      const mandatee: Party = { kind: digits.length === 11 ? 'person' : 'enterprise', id: parsed.value };
      if ((q.type === undefined) === (q.domain === undefined)) {
        throw new HttpProblem(400, 'REQUEST_INVALID', 'Give either type or domain.', q.type === undefined ? 'type' : 'domain');
      }
      if (q.type !== undefined && !inScope(client, q.type)) {
        throw new HttpProblem(403, 'TYPE_NOT_IN_SCOPE', `This application may not see mandates of type ${q.type}.`, 'type');
      }
      if (q.domain !== undefined && q.domain !== client.domain) {
        throw new HttpProblem(403, 'DOMAIN_NOT_IN_SCOPE', `This application may not see the domain ${q.domain}.`, 'domain');
      }
      if (q.minCursor !== undefined) await engine.waitFor(q.minCursor, 250);
      const filter: RepresentedFilter = q.type !== undefined ? { type: q.type } : { domain: client.domain };
      const result = engine.represented(mandatee, filter, instant(q.at, -1, app.now().getTime()));
      return { mandators: result.mandators.filter((m) => inScope(client, m.type)), cursor: result.cursor };
    },
  );
}
