// Belgian identifiers as the user types them: the same mod-97 rules as the domain core (imported,
// not copied), plus the states a half-typed number passes through and the usual display format.
import { parseEnterpriseNumber, parseNationalNumber } from '../../../src/core/party.js';

export type PartyKind = 'person' | 'enterprise';

export type IdentifierProblem = 'IDENTIFIER_FORMAT' | 'IDENTIFIER_DATE' | 'IDENTIFIER_CHECK_DIGIT';

export type IdentifierCheck =
  | { state: 'empty' }
  /** Plausible so far, but not all digits are there yet: no error while the user is still typing. */
  | { state: 'incomplete'; digits: number; expected: number }
  | { state: 'invalid'; problem: IdentifierProblem }
  | { state: 'valid'; value: string; formatted: string };

const LENGTH: Record<PartyKind, number> = { person: 11, enterprise: 10 };
const ALLOWED = /^[\d\s.\-/]*$/;

/** Digits only, after removing separators and (for enterprises) a BE prefix. */
function digitsOf(kind: PartyKind, input: string): string | undefined {
  const stripped = kind === 'enterprise' ? input.replace(/^\s*BE/i, '') : input;
  return ALLOWED.test(stripped) ? stripped.replace(/\D/g, '') : undefined;
}

export function checkIdentifier(kind: PartyKind, input: string): IdentifierCheck {
  if (input.trim() === '') return { state: 'empty' };
  const digits = digitsOf(kind, input);
  if (digits === undefined) return { state: 'invalid', problem: 'IDENTIFIER_FORMAT' };
  const expected = LENGTH[kind];
  if (kind === 'person' && digits.length >= 6) {
    // The birth date part can be judged as soon as it is typed.
    let month = Number(digits.slice(2, 4));
    if (month >= 40) month -= 40;
    else if (month >= 20) month -= 20;
    if (month > 12 || Number(digits.slice(4, 6)) > 31) return { state: 'invalid', problem: 'IDENTIFIER_DATE' };
  }
  if (kind === 'enterprise' && digits.length >= 1 && digits.length === expected && !/^[01]/.test(digits)) {
    return { state: 'invalid', problem: 'IDENTIFIER_FORMAT' };
  }
  if (digits.length < expected && !(kind === 'enterprise' && digits.length === 9 && isComplete(kind, input))) {
    return { state: 'incomplete', digits: digits.length, expected };
  }
  if (digits.length > expected) return { state: 'invalid', problem: 'IDENTIFIER_FORMAT' };
  const parsed = kind === 'person' ? parseNationalNumber(input) : parseEnterpriseNumber(input);
  if (!parsed.ok) return { state: 'invalid', problem: parsed.refusal.code as IdentifierProblem };
  return { state: 'valid', value: parsed.value, formatted: formatIdentifier(kind, parsed.value) };
}

/** The old 9-digit enterprise number is complete only when it validates as such. */
function isComplete(kind: PartyKind, input: string): boolean {
  return kind === 'enterprise' && parseEnterpriseNumber(input).ok;
}

/** The final verdict when the user submits: an incomplete number is then a format error. */
export function finalIdentifierCheck(kind: PartyKind, input: string): IdentifierCheck {
  const check = checkIdentifier(kind, input);
  return check.state === 'incomplete' ? { state: 'invalid', problem: 'IDENTIFIER_FORMAT' } : check;
}

/** 85073003328 → 85.07.30-033.28; 0403170701 → 0403.170.701. Anything else is returned unchanged. */
export function formatIdentifier(kind: PartyKind, digits: string): string {
  if (kind === 'person' && /^\d{11}$/.test(digits)) {
    return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}-${digits.slice(6, 9)}.${digits.slice(9)}`;
  }
  if (kind === 'enterprise' && /^\d{10}$/.test(digits)) return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
  return digits;
}
