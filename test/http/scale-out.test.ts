// Two instances on one PostgreSQL database, each with its own check engine following the log:
// a change made through one is seen by checks on the other within a second, and at once with its cursor.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiClient } from '../../src/app/api-clients.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';
import { postgresDatabase, type TestDatabase } from '../fixtures/databases.js';
import { startServer } from '../fixtures/server.js';
import { httpClient } from './client.js';

const A = makeNationalNumber('850730', 33);
const B = makeNationalNumber('900115', 123);
const person = (id: string) => ({ kind: 'person', id });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());

let db: TestDatabase;
let one: Awaited<ReturnType<typeof startServer>>;
let two: Awaited<ReturnType<typeof startServer>>;
let auth: string;

beforeAll(async () => {
  db = await postgresDatabase();
  one = await startServer({ databaseUrl: db.url });
  two = await startServer({ databaseUrl: db.url });
  const { client, secret } = await createApiClient(one.app, { name: 'tax', domain: 'finance' });
  auth = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await db?.drop();
});

async function activeMandate(type: string) {
  const call = httpClient(one.url);
  const [a, b] = [await one.tokenFor(A), await one.tokenFor(B)];
  const created = await call('POST', '/api/v1/mandates', {
    token: a,
    body: { type, validFrom: today(), mandator: person(A), mandatee: person(B) },
  });
  const signed = await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, { token: b, ifMatch: '"v1"', body: {} });
  expect(signed.body.mandate.state).toBe('active');
  return { call, a, id: created.body.mandate.id as string, cursor: signed.body.cursor as number };
}

const checkOnTwo = async (type: string, minCursor?: number) =>
  (
    await httpClient(two.url)('POST', '/api/v1/checks', {
      headers: { authorization: auth },
      body: { mandator: person(A), mandatee: person(B), type, minCursor },
    })
  ).body;

it('refuses at once on the other instance when the check carries the stop’s cursor', async () => {
  const { call, a, id, cursor } = await activeMandate('finance.personal-income-tax');
  expect(await checkOnTwo('finance.personal-income-tax', cursor)).toMatchObject({ allowed: true });
  const stopped = await call('POST', `/api/v1/mandates/${id}/stop`, { token: a, ifMatch: '"v2"', body: {} });
  const answer = await checkOnTwo('finance.personal-income-tax', stopped.body.cursor);
  expect(answer).toMatchObject({ allowed: false });
  expect(answer.cursor).toBeGreaterThanOrEqual(stopped.body.cursor);
});

it('refuses on the other instance within a second without the cursor', async () => {
  const { call, a, id, cursor } = await activeMandate('finance.myminfin');
  expect(await checkOnTwo('finance.myminfin', cursor)).toMatchObject({ allowed: true });
  await call('POST', `/api/v1/mandates/${id}/stop`, { token: a, ifMatch: '"v2"', body: {} });
  const started = Date.now();
  let answer = await checkOnTwo('finance.myminfin');
  while (answer.allowed && Date.now() - started < 2000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer = await checkOnTwo('finance.myminfin');
  }
  expect(answer.allowed).toBe(false);
  expect(Date.now() - started).toBeLessThan(1000);
});

it('refuses on the other instance within a second an acting person whom the enterprise no longer names executor', async () => {
  const ACME = makeEnterpriseNumber('04031707');
  const [REP, CLERK] = [makeNationalNumber('650420', 789), makeNationalNumber('771231', 456)];
  await one.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  const call = httpClient(one.url);
  const [a, rep] = [await one.tokenFor(A), await one.tokenFor(REP)];
  const type = 'finance.personal-income-tax';
  const created = await call('POST', '/api/v1/mandates', {
    token: a,
    body: { type, validFrom: today(), mandator: person(A), mandatee: { kind: 'enterprise', id: ACME } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signed = await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, {
    token: rep,
    ifMatch: '"v1"',
    body: { onBehalfOf: { kind: 'enterprise', id: ACME } },
  });
  expect(signed.status, JSON.stringify([created.body, signed.body])).toBe(200);
  const executors = `/api/v1/enterprises/${ACME}/executors/${CLERK}`;
  expect((await call('PUT', executors, { token: rep, body: { types: [type] } })).status).toBe(200);
  const ask = async (minCursor?: number) =>
    (
      await httpClient(two.url)('POST', '/api/v1/checks', {
        headers: { authorization: auth },
        body: { mandator: person(A), mandatee: { kind: 'enterprise', id: ACME }, type, actingPerson: CLERK, minCursor },
      })
    ).body;
  await expect.poll(async () => (await ask(signed.body.cursor)).allowed, { timeout: 1000, interval: 10 }).toBe(true);

  expect((await call('DELETE', executors, { token: rep })).status).toBe(200);
  const started = Date.now();
  await expect.poll(async () => (await ask()).reason, { timeout: 2000, interval: 10 }).toBe('acting-person-not-allowed');
  expect(Date.now() - started).toBeLessThan(1000);
});
