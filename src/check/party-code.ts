// Parties as numbers, so the check's hot path hashes and compares doubles instead of building strings.
// A national number (11 digits) is its value; an enterprise number (10 digits) is its value + 10^11.
// Both stay below 2^37, which leaves room to pack a 16-bit type id next to one of them in a double.
import type { Party } from '../core/party.js';

const ENTERPRISE_OFFSET = 1e11;
/** Type ids are packed below the mandatee code: key = mandateeCode * TYPE_SPAN + typeId (< 2^53). */
export const TYPE_SPAN = 65_536;

/** The numeric code of a party, or -1 if its identifier is malformed (such a party has no mandate). */
export function partyCode(party: Party): number {
  // Small on purpose: the check's hot path inlines it twice, and a call that is not inlined returns its
  // double boxed (an allocation per check). The value stays below 2^53, so the arithmetic is exact.
  const id = party.id;
  const person = party.kind === 'person';
  if (id.length !== (person ? 11 : 10)) return -1;
  let n = 0;
  for (let i = 0; i < id.length; i++) {
    const d = (id.charCodeAt(i) - 48) >>> 0;
    if (d > 9) return -1;
    n = n * 10 + d;
  }
  return person ? n : n + ENTERPRISE_OFFSET;
}

export function partyOfCode(code: number): Party {
  return code >= ENTERPRISE_OFFSET
    ? { kind: 'enterprise', id: String(code - ENTERPRISE_OFFSET).padStart(10, '0') }
    : { kind: 'person', id: String(code).padStart(11, '0') };
}

/**
 * A 32-bit hash of two non-negative integers below 2^53: their 32-bit halves folded together by
 * multiplications with odd constants, then murmur3's finalizer. Kept short enough to be inlined.
 */
export function hashPair(a: number, b: number): number {
  let h = Math.imul(a >>> 0, 0xcc9e2d51) ^ Math.imul((a / 4_294_967_296) >>> 0, 0x1b873593);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ Math.imul(b >>> 0, 0x27d4eb2f) ^ Math.imul((b / 4_294_967_296) >>> 0, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
