// Canonical JSON (sorted keys, no whitespace) and SHA-256, so hashes are stable across dialects and machines.
import { hash } from 'node:crypto';

/** Keys as JSON strings: the same few names come up in every event, so each is quoted once. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 1000;

function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, q);
  }
  return q;
}

/** Sorts in place by UTF-16 code units, as `Array.prototype.sort` does, without its allocations for a few keys. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}

/** Keys in UTF-16 code unit order, `undefined` members left out. Built by concatenation: every event is hashed this way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of sortKeys(Object.keys(record))) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${quoted(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export const sha256Hex = (text: string) => hash('sha256', text, 'hex');
