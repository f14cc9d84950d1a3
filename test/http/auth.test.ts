// Sign-in end to end over real HTTP against the local OpenID provider: redirects, PKCE, state, nonce,
// sessions, bearer tokens, logout, re-authentication, the CLI's dev-token, and what must be refused.
import { spawn } from 'node:child_process';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { ResponseBodyError } from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CookieJar, devAuthorization, redeemDevAuthorization, signInAs } from '../../src/auth/dev-login.js';
import { DevProviderInProductionError } from '../../src/auth/dev-provider.js';
import { SESSION_COOKIE } from '../../src/auth/sessions.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { A, ACME, B, GLOBEX, REP } from '../fixtures/app.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import { httpClient } from './client.js';

let server: StartedServer;
let site: URL;
let call: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await startServer();
  site = new URL(server.url);
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([
    { enterpriseId: ACME, personId: REP, source: 'test' },
    { enterpriseId: GLOBEX, personId: REP, source: 'test' },
  ]);
});
afterAll(() => server?.close());

type SigningKey = Parameters<SignJWT['sign']>[0];

const at = (path: string) => new URL(path, site);
const isCallback = (u: URL) => u.origin === site.origin && u.pathname === '/auth/callback';

/** Follows redirects in a browser-like jar until `until` says stop or a page (non-redirect) answers. */
async function follow(jar: CookieJar, start: URL, until: (u: URL) => boolean = () => false): Promise<{ url: URL; response?: Response }> {
  let url = start;
  for (let i = 0; i < 10; i += 1) {
    if (until(url)) return { url };
    const response = await jar.fetch(url);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url, response };
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}

const interactionUid = (u: URL) => /^\/idp\/interaction\/([\w-]+)$/.exec(u.pathname)?.[1];

/** A sign-in started at /auth/login, taken through the provider as the person up to (not into) the callback. */
async function callbackFor(jar: CookieJar, nationalNumber: string, query = ''): Promise<URL> {
  return signInAs(jar, at(`/auth/login${query}`), nationalNumber, isCallback);
}

