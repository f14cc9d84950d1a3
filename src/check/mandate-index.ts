// The in-memory index of signed mandates. Each mandate is a record in an open-addressing hash table
// keyed by (mandatee, mandator, type): linear probing over typed arrays, so a check reads one record
// (key, mandator, validity bounds in epoch ms: 32 bytes) and, independently, the shared reference its
// answer names; there is no object per mandate beyond that reference. Mandates of one triple (one
// ending in March, the next starting in April) sit in the same probe run. A second, small table links
// each mandatee's records, for represented().
import type { CalendarDate } from '../core/dates.js';
import type { MandateStatus } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import { dayEnd, dayStart } from './day-table.js';
import { hashPair, partyCode, partyOfCode, TYPE_SPAN } from './party-code.js';
import { SlotTable } from './slot-table.js';
import { TypeTable } from './type-table.js';
import type { MandateRef } from './types.js';

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

// Per cell, doubles: the key (mandatee code · TYPE_SPAN + type id; EMPTY if the cell is free), the
// mandator code, and the validity as [from, until) in epoch ms.
const R = 4;
const R_KEY = 0;
const R_MANDATOR = 1;
const R_FROM = 2;
const R_UNTIL = 3;
const EMPTY = -1;
// Per cell, int32s: the version, and the doubly linked list of the mandatee's cells.
const M = 3;
const M_VERSION = 0;
const M_NEXT_OF_MANDATEE = 1;
const M_PREV_OF_MANDATEE = 2;
const NIL = -1;
const MANDATEE_SEED = 0x2545f491;

export class MandateIndex {
  private rec = new Float64Array(0);
  private meta = new Int32Array(0);
  /** By cell, what an answer names: built once per version and shared by every answer (read-only). null when free. */
  private refs: (MandateRef | null)[] = [];
  private mask = 0;
  /** Mandatee code → the cell heading its list. */
  private readonly mandatees: SlotTable;
  private readonly types = new TypeTable();
  /** One string per calendar day in use, shared by the refs (rows bring a fresh string each). */
  private readonly dayTexts = new Map<CalendarDate, CalendarDate>();
  /** Mandates held. */
  size = 0;
  /** Mandates that ended at or before this instant are not kept (see `prune`). */
  horizon = Number.NEGATIVE_INFINITY;
  /** What the last `touch` read: only there so that its reads stay. */
  touched = 0;
  /** Set by `select`: whether the returned cell is in force, upcoming or ended. */
  outcome: Outcome = Outcome.none;

  constructor(expectedSize = 512) {
    let capacity = 16;
    while (capacity < expectedSize * 2) capacity *= 2;
    this.allocate(capacity);
    this.mandatees = new SlotTable((cell) => hashPair(this.mandateeOf(cell), MANDATEE_SEED), capacity / 4);
  }

  /** Makes room for `expected` mandates at once, while the index is still empty. */
  reserve(expected: number): void {
    if (this.size > 0 || expected * 2 <= this.refs.length) return;
    let capacity = this.refs.length;
    while (capacity < expected * 2) capacity *= 2;
    this.allocate(capacity);
  }

  typeId(type: string): number {
    return this.types.id(type);
  }

  domainId(domain: string): number {
    return this.types.domainId(domain);
  }

  /**
   * The mandate of a triple in force at `at`; failing that the next one to start, failing that the
   * last one ended. Sets `outcome`; undefined when there is none. Allocates nothing.
   */
  select(mandateeCode: number, mandatorCode: number, typeId: number, at: number): MandateRef | undefined {
    const rec = this.rec;
    const mask = this.mask;
    const key = mandateeCode * TYPE_SPAN + typeId;
    const home = hashPair(key, mandatorCode) & mask;
    // Read before the probe, so that its memory read and the record's overlap: at a million mandates
    // both miss the CPU's caches, and most probes end in their home cell.
    const atHome = this.refs[home];
    for (let i = home; ; i = (i + 1) & mask) {
      const x = i * R;
      const k = rec[x + R_KEY] as number;
      if (k === EMPTY) return this.notInForce(home, key, mandatorCode, at);
      if (k === key && rec[x + R_MANDATOR] === mandatorCode && (rec[x + R_FROM] as number) <= at && at < (rec[x + R_UNTIL] as number)) {
        this.outcome = Outcome.active;
        return i === home ? (atHome as MandateRef) : this.ref(i);
      }
    }
  }

