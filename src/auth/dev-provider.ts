// The local OpenID provider (panva's oidc-provider) with fictitious citizens, mounted at /idp in the
// same server for development, demos and tests. It refuses to run when NODE_ENV=production.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Provider as OidcProvider, ProviderContext } from 'oidc-provider';
import type { AppContext } from '../app/context.js';
import { DEMO_CITIZENS } from '../app/demo-data.js';
import type { Config } from '../config.js';
import { parseNationalNumber } from '../core/party.js';
import { consentPage, DEV_PAGES_CSS, DEV_PAGES_CSS_PATH, loginPage, logoutPage, messagePage } from './dev-pages.js';
import { memoryAdapter } from './dev-provider-adapter.js';
import { DEV_PROVIDER_ALG, devProviderKeys } from './dev-provider-keys.js';

export const DEV_PROVIDER_PREFIX = '/idp';
/** The public client `ssm dev-token` (and the test fixture) signs in with. */
export const DEV_CLI_CLIENT_ID = 'ssm-cli';
/** A loopback redirect: the CLI reads the code from the redirect itself, so nothing needs to listen there. */
export const DEV_CLI_REDIRECT_URI = 'http://127.0.0.1/cb';
export const DEV_ACR = 'dev';

export const devIssuer = (config: Config) => `${config.publicUrl}${DEV_PROVIDER_PREFIX}`;

export class DevProviderInProductionError extends Error {
  constructor() {
    super('SSM_DEV_IDP: the local identity provider is for development only and refuses to run when NODE_ENV=production');
  }
}

interface Account {
  accountId: string;
  claims(): Record<string, unknown>;
}

function findAccount(id: string, nnClaim: string): Account | undefined {
  const parsed = parseNationalNumber(id);
  if (!parsed.ok) return undefined;
  const nn = parsed.value;
  const citizen = DEMO_CITIZENS.find((c) => c.nationalNumber === nn);
  const [givenName, ...family] = citizen?.name.split(' ') ?? [];
  return {
    accountId: nn,
    claims: () => ({
      sub: nn,
      [nnClaim]: nn,
      ...(citizen ? { name: citizen.name, given_name: givenName, family_name: family.join(' '), locale: citizen.language } : {}),
    }),
  };
}

