/**
 * Sorting a large frontier. Go's reader uses an unstable pdqsort here; for
 * now frontiers of more than 12 Ms are sorted stably, which can differ from
 * Go only when several of them have the very same timestamp.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";

/** Sorts cursors by the time of their next event. */
export function pdqsort(h: BatchCursor[]): void {
  h.sort((a, b) => a.ev.time - b.ev.time);
}
