// "Why can't I act?" for people, over HTTP.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { A, ACME, B, enterprise, PIT, person, REP, today } from '../fixtures/people.js';
import { startServer } from '../fixtures/server.js';
import { httpClient } from './client.js';

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer();
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  for (const p of [A, B, REP]) tokens[p] = await server.tokenFor(p);
});
afterAll(async () => server?.close());

it('tells a mandatee what their proposal waits for, and that an active mandate allows them', async () => {
  const created = await call('POST', '/api/v1/mandates', {
    token: tokens[A],
    body: { type: PIT, validFrom: today(), mandator: person(A), mandatee: person(B) },
  });
  const why = await call('POST', '/api/v1/why', { token: tokens[B], body: { mandator: person(A), type: PIT } });
  expect(why.body).toMatchObject({ allowed: false, explanation: { code: 'WAITING_FOR_SIGNATURE', waitingFor: ['mandatee'] } });
  await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, { token: tokens[B], ifMatch: '"v1"', body: {} });
  const now = await call('POST', '/api/v1/why', { token: tokens[B], body: { mandator: person(A), type: PIT } });
  expect(now.body).toMatchObject({ allowed: true, explanation: { code: 'ACTIVE' } });
});

it('tells a representative signed in as themself that the mandate is their enterprise’s', async () => {
  const created = await call('POST', '/api/v1/mandates', {
    token: tokens[A],
    body: { type: 'finance.myminfin', validFrom: today(), mandator: person(A), mandatee: enterprise(ACME) },
  });
  await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, {
    token: tokens[REP],
    ifMatch: '"v1"',
    body: { onBehalfOf: enterprise(ACME) },
  });
  const why = await call('POST', '/api/v1/why', { token: tokens[REP], body: { mandator: person(A), type: 'finance.myminfin' } });
  expect(why.body).toMatchObject({ allowed: false, explanation: { code: 'WRONG_PARTY', holder: enterprise(ACME) } });
  const asEnterprise = await call('POST', '/api/v1/why', {
    token: tokens[REP],
    body: { mandator: person(A), type: 'finance.myminfin', onBehalfOf: enterprise(ACME) },
  });
  expect(asEnterprise.body.allowed).toBe(true);
});

it('lets nobody ask on behalf of an enterprise they do not represent', async () => {
  const answer = await call('POST', '/api/v1/why', {
    token: tokens[B],
    body: { mandator: person(A), type: 'finance.myminfin', onBehalfOf: enterprise(ACME) },
  });
  expect(answer.status).toBe(403);
  expect(answer.body).toMatchObject({ code: 'ACTOR_NOT_REPRESENTATIVE', field: 'onBehalfOf' });
});
