/**
 * Goroutine timelines: for each goroutine, the list of states it went
 * through, each with when, where (P and M) and why (reason and stack).
 * Memory grows with the number of state changes kept, so a timeline can be
 * restricted to the goroutines of interest.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import type { GoState } from "../events/kinds.ts";
import { GoStateCode } from "../events/kinds.ts";
import { goStateName, Transition } from "./transitions.ts";
import { StackCache } from "./stacks.ts";
import { readAll, type Source } from "./source.ts";

/**
 * One stretch of time a goroutine spent in one state.
 *
 * @example
 * ```ts
 * import { goroutineTimelines, type StateInterval } from "./timeline.ts";
 * const tl = await goroutineTimelines(new URL("../../testdata/demo.trace", import.meta.url));
 * const waits: StateInterval[] = tl[12].filter((iv) => iv.state === "Waiting");
 * console.assert(waits.some((iv) => iv.reason === "sync"));
 * ```
 */
export interface StateInterval {
  /** Goroutine id. */
  goroutine: number;
  /** The state. */
  state: GoState;
  /** When it entered the state (ns). */
  start: number;
  /** When it left it, or the trace end for the state it was last in. */
  end: number;
  /** P of the event that put it there (-1 when none): where it ran or made its syscall. */
  proc: number;
  /** M of that event (-1 when none). */
  thread: number;
  /** Why: the block or stop reason, "" when none was given. */
  reason: string;
  /** The goroutine's stack when it entered the state (where it blocked...), [] when unknown. */
  stack: StackFrame[];
}

/**
 * Which goroutines to keep timelines for, and whether to resolve stacks.
 *
 * @example
 * ```ts
 * import { goroutineTimelines, type TimelineOptions } from "./timeline.ts";
 * const opts: TimelineOptions = { goroutines: [11], stacks: false };
 * const tl = await goroutineTimelines(new URL("../../testdata/demo.trace", import.meta.url), opts);
 * console.assert(Object.keys(tl).join() === "11");
 * ```
 */
export interface TimelineOptions {
  /** Goroutine ids, or a predicate on the id; every goroutine by default. */
  goroutines?: readonly number[] | ((id: number) => boolean);
  /** Resolve each interval's stack (default true). */
  stacks?: boolean;
}

/**
 * Builds goroutine timelines from events fed one by one.
 *
 * @example
 * ```ts
 * import { Timelines } from "./timeline.ts";
 * import { Reader } from "../reader/reader.ts";
 * const tl = new Timelines();
 * const r = await Reader.open(new URL("../../testdata/block-unblock.trace", import.meta.url));
 * for await (const ev of r) tl.event(ev);
 * for (const [id, intervals] of Object.entries(tl.result())) {
 *   console.assert(intervals.every((iv) => iv.goroutine === Number(id) && iv.end >= iv.start));
 * }
 * ```
 */
export class Timelines {
  #keep: (id: number) => boolean;
  #stacks: boolean;
  #cache = new StackCache();
  #tr = new Transition();
  #open = new Map<number, StateInterval>();
  #done = new Map<number, StateInterval[]>();
  #last = 0;

  /**
   * Empty timelines, to be fed events.
   * @param opts which goroutines to keep (all by default)
   */
  constructor(opts: TimelineOptions = {}) {
    const g = opts.goroutines;
    if (g === undefined) this.#keep = () => true;
    else if (typeof g === "function") this.#keep = g;
    else {
      const set = new Set(g);
      this.#keep = (id) => set.has(id);
    }
    this.#stacks = opts.stacks ?? true;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#last = ev.time;
    const tr = this.#tr;
    if (tr.decode(ev) !== "goroutine" || tr.from === tr.to) return;
    const id = tr.id;
    if (!this.#keep(id)) return;
    const t = ev.time;
    const prev = this.#open.get(id);
    if (prev) {
      prev.end = t;
      this.#open.delete(id);
    }
    if (tr.to === GoStateCode.NotExist) return;
    let list = this.#done.get(id);
    if (!list) this.#done.set(id, list = []);
    const iv: StateInterval = {
      goroutine: id,
      state: goStateName(tr.to),
      start: t,
      end: t,
      proc: ev.proc,
      thread: ev.thread,
      reason: tr.reason,
      stack: this.#stacks ? this.#cache.frames(ev.tables, tr.stackId) : [],
    };
    list.push(iv);
    this.#open.set(id, iv);
  }

  /** Timelines by goroutine id; intervals still open end at the last event. */
  result(): Record<number, StateInterval[]> {
    for (const iv of this.#open.values()) iv.end = this.#last;
    const out: Record<number, StateInterval[]> = {};
    for (const id of [...this.#done.keys()].sort((a, b) => a - b)) out[id] = this.#done.get(id)!;
    return out;
  }
}

/**
 * The state of a timeline at time `t`: the interval containing `t` (the
 * later one at a boundary), or null before the first and after the last.
 *
 * @example
 * ```ts
 * import { intervalAt, type StateInterval } from "./timeline.ts";
 * const iv = (state: "Running" | "Waiting", start: number, end: number): StateInterval =>
 *   ({ goroutine: 1, state, start, end, proc: 0, thread: 0, reason: "", stack: [] });
 * const tl = [iv("Running", 10, 20), iv("Waiting", 20, 50)];
 * console.assert(intervalAt(tl, 15)?.state === "Running");
 * console.assert(intervalAt(tl, 20)?.state === "Waiting");
 * console.assert(intervalAt(tl, 5) === null && intervalAt(tl, 51) === null);
 * ```
 */
export function intervalAt(
  timeline: readonly StateInterval[],
  t: number,
): StateInterval | null {
  let lo = 0, hi = timeline.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timeline[mid].start <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const iv = timeline[found];
  return t <= iv.end ? iv : null;
}

/**
 * Reads a trace and returns the timelines of the chosen goroutines.
 *
 * @example
 * ```ts
 * import { goroutineTimelines } from "./timeline.ts";
 * const tl = await goroutineTimelines(new URL("../../testdata/block-unblock.trace", import.meta.url));
 * console.assert(Object.keys(tl).length > 0);
 * ```
 */
export async function goroutineTimelines(
  source: Source,
  opts: TimelineOptions = {},
): Promise<Record<number, StateInterval[]>> {
  const t = new Timelines(opts);
  await readAll(source, (ev) => t.event(ev));
  return t.result();
}
