// Answers checks and "for whom may X act" from memory: the mandate index plus the party registry.
// The hot path parses two identifiers into numbers, probes one hash table and compares two numbers;
// it formats no dates and allocates only the answer.
import type { CatalogueIndex } from '../core/catalogue.js';
import type { Party } from '../core/party.js';
import { MandateIndex } from './mandate-index.js';
import { partyCode } from './party-code.js';
import { PartyRegistry } from './party-registry.js';
import type { CheckAnswer, CheckQuery, CheckReason, RepresentedAnswer, RepresentedFilter, RepresentedMandator } from './types.js';

export interface CheckEngineOptions {
  /** Tells which types are sensitive (unknown types count as sensitive). */
  catalogue: Pick<CatalogueIndex, 'type'>;
  now?: () => number;
  index?: MandateIndex;
  parties?: PartyRegistry;
}

/** May this person act for the mandatee of a mandate of this type? Shared with the direct computation. */
export function actingPersonAllowed(
  mandatee: Party,
  personId: string,
  sensitive: boolean,
  isExecutor: boolean,
  isRepresentative: boolean,
): boolean {
  if (mandatee.kind === 'person') return personId === mandatee.id;
  // Representation implies executing every type except the sensitive ones, which need an explicit executor.
  return isExecutor || (!sensitive && isRepresentative);
}

export class CheckEngine {
  readonly index: MandateIndex;
  readonly parties: PartyRegistry;
  /** Position in the event log the index reflects. */
  cursor = 0;
  readonly now: () => number;
  private readonly catalogue: Pick<CatalogueIndex, 'type'>;

  constructor(options: CheckEngineOptions) {
    this.catalogue = options.catalogue;
    this.now = options.now ?? Date.now;
    this.index = options.index ?? new MandateIndex();
    this.parties = options.parties ?? new PartyRegistry();
  }

  /** May the mandatee act for the mandator for this type at this instant (and, if named, through this person)? */
  check(query: CheckQuery): CheckAnswer {
    // Written to stay small: callers inline it with the index's probe, and what is not inlined passes
    // its numbers boxed (an allocation per check). One answer is made, at the end.
    const at = query.at ?? this.now();
    // NaN would compare false everywhere and look like "in force".
    if (Number.isNaN(at)) throw new RangeError('at must be an instant in epoch milliseconds');
    const index = this.index;
    const typeId = index.typeId(query.type);
    const mandateeCode = partyCode(query.mandatee);
    const mandatorCode = partyCode(query.mandator);
    const mandate = typeId < 0 || mandateeCode < 0 || mandatorCode < 0 ? undefined : index.select(mandateeCode, mandatorCode, typeId, at);
    let reason = mandate === undefined ? 'no-mandate' : (REASONS[index.outcome] as CheckReason);
    if (reason === 'active' && query.actingPerson !== undefined && !this.mayAct(query.mandatee, query.actingPerson, query.type)) {
      reason = 'acting-person-not-allowed';
    }
    return { allowed: reason === 'active', reason, mandate, cursor: this.cursor };
  }

  /**
   * The answers to many checks, in order: the same as `check` for each, but at a million mandates
   * faster, because the memory all of them will read is fetched first, in one pass (`MandateIndex.touch`).
   */
  checkAll(queries: readonly CheckQuery[]): CheckAnswer[] {
    const index = this.index;
    const cells = new Int32Array(queries.length);
    let count = 0;
    for (const query of queries) {
      const typeId = index.typeId(query.type);
      const mandateeCode = partyCode(query.mandatee);
      const mandatorCode = partyCode(query.mandator);
      if (typeId >= 0 && mandateeCode >= 0 && mandatorCode >= 0) cells[count++] = index.home(mandateeCode, mandatorCode, typeId);
    }
    index.touch(cells, count);
    // Each check parses its identifiers again (about 40 ns, some 2% of a batch request, estimated):
    // keeping the codes from the first pass would mean passing them as doubles to a call V8 may not
    // inline, boxing them, and a second path to the answers beside `check`.
    return queries.map((query) => this.check(query));
  }

  /** The mandators for whom the mandatee may act at an instant, for one type or every type of a domain. */
  represented(mandatee: Party, filter: RepresentedFilter, at: number = this.now()): RepresentedAnswer {
    const index = this.index;
    const code = partyCode(mandatee);
    const typeId = 'type' in filter ? index.typeId(filter.type) : -1;
    const domainId = 'domain' in filter ? index.domainId(filter.domain) : -1;
    if (code < 0 || ('type' in filter ? typeId : domainId) < 0) return { mandators: [], cursor: this.cursor };
    const mandators: RepresentedMandator[] = index.inForceOfMandatee(code, typeId, domainId, at).map((cell) => ({
      mandator: index.mandator(cell),
      type: index.typeName(cell),
      mandate: index.ref(cell),
    }));
    mandators.sort((a, b) => compare(a.mandator.id, b.mandator.id) || compare(a.mandator.kind, b.mandator.kind) || compare(a.type, b.type));
    return { mandators, cursor: this.cursor };
  }

  /**
   * Whether answers for this instant come entirely from memory: mandates that ended before the index's
   * horizon are dropped, so for earlier instants ask the store (`checkFromStore`).
   */
  covers(at: number): boolean {
    return at >= this.index.horizon;
  }

  isSensitive(type: string): boolean {
    return this.catalogue.type(type)?.sensitive ?? true;
  }

  private mayAct(mandatee: Party, personId: string, type: string): boolean {
    const enterprise = mandatee.kind === 'enterprise';
    return actingPersonAllowed(
      mandatee,
      personId,
      this.isSensitive(type),
      enterprise && this.parties.isExecutor(mandatee.id, personId, type),
      enterprise && this.parties.isRepresentative(mandatee.id, personId),
    );
  }
}

/** The reason an answer gives, by the index's `Outcome` of a probe that found a mandate. */
const REASONS: readonly CheckReason[] = ['no-mandate', 'active', 'not-yet-valid', 'expired'];

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
