// Signing in at the local identity provider without a browser: follows the redirects, posts its
// login (and consent) forms as a given person, and keeps cookies like a browser would. `ssm dev-token`
// and the tests use it to get real tokens and sessions through the real OpenID Connect flow.
import * as oidc from 'openid-client';
import { DEV_CLI_CLIENT_ID, DEV_CLI_REDIRECT_URI } from './dev-provider.js';

interface StoredCookie {
  value: string;
  path: string;
}

/** Just enough of a browser's cookie store: per host, by name, honouring Path, Max-Age and Expires. */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, StoredCookie>>();

  store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const v = rest.join('=');
        if (/^path$/i.test(key)) path = v || '/';
        if (/^max-age$/i.test(key) && Number(v) <= 0) expired = true;
        if (/^expires$/i.test(key) && Date.parse(v) <= Date.now()) expired = true;
      }
      const cookies = this.hosts.get(url.host) ?? new Map<string, StoredCookie>();
      this.hosts.set(url.host, cookies);
      if (expired) cookies.delete(name);
      else cookies.set(name, { value, path });
    }
  }

  header(url: URL): string {
    const cookies = this.hosts.get(url.host) ?? new Map<string, StoredCookie>();
    return [...cookies]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  get(url: URL, name: string): string | undefined {
    return this.hosts.get(url.host)?.get(name)?.value;
  }

  /** One request, as a browser would send it (cookies, no automatic redirects). */
  async fetch(url: URL, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/html,application/json', ...init.headers };
    const cookie = this.header(url);
    if (cookie) headers.cookie = cookie;
    if (init.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
    this.store(url, response);
    return response;
  }
}

/** The form on an interaction page to submit: the login form (as the person) or the consent form. */
function nextForm(html: string, base: URL, nationalNumber: string): { url: URL; body: URLSearchParams } | undefined {
  const actions = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
  const login = actions.find((a) => a.endsWith('/login'));
  if (login) return { url: new URL(login, base), body: new URLSearchParams({ nationalNumber }) };
  const confirm = actions.find((a) => a.endsWith('/confirm'));
  if (confirm) return { url: new URL(confirm, base), body: new URLSearchParams() };
  return undefined;
}

/**
 * Follows a sign-in from `start` as the person, until a redirect goes where `done` says (returned,
 * not followed). Throws with the page's status when the provider stops somewhere unexpected.
 */
export async function signInAs(
  jar: CookieJar,
  start: URL,
  nationalNumber: string,
  done: (url: URL) => boolean,
  origin?: string,
): Promise<URL> {
  let url = start;
  let post: URLSearchParams | undefined;
  for (let step = 0; step < 20; step += 1) {
    if (done(url)) return url;
    const response = await jar.fetch(url, post ? { method: 'POST', body: post, headers: origin ? { origin } : {} } : {});
    post = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const body = await response.text();
    const form = response.status === 200 ? nextForm(body, url, nationalNumber) : undefined;
    if (!form)
      throw new Error(
        `sign-in stopped at ${url.pathname} with HTTP ${response.status}: ${body
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 300)}`,
      );
    url = form.url;
    post = form.body;
  }
  throw new Error('sign-in did not finish within 20 steps');
}

/** An authorization code for the CLI client, with what is needed to redeem it (exposed so tests can try to redeem it twice). */
export interface DevAuthorization {
  configuration: oidc.Configuration;
  callback: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export async function devAuthorization(issuer: string, nationalNumber: string): Promise<DevAuthorization> {
  const configuration = await oidc.discovery(
    new URL(issuer),
    DEV_CLI_CLIENT_ID,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
    new URL(issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
  );
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const start = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: DEV_CLI_REDIRECT_URI,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const redirect = new URL(DEV_CLI_REDIRECT_URI);
  const callback = await signInAs(
    new CookieJar(),
    start,
    nationalNumber,
    (u) => u.origin === redirect.origin && u.pathname === redirect.pathname,
  );
  return { configuration, callback, codeVerifier, state, nonce };
}

export async function redeemDevAuthorization(a: DevAuthorization) {
  return oidc.authorizationCodeGrant(a.configuration, a.callback, {
    pkceCodeVerifier: a.codeVerifier,
    expectedState: a.state,
    expectedNonce: a.nonce,
  });
}

/** A bearer access token for the person from the local provider at `issuer`, through the real grant. */
export async function devAccessToken(issuer: string, nationalNumber: string): Promise<string> {
  const tokens = await redeemDevAuthorization(await devAuthorization(issuer, nationalNumber));
  return tokens.access_token;
}
