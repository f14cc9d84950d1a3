// The registers of who may act for an enterprise — its representatives (from the enterprise register,
// or handed out by its access manager) and the executors it names — and the ordered record of their
// changes, which every instance's check engine follows by cursor.

/** One change asked of the registers. */
export type RegistryEdit =
  | { role: 'representative'; change: 'added' | 'removed'; enterpriseId: string; personId: string; source?: string }
  | { role: 'executor'; change: 'added' | 'removed'; enterpriseId: string; personId: string; type: string };

/** A change that took effect, at its position in the record. */
export interface RegistryChange {
  seq: number;
  at: string;
  /** Who made it: `person:<national number>` through the API, or an operator's label (`import`, `cli:<account>`). */
  actor: string;
  role: 'representative' | 'executor';
  change: 'added' | 'removed';
  enterpriseId: string;
  personId: string;
  /** The mandate type an executor is added to or removed from; null for a representative. */
  type: string | null;
}

export interface ActingPersons {
  representatives: string[];
  executors: { person: string; types: string[] }[];
  /** Position of the record it reflects at least: continue the feed from here. */
  cursor: number;
}

export interface RegistryStore {
  /**
   * Applies the edits in one transaction, in order, and records those that changed something (adding
   * what is there, or removing what is not, changes nothing); returns the recorded changes.
   */
  edit(edits: readonly RegistryEdit[], actor: string, at: string): Promise<RegistryChange[]>;
  /**
   * Makes a person execute exactly these types for an enterprise, in one transaction: what to add and
   * remove is worked out against the register as the transaction sees it. Returns the recorded changes.
   */
  setExecutorTypes(enterpriseId: string, personId: string, types: readonly string[], actor: string, at: string): Promise<RegistryChange[]>;
  /** Changes after a position, in order. */
  changesAfter(afterSeq: number, limit: number): Promise<RegistryChange[]>;
  /**
   * What a business application of these mandate types may see of the record after a position, in
   * order: changes of enterprises that are the mandatee of a mandate of one of the types (in any state,
   * as the store holds them now): their representatives, and their executors of these types. Scans at
   * most `window` positions; `scannedTo` is the last position looked at, the cursor to continue from.
   */
  visibleChangesAfter(
    afterSeq: number,
    types: readonly string[],
    limit: number,
    window: number,
  ): Promise<{ changes: RegistryChange[]; scannedTo: number }>;
  /**
   * Who may act inside an enterprise, as an application of these types may see it (its representatives
   * and its executors of these types), with the record's position to follow the changes from; undefined
   * unless the enterprise is the mandatee of a mandate of one of the types (as for the feed).
   */
  actingPersons(enterpriseId: string, types: readonly string[]): Promise<ActingPersons | undefined>;
  /** The position of the last change. */
  head(): Promise<number>;
}
