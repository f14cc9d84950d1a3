// Who is calling: resolves `request.principal` from a bearer access token or the session cookie, and
// leaves it null for anonymous callers. It never refuses: routes do, through `requirePerson`.
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { AppContext } from '../../app/context.js';
import { AccessTokenVerifier } from '../../auth/access-tokens.js';
import { DEV_PROVIDER_PREFIX, devIssuer } from '../../auth/dev-provider.js';
import { devProviderKeys } from '../../auth/dev-provider-keys.js';
import { RelyingParty } from '../../auth/relying-party.js';
import { ABSOLUTE_TIMEOUT_MS, SESSION_COOKIE, Sessions } from '../../auth/sessions.js';
import type { Config } from '../../config.js';
import type { PersonPrincipal } from '../principal.js';
import { HttpProblem } from '../problem.js';

export interface AuthServices {
  relyingParty: RelyingParty;
  sessions: Sessions;
  tokens: AccessTokenVerifier;
  /** Options of the session cookie (HttpOnly, SameSite=Lax, Secure over https, Path=/). */
  sessionCookie: CookieSerializeOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    ssmAuth: AuthServices;
  }
}

/** Why a bearer token was refused, for the 401 the route gives if it needs a person. */
const tokenFailures = new WeakMap<FastifyRequest, string>();
/** The signed-in person's name, when the identity provider gave one (sessions only). */
const names = new WeakMap<FastifyRequest, string>();

export const signedInName = (request: FastifyRequest): string | null => names.get(request) ?? null;

/** The person calling, or a 401 problem telling the client how to authenticate (403 for a business application). */
export function requirePerson(request: FastifyRequest): PersonPrincipal {
  const principal = request.principal;
  if (principal?.kind === 'person') return principal;
  if (principal?.kind === 'client') {
    throw new HttpProblem(403, 'PERSON_REQUIRED', 'This endpoint acts for a person; a business application cannot use it.');
  }
  const failure = tokenFailures.get(request);
  if (failure) {
    // Same code as no credentials at all (the client's remedy is the same: get a valid token); the reason is in the detail.
    throw new HttpProblem(401, 'AUTHENTICATION_REQUIRED', `The bearer token was refused: ${failure}.`, 'Authorization', undefined, {
      'WWW-Authenticate': `Bearer realm="ssm", error="invalid_token", error_description="${failure.replace(/"/g, "'")}"`,
    });
  }
  throw new HttpProblem(
    401,
    'AUTHENTICATION_REQUIRED',
    'Sign in first (GET /auth/login), or send an access token from the identity provider as Authorization: Bearer.',
    undefined,
    { login: '/auth/login' },
    { 'WWW-Authenticate': 'Bearer realm="ssm"' },
  );
}

function keySource(app: AppContext, config: Config, relyingParty: RelyingParty) {
  // The local provider's keys are in our own store: no need to fetch them from ourselves.
  if (config.devIdp && config.oidcIssuer === devIssuer(config)) {
    return async () => createLocalJWKSet((await devProviderKeys(app.store.sessions)).publicJwks);
  }
  return async () => createRemoteJWKSet(new URL(await relyingParty.jwksUri()));
}

export function createAuthServices(app: AppContext, config: Config): AuthServices {
  const relyingParty = new RelyingParty(config);
  return {
    relyingParty,
    sessions: new Sessions(app.store.sessions, () => app.now()),
    tokens: new AccessTokenVerifier(config, keySource(app, config, relyingParty)),
    sessionCookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.publicUrl.startsWith('https:'),
      maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
    },
  };
}

/** Registered in the people's scope: its hook sees the self-service routes, sign-in and the local provider. */
export async function authPlugin(server: FastifyInstance, services: AuthServices) {
  if (!server.hasRequestDecorator('cookies')) await server.register(fastifyCookie);

  server.addHook('onRequest', async (request, reply) => {
    // The local provider's own pages and endpoints are not SSM's API.
    if (request.url === DEV_PROVIDER_PREFIX || request.url.startsWith(`${DEV_PROVIDER_PREFIX}/`)) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(/\s+/, 2);
      // Other schemes (Basic: business applications' client credentials) are left to their own plugin.
      if (scheme?.toLowerCase() !== 'bearer') return;
      const check = token ? await services.tokens.verify(token) : { ok: false as const, reason: 'the token is missing' };
      if (!check.ok) {
        tokenFailures.set(request, check.reason);
        return;
      }
      request.principal = {
        kind: 'person',
        nationalNumber: check.nationalNumber,
        authTime: check.authTime,
        authLevel: check.acr,
        via: 'bearer',
      };
      return;
    }
    const id = request.cookies[SESSION_COOKIE];
    if (!id) return;
    const session = await services.sessions.resolve(id);
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    if (session.name) names.set(request, session.name);
    request.principal = {
      kind: 'person',
      nationalNumber: session.nationalNumber,
      authTime: session.authTime,
      authLevel: session.acr,
      via: 'session',
      sessionId: session.idHash,
    };
  });
}
