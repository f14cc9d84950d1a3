// SSM as an OpenID Connect relying party (openid-client): authorization code flow with PKCE, state
// and nonce against the configured issuer. The issuer may be served by this very process (the local
// provider), which only answers once the server listens: discovery is therefore lazy, and cached.
import * as oidc from 'openid-client';
import type { Config } from '../config.js';
import { parseNationalNumber } from '../core/party.js';
import type { LoginChecks, SignedInPerson } from './sessions.js';

/** A sign-in that cannot complete, with a stable code the HTTP layer turns into a problem. */
export class SignInError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAge: number | null;
  prompt: 'login' | null;
}

/** Reads the national number from token claims: the configured claim, else `sub`. Undefined when neither is valid. */
export function nationalNumberFrom(claims: Record<string, unknown>, claim: string): string | undefined {
  const raw = claims[claim] ?? claims.sub;
  if (typeof raw !== 'string') return undefined;
  const parsed = parseNationalNumber(raw);
  return parsed.ok ? parsed.value : undefined;
}

/** `auth_time` (seconds) as an ISO instant; unknown means "too long ago to sign", never "now". */
export function authTimeFrom(claims: Record<string, unknown>): string {
  const t = claims.auth_time;
  return new Date(typeof t === 'number' && Number.isFinite(t) ? t * 1000 : 0).toISOString();
}

export class RelyingParty {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(private readonly config: Config) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}/auth/callback`;
  }

  /** The issuer's metadata and SSM's client, discovered on first use; a failed discovery is retried next time. */
  configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const { oidcIssuer, oidcClientId, oidcClientSecret } = this.config;
      const insecure = new URL(oidcIssuer).protocol === 'http:';
      this.discovered = oidc
        .discovery(
          new URL(oidcIssuer),
          oidcClientId,
          { client_secret: oidcClientSecret, token_endpoint_auth_method: 'client_secret_basic' },
          oidc.ClientSecretBasic(oidcClientSecret),
          // Plain http is only possible outside production (the configuration refuses it there).
          insecure ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
        )
        .catch((error: unknown) => {
          this.discovered = undefined;
          throw new SignInError(
            502,
            'AUTH_PROVIDER_UNAVAILABLE',
            `The identity provider could not be reached (${(error as Error).message}).`,
          );
        });
    }
    return this.discovered;
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri,
      scope: this.config.oidcScope,
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (request.maxAge !== null) parameters.max_age = String(request.maxAge);
    if (request.prompt) parameters.prompt = request.prompt;
    return oidc.buildAuthorizationUrl(await this.configuration(), parameters);
  }

  /** Completes the flow from the callback's query string: checks state, redeems the code with the PKCE verifier, checks the ID token. */
  async redeem(query: string, checks: LoginChecks): Promise<SignedInPerson> {
    const configuration = await this.configuration();
    // The redirect URI the code was issued for, whatever Host header the browser came back with.
    const callback = new URL(`${this.redirectUri}${query ? `?${query}` : ''}`);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
        ...(checks.maxAge === null ? {} : { maxAge: checks.maxAge }),
      });
    } catch (error) {
      throw toSignInError(error);
    }
    const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
    const nationalNumber = nationalNumberFrom(claims, this.config.oidcNationalNumberClaim);
    if (!nationalNumber) {
      throw new SignInError(
        401,
        'AUTH_IDENTITY_INVALID',
        `The identity provider did not give a valid national number (claim ${this.config.oidcNationalNumberClaim}).`,
      );
    }
    const joined = [claims.given_name, claims.family_name].filter((p) => typeof p === 'string').join(' ');
    return {
      nationalNumber,
      name: typeof claims.name === 'string' ? claims.name : joined || null,
      authTime: authTimeFrom(claims),
      acr: typeof claims.acr === 'string' ? claims.acr : null,
    };
  }

  /** Where to send the browser to end its session at the identity provider too, when it supports that. */
  async endSessionUrl(): Promise<string | null> {
    const configuration = await this.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc
      .buildEndSessionUrl(configuration, { client_id: this.config.oidcClientId, post_logout_redirect_uri: `${this.config.publicUrl}/` })
      .toString();
  }

  async jwksUri(): Promise<string> {
    const uri = (await this.configuration()).serverMetadata().jwks_uri;
    if (!uri) throw new SignInError(502, 'AUTH_PROVIDER_UNAVAILABLE', 'The identity provider publishes no keys (jwks_uri).');
    return uri;
  }
}

function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new SignInError(
      401,
      'AUTH_REFUSED',
      `The identity provider did not sign you in (${error.error}${error.error_description ? `: ${error.error_description}` : ''}).`,
    );
  }
  if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
    return new SignInError(400, 'AUTH_CODE_INVALID', 'The authorization code is invalid, expired or already used: sign in again.');
  }
  const message = (error as Error).message ?? String(error);
  if (/state/i.test(message))
    return new SignInError(400, 'AUTH_STATE_INVALID', 'The sign-in response does not belong to this sign-in: start again.');
  if (/nonce|auth_time|ID Token|id_token|JWT/i.test(message))
    return new SignInError(401, 'AUTH_ID_TOKEN_INVALID', `The identity provider's ID token was refused: ${message}`);
  return new SignInError(502, 'AUTH_PROVIDER_UNAVAILABLE', `The identity provider could not complete the sign-in (${message}).`);
}
