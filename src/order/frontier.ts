/**
 * The frontier: one cursor per M, kept in a binary min-heap by the time of
 * each cursor's next event. The heap moves are the same as Go's reader's, so
 * that ties between equal timestamps break the same way.
 *
 * Beside the cursors, the heap keeps their times in a typed array at the
 * same positions: the comparisons, made for every event, then read plain
 * numbers instead of a field of each cursor. Whoever moves a cursor on
 * stores its new time at its position before restoring the heap.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";
import { sortLikeGo } from "../wire/go_sort.ts";

/**
 * Cursors in heap order and their times.
 *
 * @example
 * ```ts
 * import { heapInsert, newFrontier } from "./frontier.ts";
 * import { BatchCursor } from "../wire/cursor.ts";
 * import { GenTables } from "../wire/tables.ts";
 * const f = newFrontier(2);
 * const a = new BatchCursor(1, [], new GenTables());
 * const b = new BatchCursor(2, [], new GenTables());
 * a.time = 20;
 * b.time = 10;
 * heapInsert(f, a);
 * heapInsert(f, b);
 * console.assert(f.cursors[0] === b && f.times[0] === 10);
 * ```
 */
export interface Frontier {
  /** The cursors, a min-heap by time. */
  cursors: BatchCursor[];
  /** `cursors[i].time` at `times[i]`. */
  times: Float64Array;
}

/** An empty frontier with room for `capacity` cursors. */
export function newFrontier(capacity: number): Frontier {
  return { cursors: [], times: new Float64Array(Math.max(capacity, 1)) };
}

/** Adds a cursor and sifts it up. */
export function heapInsert(f: Frontier, c: BatchCursor): void {
  const n = f.cursors.length;
  if (n >= f.times.length) {
    const t = new Float64Array(2 * f.times.length);
    t.set(f.times);
    f.times = t;
  }
  f.cursors.push(c);
  f.times[n] = c.time;
  siftUp(f, n);
}

/** Restores the heap after the cursor at `i` moved on (its time already stored). */
export function heapUpdate(f: Frontier, i: number): void {
  if (siftUp(f, i) !== i) return;
  siftDown(f, i);
}

/** Removes the cursor at `i`. */
export function heapRemove(f: Frontier, i: number): void {
  const h = f.cursors;
  const k = f.times;
  // Bubble the entry to the root regardless of its value, then drop the root.
  while (i > 0) {
    const p = (i - 1) >> 1;
    swap(h, k, p, i);
    i = p;
  }
  const last = h.length - 1;
  swap(h, k, 0, last);
  h.pop();
  siftDown(f, 0);
}

function swap(h: BatchCursor[], k: Float64Array, i: number, j: number): void {
  const c = h[i];
  h[i] = h[j];
  h[j] = c;
  const t = k[i];
  k[i] = k[j];
  k[j] = t;
}

function siftUp(f: Frontier, i: number): number {
  const h = f.cursors;
  const k = f.times;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!(k[p] > k[i])) break;
    swap(h, k, p, i);
    i = p;
  }
  return i;
}

/** Moves the cursor at `i` down while a child is strictly earlier (Go's heap moves). */
export function siftDown(f: Frontier, i: number): void {
  const h = f.cursors;
  const k = f.times;
  const n = h.length;
  if (i >= n) return;
  // The cursor stays in hand while earlier children move up into the hole,
  // and is written once where it stops: the same moves as swapping, with
  // half the stores.
  const c = h[i];
  const t = k[i];
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let m = l;
    let mt = k[l];
    const r = l + 1;
    if (r < n && k[r] < mt) {
      m = r;
      mt = k[r];
    }
    if (!(mt < t)) break;
    h[i] = h[m];
    k[i] = mt;
    i = m;
  }
  h[i] = c;
  k[i] = t;
}

/**
 * Sorts the frontier by time, with Go's (unstable) sort, so that Ms with
 * equal timestamps are tried in the reference's order.
 */
export function sortFrontier(f: Frontier): void {
  sortLikeGo(f.cursors, byTime);
  f.cursors.forEach((c, i) => f.times[i] = c.time);
}

const byTime = (c: BatchCursor) => c.time;
