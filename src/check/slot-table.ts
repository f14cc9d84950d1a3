// An open-addressing hash table (linear probing, power-of-two size, load ≤ 1/2) of cell numbers of the
// mandate index (+1; 0 is empty): the mandatee table, mandatee code → the head of its list. Keys live in
// the index's records, not here, so an entry costs 4 bytes; the owner probes `cells` itself and tells
// this table how to re-hash an entry when cells move (growth, deletion by backward shift: no tombstones).
export class SlotTable {
  cells: Int32Array;
  mask: number;
  size = 0;

  constructor(
    private readonly hashOfSlot: (slot: number) => number,
    initialCapacity = 1024,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.cells = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds an entry whose key is not in the table yet. */
  insert(hash: number, slot: number): void {
    if ((this.size + 1) * 2 > this.cells.length) this.grow();
    const { cells, mask } = this;
    let i = hash & mask;
    while (cells[i] !== 0) i = (i + 1) & mask;
    cells[i] = slot + 1;
    this.size += 1;
  }

  /** The table cell holding this entry (probing from its hash), or -1. */
  cellOf(hash: number, slot: number): number {
    const { cells, mask } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const c = cells[i] as number;
      if (c === 0) return -1;
      if (c === slot + 1) return i;
    }
  }

  /** Puts another entry of the same key in a table cell (the key's head changed or moved). */
  replace(cell: number, slot: number): void {
    this.cells[cell] = slot + 1;
  }

  /** Empties a cell and shifts back the entries of its probe run that would otherwise be cut off. */
  deleteAt(cell: number): void {
    const { cells, mask } = this;
    let hole = cell;
    for (let j = (cell + 1) & mask; cells[j] !== 0; j = (j + 1) & mask) {
      const c = cells[j] as number;
      const home = this.hashOfSlot(c - 1) & mask;
      // The entry may stay if its home lies cyclically in (hole, j]; otherwise it moves into the hole.
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        cells[hole] = c;
        hole = j;
      }
    }
    cells[hole] = 0;
    this.size -= 1;
  }

  /** Bytes held by the cells. */
  get bytes(): number {
    return this.cells.byteLength;
  }

  private grow(): void {
    const old = this.cells;
    this.cells = new Int32Array(old.length * 2);
    this.mask = this.cells.length - 1;
    const { cells, mask } = this;
    for (const c of old) {
      if (c === 0) continue;
      let i = this.hashOfSlot(c - 1) & mask;
      while (cells[i] !== 0) i = (i + 1) & mask;
      cells[i] = c;
    }
  }
}
