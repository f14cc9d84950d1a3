// Business applications over HTTP against a started server: Basic client authentication and the
// domain change feed, GET /api/v1/events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, revokeApiClient } from '../../src/app/api-clients.js';
import type { MandateCloudEvent } from '../../src/app/change-feed.js';
import { createMandate } from '../../src/app/create-mandate.js';
import type { RegistryCloudEvent } from '../../src/app/registry-feed.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';
import type { RegistryEdit } from '../../src/store/registry-port.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import { httpClient } from '../http/client.js';
import { EHEALTH_OTHER_TYPE, EHEALTH_TYPE, FINANCE_TYPE, loggedEvents, makeMandates } from './workload.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let server: StartedServer;
const credentials: Record<string, string> = {};

const get = (path: string, authorization?: string) =>
  httpClient(server.url)('GET', path, { headers: authorization ? { authorization } : {} });

/** Every event of a feed for these credentials, page by page. */
async function readFeed<E = MandateCloudEvent>(authorization: string, limit: number, path = '/api/v1/events') {
  const events: E[] = [];
  let after = '0';
  for (let page = 0; page < 500; page += 1) {
    const answer = await get(`${path}?after=${after}&limit=${limit}`, authorization);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    events.push(...answer.body.events);
    if (answer.body.events.length === 0 && answer.body.next === after) return events;
    after = answer.body.next;
  }
  throw new Error('the feed never ended');
}

beforeAll(async () => {
  server = await startServer();
  await makeMandates(server.app, 30);
  for (const [name, domain] of [
    ['finance', 'finance'],
    ['ehealth', 'ehealth'],
    ['flanders', 'flanders'],
  ] as const) {
    const { client, secret } = await createApiClient(server.app, { name, domain });
    credentials[name] = basic(client.id, secret);
  }
});
afterAll(async () => {
  await server?.close();
});

describe('client authentication', () => {
  it('asks for client credentials when there are none', async () => {
    const answer = await get('/api/v1/events');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="ssm"');
    expect(answer.body.code).toBe('CLIENT_AUTHENTICATION_REQUIRED');
  });

  it('refuses a wrong secret, an unknown client and a malformed header', async () => {
    const { client, secret } = await createApiClient(server.app, { name: 'x', domain: 'finance' });
    for (const authorization of [
      basic(client.id, `${secret.slice(1)}A`),
      basic('00000000-0000-4000-8000-000000000000', secret),
      'Basic bm9jb2xvbg==',
      'Basic !!!',
    ]) {
      const answer = await get('/api/v1/events', authorization);
      expect(answer.status, authorization).toBe(401);
      expect(answer.body.code).toBe('CLIENT_AUTHENTICATION_FAILED');
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="ssm"');
    }
  });

  it('refuses a revoked client', async () => {
    const { client, secret } = await createApiClient(server.app, { name: 'gone', domain: 'finance' });
    await revokeApiClient(server.app, client.id);
    const answer = await get('/api/v1/events', basic(client.id, secret));
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('CLIENT_AUTHENTICATION_FAILED');
  });

  it('does not let a signed-in person read the feed', async () => {
    const token = await server.tokenFor('85073003328');
    const answer = await get('/api/v1/events', `Bearer ${token}`);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('CLIENT_AUTHENTICATION_REQUIRED');
  });
});

