/**
 * A table keyed by resource id (goroutine, P or thread): an array for the
 * small ids that traces mostly have, a Map for the rest. Lookups happen for
 * nearly every event, so they must not hash.
 *
 * @module
 */

const DENSE_LIMIT = 1 << 20;

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
  private dense: (T | undefined)[] = [];
  private sparse: Map<number, T> = new Map();
  /** Number of entries. */
  size = 0;

  /** The entry for `id`, if any. */
  get(id: number): T | undefined {
    if (id >= 0 && id < DENSE_LIMIT) return this.dense[id];
    return this.sparse.get(id);
  }

  /** Whether `id` has an entry. */
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets the entry for `id`. */
  set(id: number, v: T): void {
    if (id >= 0 && id < DENSE_LIMIT) {
      while (this.dense.length < id) this.dense.push(undefined);
      if (this.dense[id] === undefined) this.size++;
      this.dense[id] = v;
      return;
    }
    if (!this.sparse.has(id)) this.size++;
    this.sparse.set(id, v);
  }

  /** Removes the entry for `id`. */
  delete(id: number): void {
    if (id >= 0 && id < DENSE_LIMIT) {
      if (this.dense[id] !== undefined) this.size--;
      this.dense[id] = undefined;
      return;
    }
    if (this.sparse.delete(id)) this.size--;
  }

  /** Entries in ascending id order. */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    for (const [id, v] of this.sparse) if (id < 0) out.push([id, v]);
    out.sort((a, b) => a[0] - b[0]);
    this.dense.forEach((v, id) => v !== undefined && out.push([id, v]));
    const big = [...this.sparse].filter(([id]) => id >= 0).sort((a, b) => a[0] - b[0]);
    return out.concat(big);
  }

  /** Same as {@link entries}, so a table can be iterated like a Map. */
  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries()[Symbol.iterator]();
  }
}
