// Business applications over HTTP: checks (single, batch, read-your-writes, assertions), "for whom",
// scoping to the client's domain, and every "why not?" explanation.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/app/api-clients.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';
import { startServer } from '../fixtures/server.js';
import { expectProblem, httpClient } from './client.js';

const A = makeNationalNumber('850730', 33);
const B = makeNationalNumber('900115', 123);
const C = makeNationalNumber('771231', 456);
const REP = makeNationalNumber('650420', 789);
const ACME = makeEnterpriseNumber('04031707');
const X = makeNationalNumber('700707', 70);
const Y = makeNationalNumber('710808', 81);
const PIT = 'finance.personal-income-tax';
const person = (id: string) => ({ kind: 'person', id });
const enterprise = (id: string) => ({ kind: 'enterprise', id });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
const inDays = (n: number) => new Date(Date.parse(`${today()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
const tokens: Record<string, string> = {};
const basic: Record<string, string> = {};

const check = (client: string, body: unknown) =>
  call('POST', '/api/v1/checks', { body, headers: { authorization: basic[client] as string } });

async function mandate(by: string, body: Record<string, unknown>, signer?: { id: string; onBehalfOf?: unknown }) {
  const created = await call('POST', '/api/v1/mandates', { token: tokens[by], body: { validFrom: today(), ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  if (!signer) return created;
  const signed = await call('POST', `/api/v1/mandates/${created.body.mandate.id}/sign`, {
    token: tokens[signer.id],
    ifMatch: '"v1"',
    body: signer.onBehalfOf ? { onBehalfOf: signer.onBehalfOf } : {},
  });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  return signed;
}

beforeAll(async () => {
  server = await startServer();
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  for (const p of [A, B, C, REP, X, Y]) tokens[p] = await server.tokenFor(p);
  for (const [name, domain, types] of [
    ['finance', 'finance', null],
    ['pitOnly', 'finance', [PIT]],
    ['ehealth', 'ehealth', null],
  ] as const) {
    const { client, secret } = await createApiClient(server.app, { name, domain, types });
    basic[name] = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  }
});
afterAll(async () => server?.close());

describe('checks', () => {
  it('answer from the moment of signing (read-your-writes), in batches in order, and refuse once stopped', async () => {
    const proposed = await mandate(A, { type: PIT, mandator: person(A), mandatee: person(B) });
    const query = { mandator: person(A), mandatee: person(B), type: PIT };
    expect((await check('finance', { ...query, minCursor: proposed.body.cursor })).body).toMatchObject({
      allowed: false,
      reason: 'no-mandate',
    });
    const signed = await call('POST', `/api/v1/mandates/${proposed.body.mandate.id}/sign`, { token: tokens[B], ifMatch: '"v1"', body: {} });
    const allowed = await check('finance', { ...query, minCursor: signed.body.cursor });
    expect(allowed.body).toMatchObject({
      allowed: true,
      reason: 'active',
      mandate: { id: proposed.body.mandate.id, validFrom: today(), validUntil: null },
    });
    expect(allowed.body.cursor).toBeGreaterThanOrEqual(signed.body.cursor);

    const batch = await check('finance', {
      checks: [query, { ...query, mandatee: person(C) }, { ...query, at: `${inDays(-1)}T12:00:00Z` }, query],
    });
    expect(batch.body.results.map((r: { allowed: boolean; reason: string }) => [r.allowed, r.reason])).toEqual([
      [true, 'active'],
      [false, 'no-mandate'],
      [false, 'not-yet-valid'],
      [true, 'active'],
    ]);

    const stopped = await call('POST', `/api/v1/mandates/${proposed.body.mandate.id}/stop`, {
      token: tokens[A],
      ifMatch: '"v2"',
      body: {},
    });
    expect((await check('finance', { ...query, minCursor: stopped.body.cursor })).body).toMatchObject({ allowed: false });
  });

  it('signs an assertion of the answer that verifies with the published keys', async () => {
    await mandate(C, { type: 'finance.myminfin', mandator: person(C), mandatee: person(A) }, { id: A });
    const answer = await check('finance', { mandator: person(C), mandatee: person(A), type: 'finance.myminfin', assertion: true });
    const jwks = createLocalJWKSet((await call('GET', '/.well-known/jwks.json')).body);
    const clientId = Buffer.from((basic.finance as string).slice(6), 'base64')
      .toString()
      .split(':')[0];
    const { payload } = await jwtVerify(answer.body.assertion, jwks, { issuer: server.url, audience: clientId });
    expect(payload).toMatchObject({
      allowed: true,
      type: 'finance.myminfin',
      mandator: person(C),
      mandatee: person(A),
      mandateId: answer.body.mandate.id,
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
  });

  it('lists for whom a party may act', async () => {
    const answer = await call('GET', `/api/v1/represented?mandatee=${A}&domain=finance`, {
      headers: { authorization: basic.finance as string },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.mandators).toContainEqual(expect.objectContaining({ mandator: person(C), type: 'finance.myminfin' }));
    const restricted = await call('GET', `/api/v1/represented?mandatee=${A}&domain=finance`, {
      headers: { authorization: basic.pitOnly as string },
    });
    expect(restricted.body.mandators.map((m: { type: string }) => m.type)).not.toContain('finance.myminfin');
  });

  it('keeps a client to its own domain and types, on every route', async () => {
    const query = { mandator: person(C), mandatee: person(A), type: 'finance.myminfin' };
    expectProblem(await check('ehealth', query), 403, 'TYPE_NOT_IN_SCOPE', 'type');
    expectProblem(await check('pitOnly', query), 403, 'TYPE_NOT_IN_SCOPE', 'type');
    expectProblem(
      await check('ehealth', { checks: [{ ...query, type: 'ehealth.consent-management' }, query] }),
      403,
      'TYPE_NOT_IN_SCOPE',
      'checks.1.type',
    );
    const other = { headers: { authorization: basic.ehealth as string } };
    expectProblem(await call('GET', `/api/v1/represented?mandatee=${A}&domain=finance`, other), 403, 'DOMAIN_NOT_IN_SCOPE', 'domain');
    expectProblem(await call('GET', `/api/v1/represented?mandatee=${A}&type=finance.myminfin`, other), 403, 'TYPE_NOT_IN_SCOPE', 'type');
    const feed = await call('GET', '/api/v1/events?after=0&limit=1000', other);
    expect(feed.status).toBe(200);
    expect(feed.body.events).toEqual([]);
    // Who executes finance types for an enterprise holding a finance mandate is finance's business, not ehealth's.
    await mandate(Y, { type: 'finance.myminfin', mandator: person(Y), mandatee: enterprise(ACME), validUntil: inDays(300) });
    const X_CLERK = makeNationalNumber('720909', 92);
    await server.app.store.registry.edit(
      [{ role: 'executor', change: 'added', enterpriseId: ACME, personId: X_CLERK, type: 'finance.myminfin' }],
      'test',
      new Date().toISOString(),
    );
    const people = (answer: { body: { events: { data: { person: string } }[] } }) => answer.body.events.map((e) => e.data.person);
    expect(people(await call('GET', '/api/v1/registry-events?limit=1000', other))).not.toContain(X_CLERK);
    expect(
      people(await call('GET', '/api/v1/registry-events?limit=1000', { headers: { authorization: basic.finance as string } })),
    ).toContain(X_CLERK);
  });

  it('answers with the headers of a machine API: never cached, never framed or sniffed', async () => {
    const answer = await check('finance', { mandator: person(A), mandatee: person(B), type: PIT });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(Object.keys(answer.body).sort()).toEqual(['allowed', 'cursor', 'reason']);
    // Counted in the request metrics, by route template.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = /^ssm_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/checks",status="2xx"\} (\d+)$/m.exec(metrics);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
    // The webhook outbox as the store has it (no webhook here: nothing waits, nothing died).
    expect(metrics).toMatch(/^ssm_webhook_deliveries\{status="pending"\} 0$/m);
    expect(metrics).toMatch(/^ssm_webhook_deliveries\{status="dead"\} 0$/m);
    expect(metrics).toMatch(/^ssm_webhook_overdue_seconds 0\.000$/m);
  });

  it('refuses malformed checks naming the field, and callers that are not business applications', async () => {
    expectProblem(
      await check('finance', { mandator: person(A), mandatee: person('90011512399'), type: PIT }),
      400,
      'IDENTIFIER_CHECK_DIGIT',
      'mandatee.id',
    );
    expectProblem(
      await check('finance', {
        checks: [
          { mandator: person(A), mandatee: person(B), type: PIT },
          { mandator: person(A), mandatee: enterprise('0403170702'), type: PIT },
        ],
      }),
      400,
      'IDENTIFIER_CHECK_DIGIT',
      'checks.1.mandatee.id',
    );
    expectProblem(
      await check('finance', { mandator: person(A), mandatee: person(B), type: PIT, at: 'yesterday' }),
      400,
      'REQUEST_INVALID',
      'at',
    );
    // 31 February is no instant, though Date.parse would roll it over into March.
    expectProblem(
      await check('finance', { checks: [{ mandator: person(A), mandatee: person(B), type: PIT, at: '2027-02-31T12:00:00Z' }] }),
      400,
      'REQUEST_INVALID',
      'checks.0.at',
    );
    expectProblem(
      await check('finance', { checks: Array(1001).fill({ mandator: person(A), mandatee: person(B), type: PIT }) }),
      400,
      'REQUEST_INVALID',
      'checks',
    );
    expectProblem(await check('finance', { mandator: person(A), mandatee: person(B) }), 400, 'REQUEST_FIELD_MISSING', 'type');
    expectProblem(
      await check('finance', { type: PIT, checks: [{ mandator: person(A), mandatee: person(B), type: PIT }] }),
      400,
      'REQUEST_INVALID',
      'type',
    );
    expectProblem(
      await call('POST', '/api/v1/checks', { body: { mandator: person(A), mandatee: person(B), type: PIT } }),
      401,
      'CLIENT_AUTHENTICATION_REQUIRED',
    );
    expectProblem(
      await call('POST', '/api/v1/checks', { token: tokens[A], body: { mandator: person(A), mandatee: person(B), type: PIT } }),
      401,
      'CLIENT_AUTHENTICATION_REQUIRED',
    );
  });
});

describe('why not? (explain)', () => {
  const explain = async (client: string, query: Record<string, unknown>) => {
    const answer = await check(client, { ...query, explain: true });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.allowed).toBe(false);
    return answer.body.explanation;
  };

  it('no mandate at all', async () => {
    expect(await explain('finance', { mandator: person(X), mandatee: person(Y), type: PIT })).toEqual({ code: 'NO_MANDATE' });
  });

  it('pending, waiting for the mandatee’s signature', async () => {
    const p = await mandate(X, { type: 'finance.e-depo', mandator: person(X), mandatee: person(Y) });
    expect(await explain('finance', { mandator: person(X), mandatee: person(Y), type: 'finance.e-depo' })).toMatchObject({
      code: 'WAITING_FOR_SIGNATURE',
      mandateId: p.body.mandate.id,
      waitingFor: ['mandatee'],
    });
  });

  it('not yet valid, starting on a given day', async () => {
    await mandate(
      X,
      { type: 'finance.non-resident-income-tax', mandator: person(X), mandatee: person(Y), validFrom: inDays(10) },
      { id: Y },
    );
    expect(await explain('finance', { mandator: person(X), mandatee: person(Y), type: 'finance.non-resident-income-tax' })).toMatchObject({
      code: 'NOT_YET_VALID',
      startsOn: inDays(10),
    });
  });

  it('expired on its last day', async () => {
    await mandate(X, { type: 'finance.tax-disputes', mandator: person(X), mandatee: person(Y), validUntil: inDays(2) }, { id: Y });
    expect(
      await explain('finance', { mandator: person(X), mandatee: person(Y), type: 'finance.tax-disputes', at: `${inDays(3)}T12:00:00Z` }),
    ).toMatchObject({
      code: 'EXPIRED',
      endedOn: inDays(2),
    });
  });

  it('stopped on a day, by whom', async () => {
    const s = await mandate(Y, { type: 'finance.myminfin', mandator: person(Y), mandatee: person(X) }, { id: X });
    await call('POST', `/api/v1/mandates/${s.body.mandate.id}/stop`, { token: tokens[X], ifMatch: '"v2"', body: { reason: 'done' } });
    expect(await explain('finance', { mandator: person(Y), mandatee: person(X), type: 'finance.myminfin' })).toMatchObject({
      code: 'STOPPED',
      stoppedOn: today(),
      by: 'mandatee',
      reason: 'done',
    });
  });

  it('transferred to another mandatee', async () => {
    const t = await mandate(X, { type: PIT, mandator: person(X), mandatee: person(Y) }, { id: Y });
    const transfer = await call('POST', `/api/v1/mandates/${t.body.mandate.id}/transfer`, {
      token: tokens[X],
      ifMatch: '"v2"',
      body: { mandatee: person(C) },
    });
    await call('POST', `/api/v1/mandates/${transfer.body.related[0].id}/sign`, { token: tokens[C], ifMatch: '"v1"', body: {} });
    expect(await explain('finance', { mandator: person(X), mandatee: person(Y), type: PIT })).toMatchObject({
      code: 'TRANSFERRED',
      to: person(C),
    });
  });

  it('a neighbouring type exists — but only one the asker may see', async () => {
    await mandate(Y, { type: 'finance.e-depo', mandator: person(Y), mandatee: person(C) }, { id: C });
    expect(await explain('finance', { mandator: person(Y), mandatee: person(C), type: PIT })).toEqual({
      code: 'WRONG_TYPE',
      types: ['finance.e-depo'],
    });
    expect(await explain('pitOnly', { mandator: person(Y), mandatee: person(C), type: PIT })).toEqual({ code: 'NO_MANDATE' });
  });

  it('acting as the wrong party: the mandate is the enterprise’s', async () => {
    await mandate(X, { type: PIT, mandator: person(X), mandatee: enterprise(ACME) }, { id: REP, onBehalfOf: enterprise(ACME) });
    expect(await explain('finance', { mandator: person(X), mandatee: person(REP), type: PIT })).toMatchObject({
      code: 'WRONG_PARTY',
      holder: enterprise(ACME),
    });
  });
});
