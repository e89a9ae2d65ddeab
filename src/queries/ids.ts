/**
 * Sets and maps of resource ids (goroutines, Ps, threads) that analyses
 * touch once per event: a bitmap or an array for the small, dense ids
 * traces have, a Set or Map for the rest, so the common case is an index
 * rather than a hash (and a Map's deleted entries never pile up).
 *
 * @module
 */

// The bitmap only grows while it stays small next to the number of ids in
// it: a crafted id near 2^40 must not make a tiny trace allocate megabytes.
const DENSE_MIN = 1 << 16;
const DENSE_PER_ID = 64;

/**
 * A set of integer ids with a cheap `add` for small non-negative ones.
 *
 * @example
 * ```ts
 * import { IdSet } from "./ids.ts";
 * const s = new IdSet();
 * for (const id of [3, 3, 70_000, -1, 2 ** 40, 3]) s.add(id);
 * console.assert(s.size === 4 && s.has(70_000) && !s.has(4));
 * console.assert(s.delete(3) && !s.delete(3) && s.size === 3);
 * ```
 */
export class IdSet {
  #bits = new Int32Array(64); // ids 0..2047
  #limit = 64 * 32; // ids below are in the bitmap
  #other: Set<number> | null = null;
  /** Number of ids in the set. */
  size = 0;

  /** Adds `id`; true when it was not there yet. */
  add(id: number): boolean {
    if (id >= 0 && id < this.#limit) {
      const bits = this.#bits, w = id >>> 5, b = 1 << (id & 31), x = bits[w];
      if ((x & b) !== 0) return false;
      bits[w] = x | b;
      this.size++;
      return true;
    }
    return this.#addSlow(id);
  }

  /** Removes `id`; true when it was there. */
  delete(id: number): boolean {
    const bits = this.#bits;
    if (id >= 0 && id < this.#limit) {
      const w = id >>> 5, b = 1 << (id & 31);
      if ((bits[w] & b) === 0) return false;
      bits[w] &= ~b;
      this.size--;
      return true;
    }
    if (this.#other === null || !this.#other.delete(id)) return false;
    this.size--;
    return true;
  }

  /** Whether `id` is in the set. */
  has(id: number): boolean {
    if (id >= 0 && id < this.#limit) return (this.#bits[id >>> 5] & (1 << (id & 31))) !== 0;
    return this.#other !== null && this.#other.has(id);
  }

  #addSlow(id: number): boolean {
    if (
      Number.isInteger(id) && id >= 0 && id < Math.max(DENSE_MIN, DENSE_PER_ID * (this.size + 1))
    ) {
      let n = this.#bits.length;
      while (n * 32 <= id) n *= 2;
      const grown = new Int32Array(n);
      grown.set(this.#bits);
      this.#bits = grown;
      this.#limit = n * 32;
      // Ids that were out of range before now belong in the bitmap.
      const other = this.#other;
      this.#other = null;
      this.size = 0;
      for (const w of grown) if (w !== 0) this.size += popcount(w);
      if (other !== null) { for (const o of other) this.add(o); }
      return this.add(id);
    }
    const other = this.#other ??= new Set();
    if (other.has(id)) return false;
    other.add(id);
    this.size++;
    return true;
  }
}

/**
 * A map from integer ids to values, an array for small non-negative ids.
 *
 * @example
 * ```ts
 * import { IdMap } from "./ids.ts";
 * const m = new IdMap<string>();
 * m.set(2, "p2");
 * m.set(-1, "none");
 * console.assert(m.get(2) === "p2" && m.get(-1) === "none" && m.get(3) === undefined);
 * console.assert(m.delete(2) && m.get(2) === undefined && !m.delete(2));
 * ```
 */
export class IdMap<T> {
  #dense: (T | undefined)[] = [];
  #other: Map<number, T> | null = null;

  /** The value for `id`, if any. */
  get(id: number): T | undefined {
    if (id >= 0 && id < this.#dense.length) return this.#dense[id];
    return this.#other === null ? undefined : this.#other.get(id);
  }

  /** Sets the value for `id`. */
  set(id: number, v: T): void {
    const dense = this.#dense;
    if (id >= 0 && id < dense.length) {
      dense[id] = v;
      return;
    }
    // Grows over small ids only: a crafted huge id goes to the Map.
    if (Number.isInteger(id) && id >= 0 && id < DENSE_MIN) {
      while (dense.length <= id) dense.push(undefined);
      dense[id] = v;
      return;
    }
    (this.#other ??= new Map()).set(id, v);
  }

  /** Removes `id`; true when it had a value. */
  delete(id: number): boolean {
    const dense = this.#dense;
    if (id >= 0 && id < dense.length) {
      if (dense[id] === undefined) return false;
      dense[id] = undefined;
      return true;
    }
    return this.#other !== null && this.#other.delete(id);
  }
}

function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