describe('the browser flow', () => {
  test('login → provider → login form → consent → callback → session shows the person and their enterprises', async () => {
    const jar = new CookieJar();
    const login = await jar.fetch(at('/auth/login?returnTo=%2Fmandates%3Frole%3Dmandator'));
    expect(login.status).toBe(303);
    const authorize = new URL(login.headers.get('location') as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${server.url}/idp/auth`);
    const params = authorize.searchParams;
    expect(params.get('client_id')).toBe('ssm-web');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('redirect_uri')).toBe(`${server.url}/auth/callback`);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('ssm_login='));
    expect(loginCookie).toMatch(/HttpOnly/i);
    expect(loginCookie).toMatch(/SameSite=Lax/i);
    expect(loginCookie).toMatch(/Path=\/auth/);

    // The provider sends the browser to its login page.
    const { url: loginPageUrl, response: loginPage } = await follow(jar, authorize);
    const uid = interactionUid(loginPageUrl);
    expect(uid).toBeDefined();
    expect(loginPage?.status).toBe(200);
    const html = await (loginPage as Response).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<label for="nationalNumber">/);
    expect(html).toContain('An Peeters');
    expect(html).not.toMatch(/<script|style=/i);
    expect(loginPage?.headers.get('content-security-policy')).toContain("script-src 'self'");

    // A national number with wrong check digits is refused on the page, with the field marked.
    const wrong = await jar.fetch(at(`/idp/interaction/${uid}/login`), {
      method: 'POST',
      body: new URLSearchParams({ nationalNumber: '85073003329' }),
    });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('aria-invalid="true"');
    expect(wrongHtml).toContain('role="alert"');

    // Any check-digit-valid number is accepted (dots and dashes allowed), then consent.
    const formatted = `${REP.slice(0, 2)}.${REP.slice(2, 4)}.${REP.slice(4, 6)}-${REP.slice(6, 9)}.${REP.slice(9)}`;
    const posted = await jar.fetch(at(`/idp/interaction/${uid}/login`), {
      method: 'POST',
      body: new URLSearchParams({ nationalNumber: formatted }),
    });
    expect(posted.status).toBe(303);
    const { url: consentUrl, response: consentPage } = await follow(jar, new URL(posted.headers.get('location') as string, site));
    expect(interactionUid(consentUrl)).toBeDefined();
    const consentHtml = await (consentPage as Response).text();
    expect(consentHtml).toContain('Share your identity with SSM');
    const confirmAction = /action="([^"]+\/confirm)"/.exec(consentHtml)?.[1] as string;
    const confirmed = await jar.fetch(at(confirmAction), { method: 'POST', body: new URLSearchParams() });
    expect(confirmed.status).toBe(303);
    const { url: callback } = await follow(jar, new URL(confirmed.headers.get('location') as string, site), isCallback);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe(params.get('state'));
    expect(callback.searchParams.get('iss')).toBe(`${server.url}/idp`);

    // The callback redeems the code and starts the session.
    const done = await jar.fetch(callback);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/mandates?role=mandator');
    const sessionCookie = done.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) as string;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).toMatch(/Path=\/(;|$)/);
    expect(sessionCookie).not.toMatch(/Secure/i); // http here; https public URLs get Secure (below)

    const me = await call('GET', '/api/v1/session', { headers: { cookie: jar.header(at('/api/v1/session')) } });
    expect(me.status).toBe(200);
    expect(me.body.person.nationalNumber).toBe(REP);
    expect(me.body.via).toBe('session');
    expect(me.body.authLevel).toBe('dev');
    expect(me.body.enterprises).toEqual(
      [{ enterpriseNumber: ACME }, { enterpriseNumber: GLOBEX }].sort((x, y) => x.enterpriseNumber.localeCompare(y.enterpriseNumber)),
    );
    const authTime = Date.parse(me.body.authTime);
    expect(Math.abs(Date.now() - authTime)).toBeLessThan(60_000);
    expect(Date.parse(me.body.signFreshUntil) - authTime).toBe(server.config.signMaxAgeSeconds * 1000);
  });

  test('a tampered state is refused, and no session is started', async () => {
    const jar = new CookieJar();
    const callback = await callbackFor(jar, A);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const answer = await jar.fetch(tampered);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { code: string }).code).toBe('AUTH_STATE_INVALID');
    expect(jar.get(site, SESSION_COOKIE)).toBeUndefined();
    // The pending sign-in was used up by the attempt: even the genuine response is now refused.
    expect((await jar.fetch(callback)).status).toBe(400);
  });

  test('a callback without the browser that started the sign-in is refused', async () => {
    const callback = await callbackFor(new CookieJar(), A);
    const stranger = await new CookieJar().fetch(callback);
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { code: string }).code).toBe('AUTH_STATE_INVALID');
  });

  test('a replayed authorization code is refused', async () => {
    const jar = new CookieJar();
    const first = await callbackFor(jar, A);
    expect((await jar.fetch(first)).status).toBe(303);
    // Replaying the same response: that sign-in is over.
    const again = await jar.fetch(first);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toBe('AUTH_STATE_INVALID');
    // Grafting the used code onto a fresh, genuine sign-in of the same browser: the provider refuses the code.
    const second = await callbackFor(jar, A);
    const grafted = new URL(second);
    grafted.searchParams.set('code', first.searchParams.get('code') as string);
    const replay = await jar.fetch(grafted);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { code: string }).code).toBe('AUTH_CODE_INVALID');
  });

  test('the provider itself refuses a code redeemed twice, even with the right PKCE verifier', async () => {
    const authorization = await devAuthorization(`${server.url}/idp`, B);
    const tokens = await redeemDevAuthorization(authorization);
    expect(tokens.access_token).toBeTruthy();
    const replay = await redeemDevAuthorization(authorization).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(ResponseBodyError);
    expect((replay as ResponseBodyError).error).toBe('invalid_grant');
  });

  test('returnTo must stay on this site', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'mandates']) {
      const answer = await call('GET', `/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(answer.status, returnTo).toBe(400);
      expect(answer.body.code).toBe('AUTH_RETURN_TO_INVALID');
    }
  });

  test('max_age=0 makes the provider ask again and gives a new session; without it the provider signs in silently', async () => {
    const jar = new CookieJar();
    expect((await jar.fetch(await callbackFor(jar, A))).status).toBe(303);
    const firstSession = jar.get(site, SESSION_COOKIE);

    // Single sign-on: a second sign-in goes straight back to the callback.
    const silent = await follow(jar, at('/auth/login'), isCallback);
    expect(isCallback(silent.url)).toBe(true);
    expect((await jar.fetch(silent.url)).status).toBe(303);

    for (const query of ['?max_age=0&returnTo=%2Fsign', '?prompt=login']) {
      const { url } = await follow(jar, at(`/auth/login${query}`), (u) => interactionUid(u) !== undefined || isCallback(u));
      expect(interactionUid(url), query).toBeDefined();
      const page = await (await jar.fetch(url)).text();
      expect(page).toContain('name="nationalNumber"');
      const callback = await signInAs(jar, url, A, isCallback);
      const done = await jar.fetch(callback);
      expect(done.status).toBe(303);
    }
    expect(jar.get(site, SESSION_COOKIE)).not.toBe(firstSession);
    const old = await call('GET', '/api/v1/session', { headers: { cookie: `${SESSION_COOKIE}=${firstSession}` } });
    expect(old.status).toBe(401);
  });
});