  /** For a triple without a mandate in force: the next one to start, failing that the last one ended. Kept out of `select`, so that stays small enough to inline. */
  private notInForce(home: number, key: number, mandatorCode: number, at: number): MandateRef | undefined {
    const { rec, mask } = this;
    let upcoming = NIL;
    let upcomingFrom = Number.POSITIVE_INFINITY;
    let ended = NIL;
    let endedUntil = Number.NEGATIVE_INFINITY;
    for (let i = home; rec[i * R + R_KEY] !== EMPTY; i = (i + 1) & mask) {
      const x = i * R;
      if (rec[x + R_KEY] !== key || rec[x + R_MANDATOR] !== mandatorCode) continue;
      const from = rec[x + R_FROM] as number;
      const until = rec[x + R_UNTIL] as number;
      if (at < from && from < upcomingFrom) {
        upcomingFrom = from;
        upcoming = i;
      } else if (at >= until && until > endedUntil) {
        endedUntil = until;
        ended = i;
      }
    }
    if (upcoming !== NIL) {
      this.outcome = Outcome.upcoming;
      return this.ref(upcoming);
    }
    if (ended !== NIL) {
      this.outcome = Outcome.ended;
      return this.ref(ended);
    }
    this.outcome = Outcome.none;
    return undefined;
  }

  /** The cell where the probe for a triple starts. */
  home(mandateeCode: number, mandatorCode: number, typeId: number): number {
    return hashPair(mandateeCode * TYPE_SPAN + typeId, mandatorCode) & this.mask;
  }

