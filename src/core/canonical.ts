// Canonical JSON (sorted keys, no whitespace) and SHA-256, so hashes are stable across dialects and machines.
import { hash } from 'node:crypto';

/** Keys in UTF-16 code unit order, `undefined` members left out. Built by concatenation: every event is hashed this way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v !== undefined) out += `${out === '' ? '{' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

export const sha256Hex = (text: string) => hash('sha256', text, 'hex');
