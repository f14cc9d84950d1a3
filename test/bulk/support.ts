// Shared by the bulk tests: people, dates, and CSV/JSON job builders.
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';

export const A = makeNationalNumber('850730', 33);
export const B = makeNationalNumber('900115', 123);
export const C = makeNationalNumber('771231', 456);
export const REP = makeNationalNumber('650420', 789);
export const ACME = makeEnterpriseNumber('04031707');
export const GLOBEX = makeEnterpriseNumber('10012345');
export const PIT = 'finance.personal-income-tax';

export const person = (id: string) => ({ kind: 'person' as const, id });
export const enterprise = (id: string) => ({ kind: 'enterprise' as const, id });

/** Today in Brussels, and days from it (YYYY-MM-DD). */
export const today = (at = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(at);
export const inDays = (n: number, at = new Date()) =>
  new Date(Date.parse(`${today(at)}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The i-th fictitious client: distinct valid national numbers for i up to about 300,000. */
export function client(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const year = 40 + (Math.floor(i / 336) % 50);
  const serial = 1 + Math.floor(i / 16_800);
  return makeNationalNumber(`${String(year).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`, serial);
}

/** A national number written as people do: 85.07.30-033.28. */
export const formatted = (nn: string) => `${nn.slice(0, 2)}.${nn.slice(2, 4)}.${nn.slice(4, 6)}-${nn.slice(6, 9)}.${nn.slice(9)}`;

/** A create operation of the JSON form: client i grants ACME (or `mandatee`) the personal income tax mandate. */
export const createOp = (i: number, mandatee: { kind: 'person' | 'enterprise'; id: string } = enterprise(ACME), validFrom = today()) => ({
  op: 'create',
  mandate: { type: PIT, mandator: person(client(i)), mandatee, validFrom, validUntil: null, reference: `file ${i}` },
});
