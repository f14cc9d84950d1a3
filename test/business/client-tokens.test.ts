// OAuth 2 client credentials over HTTP: a business application trades its id and secret for an access
// token at /oauth2/token and uses it as Bearer on the business API (fast lane included); refusals carry
// RFC 6749's error codes; tampered, expired, foreign and revoked tokens are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, revokeApiClient, rotateClientSecret } from '../../src/app/api-clients.js';
import { issueClientToken } from '../../src/app/client-tokens.js';
import { makeNationalNumber } from '../../src/core/party.js';
import type { ApiClient } from '../../src/store/business-port.js';
import { type StartedServer, startServer } from '../fixtures/server.js';

const A = makeNationalNumber('850730', 33);
const B = makeNationalNumber('900115', 123);
const PIT = 'finance.personal-income-tax';
const check = { mandator: { kind: 'person', id: A }, mandatee: { kind: 'person', id: B }, type: PIT };
/** A new secret for an active client (the test fails if there is none). */
async function rotate(clientId: string, overlapMinutes: number): Promise<string> {
  const secret = await rotateClientSecret(server.app, clientId, overlapMinutes);
  if (secret === undefined) throw new Error(`no active client ${clientId}`);
  return secret;
}
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let server: StartedServer;
let client: ApiClient;
let secret: string;

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function api(method: string, path: string, authorization: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const laneAnswered = async () =>
  Number(
    /^ssm_check_fast_lane_requests_total\{outcome="answered"\} (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1],
  );

beforeAll(async () => {
  server = await startServer();
  ({ client, secret } = await createApiClient(server.app, { name: 'tax office', domain: 'finance' }));
});
afterAll(async () => server?.close());

describe('client credentials tokens', () => {
  it('are issued for HTTP Basic or form credentials, and open the business API', async () => {
    const viaBasic = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.id, secret) });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(viaBasic.headers.get('cache-control')).toBe('no-store');
    expect(viaBasic.headers.get('pragma')).toBe('no-cache');
    const viaForm = await tokenRequest({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret });
    expect(viaForm.status).toBe(200);

    const bearer = `Bearer ${viaBasic.body.access_token as string}`;
    const before = await laneAnswered();
    for (let i = 0; i < 3; i++)
      expect((await api('POST', '/api/v1/checks', bearer, check)).body).toMatchObject({ allowed: false, reason: 'no-mandate' });
    // The first use verifies the token; the next ones are answered by the fast lane from the cache.
    expect((await laneAnswered()) - before).toBe(2);
    expect((await api('GET', `/api/v1/represented?mandatee=${B}&domain=finance`, bearer)).status).toBe(200);
    expect((await api('GET', '/api/v1/events?after=0', bearer)).status).toBe(200);
    // Scoped like the client: another domain's type is refused, and people's routes are not for it.
    expect((await api('POST', '/api/v1/checks', bearer, { ...check, type: 'ehealth.consent-management' })).body.code).toBe(
      'TYPE_NOT_IN_SCOPE',
    );
    expect((await api('GET', '/api/v1/mandates', bearer)).status).toBe(403);
  });

  it('are refused with OAuth error codes when the request is wrong', async () => {
    const wrongBasic = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.id, 'nope') });
    expect(wrongBasic.status).toBe(401);
    expect(wrongBasic.body).toMatchObject({ error: 'invalid_client', field: 'Authorization' });
    expect(wrongBasic.headers.get('www-authenticate')).toContain('Basic');
    expect(await tokenRequest({ grant_type: 'client_credentials', client_id: client.id, client_secret: 'nope' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client', field: 'client_secret' },
    });
    expect(await tokenRequest({ client_id: client.id, client_secret: secret })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', field: 'grant_type' },
    });
    expect(await tokenRequest({ grant_type: 'password', client_id: client.id, client_secret: secret })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type', field: 'grant_type' },
    });
    expect(
      await tokenRequest(
        { grant_type: 'client_credentials', client_id: client.id, client_secret: secret },
        { authorization: basic(client.id, secret) },
      ),
    ).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await tokenRequest({ grant_type: 'client_credentials' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('that are tampered with, expired, issued elsewhere or of a revoked client open nothing', async () => {
    const { token } = await issueClientToken(server.app, client, server.url);
    const [head, payload, signature] = token.split('.') as [string, string, string];
    const tampered = `${head}.${payload}.${signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`}`;
    const refused = await api('POST', '/api/v1/checks', `Bearer ${tampered}`, check);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('CLIENT_TOKEN_INVALID');
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');

    const expired = await issueClientToken(server.app, client, server.url, -60);
    expect((await api('POST', '/api/v1/checks', `Bearer ${expired.token}`, check)).body.code).toBe('CLIENT_TOKEN_INVALID');

    // Signed with our key but for another service: not ours to honour, so no business application is recognised.
    const foreign = await issueClientToken(server.app, client, 'https://elsewhere.example');
    expect((await api('POST', '/api/v1/checks', `Bearer ${foreign.token}`, check)).status).toBe(401);

    const { client: leaving, secret: leavingSecret } = await createApiClient(server.app, { name: 'leaving', domain: 'finance' });
    const issued = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(leaving.id, leavingSecret) });
    await revokeApiClient(server.app, leaving.id);
    expect((await api('POST', '/api/v1/checks', `Bearer ${issued.body.access_token as string}`, check)).body.code).toBe(
      'CLIENT_TOKEN_INVALID',
    );
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(leaving.id, leavingSecret) })).status).toBe(
      401,
    );
  });

  it('outlive a rotated-out secret only during its overlap; a leaked secret and its tokens stop at once', async () => {
    const { client: rotating, secret: first } = await createApiClient(server.app, { name: 'rotating', domain: 'finance' });
    const tokenOf = async (secret: string) =>
      `Bearer ${(await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(rotating.id, secret) })).body.access_token}`;
    const status = async (authorization: string) => (await api('POST', '/api/v1/checks', authorization, check)).status;
    const early = await tokenOf(first);

    // A planned rotation: both secrets, and the token issued before, keep working for the overlap. (The new
    // secret is tried at the token endpoint, which never caches: below it must fail at once.)
    const second = await rotate(rotating.id, 5);
    expect([await status(early), await status(basic(rotating.id, first))]).toEqual([200, 200]);
    // A token traded for the old secret now ends with it, in five minutes, not ten.
    const viaOld = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(rotating.id, first) });
    expect(viaOld.body.expires_in).toBeGreaterThan(290);
    expect(viaOld.body.expires_in).toBeLessThanOrEqual(300);
    const during = await tokenOf(second);
    expect(during).not.toBe('Bearer undefined');

    // A leaked secret: nothing issued before the rotation works any more (none of it was cached here).
    const third = await rotate(rotating.id, 0);
    expect(await status(during)).toBe(401);
    expect(await status(basic(rotating.id, second))).toBe(401);
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(rotating.id, second) })).status).toBe(401);
    expect(await status(basic(rotating.id, third))).toBe(200);
    // Tokens carry whole seconds: one issued in the second of the rotation counts as issued before it.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    expect(await status(await tokenOf(third))).toBe(200);
  });
});
