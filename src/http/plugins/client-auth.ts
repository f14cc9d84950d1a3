// Business applications authenticate with HTTP Basic (client id and secret) on every request, or
// with an access token from POST /oauth2/token (client credentials grant) as `Bearer`.
// Verified credentials are cached in memory for a short time (60 s by default), keyed by the header
// itself, so the hot check path does not derive the secret's hash and query on every call; the price
// is that a revocation (or a quota change) takes effect on a running instance within that time, not
// at once. (Hashing the key would hide nothing the process's memory does not already hold while the
// request is read, and cost a few per cent of the hot path.)
// Per-client quotas (clients.quota_per_second; off when null) are a token bucket per instance.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { verifyClientCredentials } from '../../app/api-clients.js';
import { looksLikeClientToken, verifyClientToken } from '../../app/client-tokens.js';
import type { AppContext } from '../../app/context.js';
import type { ApiClient } from '../../store/business-port.js';
import type { ClientPrincipal } from '../principal.js';
import { HttpProblem } from '../problem.js';

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="ssm"' };
const TOKEN_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="ssm", error="invalid_token"' };
/** Entries kept at most; beyond it the oldest go (a flood of distinct valid credentials is not expected). */
const CACHE_MAX = 10_000;
const BASIC = /^basic\s/i;
const BEARER = /^bearer\s+/i;

export interface ClientAuthOptions {
  app: AppContext;
  /** The service's public URL: the issuer of client access tokens. */
  publicUrl: string;
  /** How long verified credentials are trusted without asking the store; 0 disables the cache. */
  cacheTtlMs?: number;
  now?: () => number;
}

interface Verified {
  principal: ClientPrincipal;
  quotaPerSecond: number | null;
  expires: number;
}

/** Refills `rate` tokens a second up to `rate` (one second of burst). */
class TokenBucket {
  private tokens: number;
  constructor(
    private rate: number,
    private last: number,
  ) {
    this.tokens = rate;
  }

  take(now: number, rate: number): boolean {
    this.rate = rate;
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export function requireClient(request: FastifyRequest): ClientPrincipal {
  const p = request.principal;
  if (p?.kind === 'client') return p;
  throw new HttpProblem(
    401,
    'CLIENT_AUTHENTICATION_REQUIRED',
    'This API is for business applications: authenticate with your client id and secret (HTTP Basic), or with an access token from POST /oauth2/token.',
    'Authorization',
    undefined,
    CHALLENGE,
  );
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  const decoded = Buffer.from(header.slice('basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** What the check fast lane may ask without a request: verified credentials, if the cache holds them. */
export interface CachedClients {
  /** The application these credentials are verified for, when cached and not limited by a quota. */
  unlimited(authorization: string): ClientPrincipal | undefined;
}

export async function clientAuthPlugin(
  server: FastifyInstance,
  { app, publicUrl, cacheTtlMs = 60_000, now = Date.now }: ClientAuthOptions,
): Promise<CachedClients> {
  const cache = new Map<string, Verified>();
  const buckets = new Map<string, TokenBucket>();

  /** Remembers verified credentials for the cache's lifetime (a token's only while it is valid). */
  const remember = (header: string, client: ApiClient, until = Number.POSITIVE_INFINITY): Verified => {
    const verified: Verified = {
      principal: { kind: 'client', clientId: client.id, name: client.name, domain: client.domain, types: client.types },
      quotaPerSecond: client.quotaPerSecond,
      expires: Math.min(now() + cacheTtlMs, until),
    };
    if (cacheTtlMs > 0) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(header, verified);
    }
    return verified;
  };

  const fromSecret = async (header: string): Promise<Verified | undefined> => {
    const credentials = parseBasic(header);
    const verified = credentials && (await verifyClientCredentials(app, credentials.id, credentials.secret));
    return verified ? remember(header, verified.client, verified.until) : undefined;
  };

  const fromToken = async (header: string): Promise<Verified | undefined> => {
    const verified = await verifyClientToken(app, header.replace(BEARER, ''), publicUrl);
    return verified ? remember(header, verified.client, verified.expiresAt) : undefined;
  };

  /** Sets the principal, or says why the request is refused. */
  const admit = (request: FastifyRequest, verified: Verified | undefined, byToken = false): HttpProblem | undefined => {
    if (!verified) {
      return byToken
        ? new HttpProblem(
            401,
            'CLIENT_TOKEN_INVALID',
            'The access token is not valid: tampered with, expired, for another service, or its client was revoked.',
            'Authorization',
            undefined,
            TOKEN_CHALLENGE,
          )
        : new HttpProblem(
            401,
            'CLIENT_AUTHENTICATION_FAILED',
            'Unknown client, wrong secret, or a revoked client.',
            'Authorization',
            undefined,
            CHALLENGE,
          );
    }
    const { principal, quotaPerSecond } = verified;
    if (quotaPerSecond !== null) {
      let bucket = buckets.get(principal.clientId);
      if (!bucket) {
        bucket = new TokenBucket(quotaPerSecond, now());
        buckets.set(principal.clientId, bucket);
      }
      if (!bucket.take(now(), quotaPerSecond)) {
        return new HttpProblem(
          429,
          'CLIENT_QUOTA_EXCEEDED',
          `This client may make ${quotaPerSecond} requests a second; slow down.`,
          undefined,
          { quotaPerSecond },
          { 'Retry-After': '1' },
        );
      }
    }
    request.principal = principal;
    return undefined;
  };

  // A callback hook, not an async one: on the hot path the cache answers synchronously, and no
  // promise is made per request. Only a cache miss waits for the store.
  server.addHook('onRequest', (request, _reply, done) => {
    // Only the API: elsewhere Basic may be someone else's (the local identity provider's client_secret_basic).
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !request.url.startsWith('/api/')) return done();
    const hit = cache.get(header);
    if (hit && hit.expires > now()) return done(admit(request, hit));
    if (hit) cache.delete(header);
    if (BASIC.test(header)) {
      fromSecret(header).then((verified) => done(admit(request, verified)), done);
      return;
    }
    // A bearer token of ours is a business application's; any other is a person's (the people's scope reads it).
    if (BEARER.test(header) && looksLikeClientToken(header.replace(BEARER, ''), publicUrl)) {
      fromToken(header).then((verified) => done(admit(request, verified, true)), done);
      return;
    }
    done();
  });

  return {
    unlimited(authorization) {
      const hit = cache.get(authorization);
      // A quota is counted in one place (the hook above), so those requests take Fastify's way.
      return hit !== undefined && hit.expires > now() && hit.quotaPerSecond === null ? hit.principal : undefined;
    },
  };
}
