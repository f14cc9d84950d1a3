// The service's signing keys: made on first start, kept in the store, rotatable. Signatures and
// assertions are JWS (EdDSA, Ed25519) verifiable with the published JWKS; retired keys stay published.
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SignatureRecord } from '../core/mandate.js';
import type { SigningKey, Store } from '../store/port.js';

const ALG = 'EdDSA';
type PrivateKey = Awaited<ReturnType<typeof importJWK>>;

export interface KeyRing {
  /** The JWS of a signature record, by the current key. */
  signRecord(mandateId: string, record: SignatureRecord): Promise<string>;
  /** A compact JWS of any JSON payload (assertions), by the current key. */
  signPayload(payload: Record<string, unknown>, type: string): Promise<string>;
  jwks(): { keys: JWK[] };
  currentKid(): string;
}

export async function newSigningKey(now = new Date()): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg: ALG,
    publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    createdAt: now.toISOString(),
    retiredAt: null,
  };
}

/** The payload a signature's JWS covers (DESIGN §3): what was signed, by whom, for whom, how authenticated. */
export function signaturePayload(mandateId: string, r: SignatureRecord) {
  return {
    mandateId,
    version: r.version,
    contentHash: r.contentHash,
    role: r.role,
    signer: r.signer,
    onBehalfOf: r.party,
    signedAt: r.at,
    authTime: r.authTime,
    authLevel: r.authLevel,
  };
}

export async function loadKeyRing(store: Store): Promise<KeyRing> {
  let keys = await store.signingKeys();
  if (!keys.some((k) => k.retiredAt === null)) {
    await store.rotateSigningKey(await newSigningKey());
    keys = await store.signingKeys();
  }
  const current = keys.find((k) => k.retiredAt === null) as SigningKey;
  const privateKey: PrivateKey = await importJWK(current.privateJwk as JWK, ALG);
  const encoder = new TextEncoder();
  const sign = (payload: unknown, typ: string) =>
    new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader({ alg: ALG, kid: current.kid, typ }).sign(privateKey);
  const published = { keys: keys.map((k) => k.publicJwk as JWK) };
  return {
    signRecord: (mandateId, record) => sign(signaturePayload(mandateId, record), 'ssm-signature+jws'),
    signPayload: (payload, type) => sign(payload, type),
    jwks: () => published,
    currentKid: () => current.kid,
  };
}
