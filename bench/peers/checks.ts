// The checks every contender answers, and the answer the rule gives (core's effective state), so each
// contender is held to the rule rather than to another contender.
import type { CheckQuery } from '../../src/index.js';
import { type BenchMandate, prng } from '../lib/dataset.js';

export interface BenchCheck {
  query: CheckQuery;
  /** The mandate the caller would look up for this mandator and type (every mandator here has one). */
  mandate: BenchMandate;
}

/** A new string of the same text, as a request brings: no contender's lookup can take an identity shortcut. */
const fresh = (s: string) => s.split('').join('');

/** The in-process bench's mix: 90% about an existing mandate (in any state), 10% naming another mandatee. */
export function checksFor(data: readonly BenchMandate[], count: number, at: number): BenchCheck[] {
  const random = prng(data.length + 1);
  const pick = () => data[Math.floor(random() * data.length)] as BenchMandate;
  return Array.from({ length: count }, () => {
    const mandate = pick();
    const mandatee = random() < 0.9 ? mandate.mandatee : pick().mandatee;
    const query = {
      mandator: { kind: mandate.mandator.kind, id: fresh(mandate.mandator.id) },
      mandatee: { kind: mandatee.kind, id: fresh(mandatee.id) },
      type: mandate.type,
      at,
    };
    return { query, mandate };
  });
}

/** What the rule answers: the named mandatee is the mandate's, and the mandate is in force at the instant. */
export const ruleAllows = ({ query, mandate }: BenchCheck, inForce: (m: BenchMandate, at: number) => boolean) =>
  query.mandatee.kind === mandate.mandatee.kind && query.mandatee.id === mandate.mandatee.id && inForce(mandate, query.at as number);
