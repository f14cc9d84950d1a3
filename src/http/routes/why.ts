// "Why can't I act?" for people: may I (or the enterprise I act for) act for this mandator, for this
// type — and if not, precisely why. The asker only learns about mandates they are a party to.
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { mayActAs } from '../../app/queries.js';
import { explain } from '../../core/explain.js';
import type { Mandate } from '../../core/mandate.js';
import { type Party, parseParty } from '../../core/party.js';
import { requirePerson } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { PartySchema, problems } from '../schemas/common.js';

const WhyBodySchema = Type.Object(
  {
    mandator: PartySchema,
    type: Type.String({ minLength: 1, maxLength: 100 }),
    onBehalfOf: Type.Optional(PartySchema),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const WhyResponseSchema = Type.Object({
  allowed: Type.Boolean(),
  explanation: Type.Object({ code: Type.String() }, { additionalProperties: true }),
});

export async function whyRoutes(server: FastifyInstance, { app }: { app: AppContext }) {
  server.post(
    '/why',
    {
      schema: {
        tags: ['self-service'],
        security: [{ session: [] }, { bearer: [] }],
        summary: "Why can't I act for this mandator? (as myself, or as an enterprise I represent)",
        body: WhyBodySchema,
        response: { 200: WhyResponseSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const body = request.body as Static<typeof WhyBodySchema>;
      const parse = (raw: unknown, field: string): Party => {
        const parsed = parseParty(raw, field);
        if (!parsed.ok) throw HttpProblem.fromRefusal(parsed.refusal);
        return parsed.value;
      };
      const mandator = parse(body.mandator, 'mandator');
      const mandatee = body.onBehalfOf ? parse(body.onBehalfOf, 'onBehalfOf') : { kind: 'person' as const, id: person.nationalNumber };
      if (!(await mayActAs(app, person.nationalNumber, mandatee))) {
        throw new HttpProblem(
          403,
          'ACTOR_NOT_REPRESENTATIVE',
          'You may ask only for yourself or for an enterprise you represent.',
          'onBehalfOf',
        );
      }
      if (!app.catalogue.type(body.type)) throw new HttpProblem(422, 'TYPE_UNKNOWN', `There is no mandate type ${body.type}.`, 'type');
      const at = body.at === undefined ? app.now().getTime() : Date.parse(body.at);
      const between = (await app.store.listMandates({ party: mandator, role: 'mandator', counterparty: mandatee, limit: 1000 })).items;
      // The mandate may be held by an enterprise this person represents (they are signed in as themself).
      const heldElsewhere: Mandate[] = [];
      if (mandatee.kind === 'person') {
        for (const id of await app.store.enterprisesRepresentedBy(person.nationalNumber)) {
          heldElsewhere.push(...(await app.store.mandatesOfTriple(mandator, { kind: 'enterprise', id }, body.type)));
        }
      }
      // Successors stay out: a former mandatee is not told who the new one is.
      const explanation = explain({ type: body.type, at, between, heldElsewhere, successors: new Map() });
      return { allowed: explanation.code === 'ACTIVE', explanation };
    },
  );
}