  /**
   * Reads the cells that many probes will start from, and the mandates they name, one after another:
   * the reads do not depend on each other, so the CPU has many cache misses under way at once, where
   * the probes themselves would meet them one at a time.
   */
  touch(cells: Int32Array, count: number): void {
    const { rec, refs } = this;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const cell = cells[i] as number;
      sum += rec[cell * R + R_KEY] as number;
      const ref = refs[cell];
      if (ref) sum += ref.id.length;
    }
    // Kept, so that the compiler cannot drop reads whose values nothing uses.
    this.touched = sum;
  }

  /** Cells of a mandatee's mandates in force at `at`, of one type or one domain (-1: any). */
  inForceOfMandatee(mandateeCode: number, typeId: number, domainId: number, at: number): number[] {
    const found: number[] = [];
    for (let i = this.mandateeHead(mandateeCode); i !== NIL; i = this.meta[i * M + M_NEXT_OF_MANDATEE] as number) {
      const t = this.typeOf(i);
      if (typeId >= 0 && t !== typeId) continue;
      if (domainId >= 0 && this.types.domainOf(t) !== domainId) continue;
      if ((this.rec[i * R + R_FROM] as number) <= at && at < (this.rec[i * R + R_UNTIL] as number)) found.push(i);
    }
    return found;
  }

  /** The mandate in a cell, as answers name it. */
  ref(cell: number): MandateRef {
    return this.refs[cell] as MandateRef;
  }

  typeName(cell: number): string {
    return this.types.name(this.typeOf(cell));
  }

  mandator(cell: number): Party {
    return partyOfCode(this.rec[cell * R + R_MANDATOR] as number);
  }

  mandatee(cell: number): Party {
    return partyOfCode(this.mandateeOf(cell));
  }

  /** Applies the current row of a mandate: keeps it if signed (and not ended before the horizon), drops it otherwise. Older versions than the one held are ignored. */
  apply(row: IndexEntry & { status: MandateStatus }): void {
    if (row.status === 'signed') this.keep(row);
    else this.remove(row);
  }

  /** Holds a signed mandate, unless it ended at or before the horizon. */
  keep(entry: IndexEntry): void {
    if (dayEnd(entry.validUntil) > this.horizon) this.upsert(entry);
    else this.remove(entry);
  }

  /** Adds or updates a signed mandate; returns false if the index already holds this version or a later one. */
  upsert(entry: IndexEntry): boolean {
    const mandateeCode = partyCode(entry.mandatee);
    const mandatorCode = partyCode(entry.mandator);
    if (mandateeCode < 0 || mandatorCode < 0) throw new Error(`mandate ${entry.id}: malformed party identifier`);
    // Grow first, so the free cell the probe ends on is where the record goes.
    if ((this.size + 1) * 2 > this.refs.length) this.grow();
    const key = mandateeCode * TYPE_SPAN + this.types.intern(entry.type, entry.domain);
    const { rec, mask } = this;
    let i = hashPair(key, mandatorCode) & mask;
    for (; rec[i * R + R_KEY] !== EMPTY; i = (i + 1) & mask) {
      if (rec[i * R + R_KEY] !== key || rec[i * R + R_MANDATOR] !== mandatorCode || this.ref(i).id !== entry.id) continue;
      if (entry.version <= (this.meta[i * M + M_VERSION] as number)) return false;
      this.writeValidity(i, entry);
      return true;
    }
    rec[i * R + R_KEY] = key;
    rec[i * R + R_MANDATOR] = mandatorCode;
    this.writeValidity(i, entry);
    this.linkMandatee(i, mandateeCode);
    this.size += 1;
    return true;
  }

  /** Drops a mandate if the index holds it; returns whether it did. */
  remove(entry: Pick<IndexEntry, 'id' | 'type' | 'mandator' | 'mandatee'>): boolean {
    const typeId = this.types.id(entry.type);
    const mandateeCode = partyCode(entry.mandatee);
    const mandatorCode = partyCode(entry.mandator);
    if (typeId < 0 || mandateeCode < 0 || mandatorCode < 0) return false;
    const key = mandateeCode * TYPE_SPAN + typeId;
    const { rec, mask } = this;
    for (let i = hashPair(key, mandatorCode) & mask; rec[i * R + R_KEY] !== EMPTY; i = (i + 1) & mask) {
      if (rec[i * R + R_KEY] === key && rec[i * R + R_MANDATOR] === mandatorCode && this.ref(i).id === entry.id) {
        this.removeCell(i);
        return true;
      }
    }
    return false;
  }

  /** Raises the horizon and drops every mandate that ended at or before it; returns how many. */
  prune(horizon: number): number {
    this.horizon = Math.max(this.horizon, horizon);
    let dropped = 0;
    // A removal shifts later records back into the cell, so the same cell is looked at again.
    for (let i = 0; i < this.refs.length; ) {
      if (this.rec[i * R + R_KEY] !== EMPTY && (this.rec[i * R + R_UNTIL] as number) <= this.horizon) {
        this.removeCell(i);
        dropped += 1;
      } else {
        i += 1;
      }
    }
    return dropped;
  }

  /** Every mandate held, for audits and tests (allocates; not for the hot path). */
  *entries(): Generator<IndexEntry> {
    for (let i = 0; i < this.refs.length; i++) {
      const ref = this.refs[i];
      if (!ref) continue;
      const t = this.typeOf(i);
      yield {
        id: ref.id,
        version: this.meta[i * M + M_VERSION] as number,
        type: this.types.name(t),
        domain: this.types.domainName(this.types.domainOf(t)),
        mandator: this.mandator(i),
        mandatee: this.mandatee(i),
        validFrom: ref.validFrom,
        validUntil: ref.validUntil,
      };
    }
  }

  /** Bytes held by the typed arrays (the refs and id strings are on the JS heap). */
  get arrayBytes(): number {
    return this.rec.byteLength + this.meta.byteLength + this.mandatees.bytes;
  }

  private typeOf(cell: number): number {
    return (this.rec[cell * R + R_KEY] as number) % TYPE_SPAN;
  }

  private mandateeOf(cell: number): number {
    return Math.floor((this.rec[cell * R + R_KEY] as number) / TYPE_SPAN);
  }

  private allocate(capacity: number): void {
    this.rec = new Float64Array(capacity * R);
    for (let i = 0; i < capacity; i++) this.rec[i * R + R_KEY] = EMPTY;
    this.meta = new Int32Array(capacity * M);
    // Pushed one by one: a preallocated `new Array(n)` of this size would be a slow dictionary array.
    this.refs = [];
    for (let i = 0; i < capacity; i++) this.refs.push(null);
    this.mask = capacity - 1;
  }

  /** Doubles the table: every record goes to its cell in the new one; the mandatee links are renumbered, not rebuilt. */
  private grow(): void {
    const { rec, meta, refs } = this;
    this.allocate(refs.length * 2);
    const moved = new Int32Array(refs.length);
    for (let c = 0; c < refs.length; c++) {
      if (rec[c * R + R_KEY] === EMPTY) continue;
      let i = hashPair(rec[c * R + R_KEY] as number, rec[c * R + R_MANDATOR] as number) & this.mask;
      while (this.rec[i * R + R_KEY] !== EMPTY) i = (i + 1) & this.mask;
      for (let f = 0; f < R; f++) this.rec[i * R + f] = rec[c * R + f] as number;
      this.refs[i] = refs[c] as MandateRef;
      moved[c] = i;
    }
    const renumber = (cell: number) => (cell === NIL ? NIL : (moved[cell] as number));
    for (let c = 0; c < refs.length; c++) {
      if (rec[c * R + R_KEY] === EMPTY) continue;
      const i = moved[c] as number;
      this.meta[i * M + M_VERSION] = meta[c * M + M_VERSION] as number;
      this.meta[i * M + M_NEXT_OF_MANDATEE] = renumber(meta[c * M + M_NEXT_OF_MANDATEE] as number);
      this.meta[i * M + M_PREV_OF_MANDATEE] = renumber(meta[c * M + M_PREV_OF_MANDATEE] as number);
    }
    // The mandatee table is keyed by mandatee code, which does not move: only the cells it points to change.
    const heads = this.mandatees.cells;
    for (let t = 0; t < heads.length; t++) {
      const c = heads[t] as number;
      if (c !== 0) heads[t] = (moved[c - 1] as number) + 1;
    }
  }

  private writeValidity(cell: number, entry: IndexEntry): void {
    this.rec[cell * R + R_FROM] = dayStart(entry.validFrom);
    this.rec[cell * R + R_UNTIL] = dayEnd(entry.validUntil);
    this.meta[cell * M + M_VERSION] = entry.version;
    // Not frozen (freezing a million objects costs seconds at build); the type makes it read-only.
    this.refs[cell] = {
      id: entry.id,
      validFrom: this.day(entry.validFrom),
      validUntil: entry.validUntil === null ? null : this.day(entry.validUntil),
    };
  }

  private day(text: CalendarDate): CalendarDate {
    const known = this.dayTexts.get(text);
    if (known !== undefined) return known;
    this.dayTexts.set(text, text);
    return text;
  }

  /** Empties a cell, then shifts back the records of its probe run that would otherwise be cut off from their home. */
  private removeCell(cell: number): void {
    this.unlinkMandatee(cell);
    this.clear(cell);
    this.size -= 1;
    const { rec, mask } = this;
    let hole = cell;
    for (let j = (cell + 1) & mask; rec[j * R + R_KEY] !== EMPTY; j = (j + 1) & mask) {
      const home = hashPair(rec[j * R + R_KEY] as number, rec[j * R + R_MANDATOR] as number) & mask;
      // The record may stay if its home lies cyclically in (hole, j]; otherwise it moves into the hole.
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      this.move(j, hole);
      hole = j;
    }
  }

  private move(from: number, to: number): void {
    const { rec, meta } = this;
    rec.copyWithin(to * R, from * R, from * R + R);
    meta.copyWithin(to * M, from * M, from * M + M);
    this.refs[to] = this.refs[from] as MandateRef;
    const prev = meta[to * M + M_PREV_OF_MANDATEE] as number;
    const next = meta[to * M + M_NEXT_OF_MANDATEE] as number;
    if (prev !== NIL) meta[prev * M + M_NEXT_OF_MANDATEE] = to;
    else this.mandatees.replace(this.mandatees.cellOf(hashPair(this.mandateeOf(to), MANDATEE_SEED), from), to);
    if (next !== NIL) meta[next * M + M_PREV_OF_MANDATEE] = to;
    this.clear(from);
  }

  private clear(cell: number): void {
    this.rec[cell * R + R_KEY] = EMPTY;
    this.refs[cell] = null;
  }

  private mandateeHead(mandateeCode: number): number {
    const { cells, mask } = this.mandatees;
    for (let i = hashPair(mandateeCode, MANDATEE_SEED) & mask; ; i = (i + 1) & mask) {
      const c = cells[i] as number;
      if (c === 0) return NIL;
      if (this.mandateeOf(c - 1) === mandateeCode) return c - 1;
    }
  }

  /** Puts a cell in its mandatee's list (right after the head, which stays in the table). */
  private linkMandatee(cell: number, mandateeCode: number): void {
    const meta = this.meta;
    const head = this.mandateeHead(mandateeCode);
    meta[cell * M + M_PREV_OF_MANDATEE] = head;
    if (head === NIL) {
      meta[cell * M + M_NEXT_OF_MANDATEE] = NIL;
      this.mandatees.insert(hashPair(mandateeCode, MANDATEE_SEED), cell);
      return;
    }
    const after = meta[head * M + M_NEXT_OF_MANDATEE] as number;
    meta[cell * M + M_NEXT_OF_MANDATEE] = after;
    if (after !== NIL) meta[after * M + M_PREV_OF_MANDATEE] = cell;
    meta[head * M + M_NEXT_OF_MANDATEE] = cell;
  }

  private unlinkMandatee(cell: number): void {
    const meta = this.meta;
    const prev = meta[cell * M + M_PREV_OF_MANDATEE] as number;
    const next = meta[cell * M + M_NEXT_OF_MANDATEE] as number;
    if (prev !== NIL) meta[prev * M + M_NEXT_OF_MANDATEE] = next;
    else {
      const tableCell = this.mandatees.cellOf(hashPair(this.mandateeOf(cell), MANDATEE_SEED), cell);
      if (next === NIL) this.mandatees.deleteAt(tableCell);
      else this.mandatees.replace(tableCell, next);
    }
    if (next !== NIL) meta[next * M + M_PREV_OF_MANDATEE] = prev;
  }
}
