// Sealing an event for the log, the part that does not depend on its position: the JWS of its
// signature (if it records one) and its canonical JSON around the `seq` the log will give it, so the
// chain hash is one SHA-256 once the position is known. Pure and dependency-light: it runs in worker threads.
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { canonicalJson } from '../core/canonical.js';
import type { MandateEvent } from '../core/events.js';
import type { SignatureRecord } from '../core/mandate.js';
import { signaturePayload } from './signing-keys.js';

/** What the log needs of a sealed event besides the event itself. */
export interface SealedParts {
  /** The JWS added to the event's signature, or null if it records none. */
  jws: string | null;
  /** Canonical JSON of the chained fields up to `"seq":` … */
  head: string;
  /** … and after the seq value: chain hash = SHA-256(prev + "\n" + head + seq + tail). */
  tail: string;
  /** The stored `data` column (JSON of the sealed event's data). */
  data: string;
}

export interface SealingKey {
  kid: string;
  alg: string;
  privateJwk: Record<string, unknown>;
}

/** Canonical JSON of `{seq, mandateId, version, type, at, actor, onBehalfOf, data}` split around the seq. */
export function chainParts(e: MandateEvent): { head: string; tail: string } {
  // Sorted keys: actor, at, data, mandateId, onBehalfOf | seq | type, version.
  const fields: [string, unknown][] = [
    ['actor', e.actor],
    ['at', e.at],
    ['data', e.data],
    ['mandateId', e.mandateId],
    ['onBehalfOf', e.onBehalfOf],
  ];
  let head = '{';
  for (const [key, v] of fields) if (v !== undefined) head += `"${key}":${canonicalJson(v)},`;
  let tail = '';
  if (e.type !== undefined) tail += `,"type":${canonicalJson(e.type)}`;
  if (e.version !== undefined) tail += `,"version":${canonicalJson(e.version)}`;
  return { head: `${head}"seq":`, tail: `${tail}}` };
}

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Signs signature records as the key ring does (same header and payload bytes: Ed25519 gives the same JWS). */
export function recordSigner(key: SealingKey): (mandateId: string, record: SignatureRecord) => string {
  const privateKey: KeyObject = createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
  const header = b64url(JSON.stringify({ alg: key.alg, kid: key.kid, typ: 'ssm-signature+jws' }));
  return (mandateId, record) => {
    const input = `${header}.${b64url(JSON.stringify(signaturePayload(mandateId, record)))}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
}

/** Seals events: signs their signature (setting `jws` on the event, which the caller owns) and serializes them. */
export function sealParts(events: MandateEvent[], signRecord: (mandateId: string, record: SignatureRecord) => string): SealedParts[] {
  return events.map((e) => {
    const sig = 'signature' in e.data ? e.data.signature : null;
    const jws = sig ? signRecord(e.mandateId, sig) : null;
    if (sig && jws) sig.jws = jws;
    return { jws, ...chainParts(e), data: JSON.stringify(e.data) };
  });
}
