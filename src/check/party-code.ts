// Parties as numbers, so the check's hot path hashes and compares doubles instead of building strings.
// A national number (11 digits) is its value; an enterprise number (10 digits) is its value + 10^11.
// Both stay below 2^37, which leaves room to pack a 16-bit type id next to one of them in a double.
import type { Party } from '../core/party.js';

const ENTERPRISE_OFFSET = 1e11;
/** Type ids are packed below the mandatee code: key = mandateeCode * TYPE_SPAN + typeId (< 2^53). */
export const TYPE_SPAN = 65_536;

/** Reads `length` (10 or 11) decimal digits; -1 if the text is not exactly that. No allocation. */
function digits(text: string, length: number): number {
  if (text.length !== length) return -1;
  // Two halves of at most six digits keep the arithmetic in small integers; one multiplication joins them.
  let high = 0;
  for (let i = 0; i < length - 6; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    high = high * 10 + d;
  }
  let low = 0;
  for (let i = length - 6; i < length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    low = low * 10 + d;
  }
  return high * 1e6 + low;
}

/** The numeric code of a party, or -1 if its identifier is malformed (such a party has no mandate). */
export function partyCode(party: Party): number {
  if (party.kind === 'person') return digits(party.id, 11);
  const n = digits(party.id, 10);
  return n < 0 ? -1 : n + ENTERPRISE_OFFSET;
}

export function partyOfCode(code: number): Party {
  return code >= ENTERPRISE_OFFSET
    ? { kind: 'enterprise', id: String(code - ENTERPRISE_OFFSET).padStart(10, '0') }
    : { kind: 'person', id: String(code).padStart(11, '0') };
}

const mix = (h: number, word: number) => {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  const x = h ^ Math.imul(k, 0x1b873593);
  return Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64;
};

/** A 32-bit hash of two non-negative integers below 2^53 (murmur3-style over their 32-bit halves). */
export function hashPair(a: number, b: number): number {
  let h = mix(0x9747b28c, a >>> 0);
  h = mix(h, (a / 4_294_967_296) >>> 0);
  h = mix(h, b >>> 0);
  h = mix(h, (b / 4_294_967_296) >>> 0);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
