// The in-memory index of signed mandates: (mandatee, mandator, type) → the mandates of that triple, and
// mandatee → all its mandates. Each mandate is a numbered slot in typed arrays (no object per mandate);
// a check is one probe of a hash table of slot numbers plus a comparison of two epoch-ms bounds.
import type { CalendarDate } from '../core/dates.js';
import type { MandateStatus } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import { dayEnd, dayStart } from './day-table.js';
import { hashPair, partyCode, partyOfCode, TYPE_SPAN } from './party-code.js';
import { SlotTable } from './slot-table.js';

/** What the index keeps of a mandate (a `Mandate` row is one). */
export interface IndexEntry {
  id: string;
  version: number;
  type: string;
  domain: string;
  mandator: Party;
  mandatee: Party;
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
}

/** How the last `select` ended. */
export const Outcome = { none: 0, active: 1, upcoming: 2, ended: 3 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

// Per slot, doubles: the triple key (mandatee·TYPE_SPAN + type, mandator), then the validity bounds.
const R = 4;
const R_KEY = 0;
const R_MANDATOR = 1;
const R_FROM = 2;
const R_UNTIL = 3;
// Per slot, int32s: version and the links of the two chains.
const M = 4;
const M_VERSION = 0;
/** Next slot of the same triple (or of the free list). */
const M_NEXT_SAME = 1;
/** Doubly linked list of the mandatee's slots. */
const M_NEXT_OF_MANDATEE = 2;
const M_PREV_OF_MANDATEE = 3;
const NIL = -1;
const DAY_MS = 86_400_000;
/**
 * The day number (days since 1970-01-01) of the calendar day a Brussels midnight starts. That midnight
 * is 22:00 or 23:00 UTC the evening before, so rounding up lands on the day.
 */
const epochDay = (midnight: number) => Math.ceil(midnight / DAY_MS);
const MANDATEE_SEED = 0x2545f491;

export class MandateIndex {
  private rec: Float64Array;
  private meta: Int32Array;
  /** Mandate ids by slot; '' marks a free slot (kept a dense array of strings, never holey). */
  private readonly ids: string[] = [];
  private capacity: number;
  private freeHead = NIL;
  private used = 0;
  private readonly triples: SlotTable;
  private readonly mandatees: SlotTable;
  /** Calendar days by epoch day number (small integers): answers get their dates back from the bounds, with no field per slot. */
  private readonly dayTexts = new Map<number, CalendarDate>();
  private readonly typeIds = new Map<string, number>();
  private readonly typeNames: string[] = [];
  private readonly typeDomains: number[] = [];
  private readonly domainIds = new Map<string, number>();
  private readonly domainNames: string[] = [];
  /** Mandates live: slots in use. */
  size = 0;
  /** Mandates that ended at or before this instant are not kept (see `prune`). */
  horizon = Number.NEGATIVE_INFINITY;
  /** Set by `select`: whether the returned slot is in force, upcoming or ended. */
  outcome: Outcome = Outcome.none;

  constructor(expectedSize = 1024) {
    this.capacity = Math.max(16, expectedSize);
    this.rec = new Float64Array(this.capacity * R);
    this.meta = new Int32Array(this.capacity * M);
    this.triples = new SlotTable(
      (s) => hashPair(this.rec[s * R + R_KEY] as number, this.rec[s * R + R_MANDATOR] as number),
      expectedSize * 2,
    );
    this.mandatees = new SlotTable((s) => hashPair(this.mandateeOf(s), MANDATEE_SEED), expectedSize);
  }

  /** The id of a type (interned), or -1 if no mandate of it was ever indexed. */
  typeId(type: string): number {
    return this.typeIds.get(type) ?? -1;
  }

  domainId(domain: string): number {
    return this.domainIds.get(domain) ?? -1;
  }

  /**
   * Finds the mandate of a triple in force at `at`; failing that the next one to start, failing that the
   * last one ended. Sets `outcome`; returns the slot or -1. Allocates nothing.
   */
  select(mandateeCode: number, mandatorCode: number, typeId: number, at: number): number {
    const rec = this.rec;
    const key = mandateeCode * TYPE_SPAN + typeId;
    const cells = this.triples.cells;
    const mask = this.triples.mask;
    let slot = NIL;
    for (let i = hashPair(key, mandatorCode) & mask; ; i = (i + 1) & mask) {
      const c = cells[i] as number;
      if (c === 0) {
        this.outcome = Outcome.none;
        return NIL;
      }
      const x = (c - 1) * R;
      if (rec[x + R_KEY] === key && rec[x + R_MANDATOR] === mandatorCode) {
        slot = c - 1;
        break;
      }
    }
    const meta = this.meta;
    let upcoming = NIL;
    let ended = NIL;
    for (let s = slot; s !== NIL; s = meta[s * M + M_NEXT_SAME] as number) {
      const from = rec[s * R + R_FROM] as number;
      const until = rec[s * R + R_UNTIL] as number;
      if (at < from) {
        if (upcoming === NIL || from < (rec[upcoming * R + R_FROM] as number)) upcoming = s;
      } else if (at >= until) {
        if (ended === NIL || until > (rec[ended * R + R_UNTIL] as number)) ended = s;
      } else {
        this.outcome = Outcome.active;
        return s;
      }
    }
    if (upcoming !== NIL) {
      this.outcome = Outcome.upcoming;
      return upcoming;
    }
    this.outcome = Outcome.ended;
    return ended;
  }

  /** Slots of a mandatee's mandates in force at `at`, of one type or one domain (-1: any). */
  inForceOfMandatee(mandateeCode: number, typeId: number, domainId: number, at: number): number[] {
    const found: number[] = [];
    const head = this.mandateeHead(mandateeCode);
    for (let s = head; s !== NIL; s = this.meta[s * M + M_NEXT_OF_MANDATEE] as number) {
      const t = this.typeOf(s);
      if (typeId >= 0 && t !== typeId) continue;
      if (domainId >= 0 && this.typeDomains[t] !== domainId) continue;
      if ((this.rec[s * R + R_FROM] as number) <= at && at < (this.rec[s * R + R_UNTIL] as number)) found.push(s);
    }
    return found;
  }

  id(slot: number): string {
    return this.ids[slot] as string;
  }

  validFrom(slot: number): CalendarDate {
    return this.dayTexts.get(epochDay(this.rec[slot * R + R_FROM] as number)) as CalendarDate;
  }

  validUntil(slot: number): CalendarDate | null {
    const until = this.rec[slot * R + R_UNTIL] as number;
    // The bound is the midnight that starts the day after the last one.
    return until === Number.POSITIVE_INFINITY ? null : (this.dayTexts.get(epochDay(until) - 1) as CalendarDate);
  }

  version(slot: number): number {
    return this.meta[slot * M + M_VERSION] as number;
  }

  typeName(slot: number): string {
    return this.typeNames[this.typeOf(slot)] as string;
  }

  mandator(slot: number): Party {
    return partyOfCode(this.rec[slot * R + R_MANDATOR] as number);
  }

  mandatee(slot: number): Party {
    return partyOfCode(this.mandateeOf(slot));
  }

  /** Applies the current row of a mandate: keeps it if signed (and not ended before the horizon), drops it otherwise. Older versions than the one held are ignored. */
  apply(row: IndexEntry & { status: MandateStatus }): void {
    if (row.status === 'signed' && dayEnd(row.validUntil) > this.horizon) this.upsert(row);
    else this.remove(row);
  }

  /** Adds or updates a signed mandate; returns false if the index already holds this version or a later one. */
  upsert(entry: IndexEntry): boolean {
    const mandateeCode = partyCode(entry.mandatee);
    const mandatorCode = partyCode(entry.mandator);
    if (mandateeCode < 0 || mandatorCode < 0) throw new Error(`mandate ${entry.id}: malformed party identifier`);
    const key = mandateeCode * TYPE_SPAN + this.internType(entry.type, entry.domain);
    const head = this.head(key, mandatorCode);
    for (let s = head; s !== NIL; s = this.meta[s * M + M_NEXT_SAME] as number) {
      if (this.ids[s] !== entry.id) continue;
      if (entry.version <= (this.meta[s * M + M_VERSION] as number)) return false;
      this.writeValidity(s, entry);
      return true;
    }
    const s = this.allocate();
    this.ids[s] = entry.id;
    this.rec[s * R + R_KEY] = key;
    this.rec[s * R + R_MANDATOR] = mandatorCode;
    this.writeValidity(s, entry);
    const meta = this.meta;
    if (head === NIL) {
      meta[s * M + M_NEXT_SAME] = NIL;
      this.triples.insert(hashPair(key, mandatorCode), s);
    } else {
      // The head stays in the table; the new slot goes right after it.
      meta[s * M + M_NEXT_SAME] = meta[head * M + M_NEXT_SAME] as number;
      meta[head * M + M_NEXT_SAME] = s;
    }
    const first = this.mandateeHead(mandateeCode);
    meta[s * M + M_PREV_OF_MANDATEE] = first;
    if (first === NIL) {
      meta[s * M + M_NEXT_OF_MANDATEE] = NIL;
      this.mandatees.insert(hashPair(mandateeCode, MANDATEE_SEED), s);
    } else {
      const after = meta[first * M + M_NEXT_OF_MANDATEE] as number;
      meta[s * M + M_NEXT_OF_MANDATEE] = after;
      if (after !== NIL) meta[after * M + M_PREV_OF_MANDATEE] = s;
      meta[first * M + M_NEXT_OF_MANDATEE] = s;
    }
    this.size += 1;
    return true;
  }

  /** Drops a mandate if the index holds it; returns whether it did. */
  remove(entry: Pick<IndexEntry, 'id' | 'type' | 'mandator' | 'mandatee'>): boolean {
    const typeId = this.typeId(entry.type);
    const mandateeCode = partyCode(entry.mandatee);
    const mandatorCode = partyCode(entry.mandator);
    if (typeId < 0 || mandateeCode < 0 || mandatorCode < 0) return false;
    for (let s = this.head(mandateeCode * TYPE_SPAN + typeId, mandatorCode); s !== NIL; s = this.meta[s * M + M_NEXT_SAME] as number) {
      if (this.ids[s] === entry.id) {
        this.removeSlot(s);
        return true;
      }
    }
    return false;
  }

  /** Raises the horizon and drops every mandate that ended at or before it; returns how many. */
  prune(horizon: number): number {
    this.horizon = Math.max(this.horizon, horizon);
    let dropped = 0;
    for (let s = 0; s < this.used; s++) {
      if (this.ids[s] !== '' && (this.rec[s * R + R_UNTIL] as number) <= this.horizon) {
        this.removeSlot(s);
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Every mandate held, for audits and tests (allocates; not for the hot path). */
  *entries(): Generator<IndexEntry> {
    for (let s = 0; s < this.used; s++) {
      const id = this.ids[s] as string;
      if (id === '') continue;
      yield {
        id,
        version: this.version(s),
        type: this.typeName(s),
        domain: this.domainNames[this.typeDomains[this.typeOf(s)] as number] as string,
        mandator: this.mandator(s),
        mandatee: this.mandatee(s),
        validFrom: this.validFrom(s),
        validUntil: this.validUntil(s),
      };
    }
  }

  /** Bytes held outside the id strings: the typed arrays and hash tables. */
  get arrayBytes(): number {
    return this.rec.byteLength + this.meta.byteLength + this.triples.bytes + this.mandatees.bytes;
  }

  private typeOf(slot: number): number {
    return (this.rec[slot * R + R_KEY] as number) % TYPE_SPAN;
  }

  private mandateeOf(slot: number): number {
    return Math.floor((this.rec[slot * R + R_KEY] as number) / TYPE_SPAN);
  }

  private internType(type: string, domain: string): number {
    let id = this.typeIds.get(type);
    if (id === undefined) {
      id = this.typeNames.length;
      if (id >= TYPE_SPAN) throw new Error('more than 65536 mandate types');
      let domainId = this.domainIds.get(domain);
      if (domainId === undefined) {
        domainId = this.domainNames.length;
        this.domainIds.set(domain, domainId);
        this.domainNames.push(domain);
      }
      this.typeIds.set(type, id);
      this.typeNames.push(type);
      this.typeDomains.push(domainId);
    }
    return id;
  }

  private head(key: number, mandatorCode: number): number {
    const { cells, mask } = this.triples;
    for (let i = hashPair(key, mandatorCode) & mask; ; i = (i + 1) & mask) {
      const c = cells[i] as number;
      if (c === 0) return NIL;
      if (this.rec[(c - 1) * R + R_KEY] === key && this.rec[(c - 1) * R + R_MANDATOR] === mandatorCode) return c - 1;
    }
  }

  private mandateeHead(mandateeCode: number): number {
    const { cells, mask } = this.mandatees;
    for (let i = hashPair(mandateeCode, MANDATEE_SEED) & mask; ; i = (i + 1) & mask) {
      const c = cells[i] as number;
      if (c === 0) return NIL;
      if (this.mandateeOf(c - 1) === mandateeCode) return c - 1;
    }
  }

  private writeValidity(s: number, entry: IndexEntry): void {
    const from = dayStart(entry.validFrom);
    const until = dayEnd(entry.validUntil);
    this.rec[s * R + R_FROM] = from;
    this.rec[s * R + R_UNTIL] = until;
    this.meta[s * M + M_VERSION] = entry.version;
    if (!this.dayTexts.has(epochDay(from))) this.dayTexts.set(epochDay(from), entry.validFrom);
    if (entry.validUntil !== null && !this.dayTexts.has(epochDay(until) - 1)) this.dayTexts.set(epochDay(until) - 1, entry.validUntil);
  }

  private allocate(): number {
    if (this.freeHead !== NIL) {
      const s = this.freeHead;
      this.freeHead = this.meta[s * M + M_NEXT_SAME] as number;
      return s;
    }
    if (this.used === this.capacity) this.grow();
    this.ids.push('');
    return this.used++;
  }

  private grow(): void {
    this.capacity *= 2;
    const rec = new Float64Array(this.capacity * R);
    rec.set(this.rec);
    this.rec = rec;
    const meta = new Int32Array(this.capacity * M);
    meta.set(this.meta);
    this.meta = meta;
  }

  private removeSlot(s: number): void {
    const meta = this.meta;
    const key = this.rec[s * R + R_KEY] as number;
    const mandatorCode = this.rec[s * R + R_MANDATOR] as number;
    const next = meta[s * M + M_NEXT_SAME] as number;
    const head = this.head(key, mandatorCode);
    if (head === s) {
      const cell = this.triples.cellOf(hashPair(key, mandatorCode), s);
      if (next === NIL) this.triples.deleteAt(cell);
      else this.triples.replace(cell, next);
    } else {
      let p = head;
      while ((meta[p * M + M_NEXT_SAME] as number) !== s) p = meta[p * M + M_NEXT_SAME] as number;
      meta[p * M + M_NEXT_SAME] = next;
    }
    const prev = meta[s * M + M_PREV_OF_MANDATEE] as number;
    const after = meta[s * M + M_NEXT_OF_MANDATEE] as number;
    if (prev !== NIL) meta[prev * M + M_NEXT_OF_MANDATEE] = after;
    else {
      const cell = this.mandatees.cellOf(hashPair(this.mandateeOf(s), MANDATEE_SEED), s);
      if (after === NIL) this.mandatees.deleteAt(cell);
      else this.mandatees.replace(cell, after);
    }
    if (after !== NIL) meta[after * M + M_PREV_OF_MANDATEE] = prev;
    this.ids[s] = '';
    meta[s * M + M_NEXT_SAME] = this.freeHead;
    this.freeHead = s;
    this.size -= 1;
  }
}
