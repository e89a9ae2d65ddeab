/**
 * A table keyed by resource id (goroutine, P or thread): an array for the
 * small ids that traces mostly have, a Map for the rest. Lookups happen for
 * nearly every event, so they must not hash.
 *
 * @module
 */

// Ids go in the array while it stays small next to the number of entries:
// a crafted id near 2^20 must not make a 100-byte trace allocate megabytes.
const DENSE_MIN = 4096;
const DENSE_PER_ENTRY = 16;

/**
 * Id-keyed table with Map-like methods.
 *
 * @example
 * ```ts
 * import { IdTable } from "./id_table.ts";
 * const t = new IdTable<string>();
 * t.set(3, "g3");
 * t.set(2 ** 40, "big");
 * console.assert(t.get(3) === "g3" && t.get(2 ** 40) === "big" && t.size === 2);
 * ```
 */
export class IdTable<T> {
  /**
   * Entries by id for the small ids (the same array for the table's life):
   * a hit here is the entry; a miss is no verdict, ask {@link get}.
   */
  readonly dense: (T | undefined)[] = [];
  private sparse: Map<number, T> = new Map();
  /** Number of entries. */
  size = 0;

  /** The entry for `id`, if any. */
  get(id: number): T | undefined {
    if (id >= 0 && id < this.dense.length) {
      const v = this.dense[id];
      if (v !== undefined || this.sparse.size === 0) return v;
    }
    return this.sparse.size === 0 ? undefined : this.sparse.get(id);
  }

  /** Whether `id` has an entry. */
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets the entry for `id`. */
  set(id: number, v: T): void {
    const dense = this.dense;
    if (id >= 0 && id < dense.length && !this.sparse.has(id)) {
      if (dense[id] === undefined) this.size++;
      dense[id] = v;
      return;
    }
    if (
      id >= 0 && id < Math.max(DENSE_MIN, DENSE_PER_ENTRY * (this.size + 1)) && !this.sparse.has(id)
    ) {
      while (dense.length < id) dense.push(undefined);
      dense[id] = v;
      this.size++;
      return;
    }
    if (!this.sparse.has(id)) this.size++;
    this.sparse.set(id, v);
  }

  /** Removes the entry for `id`. */
  delete(id: number): void {
    if (id >= 0 && id < this.dense.length && this.dense[id] !== undefined) {
      this.dense[id] = undefined;
      this.size--;
      return;
    }
    if (this.sparse.delete(id)) this.size--;
  }

  /** Entries in ascending id order. */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.dense.forEach((v, id) => v !== undefined && out.push([id, v]));
    for (const e of this.sparse) out.push(e);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Same as {@link entries}, so a table can be iterated like a Map. */
  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries()[Symbol.iterator]();
  }
}
