// Executors: the people a mandatee enterprise names to carry out its mandates of given types (§3).
// An enterprise's representative sets, for one person, the exact list of types; this says whether
// the list can be taken.
import type { CatalogueIndex } from './catalogue.js';
import { type Refusal, refusal } from './refusal.js';

/** More types than any catalogue holds for one domain; a bound on what one request may name. */
export const MAX_EXECUTOR_TYPES = 200;

export type ExecutorTypes = { ok: true; types: string[] } | { ok: false; refusal: Refusal };

/**
 * The types a person is to execute, in order and each once (an empty list: no longer an executor).
 * Every type must be known and open to enterprise mandatees.
 */
export function executorTypes(catalogue: CatalogueIndex, wanted: readonly string[]): ExecutorTypes {
  if (wanted.length > MAX_EXECUTOR_TYPES) {
    return {
      ok: false,
      refusal: refusal('EXECUTOR_TYPES_TOO_MANY', `At most ${MAX_EXECUTOR_TYPES} types per person.`, 'types', {
        max: MAX_EXECUTOR_TYPES,
      }),
    };
  }
  for (const [i, id] of wanted.entries()) {
    const type = catalogue.type(id);
    if (!type) return { ok: false, refusal: refusal('TYPE_UNKNOWN', `There is no mandate type ${id}.`, `types.${i}`) };
    if (!type.mandateeKinds.includes('enterprise')) {
      return {
        ok: false,
        refusal: refusal(
          'EXECUTOR_TYPE_NOT_FOR_ENTERPRISES',
          `Mandates of type ${id} are never given to enterprises, so nobody executes them for one.`,
          `types.${i}`,
        ),
      };
    }
  }
  return { ok: true, types: [...new Set(wanted)].sort() };
}
