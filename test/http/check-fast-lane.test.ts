// The check fast lane answers exactly as the Fastify route does: the same requests, good and bad,
// sent to a server with the lane and to one without it over the same database give the same status,
// body and headers; and the lane really answered the good ones (its counters say so).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/app/api-clients.js';
import { sqliteDatabase } from '../fixtures/databases.js';
import { A, ACME, B, C, enterprise, PIT, person, REP, today } from '../fixtures/people.js';
import { type StartedServer, startServer } from '../fixtures/server.js';

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One raw HTTP request: exact headers and bytes; `chunked` sends the body without a length. */
function send(base: string, headers: Record<string, string>, body: string | Buffer, chunked = false): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/v1/checks`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (chunked) {
      const bytes = Buffer.from(body);
      req.write(bytes.subarray(0, 10));
      req.end(bytes.subarray(10));
    } else {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    }
  });
}

/** What must be the same whichever way the request went (request ids are per request). */
function comparable(sent: Sent) {
  let body: unknown = sent.text;
  try {
    body = JSON.parse(sent.text);
  } catch {
    // not JSON: compare the text
  }
  if (body && typeof body === 'object' && 'requestId' in body) (body as { requestId?: string }).requestId = '…';
  const pick = ['content-type', 'content-length', 'cache-control', 'content-security-policy', 'x-content-type-options', 'x-frame-options'];
  return { status: sent.status, body, headers: Object.fromEntries(pick.map((h) => [h, sent.headers[h]])) };
}

async function laneCounts(base: string) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`^ssm_check_fast_lane_requests_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { answered: count('answered'), handedOver: count('handed-over') };
}

const database = sqliteDatabase();
let lane: StartedServer;
let plain: StartedServer;
const basic: Record<string, string> = {};

