// The local identity provider's signing key and cookie key: made once and kept in the store, so
// tokens it issued stay verifiable and its cookies stay readable across restarts.
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SessionStore } from '../store/session-port.js';

export const DEV_PROVIDER_ALG = 'RS256';

export interface DevProviderKeys {
  /** The private signing key, as the provider's `jwks` configuration wants it. */
  signing: JWK;
  /** The same key's public half, to verify its tokens without a round trip. */
  publicJwks: { keys: JWK[] };
  cookieKeys: string[];
}

async function newSigningKey(): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(DEV_PROVIDER_ALG, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: DEV_PROVIDER_ALG, use: 'sig' });
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

export async function devProviderKeys(store: SessionStore): Promise<DevProviderKeys> {
  const signing = JSON.parse(await store.secret('dev-idp.signing-key', newSigningKey)) as JWK;
  const cookieKey = await store.secret('dev-idp.cookie-key', async () => randomBytes(32).toString('base64url'));
  const publicJwk = Object.fromEntries(Object.entries(signing).filter(([member]) => !PRIVATE_MEMBERS.has(member))) as JWK;
  return { signing, publicJwks: { keys: [publicJwk] }, cookieKeys: [cookieKey] };
}
