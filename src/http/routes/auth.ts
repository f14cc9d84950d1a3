// Sign-in and sign-out in the browser: the OpenID Connect authorization code flow with PKCE, state and
// nonce (kept server-side, bound to the browser by a short-lived cookie), ending in a session cookie.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { type Static, Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { SignInError } from '../../auth/relying-party.js';
import { LOGIN_COOKIE, PENDING_LOGIN_MS, SESSION_COOKIE } from '../../auth/sessions.js';
import type { Config } from '../../config.js';
import { HttpProblem } from '../problem.js';
import { problems } from '../schemas/common.js';

const LoginQuerySchema = Type.Object({
  returnTo: Type.Optional(Type.String({ maxLength: 2000, description: 'Path on this site to return to after sign-in (default /)' })),
  max_age: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 86_400,
      description: 'Re-authenticate if the last sign-in is older than this many seconds (0 forces it)',
    }),
  ),
  prompt: Type.Optional(Type.Literal('login', { description: '`login` forces the identity provider to ask again' })),
});

const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** A path on this site only: an open redirect to another origin would make the sign-in a phishing tool. */
export function safeReturnTo(raw: string | undefined, publicUrl: string): string {
  if (raw === undefined || raw === '') return '/';
  const own = new URL(publicUrl);
  // `//host` and `/\host` are other origins to a browser; control characters are never legitimate.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || hasControlCharacter(raw)) {
    throw new HttpProblem(400, 'AUTH_RETURN_TO_INVALID', 'returnTo must be a path on this site, such as /mandates.', 'returnTo');
  }
  const target = new URL(raw, own);
  if (target.origin !== own.origin) {
    throw new HttpProblem(400, 'AUTH_RETURN_TO_INVALID', 'returnTo must be a path on this site, such as /mandates.', 'returnTo');
  }
  return `${target.pathname}${target.search}${target.hash}`;
}

/** The URL that sends a person through sign-in again, e.g. before signing when their sign-in is too old. */
export const reauthenticationUrl = (returnTo: string) => `/auth/login?max_age=0&returnTo=${encodeURIComponent(returnTo)}`;

const asProblem = (error: unknown) => (error instanceof SignInError ? new HttpProblem(error.status, error.code, error.message) : error);

export async function authRoutes(server: FastifyInstance, { config }: { app: AppContext; config: Config }) {
  const auth = server.ssmAuth;
  const own = new URL(config.publicUrl).origin;
  const loginCookie = { path: '/auth', httpOnly: true, sameSite: 'lax' as const, secure: config.publicUrl.startsWith('https:') };
  if (!server.hasContentTypeParser('application/x-www-form-urlencoded')) {
    // Sign-out may be a plain HTML form post; its body carries nothing we read.
    server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
  }
  const tags = ['sign-in'];

  server.get(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Start signing in at the identity provider (browser redirect)',
        querystring: LoginQuerySchema,
        response: { 303: Type.Null({ description: 'Redirect to the identity provider' }), ...problems(400, 502) },
      },
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof LoginQuerySchema> }>, reply) => {
      const returnTo = safeReturnTo(request.query.returnTo, config.publicUrl);
      const checks = {
        state: randomState(),
        nonce: randomNonce(),
        codeVerifier: randomPKCECodeVerifier(),
        returnTo,
        maxAge: request.query.max_age ?? null,
      };
      let url: URL;
      try {
        url = await auth.relyingParty.authorizationUrl({ ...checks, prompt: request.query.prompt ?? null });
      } catch (error) {
        throw asProblem(error);
      }
      const id = await auth.sessions.beginLogin(checks);
      reply.setCookie(LOGIN_COOKIE, id, { ...loginCookie, maxAge: PENDING_LOGIN_MS / 1000 });
      return reply.header('cache-control', 'no-store').redirect(url.toString(), 303);
    },
  );

  server.get(
    '/auth/callback',
    {
      schema: {
        tags,
        summary: "The identity provider's answer: redeems the code and starts the session (browser redirect)",
        response: { 303: Type.Null({ description: 'Redirect to where sign-in started' }), ...problems(400, 401, 502) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.clearCookie(LOGIN_COOKIE, loginCookie);
      const query = request.url.split('?')[1] ?? '';
      const loginId = request.cookies[LOGIN_COOKIE];
      const pending = loginId ? await auth.sessions.takeLogin(loginId) : undefined;
      if (!pending || new URLSearchParams(query).get('state') !== pending.state) {
        throw new HttpProblem(
          400,
          'AUTH_STATE_INVALID',
          'This sign-in response does not belong to a sign-in started in this browser, or it expired: sign in again.',
          'state',
        );
      }
      let person: Awaited<ReturnType<typeof auth.relyingParty.redeem>>;
      try {
        person = await auth.relyingParty.redeem(query, pending);
      } catch (error) {
        throw asProblem(error);
      }
      // A new session for every sign-in (never keep an id that existed before authentication).
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await auth.sessions.end(previous);
      const { id } = await auth.sessions.start(person);
      reply.setCookie(SESSION_COOKIE, id, auth.sessionCookie);
      request.log.info({ acr: person.acr }, 'signed in');
      return reply.redirect(pending.returnTo, 303);
    },
  );

  server.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End my session',
        description:
          'Ends the session and clears its cookie. Answers `{ endSessionUrl }` (where to end the session at the identity provider too), or redirects there when posted from an HTML form.',
        response: {
          200: Type.Object({ signedOut: Type.Boolean(), endSessionUrl: Type.Union([Type.String(), Type.Null()]) }),
          303: Type.Null({ description: 'Redirect (HTML form posts)' }),
          ...problems(403),
        },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      // A cross-site page must not be able to sign people out: only our own pages may post here.
      const origin = request.headers.origin ?? (request.headers.referer ? safeOrigin(request.headers.referer) : undefined);
      if (origin !== own) throw new HttpProblem(403, 'CSRF_ORIGIN', 'Sign-out must come from the SSM web application itself.', 'Origin');
      const id = request.cookies[SESSION_COOKIE];
      if (id) await auth.sessions.end(id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.header('cache-control', 'no-store');
      const endSessionUrl = await auth.relyingParty.endSessionUrl().catch(() => null);
      if (request.headers.accept?.includes('text/html')) return reply.redirect(endSessionUrl ?? '/', 303);
      return { signedOut: true, endSessionUrl };
    },
  );
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