describe('GET /api/v1/events', () => {
  it("returns every event of the client's domain exactly once across pages, and never another domain's", async () => {
    const log = await loggedEvents(server.app);
    for (const domain of ['finance', 'ehealth']) {
      const events = await readFeed(credentials[domain] as string, 4);
      const expected = log.filter((e) => e.domain === domain).map((e) => String(e.seq));
      expect(expected.length).toBeGreaterThan(10);
      expect(events.map((e) => e.id)).toEqual(expected);
      expect(events.every((e) => e.data.domain === domain && e.source === 'ssm' && e.specversion === '1.0')).toBe(true);
    }
  });

  it('shows a finance client nothing of ehealth', async () => {
    const ehealthMandates = new Set((await loggedEvents(server.app)).filter((e) => e.domain === 'ehealth').map((e) => e.mandateId));
    const events = await readFeed(credentials.finance as string, 1000);
    expect(events.some((e) => ehealthMandates.has(e.subject) || e.data.domain !== 'finance')).toBe(false);
  });

  it('moves the cursor of a quiet domain to the end of the log, and keeps it there', async () => {
    const head = (await server.app.store.head()).seq;
    const answer = await get('/api/v1/events', credentials.flanders);
    expect(answer.body).toEqual({ events: [], next: String(head) });
    const again = await get(`/api/v1/events?after=${head}`, credentials.flanders);
    expect(again.body).toEqual({ events: [], next: String(head) });
  });

  it('continues from a cursor with the events after it, including new ones', async () => {
    const head = String((await server.app.store.head()).seq);
    await makeMandates(server.app, 4, 100);
    const answer = await get(`/api/v1/events?after=${head}&limit=1000`, credentials.finance);
    expect(answer.status).toBe(200);
    expect(answer.body.events.length).toBeGreaterThan(0);
    expect(answer.body.events.every((e: MandateCloudEvent) => Number(e.id) > Number(head))).toBe(true);
    expect(answer.body.next).toBe(String((await server.app.store.head()).seq));
  });

  it('refuses a malformed cursor or limit, naming the parameter', async () => {
    for (const [query, field] of [
      ['after=abc', 'after'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
    ]) {
      const answer = await get(`/api/v1/events?${query}`, credentials.finance);
      expect(answer.status, query).toBe(400);
      expect(answer.body.field).toBe(field);
    }
  });

  it('is documented in the OpenAPI document under the client schemes (Basic, or a client credentials token)', async () => {
    const doc = (await get('/openapi.json')).body;
    expect(doc.paths['/api/v1/events'].get.security).toEqual([{ client: [] }, { clientToken: [] }]);
    expect(doc.components.securitySchemes.clientToken.flows.clientCredentials.tokenUrl).toBe('/oauth2/token');
  });
});

describe('GET /api/v1/registry-events', () => {
  const enterprise = makeEnterpriseNumber('04031707');
  const other = makeEnterpriseNumber('02022467');
  /** Holds no mandate: no application sees its register. */
  const stranger = makeEnterpriseNumber('08001234');
  const MAHIS = 'ehealth.social-security-mahis';
  const [rep, clerk, nurse] = [makeNationalNumber('750101', 11), makeNationalNumber('760202', 22), makeNationalNumber('770303', 33)] as [
    string,
    string,
    string,
  ];
  const edits: RegistryEdit[] = [
    { role: 'representative', change: 'added', enterpriseId: enterprise, personId: rep },
    { role: 'executor', change: 'added', enterpriseId: enterprise, personId: clerk, type: FINANCE_TYPE },
    { role: 'executor', change: 'added', enterpriseId: enterprise, personId: nurse, type: EHEALTH_TYPE },
    { role: 'executor', change: 'added', enterpriseId: other, personId: nurse, type: EHEALTH_OTHER_TYPE },
    { role: 'representative', change: 'added', enterpriseId: other, personId: clerk },
    { role: 'executor', change: 'removed', enterpriseId: enterprise, personId: clerk, type: FINANCE_TYPE },
    { role: 'representative', change: 'removed', enterpriseId: enterprise, personId: rep },
    { role: 'representative', change: 'added', enterpriseId: stranger, personId: rep },
    { role: 'executor', change: 'added', enterpriseId: other, personId: nurse, type: MAHIS },
  ];
  /** What each change looks like in the feed, by the edit's index. */
  const seen = (events: RegistryCloudEvent[]) => events.map((e) => [e.type, e.subject, e.data.person, e.data.type]);
  const expected = (...indexes: number[]) =>
    indexes.map((i) => {
      const e = edits[i] as RegistryEdit;
      return [`be.ssm.${e.role}-${e.change}`, e.enterpriseId, e.personId, e.role === 'executor' ? e.type : null];
    });

  beforeAll(async () => {
    // The enterprise holds a tax mandate and a social-security one; the other, only a social-security one.
    const mandator = makeNationalNumber('600606', 66);
    const proposer = { kind: 'person' as const, id: mandator, authTime: new Date().toISOString(), authLevel: 'test' };
    for (const [firm, type] of [
      [enterprise, FINANCE_TYPE],
      [enterprise, MAHIS],
      [other, MAHIS],
    ] as const) {
      const made = await createMandate(
        server.app,
        proposer,
        { kind: 'person', id: mandator },
        {
          type,
          mandator: { kind: 'person', id: mandator },
          mandatee: { kind: 'enterprise', id: firm },
          validFrom: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date()),
          validUntil: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
        },
      );
      if (!made.ok) throw new Error(made.refusal.code);
    }
    // One edit at a time, as people make them (and each its own position).
    for (const e of edits) await server.app.store.registry.edit([e], 'person:85073003328', new Date().toISOString());
  });

  it("shows the registers of the enterprises holding the domain's mandates, executors of its types only, each change once", async () => {
    const finance = await readFeed<RegistryCloudEvent>(credentials.finance as string, 2, '/api/v1/registry-events');
    expect(seen(finance)).toEqual(expected(0, 1, 5, 6));
    const ehealth = await readFeed<RegistryCloudEvent>(credentials.ehealth as string, 1, '/api/v1/registry-events');
    expect(seen(ehealth)).toEqual(expected(0, 2, 3, 4, 6, 8));
    expect(await readFeed<RegistryCloudEvent>(credentials.flanders as string, 100, '/api/v1/registry-events')).toEqual([]);
    expect(new Set(ehealth.map((e) => e.id)).size).toBe(ehealth.length);
    expect(ehealth.map((e) => e.data.seq)).toEqual([...ehealth.map((e) => e.data.seq)].sort((a, b) => a - b));
    // Who made a change is not for applications to know.
    expect(JSON.stringify([...finance, ...ehealth])).not.toContain('85073003328');
  });

  it('narrows it to the types of a restricted client', async () => {
    const { client, secret } = await createApiClient(server.app, { name: 'social security', domain: 'ehealth', types: [MAHIS] });
    expect(seen(await readFeed<RegistryCloudEvent>(basic(client.id, secret), 100, '/api/v1/registry-events'))).toEqual(
      expected(0, 4, 6, 8),
    );
    // No enterprise holds a consent mandate (only people can): nothing to see.
    const consents = await createApiClient(server.app, { name: 'consents', domain: 'ehealth', types: [EHEALTH_OTHER_TYPE] });
    expect(await readFeed(basic(consents.client.id, consents.secret), 100, '/api/v1/registry-events')).toEqual([]);
  });

  it('says where to start following an enterprise: who may act inside it now, and the cursor to go on from', async () => {
    const of = (firm: string, who: string) => get(`/api/v1/acting-persons?enterprise=${firm}`, credentials[who]);
    // The representative and the tax executor of the enterprise were removed again; the ehealth executor stays.
    expect((await of(enterprise, 'ehealth')).body).toMatchObject({
      enterprise,
      representatives: [],
      executors: [{ person: nurse, types: [EHEALTH_TYPE] }],
    });
    expect((await of(enterprise, 'finance')).body).toMatchObject({ representatives: [], executors: [] });
    const snapshot = await of(other, 'ehealth');
    expect(snapshot.body).toMatchObject({ representatives: [clerk], executors: [{ person: nurse, types: [EHEALTH_OTHER_TYPE, MAHIS] }] });

    // Nothing of an enterprise holding no mandate of the application's types, as for one that does not exist.
    for (const [firm, who] of [
      [other, 'finance'],
      [stranger, 'ehealth'],
      [other, 'flanders'],
    ] as const) {
      const refused = await of(firm, who);
      expect(refused.status, `${firm} for ${who}`).toBe(404);
      expect(refused.body).toMatchObject({ code: 'ENTERPRISE_NOT_FOUND', field: 'enterprise' });
    }
    expect((await get('/api/v1/acting-persons?enterprise=0403170702', credentials.ehealth)).body).toMatchObject({ field: 'enterprise' });

    // The feed from the snapshot's cursor brings what changes next, and nothing already in it.
    const from = snapshot.body.cursor;
    expect((await get(`/api/v1/registry-events?after=${from}`, credentials.ehealth)).body.events).toEqual([]);
    await server.app.store.registry.edit(
      [{ role: 'representative', change: 'removed', enterpriseId: other, personId: clerk }],
      'person:85073003328',
      new Date().toISOString(),
    );
    const next = await get(`/api/v1/registry-events?after=${from}`, credentials.ehealth);
    expect(seen(next.body.events)).toEqual([['be.ssm.representative-removed', other, clerk, null]]);
  });

  it('continues from a cursor, refuses a malformed one, and wants client credentials', async () => {
    const first = await get('/api/v1/registry-events?limit=1', credentials.finance);
    expect(first.status).toBe(200);
    const rest = await get(`/api/v1/registry-events?after=${first.body.next}`, credentials.finance);
    expect(seen([...first.body.events, ...rest.body.events])).toEqual(expected(0, 1, 5, 6));
    expect((await get('/api/v1/registry-events?after=-1', credentials.finance)).body.field).toBe('after');
    expect((await get('/api/v1/registry-events')).status).toBe(401);
  });
});