function providerConfiguration(config: Config, keys: Awaited<ReturnType<typeof devProviderKeys>>, InvalidTarget: new () => Error) {
  const nnClaim = config.oidcNationalNumberClaim;
  const audience = config.oidcAudience;
  const cookie = { httpOnly: true, sameSite: 'lax', signed: true };
  return {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: config.oidcClientId,
        client_secret: config.oidcClientSecret,
        client_name: 'SSM — Self-Service Mandates',
        redirect_uris: [`${config.publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${config.publicUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        require_auth_time: true,
      },
      {
        client_id: DEV_CLI_CLIENT_ID,
        client_name: 'ssm dev-token',
        application_type: 'native',
        redirect_uris: [DEV_CLI_REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        require_auth_time: true,
      },
    ],
    jwks: { keys: [keys.signing] },
    cookies: { keys: keys.cookieKeys, long: cookie, short: cookie },
    // acr and auth_time always travel with `openid`: SSM needs them to know how recently, and how, people signed in.
    claims: {
      sid: null,
      iss: null,
      auth_time: null,
      openid: ['sub', nnClaim, 'acr'],
      profile: ['name', 'given_name', 'family_name', 'locale'],
    },
    acrValues: [DEV_ACR],
    clientDefaults: { id_token_signed_response_alg: DEV_PROVIDER_ALG },
    // Profile claims go into the ID token too: SSM reads the name from it and never calls userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: ProviderContext, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(ctx.host, form);
        },
        postLogoutSuccessSource: async (ctx: ProviderContext) => {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You are signed out of the local identity provider.');
        },
      },
      // Access tokens are JWTs for one audience, the SSM API, so it can verify them with the provider's keys.
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf?.[0] ?? audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== audience) throw new InvalidTarget();
          return { scope: 'mandates', audience, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: DEV_PROVIDER_ALG } } };
        },
      },
    },
    // The national number, the authentication time and level travel in the access token, as in the ID token.
    extraTokenClaims: async (ctx: ProviderContext, token: { accountId?: string }) => {
      if (!token.accountId) return undefined;
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      return { [nnClaim]: token.accountId, auth_time: source?.authTime, acr: source?.acr };
    },
    findAccount: async (_ctx: unknown, id: string) => findAccount(id, nnClaim),
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `${DEV_PROVIDER_PREFIX}/interaction/${interaction.uid}` },
    renderError: async (ctx: ProviderContext, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = messagePage('Sign-in failed', `${out.error ?? 'error'}: ${out.error_description ?? 'the request could not be processed'}`);
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 24 * 3600,
    },
  };
}

/** The provider's pages are a development tool: not in the API document, not rate-limited. */
const DEV_ROUTE = { schema: { hide: true }, config: { rateLimit: false as const } };

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

type UidRequest = FastifyRequest<{ Params: { uid: string }; Body: Record<string, string> | undefined }>;

/** The login and consent pages the provider sends people to. */
function interactionRoutes(provider: OidcProvider) {
  return async (pages: FastifyInstance) => {
    if (!pages.hasContentTypeParser('application/x-www-form-urlencoded')) {
      pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
    }

    /** The interaction this browser is in, or an explanation page when it has none (expired, other tab). */
    const interactionOf = async (request: UidRequest, reply: FastifyReply) => {
      try {
        const details = await provider.interactionDetails(request.raw, reply.raw);
        if (details.uid === request.params.uid) return details;
      } catch {
        // The provider throws when the interaction cookie is missing or the interaction expired.
      }
      html(reply, 400, messagePage('This sign-in has expired', 'Go back to the application and sign in again.'));
      return undefined;
    };
    const clientName = async (clientId: unknown) => (await provider.Client.find(String(clientId)))?.clientName ?? String(clientId);
    const action = (uid: string, step: string) => `${DEV_PROVIDER_PREFIX}/interaction/${uid}/${step}`;

    pages.get(DEV_PAGES_CSS_PATH.slice(DEV_PROVIDER_PREFIX.length), DEV_ROUTE, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(DEV_PAGES_CSS),
    );

    pages.get('/interaction/:uid', DEV_ROUTE, async (request: UidRequest, reply) => {
      const details = await interactionOf(request, reply);
      if (!details) return reply;
      const name = await clientName(details.params.client_id);
      if (details.prompt.name === 'login') {
        return html(reply, 200, loginPage({ action: action(details.uid, 'login'), clientName: name, citizens: DEMO_CITIZENS }));
      }
      const nn = details.session?.accountId ?? '';
      const citizen = DEMO_CITIZENS.find((c) => c.nationalNumber === nn);
      return html(
        reply,
        200,
        consentPage({
          confirmAction: action(details.uid, 'confirm'),
          abortAction: action(details.uid, 'abort'),
          clientName: name,
          nationalNumber: nn,
          name: citizen?.name ?? null,
        }),
      );
    });

    pages.post('/interaction/:uid/login', DEV_ROUTE, async (request: UidRequest, reply) => {
      const details = await interactionOf(request, reply);
      if (!details) return reply;
      const typed = String(request.body?.nationalNumber ?? '');
      const parsed = parseNationalNumber(typed, 'nationalNumber');
      if (!parsed.ok) {
        const page = loginPage({
          action: action(details.uid, 'login'),
          clientName: await clientName(details.params.client_id),
          citizens: DEMO_CITIZENS,
          value: typed,
          error: typed.trim() === '' ? 'Enter a national number.' : parsed.refusal.message,
        });
        return html(reply, 400, page);
      }
      // Not remembered: closing the browser ends the provider's session, so another citizen can sign in.
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: parsed.value, acr: DEV_ACR, amr: ['pwd'], remember: false } },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(returnTo, 303);
    });

    pages.post('/interaction/:uid/confirm', DEV_ROUTE, async (request: UidRequest, reply) => {
      const details = await interactionOf(request, reply);
      if (!details) return reply;
      if (details.prompt.name !== 'consent' || !details.session) {
        return html(reply, 400, messagePage('Nothing to confirm', 'Go back to the application and sign in again.'));
      }
      const wanted = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
      const grant = existing ?? new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
      if (wanted.missingOIDCScope) grant.addOIDCScope(wanted.missingOIDCScope.join(' '));
      if (wanted.missingOIDCClaims) grant.addOIDCClaims(wanted.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(wanted.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      const returnTo = await provider.interactionResult(request.raw, reply.raw, { consent: existing ? {} : { grantId } });
      return reply.redirect(returnTo, 303);
    });

    pages.post('/interaction/:uid/abort', DEV_ROUTE, async (request: UidRequest, reply) => {
      const details = await interactionOf(request, reply);
      if (!details) return reply;
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'The person cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(returnTo, 303);
    });
  };
}

/** Everything else under /idp is the provider's own (discovery, authorization, token, JWKS, end session). */
function providerRoutes(provider: OidcProvider) {
  const handle = provider.callback();
  return async (raw: FastifyInstance) => {
    // The provider reads request bodies itself: leave the stream untouched.
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const req = request.raw as typeof request.raw & { originalUrl?: string };
      // The provider finds its mount path by comparing the original URL with the one it is given.
      req.originalUrl = req.url;
      req.url = (req.url ?? '/').slice(DEV_PROVIDER_PREFIX.length) || '/';
      await handle(req, reply.raw);
    };
    raw.all('/', DEV_ROUTE, forward);
    raw.all('/*', DEV_ROUTE, forward);
  };
}

/**
 * Mounts the provider at /idp. Its codes, interactions and sessions live in memory (see
 * dev-provider-adapter.ts); its keys are kept in the store, so issued tokens survive restarts.
 */
export async function devProviderPlugin(server: FastifyInstance, { app, config }: { app: AppContext; config: Config }) {
  if (config.nodeEnv === 'production') throw new DevProviderInProductionError();
  const { Provider, errors } = await import('oidc-provider');
  const keys = await devProviderKeys(app.store.sessions);
  const provider = new Provider(devIssuer(config), providerConfiguration(config, keys, errors.InvalidTarget));
  provider.proxy = config.trustProxy;
  provider.on('server_error', (_ctx, error) => server.log.error({ err: error }, 'local identity provider error'));
  await server.register(interactionRoutes(provider), { prefix: DEV_PROVIDER_PREFIX });
  await server.register(providerRoutes(provider), { prefix: DEV_PROVIDER_PREFIX });
}