beforeAll(async () => {
  // Representatives come from outside (the enterprise register): in place before the engines start.
  const setup = await startServer({ databaseUrl: database.url });
  await setup.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  await setup.close();
  lane = await startServer({ databaseUrl: database.url });
  const call = async (path: string, token: string, body: unknown, ifMatch?: string) => {
    const res = await fetch(`${lane.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { mandate: { id: string } };
  };
  const created = await call('/api/v1/mandates', await lane.tokenFor(A), {
    type: PIT,
    mandator: person(A),
    mandatee: person(B),
    validFrom: today(),
  });
  await call(`/api/v1/mandates/${created.mandate.id}/sign`, await lane.tokenFor(B), {}, '"v1"');
  const toAcme = await call('/api/v1/mandates', await lane.tokenFor(C), {
    type: PIT,
    mandator: person(C),
    mandatee: enterprise(ACME),
    validFrom: today(),
  });
  await call(`/api/v1/mandates/${toAcme.mandate.id}/sign`, await lane.tokenFor(REP), { onBehalfOf: enterprise(ACME) }, '"v1"');
  for (const [name, domain, types] of [
    ['finance', 'finance', null],
    ['pitOnly', 'finance', [PIT]],
  ] as const) {
    const { client, secret } = await createApiClient(lane.app, { name, domain, types });
    basic[name] = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  }
  // The same database, without the lane: every request goes through Fastify there.
  plain = await startServer({ databaseUrl: lane.config.databaseUrl, env: { SSM_CHECK_FAST_LANE: '0' } });
});
afterAll(async () => {
  await plain?.close();
  await lane?.close();
  await database.drop();
});

const single = { mandator: person(A), mandatee: person(B), type: PIT, at: `${today()}T12:00:00Z` };
const json = 'application/json';

/** [what, content-type, authorization client, body, chunked?] */
const cases: [string, string, string | null, string | Buffer, boolean?][] = [
  ['an allowed check', json, 'finance', JSON.stringify(single)],
  ['a check without an instant (now)', json, 'finance', JSON.stringify({ ...single, at: undefined })],
  ['a check with no mandate', json, 'finance', JSON.stringify({ ...single, mandatee: person(C) })],
  [
    'formatted identifiers',
    json,
    'finance',
    JSON.stringify({ ...single, mandator: person(`${A.slice(0, 2)}.${A.slice(2, 4)}.${A.slice(4, 6)}-${A.slice(6, 9)}.${A.slice(9)}`) }),
  ],
  [
    'an enterprise mandatee with its representative acting',
    json,
    'finance',
    JSON.stringify({ mandator: person(C), mandatee: enterprise(ACME), type: PIT, actingPerson: REP }),
  ],
  [
    'an enterprise mandatee with a stranger acting',
    json,
    'finance',
    JSON.stringify({ mandator: person(C), mandatee: enterprise(ACME), type: PIT, actingPerson: B }),
  ],
  ['a batch in order', json, 'finance', JSON.stringify({ checks: [single, { ...single, mandatee: person(C) }, single] })],
  ['the charset spelled out', 'application/json; charset=utf-8', 'finance', JSON.stringify(single)],
  ['a refused check explained', json, 'finance', JSON.stringify({ ...single, mandatee: person(C), explain: true })],
  ['a cursor already reached', json, 'finance', JSON.stringify({ ...single, minCursor: 1 })],
  ['a body sent in chunks (no length)', json, 'finance', JSON.stringify(single), true],
  ['an unknown field', json, 'finance', JSON.stringify({ ...single, extra: 1 })],
  ['a missing field', json, 'finance', JSON.stringify({ mandator: person(A), type: PIT })],
  ['an empty object', json, 'finance', '{}'],
  ['an array', json, 'finance', '[]'],
  ['a string', json, 'finance', '"check"'],
  ['malformed JSON', json, 'finance', '{"mandator":'],
  ['a prototype key', json, 'finance', `{"__proto__":{"admin":true},${JSON.stringify(single).slice(1)}`],
  ['a constructor key', json, 'finance', `{"constructor":{"prototype":{"admin":true}},${JSON.stringify(single).slice(1)}`],
  ['a wrong check digit', json, 'finance', JSON.stringify({ ...single, mandatee: person(`${B.slice(0, 9)}00`) })],
  ['an impossible date', json, 'finance', JSON.stringify({ ...single, at: '2027-02-31T12:00:00Z' })],
  ['a type of another domain', json, 'finance', JSON.stringify({ ...single, type: 'ehealth.consent-management' })],
  ['a type outside a restricted client', json, 'pitOnly', JSON.stringify({ ...single, type: 'finance.vat' })],
  ['a type in UTF-8 beyond ASCII', json, 'finance', JSON.stringify({ ...single, type: 'finance.impôt-€' })],
  // The lane counts string lengths in UTF-16 units (stricter than the route's code points): these are the route's to judge.
  ['a type of 60 characters beyond U+FFFF (120 UTF-16 units)', json, 'finance', JSON.stringify({ ...single, type: '😀'.repeat(60) })],
  ['an identifier of 20 characters beyond U+FFFF', json, 'finance', JSON.stringify({ ...single, mandator: person('😀'.repeat(20)) })],
  ['a batch item refused', json, 'finance', JSON.stringify({ checks: [single, { ...single, at: 'yesterday' }] })],
  ['a batch with a stray field', json, 'finance', JSON.stringify({ type: PIT, checks: [single] })],
  ['a batch of 1,001', json, 'finance', JSON.stringify({ checks: Array(1001).fill(single) })],
  ['no credentials', json, null, JSON.stringify(single)],
  ['wrong credentials', json, 'wrong', JSON.stringify(single)],
  ['plain text', 'text/plain', 'finance', JSON.stringify(single)],
  ['a body over 1 MiB', json, 'finance', JSON.stringify({ ...single, pad: 'x'.repeat(1_100_000) })],
];

describe('the check fast lane', () => {
  it('answers every request, good or bad, exactly as the route does, and answers the good ones itself', async () => {
    const auth = (name: string | null): Record<string, string> =>
      name === null ? {} : { authorization: basic[name] ?? `Basic ${Buffer.from('nobody:nothing').toString('base64')}` };
    // The first request of each application verifies its secret (through Fastify) and fills the cache.
    for (const name of ['finance', 'pitOnly']) {
      for (const base of [lane.url, plain.url]) {
        expect((await send(base, { 'content-type': json, ...auth(name) }, JSON.stringify(single))).status).toBe(200);
      }
    }
    const before = await laneCounts(lane.url);
    let eligibleAnswers = 0;
    for (const [what, type, client, body, chunked] of cases) {
      const headers = { 'content-type': type, ...auth(client) };
      const viaLane = await send(lane.url, headers, body, chunked);
      const viaRoute = await send(plain.url, headers, body, chunked);
      expect(comparable(viaLane), what).toEqual(comparable(viaRoute));
      if (viaLane.status === 200 && !chunked && type !== 'text/plain' && client !== null && client !== 'wrong') eligibleAnswers += 1;
    }
    const after = await laneCounts(lane.url);
    // Every good check with cached credentials and a length was answered by the lane; the refused
    // ones it read were handed over. The server without the lane counts nothing.
    expect(after.answered - before.answered).toBe(eligibleAnswers);
    expect(eligibleAnswers).toBeGreaterThanOrEqual(10);
    expect(after.handedOver - before.handedOver).toBeGreaterThanOrEqual(12);
    expect(await laneCounts(plain.url)).toEqual({ answered: 0, handedOver: 0 });
  });

  it('gives signed assertions that verify, like the route', async () => {
    const body = JSON.stringify({ ...single, assertion: true });
    const headers = { 'content-type': json, authorization: basic.finance as string };
    const viaLane = JSON.parse((await send(lane.url, headers, body)).text);
    const viaRoute = JSON.parse((await send(plain.url, headers, body)).text);
    expect(viaLane.assertion.split('.')).toHaveLength(3);
    const { assertion: _a, ...laneRest } = viaLane;
    const { assertion: _b, ...routeRest } = viaRoute;
    expect(laneRest).toEqual(routeRest);
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString());
    const { iat: _i, exp: _e, ...laneClaims } = claims(viaLane.assertion);
    const { iat: _j, exp: _f, ...routeClaims } = claims(viaRoute.assertion);
    expect(laneClaims).toEqual({ ...routeClaims, iss: laneClaims.iss });
  });
});
