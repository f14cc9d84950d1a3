// What a business application's check request is answered with: one check or a batch, from the
// engine's memory when it can, else after waiting for a cursor or reading the store. Shared by the
// Fastify route (which documents and validates it) and the fast lane in front of Fastify, so both
// give the same answers and refuse with the same problems.
import type { Static } from 'typebox';
import type { AppContext } from '../app/context.js';
import { explainCheck } from '../app/explain-check.js';
import type { CheckQuery, LiveCheckEngine } from '../check/index.js';
import { parseInstant } from '../core/dates.js';
import { type Party, parseNationalNumber, parseParty } from '../core/party.js';
import type { Refusal } from '../core/refusal.js';
import type { CheckAnswerBody, CheckResponseBody } from './check-serializer.js';
import type { ClientPrincipal } from './principal.js';
import { HttpProblem } from './problem.js';
import type { CheckBodySchema } from './schemas/checks.js';

export type CheckBody = Static<typeof CheckBodySchema>;
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

export function instant(raw: string | undefined, item: number, now: number): number {
  if (raw === undefined) return now;
  const at = parseInstant(raw);
  if (Number.isNaN(at)) {
    const field = `${prefixOf(item)}at`;
    throw new HttpProblem(400, 'REQUEST_INVALID', `${field} is an instant such as 2027-01-01T12:00:00Z.`, field);
  }
  return at;
}

export interface CheckAnswers {
  /** A business application sees its own domain, and only its types when restricted. */
  inScope(client: ClientPrincipal, type: string): boolean;
  /**
   * The answer to a validated check body: returned as it is when the engine answers from memory,
   * as a promise when it must wait (a cursor not reached yet, the store, an assertion, an
   * explanation). Throws an HttpProblem for a check that cannot be asked.
   */
  answer(client: ClientPrincipal, body: CheckBody, now: number): CheckResponseBody | Promise<CheckResponseBody>;
}

export function checkAnswers({ app, engine, publicUrl }: { app: AppContext; engine: LiveCheckEngine; publicUrl: string }): CheckAnswers {
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

  const answerOne = async (
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
  const answerAll = async (client: ClientPrincipal, queries: CheckQuery[], options: CheckBody) => {
    if (options.minCursor !== undefined && engine.cursor < options.minCursor) await engine.waitFor(options.minCursor, 250);
    const results: CheckAnswerBody[] = [];
    for (const q of queries) results.push(await answerOne(client, q, options));
    return withCursor(results);
  };

  return {
    inScope,
    // Only what must wait goes through a promise; a check the engine answers from memory is returned
    // as it is, without a turn of the microtask queue.
    answer(client, body, now) {
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
        return withCursor(engine.checkAll(queries));
      }
      const missing = (['mandator', 'mandatee', 'type'] as const).find((f) => body[f] === undefined);
      if (missing)
        throw new HttpProblem(400, 'REQUEST_FIELD_MISSING', `The field ${missing} is required (or send a batch as checks).`, missing);
      const query = toQuery(client, body as CheckInput, -1, now);
      return waits || !engine.covers(query.at as number) ? answerOne(client, query, body) : engine.check(query);
    },
  };
}
