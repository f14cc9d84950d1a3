// Shared by the bulk tests: people, dates, and CSV/JSON job builders.
import { makeNationalNumber } from '../../src/core/party.js';
import { ACME, enterprise, PIT, person, today } from '../fixtures/people.js';

export { A, ACME, B, C, enterprise, GLOBEX, inDays, PIT, person, REP, today } from '../fixtures/people.js';

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
