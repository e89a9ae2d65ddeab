/**
 * The frontier: one cursor per M, kept in a binary min-heap by the time of
 * each cursor's next event. The heap moves are the same as Go's reader's, so
 * that ties between equal timestamps break the same way.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";

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

function siftDown(h: BatchCursor[], i: number): void {
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
 * Sorts the frontier by time. Go uses pdqsort, which for fewer than 13
 * elements is an insertion sort (stable); traces rarely have more Ms with
 * events in one generation, and then ties are broken by the insertion order.
 */
export function sortFrontier(h: BatchCursor[]): void {
  if (h.length <= 12) {
    for (let i = 1; i < h.length; i++) {
      for (let j = i; j > 0 && h[j].time < h[j - 1].time; j--) {
        const t = h[j];
        h[j] = h[j - 1];
        h[j - 1] = t;
      }
    }
    return;
  }
  pdqsort(h);
}

// Go's slices.SortFunc for longer slices (pdqsort) is not stable; reproduce
// it faithfully so equal timestamps order the same way.
import { pdqsort } from "./pdqsort.ts";
