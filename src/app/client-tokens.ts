// OAuth 2 client credentials (RFC 6749 §4.4): a business application trades its id and secret for a
// short-lived access token, and sends that as `Authorization: Bearer` instead of its secret on every
// request. The token is a JWT (RFC 9068 profile) signed with the service's own key, so any instance
// verifies it without the store; the client is still looked up (a revoked client's token stops
// working within the credentials cache's lifetime).

import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { ApiClient } from '../store/business-port.js';
import type { AppContext } from './context.js';

/** Lifetime of an access token: short, since a token cannot be recalled once issued. */
export const CLIENT_TOKEN_SECONDS = 600;
const TYPE = 'at+jwt';

/** The audience of client tokens: this service's API. */
export const clientTokenAudience = (publicUrl: string) => `${publicUrl}/api`;

/**
 * `notAfter` (ms) is when the credentials it was traded for stop working (a secret being rotated out):
 * the token ends then too, not up to its usual lifetime later.
 */
export async function issueClientToken(
  app: AppContext,
  client: ApiClient,
  publicUrl: string,
  seconds = CLIENT_TOKEN_SECONDS,
  notAfter = Number.POSITIVE_INFINITY,
) {
  const iat = Math.floor(app.now().getTime() / 1000);
  const exp = Math.min(iat + seconds, Math.floor(notAfter / 1000));
  const token = await app.keys.signPayload(
    {
      iss: publicUrl,
      aud: clientTokenAudience(publicUrl),
      sub: client.id,
      client_id: client.id,
      iat,
      exp,
      jti: randomUUID(),
    },
    TYPE,
  );
  return { token, expiresIn: exp - iat };
}

/** Whether a bearer token claims to be one of ours (cheap: no signature check); person tokens come from the identity provider. */
export function looksLikeClientToken(token: string, publicUrl: string): boolean {
  try {
    const claims = decodeJwt(token);
    return claims.iss === publicUrl && typeof claims.client_id === 'string';
  } catch {
    return false;
  }
}

/** The client a token was issued to, if the token is ours, intact, unexpired and the client not revoked. */
export async function verifyClientToken(
  app: AppContext,
  token: string,
  publicUrl: string,
): Promise<{ client: ApiClient; expiresAt: number } | undefined> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(app.keys.jwks()), {
      issuer: publicUrl,
      audience: clientTokenAudience(publicUrl),
      typ: TYPE,
      currentDate: app.now(),
    });
    const client = await app.store.business.getClient(String(payload.client_id));
    if (!client || client.revokedAt !== null || payload.sub !== client.id) return undefined;
    const expiresAt = (payload.exp as number) * 1000;
    // Issued before the secret was replaced (iat has whole seconds: the second of the rotation counts
    // as before): it may have come from the old secret, so it lasts no longer than that secret does.
    if (client.secretRotatedAt !== null && (payload.iat as number) * 1000 <= Date.parse(client.secretRotatedAt)) {
      const until = client.previousSecret === null ? Number.NEGATIVE_INFINITY : Date.parse(client.previousSecret.until);
      if (until <= app.now().getTime()) return undefined;
      return { client, expiresAt: Math.min(expiresAt, until) };
    }
    return { client, expiresAt };
  } catch {
    return undefined;
  }
}
