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
  /** What the last advance that placed events touched, as it was before. */
  last: Touched | null = null;
  #gs = new Map<number, GoEntry | null>();
  #ps = new Map<number, ProcEntry | null>();
  #ms = new Map<number, ThreadEntry | null>();
  #gcSeq = 0;
  #gcState: GcState = 0;

  /** Starts recording an advance, with the GC state before it. */
  begin(gcSeq: number, gcState: GcState): void {
    this.#gs.clear();
    this.#ps.clear();
    this.#ms.clear();
    this.#gcSeq = gcSeq;
    this.#gcState = gcState;
  }

  /** Notes goroutine `id` as it is before the rule changes it (the first look-up counts). */
  noteG(id: number, s: GoEntry | undefined): void {
    if (!this.#gs.has(id)) this.#gs.set(id, s ? { ...s } : null);
  }

  /** Notes P `id` as it is before the rule changes it. */
  noteP(id: number, s: ProcEntry | undefined): void {
    if (!this.#ps.has(id)) this.#ps.set(id, s ? { ...s } : null);
  }

  /** Notes thread `id` as it is before the rule changes it. */
  noteM(id: number, s: ThreadEntry | undefined): void {
    if (!this.#ms.has(id)) this.#ms.set(id, s ? { ...s } : null);
  }

  /** The advance placed events, `first` the first of them: keep what it touched. */
  commit(first: Event): void {
    this.last = {
      first,
      gs: new Map(this.#gs),
      ps: new Map(this.#ps),
      ms: new Map(this.#ms),
      gcSeq: this.#gcSeq,
      gcState: this.#gcState,
    };
  }
}
