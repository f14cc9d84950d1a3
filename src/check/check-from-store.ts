// The same answer as the engine, computed directly from the store: the fallback when the engine has
// not caught up with a caller's write in time, or is asked about an instant before its horizon.
import type { CatalogueIndex } from '../core/catalogue.js';
import type { Mandate } from '../core/mandate.js';
import type { Store } from '../store/port.js';
import { actingPersonAllowed } from './check-engine.js';
import { dayEnd, dayStart } from './day-table.js';
import { partyCode } from './party-code.js';
import type { CheckAnswer, CheckQuery, MandateRef } from './types.js';

export interface DirectCheckOptions {
  catalogue: Pick<CatalogueIndex, 'type'>;
  now?: () => number;
}

const ref = (m: Mandate): MandateRef => ({ id: m.id, validFrom: m.validFrom, validUntil: m.validUntil });

export async function checkFromStore(store: Store, query: CheckQuery, options: DirectCheckOptions): Promise<CheckAnswer> {
  // Read the head first: the rows read after it reflect at least that position.
  const cursor = (await store.head()).seq;
  const at = query.at ?? (options.now ?? Date.now)();
  if (Number.isNaN(at)) throw new RangeError('at must be an instant in epoch milliseconds');
  if (partyCode(query.mandator) < 0 || partyCode(query.mandatee) < 0) return { allowed: false, reason: 'no-mandate', cursor };
  const signed = (await store.mandatesOfTriple(query.mandator, query.mandatee, query.type)).filter((m) => m.status === 'signed');
  let upcoming: Mandate | undefined;
  let ended: Mandate | undefined;
  for (const m of signed) {
    const from = dayStart(m.validFrom);
    const until = dayEnd(m.validUntil);
    if (at < from) {
      if (!upcoming || from < dayStart(upcoming.validFrom)) upcoming = m;
    } else if (at >= until) {
      if (!ended || until > dayEnd(ended.validUntil)) ended = m;
    } else {
      if (query.actingPerson !== undefined && !(await mayAct(store, options, query, query.actingPerson))) {
        return { allowed: false, reason: 'acting-person-not-allowed', mandate: ref(m), cursor };
      }
      return { allowed: true, reason: 'active', mandate: ref(m), cursor };
    }
  }
  if (upcoming) return { allowed: false, reason: 'not-yet-valid', mandate: ref(upcoming), cursor };
  if (ended) return { allowed: false, reason: 'expired', mandate: ref(ended), cursor };
  return { allowed: false, reason: 'no-mandate', cursor };
}

async function mayAct(store: Store, options: DirectCheckOptions, query: CheckQuery, personId: string): Promise<boolean> {
  const { mandatee, type } = query;
  const enterprise = mandatee.kind === 'enterprise';
  const isExecutor = enterprise && (await store.executorsOf(mandatee.id)).some((e) => e.personId === personId && e.type === type);
  const isRepresentative = enterprise && (await store.enterprisesRepresentedBy(personId)).includes(mandatee.id);
  return actingPersonAllowed(mandatee, personId, options.catalogue.type(type)?.sensitive ?? true, isExecutor, isRepresentative);
}
