// Bearer access tokens: JWTs from the configured issuer, checked for signature (the issuer's keys),
// issuer, audience and expiry before anyone is taken at their word.
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Config } from '../config.js';
import { authTimeFrom, nationalNumberFrom } from './relying-party.js';

export type TokenCheck = { ok: true; nationalNumber: string; authTime: string; acr: string | null } | { ok: false; reason: string };

/** Asymmetric algorithms only: a token "signed" with `none` or a shared secret is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class AccessTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  /** `keySource` gives the issuer's keys: the local provider's own, or its published JWKS, loaded on first use. */
  constructor(
    private readonly config: Config,
    private readonly keySource: () => Promise<JWTVerifyGetKey>,
  ) {}

  private getKeys(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.keySource().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  async verify(token: string): Promise<TokenCheck> {
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.getKeys();
    } catch {
      return { ok: false, reason: "the issuer's keys could not be loaded" };
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.config.oidcIssuer,
        audience: this.config.oidcAudience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      const nationalNumber = nationalNumberFrom(payload, this.config.oidcNationalNumberClaim);
      if (!nationalNumber) return { ok: false, reason: 'the token carries no valid national number' };
      return { ok: true, nationalNumber, authTime: authTimeFrom(payload), acr: typeof payload.acr === 'string' ? payload.acr : null };
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the token is not meant for this API (audience)';
    if (error.claim === 'iss') return 'the token comes from another issuer';
    return `the token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return "the token is not signed by the issuer's keys";
  }
  return 'the token is not a valid JWT';
}
