// The hash chain over the event log: each event's hash covers the previous hash and its own
// canonical content, so altering, deleting or reordering any stored event breaks every later link.
import { canonicalJson, sha256Hex } from './canonical.js';
import type { MandateEvent, StoredEvent } from './events.js';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHash: string, seq: number, event: MandateEvent): string {
  const { mandateId, version, type, at, actor, onBehalfOf, data } = event;
  return sha256Hex(`${prevHash}\n${canonicalJson({ seq, mandateId, version, type, at, actor, onBehalfOf, data })}`);
}

export type ChainProblem = { seq: number; problem: 'sequence-gap' | 'prev-hash-mismatch' | 'hash-mismatch' };

/** Verifies a run of events that follows `prev` (seq and hash); returns the first broken link, if any. */
export function verifyChain(
  events: Iterable<StoredEvent>,
  prev = { seq: 0, hash: GENESIS_HASH },
): { ok: true; last: typeof prev } | ({ ok: false } & ChainProblem) {
  let last = prev;
  for (const e of events) {
    if (e.seq !== last.seq + 1) return { ok: false, seq: last.seq + 1, problem: 'sequence-gap' };
    if (e.prevHash !== last.hash) return { ok: false, seq: e.seq, problem: 'prev-hash-mismatch' };
    if (chainHash(e.prevHash, e.seq, e) !== e.hash) return { ok: false, seq: e.seq, problem: 'hash-mismatch' };
    last = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, last };
}