describe('sessions', () => {
  test('logout needs our own origin, ends the session and clears the cookie', async () => {
    const cookie = await server.loginCookie(A);
    expect((await call('GET', '/api/v1/session', { headers: { cookie } })).status).toBe(200);

    const forged = await call('POST', '/auth/logout', { headers: { cookie, origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('CSRF_ORIGIN');
    expect((await call('GET', '/api/v1/session', { headers: { cookie } })).status).toBe(200);

    const out = await call('POST', '/auth/logout', { headers: { cookie, origin: server.url } });
    expect(out.status).toBe(200);
    expect(out.body.signedOut).toBe(true);
    expect(out.body.endSessionUrl).toContain(`${server.url}/idp/session/end`);
    expect(out.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toBeDefined();

    const after = await call('GET', '/api/v1/session', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('AUTHENTICATION_REQUIRED');
  });

  test('after logout, the end-session URL signs the browser out of the provider too, so the next sign-in asks again', async () => {
    const jar = new CookieJar();
    expect((await jar.fetch(await callbackFor(jar, A))).status).toBe(303);
    const out = await jar.fetch(at('/auth/logout'), { method: 'POST', headers: { origin: server.url, accept: 'text/html' } });
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('location') as string);
    expect(endSession.pathname).toBe('/idp/session/end');
    expect(jar.get(site, SESSION_COOKIE)).toBeUndefined();

    const confirm = await jar.fetch(endSession);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).not.toMatch(/<script|style=/i);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(page)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const signedOut = await jar.fetch(new URL(action), { method: 'POST', body: new URLSearchParams({ xsrf, logout: 'yes' }) });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toContain(`${server.url}/`);

    const next = await follow(jar, at('/auth/login'), (u) => interactionUid(u) !== undefined || isCallback(u));
    expect(interactionUid(next.url)).toBeDefined();
  });

  test('a session ends after 30 minutes without use', async () => {
    const clock = { now: Date.now() };
    const idle = await startServer({ now: () => new Date(clock.now) });
    try {
      const cookie = await idle.loginCookie(A);
      const ask = () => fetch(`${idle.url}/api/v1/session`, { headers: { cookie } }).then((r) => r.status);
      clock.now += 29 * 60_000;
      expect(await ask()).toBe(200);
      clock.now += 29 * 60_000; // used a moment ago: still alive
      expect(await ask()).toBe(200);
      clock.now += 31 * 60_000;
      expect(await ask()).toBe(401);
    } finally {
      await idle.close();
    }
  });

  test('the session cookie is Secure when the service is served over https', async () => {
    const https = await buildServer(server.app, { ...server.config, publicUrl: 'https://mandates.example.be' });
    try {
      expect(https.ssmAuth.sessionCookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax', path: '/' });
    } finally {
      await https.close();
    }
  });

  test('anonymous callers get a 401 problem saying how to authenticate', async () => {
    const answer = await call('GET', '/api/v1/session');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.code).toBe('AUTHENTICATION_REQUIRED');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('bearer access tokens', () => {
  /** Signs access-token-like JWTs, by default exactly as the provider would. */
  async function forge(change: { claims?: Record<string, unknown>; key?: SigningKey; alg?: string } = {}) {
    const jwk = JSON.parse(await server.app.store.sessions.secret('dev-idp.signing-key', async () => 'unused')) as JWK;
    const key = change.key ?? ((await importJWK(jwk, 'RS256')) as SigningKey);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: A,
      national_number: A,
      auth_time: now,
      acr: 'dev',
      iss: `${server.url}/idp`,
      aud: server.config.oidcAudience,
      iat: now,
      exp: now + 600,
    };
    return new SignJWT({ ...claims, ...change.claims })
      .setProtectedHeader({ alg: change.alg ?? 'RS256', kid: jwk.kid, typ: 'at+jwt' })
      .sign(key);
  }
  const session = (token: string) => call('GET', '/api/v1/session', { token });

  test('a token from the real grant is accepted, with its auth_time and acr', async () => {
    const answer = await session(await server.tokenFor(B));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ person: { nationalNumber: B }, via: 'bearer', authLevel: 'dev' });
    expect(Math.abs(Date.now() - Date.parse(answer.body.authTime))).toBeLessThan(60_000);
  });

  test('a well-formed token signed with the provider key is accepted (the forgery harness is sound)', async () => {
    expect((await session(await forge())).status).toBe(200);
  });

  test.each([
    ['wrong audience', { claims: { aud: 'https://other.example/api' } }, /audience/],
    ['expired', { claims: { exp: Math.floor(Date.now() / 1000) - 120 } }, /expired/],
    ['another issuer', { claims: { iss: 'https://idp.example' } }, /issuer/],
    ['no valid national number', { claims: { national_number: '12345678901', sub: 'someone' } }, /national number/],
  ])('a token with %s is refused', async (_name, change, reason) => {
    const answer = await session(await forge(change));
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('AUTHENTICATION_REQUIRED');
    expect(answer.body.detail).toMatch(reason);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('a token signed by another key (same kid) is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const answer = await session(await forge({ key: privateKey }));
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/signed/);
  });

  test('an unsigned or HMAC token is refused', async () => {
    const payload = Buffer.from(
      JSON.stringify({ sub: A, national_number: A, iss: `${server.url}/idp`, aud: server.config.oidcAudience, exp: 9_999_999_999 }),
    ).toString('base64url');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await session(none)).status).toBe(401);
    const hmac = await new SignJWT({ national_number: A })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(A)
      .setIssuer(`${server.url}/idp`)
      .setAudience(server.config.oidcAudience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await session(hmac)).status).toBe(401);
  });
});

describe('the local provider and its CLI', () => {
  test('it refuses to run in production', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SSM_DEV_IDP: '1', SSM_OIDC_ISSUER: 'https://idp.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', SSM_DEV_IDP: '1', SSM_OIDC_ISSUER: 'https://idp.example' })).toThrow(/SSM_DEV_IDP/);
    // Production without an issuer names the missing variables.
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SSM_OIDC_ISSUER/);
    expect(
      loadConfig({ NODE_ENV: 'production', SSM_OIDC_ISSUER: 'https://idp.example', SSM_OIDC_CLIENT_ID: 'ssm', SSM_OIDC_CLIENT_SECRET: 's' })
        .devIdp,
    ).toBe(false);
    // Even when the configuration check is bypassed, the provider will not mount.
    await expect(buildServer(server.app, { ...server.config, nodeEnv: 'production', devIdp: true })).rejects.toThrow(
      DevProviderInProductionError,
    );
  });

  test('`ssm dev-token --person` against a running server prints only a token that works', async () => {
    const run = spawn(process.execPath, ['bin/ssm.js', 'dev-token', '--person', REP], {
      env: { ...process.env, SSM_PUBLIC_URL: server.url, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    run.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => run.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const answer = await session(stdout.trim());
    expect(answer.status).toBe(200);
    expect(answer.body.person.nationalNumber).toBe(REP);
    expect(answer.body.enterprises.map((e: { enterpriseNumber: string }) => e.enterpriseNumber)).toContain(ACME);
  });

  const session = (token: string) => call('GET', '/api/v1/session', { token });
});
