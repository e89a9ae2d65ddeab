/**
 * The journal: the entries one advance touched, as they were before it, so
 * that what the advance changed can be read off the state before and after
 * instead of being restated per event type. Kept only when asked for (the
 * stepper); the reader's engine keeps none.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import type { GcState, GoEntry, ProcEntry, ThreadEntry } from "./state.ts";

/**
 * The state one advance started from, for the entries it touched.
 *
 * @example
 * ```ts
 * import type { Touched } from "./journal.ts";
 * const gcBefore = (t: Touched) => t.gcSeq;
 * console.assert(typeof gcBefore === "function");
 * ```
 */
export interface Touched {
  /** The first event the advance placed. */
  first: Event;
  /** Goroutines touched, in the order the rule looked them up: null if absent before. */
  gs: Map<number, GoEntry | null>;
  /** Ps touched: null if absent before. */
  ps: Map<number, ProcEntry | null>;
  /** Threads touched: null if absent before. */
  ms: Map<number, ThreadEntry | null>;
  /** GC sequence number before. */
  gcSeq: number;
  /** GC state before. */
  gcState: GcState;
}

/**
 * Records, for each advance, the entries its rule looked up before it
 * changed them; the last advance that placed events is kept in `last`.
 *
 * @example
 * ```ts
 * import { Journal } from "./journal.ts";
 * const j = new Journal();
 * j.begin(0, 0);
 * j.noteG(7, undefined);
 * console.assert(j.last === null);
 * ```
 */
export class Journal {
  // Each advance notes into `#cur` (short arrays: an advance touches a few
  // entries); a commit swaps it with `#done`, so stepping allocates no maps.
  // The Maps of `last` are made only when asked for.
  #cur: Notes = notes();
  #done: Notes = notes();
  #last: Touched | null = null;
  #has = false;

  /** The last advance that placed events, as it found its entries; null before any. */
  get last(): Touched | null {
    if (!this.#has) return null;
    if (this.#last === null) {
      const d = this.#done;
      this.#last = {
        first: d.first!,
        gs: new Map(d.gIds.slice(0, d.gN).map((id, i) => [id, d.gVals[i]])),
        ps: new Map(d.pIds.slice(0, d.pN).map((id, i) => [id, d.pVals[i]])),
        ms: new Map(d.mIds.slice(0, d.mN).map((id, i) => [id, d.mVals[i]])),
        gcSeq: d.gcSeq,
        gcState: d.gcState,
      };
    }
    return this.#last;
  }

  /** Starts noting an advance, with the GC state it starts from. */
  begin(gcSeq: number, gcState: GcState): void {
    const c = this.#cur;
    // Counts, not array lengths: shortening an array is slow in V8.
    c.gN = c.pN = c.mN = 0;
    c.gcSeq = gcSeq;
    c.gcState = gcState;
  }

  /** Notes goroutine `id` as it was before the rule first touched it. */
  noteG(id: number, s: GoEntry | undefined): void {
    const c = this.#cur;
    const n = c.gN;
    for (let i = 0; i < n; i++) if (c.gIds[i] === id) return;
    c.gIds[n] = id;
    c.gVals[n] = s ? { ...s } : null;
    c.gN = n + 1;
  }

  /** Notes P `id` as it was before the rule first touched it. */
  noteP(id: number, s: ProcEntry | undefined): void {
    const c = this.#cur;
    const n = c.pN;
    for (let i = 0; i < n; i++) if (c.pIds[i] === id) return;
    c.pIds[n] = id;
    c.pVals[n] = s ? { ...s } : null;
    c.pN = n + 1;
  }

  /** Notes thread `id` as it was before the rule first touched it. */
  noteM(id: number, s: ThreadEntry | undefined): void {
    const c = this.#cur;
    const n = c.mN;
    for (let i = 0; i < n; i++) if (c.mIds[i] === id) return;
    c.mIds[n] = id;
    c.mVals[n] = s ? { ...s } : null;
    c.mN = n + 1;
  }

  /** Keeps the advance just noted as {@link last}; `first` is the first event it placed. */
  commit(first: Event): void {
    const d = this.#done;
    this.#done = this.#cur;
    this.#cur = d;
    this.#done.first = first;
    this.#last = null;
    this.#has = true;
  }
}

// What one advance noted, in parallel arrays.
interface Notes {
  first: Event | null;
  // Entries in use of the arrays below (which keep their length).
  gN: number;
  pN: number;
  mN: number;
  gIds: number[];
  gVals: (GoEntry | null)[];
  pIds: number[];
  pVals: (ProcEntry | null)[];
  mIds: number[];
  mVals: (ThreadEntry | null)[];
  gcSeq: number;
  gcState: GcState;
}

function notes(): Notes {
  return {
    first: null,
    gN: 0,
    pN: 0,
    mN: 0,
    gIds: [],
    gVals: [],
    pIds: [],
    pVals: [],
    mIds: [],
    mVals: [],
    gcSeq: 0,
    gcState: 0 as GcState,
  };
}
