// An enterprise's representative names and removes executors over HTTP; a business application's
// check with that acting person follows at once (the answer waits for this instance's engine), and
// every refusal names its field and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/app/api-clients.js';
import { A, ACME, B, C, enterprise, PIT, person, REP, today } from '../fixtures/people.js';
import { startServer } from '../fixtures/server.js';
import { expectProblem, httpClient } from './client.js';

const VAT = 'finance.vat';
const PERSON_ONLY = 'ehealth.health-data-consult';

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
const tokens: Record<string, string> = {};
let finance = '';

const put = (by: string, who: string, types: unknown) =>
  call('PUT', `/api/v1/enterprises/${ACME}/executors/${who}`, { token: tokens[by], body: { types } });
const list = (by: string) => call('GET', `/api/v1/enterprises/${ACME}/executors`, { token: tokens[by] });
const acting = async (actingPerson: string, type = PIT) =>
  (
    await call('POST', '/api/v1/checks', {
      headers: { authorization: finance },
      body: { mandator: person(A), mandatee: enterprise(ACME), type, actingPerson },
    })
  ).body.reason;

beforeAll(async () => {
  server = await startServer();
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  for (const p of [A, B, C, REP]) tokens[p] = await server.tokenFor(p);
  const { client, secret } = await createApiClient(server.app, { name: 'finance', domain: 'finance' });
  finance = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  // A gives ACME a mandate for personal income tax, signed by ACME's representative.
  const created = await call('POST', '/api/v1/mandates', {
    token: tokens[A],
    body: { type: PIT, mandator: person(A), mandatee: enterprise(ACME), validFrom: today() },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signed = await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, {
    token: tokens[REP],
    ifMatch: '"v1"',
    body: { onBehalfOf: enterprise(ACME) },
  });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
});
afterAll(async () => server?.close());

describe('executors of an enterprise', () => {
  it('a person named executor may act at once, only for their types, and not once removed', async () => {
    expect(await acting(C)).toBe('acting-person-not-allowed');
    const named = await put(REP, C, [PIT, VAT, PIT]);
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body).toMatchObject({ enterprise: ACME, person: C, types: [PIT, VAT], added: [PIT, VAT], removed: [] });
    // No wait, no cursor: the answer came once this instance's engine had the change.
    expect(await acting(C)).toBe('active');
    expect((await list(REP)).body).toEqual({ enterprise: ACME, executors: [{ person: C, types: [PIT, VAT] }] });

    // The same list again changes nothing and records nothing.
    const again = await put(REP, C, [VAT, PIT]);
    expect(again.body).toMatchObject({ added: [], removed: [], registryCursor: named.body.registryCursor });

    const narrowed = await put(REP, C, [VAT]);
    expect(narrowed.body).toMatchObject({ types: [VAT], added: [], removed: [PIT] });
    expect(await acting(C)).toBe('acting-person-not-allowed');

    const removed = await call('DELETE', `/api/v1/enterprises/${ACME}/executors/${C}`, { token: tokens[REP] });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ types: [], removed: [VAT] });
    expect((await list(REP)).body.executors).toEqual([]);

    // Each change is recorded with who made it.
    const record = await server.app.store.registry.changesAfter(0, 100);
    expect(record.filter((c) => c.role === 'executor').map((c) => [c.actor, c.change, c.type])).toEqual([
      [`person:${REP}`, 'added', PIT],
      [`person:${REP}`, 'added', VAT],
      [`person:${REP}`, 'removed', PIT],
      [`person:${REP}`, 'removed', VAT],
    ]);
  });

  it('only the enterprise’s representatives see or set its executors', async () => {
    await put(REP, B, [PIT]);
    expectProblem(await list(A), 403, 'ACTOR_NOT_REPRESENTATIVE', 'enterpriseNumber');
    expectProblem(await put(A, C, [PIT]), 403, 'ACTOR_NOT_REPRESENTATIVE', 'enterpriseNumber');
    expectProblem(
      await call('DELETE', `/api/v1/enterprises/${ACME}/executors/${B}`, { token: tokens[A] }),
      403,
      'ACTOR_NOT_REPRESENTATIVE',
    );
    expect((await call('GET', `/api/v1/enterprises/${ACME}/executors`)).status).toBe(401);
    expect((await list(REP)).body.executors).toEqual([{ person: B, types: [PIT] }]);
    expect(await acting(B)).toBe('active');
  });

  it('refuses bad input with a problem naming the field, and writes nothing', async () => {
    const before = await server.app.store.registry.head();
    const wrongDigit = `${C.slice(0, 10)}${(Number(C[10]) + 1) % 10}`;
    expectProblem(await put(REP, wrongDigit, [PIT]), 400, 'IDENTIFIER_CHECK_DIGIT', 'nationalNumber');
    expectProblem(
      await call('PUT', `/api/v1/enterprises/0403170702/executors/${C}`, { token: tokens[REP], body: { types: [PIT] } }),
      400,
      'IDENTIFIER_CHECK_DIGIT',
      'enterpriseNumber',
    );
    expectProblem(await put(REP, C, [PIT, 'finance.nope']), 422, 'TYPE_UNKNOWN', 'types.1');
    expectProblem(await put(REP, C, [PIT, PERSON_ONLY]), 422, 'EXECUTOR_TYPE_NOT_FOR_ENTERPRISES', 'types.1');
    expectProblem(await put(REP, C, [{ id: PIT }]), 400, 'REQUEST_INVALID', 'types.0');
    const missing = await call('PUT', `/api/v1/enterprises/${ACME}/executors/${C}`, { token: tokens[REP], body: {} });
    expectProblem(missing, 400, 'REQUEST_FIELD_MISSING', 'types');
    expect(await server.app.store.registry.head()).toBe(before);
    expect(await acting(C)).toBe('acting-person-not-allowed');
  });
});
