// The client authentication plugin on a small Fastify instance over a real store: the credential
// cache and its revocation delay, and per-client quotas.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, revokeApiClient } from '../../src/app/api-clients.js';
import { clientAuthPlugin, requireClient } from '../../src/http/plugins/client-auth.js';
import { errorsPlugin } from '../../src/http/plugins/errors.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let db: TestDatabase;
let app: TestApp;
const clock = { ms: 1_000_000 };

async function serverWith(cacheTtlMs: number): Promise<FastifyInstance> {
  const server = Fastify();
  server.decorateRequest('principal', null);
  await errorsPlugin(server);
  await clientAuthPlugin(server, { app, publicUrl: 'http://localhost', cacheTtlMs, now: () => clock.ms });
  server.get('/api/whoami', async (request) => requireClient(request));
  server.get('/elsewhere', async (request) => ({ principal: request.principal }));
  return server;
}

beforeAll(async () => {
  db = sqliteDatabase();
  app = await testApp(db.url);
});
afterAll(async () => {
  await app?.store.close();
  await db?.drop();
});

describe('client authentication plugin', () => {
  it('sets the client principal with its domain and types', async () => {
    const server = await serverWith(60_000);
    const { client, secret } = await createApiClient(app, { name: 'MyMinfin', domain: 'finance', types: ['finance.vat'] });
    const answer = await server.inject({ url: '/api/whoami', headers: { authorization: basic(client.id, secret) } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ kind: 'client', clientId: client.id, name: 'MyMinfin', domain: 'finance', types: ['finance.vat'] });
  });

  it('keeps trusting cached credentials for the cache time after a revocation, then refuses them', async () => {
    const server = await serverWith(60_000);
    const { client, secret } = await createApiClient(app, { name: 'cached', domain: 'finance' });
    const call = () => server.inject({ url: '/api/whoami', headers: { authorization: basic(client.id, secret) } });
    expect((await call()).statusCode).toBe(200);
    await revokeApiClient(app, client.id);
    clock.ms += 59_000;
    expect((await call()).statusCode).toBe(200);
    clock.ms += 2_000;
    const refused = await call();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('CLIENT_AUTHENTICATION_FAILED');
  });

  it('refuses a revoked client at once when the cache is off', async () => {
    const server = await serverWith(0);
    const { client, secret } = await createApiClient(app, { name: 'uncached', domain: 'ehealth' });
    const call = () => server.inject({ url: '/api/whoami', headers: { authorization: basic(client.id, secret) } });
    expect((await call()).statusCode).toBe(200);
    await revokeApiClient(app, client.id);
    expect((await call()).statusCode).toBe(401);
  });

  it('leaves Basic credentials outside the API to others', async () => {
    const server = await serverWith(0);
    const answer = await server.inject({ url: '/elsewhere', headers: { authorization: basic('someone', 'else') } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ principal: null });
  });

  it('honours a per-client quota with a token bucket (429 when exceeded), and none when it is off', async () => {
    const server = await serverWith(60_000);
    const limited = await createApiClient(app, { name: 'limited', domain: 'finance', quotaPerSecond: 3 });
    const free = await createApiClient(app, { name: 'free', domain: 'finance' });
    const call = (c: typeof limited) => server.inject({ url: '/api/whoami', headers: { authorization: basic(c.client.id, c.secret) } });
    const burst = [];
    for (let i = 0; i < 4; i += 1) burst.push((await call(limited)).statusCode);
    expect(burst).toEqual([200, 200, 200, 429]);
    const refused = await call(limited);
    expect(refused.json().code).toBe('CLIENT_QUOTA_EXCEEDED');
    expect(refused.headers['retry-after']).toBe('1');
    clock.ms += 400; // 1.2 tokens back
    expect((await call(limited)).statusCode).toBe(200);
    expect((await call(limited)).statusCode).toBe(429);
    for (let i = 0; i < 20; i += 1) expect((await call(free)).statusCode).toBe(200);
  });
});
