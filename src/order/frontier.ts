/**
 * The frontier: one cursor per M, kept in a binary min-heap by the time of
 * each cursor's next event. The heap moves are the same as Go's reader's, so
 * that ties between equal timestamps break the same way.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";
import { sortLikeGo } from "../wire/go_sort.ts";

/** Adds a cursor and sifts it up. */
export function heapInsert(h: BatchCursor[], c: BatchCursor): void {
  h.push(c);
  siftUp(h, h.length - 1);
}

/** Restores the heap after the cursor at `i` moved on. */
export function heapUpdate(h: BatchCursor[], i: number): void {
  if (siftUp(h, i) !== i) return;
  siftDown(h, i);
}

/** Removes the cursor at `i`. */
export function heapRemove(h: BatchCursor[], i: number): void {
  // Bubble the entry to the root regardless of its value, then drop the root.
  while (i > 0) {
    const p = (i - 1) >> 1;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  const last = h.length - 1;
  const t = h[0];
  h[0] = h[last];
  h[last] = t;
  h.pop();
  siftDown(h, 0);
}

function siftUp(h: BatchCursor[], i: number): number {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!(h[p].time > h[i].time)) break;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  return i;
}

/** Moves the cursor at `i` down while a child is strictly earlier (Go's heap moves). */
export function siftDown(h: BatchCursor[], i: number): void {
  const n = h.length;
  for (;;) {
    let m = i;
    let minT = i < n ? h[i].time : Infinity;
    const l = 2 * i + 1;
    const r = l + 1;
    if (l < n && h[l].time < minT) {
      minT = h[l].time;
      m = l;
    }
    if (r < n && h[r].time < minT) m = r;
    if (m === i) return;
    const t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

/**
 * Sorts the frontier by time, with Go's (unstable) sort, so that Ms with
 * equal timestamps are tried in the reference's order.
 */
export function sortFrontier(h: BatchCursor[]): void {
  sortLikeGo(h, byTime);
}

const byTime = (c: BatchCursor) => c.time;
