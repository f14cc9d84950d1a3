// Parties (persons and enterprises) and their Belgian identifiers, verified by check digits.
// Input may be formatted; everything returned is digits only.
import { type Refusal, refusal } from './refusal.js';

export type PartyKind = 'person' | 'enterprise';
export interface Party {
  kind: PartyKind;
  id: string;
}

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

export type Parsed<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const SEPARATORS = /[\s.\-/]/g;
const mod97Check = (n: number) => 97 - (n % 97);

/** Exactly `length` ASCII digits: the shape a business application sends on every check. */
function isDigits(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The two-digit number at `at` of a string of digits. */
const twoDigits = (digits: string, at: number) => (digits.charCodeAt(at) - 48) * 10 + digits.charCodeAt(at + 1) - 48;

/** The number written by digits `from` to `to` (exclusive) of a string of digits, read without slicing it. */
function numberAt(digits: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + digits.charCodeAt(i) - 48;
  return n;
}

/** A national number (INSZ/NISS), BIS numbers and people born in 2000 or later included. */
export function parseNationalNumber(input: string, field = 'id'): Parsed<string> {
  // Bare digits skip the clean-up: checks send them thousands of times a second.
  const digits = isDigits(input, 11) ? input : String(input).replace(SEPARATORS, '');
  if (!isDigits(digits, 11)) {
    return { ok: false, refusal: refusal('IDENTIFIER_FORMAT', 'A national number has 11 digits.', field) };
  }
  let month = twoDigits(digits, 2);
  // BIS numbers shift the month by 20 (sex unknown) or 40 (sex known); 0 means the birth date is unknown.
  if (month >= 40) month -= 40;
  else if (month >= 20) month -= 20;
  const day = twoDigits(digits, 4);
  if (month > 12 || day > 31) {
    return { ok: false, refusal: refusal('IDENTIFIER_DATE', 'The birth date part of the national number is not a date.', field) };
  }
  const base = numberAt(digits, 0, 9);
  const check = numberAt(digits, 9, 11);
  // The century is not in the digits: a number is valid if either the pre-2000 or the 2000+ formula matches.
  if (mod97Check(base) !== check && mod97Check(2_000_000_000 + base) !== check) {
    return { ok: false, refusal: refusal('IDENTIFIER_CHECK_DIGIT', 'The check digits of the national number do not match.', field) };
  }
  return { ok: true, value: digits };
}

/** An enterprise number (KBO/BCE); accepts a `BE` prefix and the old 9-digit form. */
export function parseEnterpriseNumber(input: string, field = 'id'): Parsed<string> {
  let digits = isDigits(input, 10)
    ? input
    : String(input)
        .replace(/^\s*BE/i, '')
        .replace(SEPARATORS, '');
  if (isDigits(digits, 9)) digits = `0${digits}`;
  if (!isDigits(digits, 10) || digits.charCodeAt(0) > 49) {
    return { ok: false, refusal: refusal('IDENTIFIER_FORMAT', 'An enterprise number has 10 digits and starts with 0 or 1.', field) };
  }
  if (mod97Check(numberAt(digits, 0, 8)) !== numberAt(digits, 8, 10)) {
    return { ok: false, refusal: refusal('IDENTIFIER_CHECK_DIGIT', 'The check digits of the enterprise number do not match.', field) };
  }
  return { ok: true, value: digits };
}

/** Parses `{kind, id}` from untrusted input; `field` names where it came from (e.g. `mandatee`). */
export function parseParty(input: unknown, field: string): Parsed<Party> {
  const raw = input as { kind?: unknown; id?: unknown } | null;
  if (typeof raw !== 'object' || raw === null) {
    return { ok: false, refusal: refusal('PARTY_INVALID', 'A party is {"kind": "person"|"enterprise", "id": "…"}.', field) };
  }
  if (raw.kind !== 'person' && raw.kind !== 'enterprise') {
    return { ok: false, refusal: refusal('PARTY_KIND', 'The kind of a party is "person" or "enterprise".', `${field}.kind`) };
  }
  if (typeof raw.id !== 'string') {
    return { ok: false, refusal: refusal('IDENTIFIER_FORMAT', 'The identifier must be a string.', `${field}.id`) };
  }
  // The field's name is made only for a refusal: checks parse two parties each, thousands a second.
  const parsed = raw.kind === 'person' ? parseNationalNumber(raw.id) : parseEnterpriseNumber(raw.id);
  return parsed.ok
    ? { ok: true, value: { kind: raw.kind, id: parsed.value } }
    : { ok: false, refusal: { ...parsed.refusal, field: `${field}.id` } };
}

export const sameParty = (a: Party, b: Party) => a.kind === b.kind && a.id === b.id;
export const partyKey = (p: Party) => `${p.kind === 'person' ? 'P' : 'E'}${p.id}`;

/** Builds a valid national number from its birth-date part (YYMMDD, BIS month shift included) and 3-digit serial. */
export function makeNationalNumber(birth: string, serial: number, bornFrom2000 = false): string {
  const base = `${birth}${String(serial).padStart(3, '0')}`;
  const check = mod97Check((bornFrom2000 ? 2_000_000_000 : 0) + Number(base));
  return `${base}${String(check).padStart(2, '0')}`;
}

/** Builds a valid enterprise number from its first eight digits (starting with 0 or 1). */
export function makeEnterpriseNumber(first8: string): string {
  return `${first8}${String(mod97Check(Number(first8))).padStart(2, '0')}`;
}
