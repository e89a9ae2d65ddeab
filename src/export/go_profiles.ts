/**
 * The blocking profiles exactly as `go tool trace -pprof=KIND` (Go's
 * cmd/trace) computes them, including its quirks, so that our files equal
 * Go's stack by stack:
 *
 * - Only goroutine state transitions whose event carries a stack are seen
 *   at all; the others (a `GoStart`, a netpoller `GoUnblock` with no stack,
 *   a `GoSyscallEnd`) neither start nor end anything.
 * - A goroutine starts being tracked at a transition into the profile's
 *   state (Waiting with reason "network" for `network`; Waiting with a
 *   reason containing "chan", "sync" or "select" for `sync`; Syscall for
 *   `syscall`; Runnable for `sched`), including a status event at a
 *   generation's start. Further transitions into the same state change
 *   nothing; the first stacked transition into another state ends the
 *   stretch, so a stretch can run on through time the goroutine spent
 *   running.
 * - The stretch is charged to the stack of the event that started it, keyed
 *   by program counters, with a count of one and its duration clipped to the
 *   goroutine's lifetime (from the first time it ran, or the trace's start
 *   if it never did, to its end, or the trace's last event if it did not
 *   end); stretches still open at the end are dropped, and so are those
 *   clipped to nothing.
 * - Lifetimes are those of Go's goroutine summary: a goroutine id used again
 *   keeps only its last lifetime.
 * - A read that failed (the events do not end with the Sync every complete
 *   trace ends with) counts only stretches that ended before the last Sync,
 *   and the trace ends there.
 *
 * Selecting goroutines (by id, or by entry function as the web UI's "name"
 * parameter does) and a time window clip the same way: a stretch counts only
 * its overlap with the selected goroutine's lifetime, cut to the window.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { EV_SYNC, GoStateCode } from "../events/kinds.ts";
import { Ev } from "../wire/spec.ts";
import { type FuncPattern, matchFunc, StackCache } from "../queries/stacks.ts";
import { Transition } from "../queries/transitions.ts";
import type { StackProfile, StackRecord } from "./profiles.ts";

/**
 * The goroutines a profile keeps, as a predicate: all of them when none are
 * given, those listed, or those a predicate accepts.
 *
 * @example
 * ```ts
 * import { goroutineSelector } from "./go_profiles.ts";
 * console.assert(goroutineSelector(undefined)(7) && goroutineSelector([1, 7])(7));
 * console.assert(!goroutineSelector([1])(7) && goroutineSelector((g) => g > 5)(7));
 * ```
 */
export function goroutineSelector(
  goroutines: readonly number[] | ((id: number) => boolean) | undefined,
): (id: number) => boolean {
  if (goroutines === undefined) return () => true;
  if (typeof goroutines === "function") return goroutines;
  const set = new Set(goroutines);
  return (id) => set.has(id);
}

/**
 * The profiles `go tool trace -pprof` writes, by our names (Go's `net` is
 * our `network`).
 *
 * @example
 * ```ts
 * import type { GoProfileKind } from "./go_profiles.ts";
 * const k: GoProfileKind = "network";
 * console.assert(k === "network");
 * ```
 */
export type GoProfileKind = "network" | "sync" | "syscall" | "sched";

/**
 * What to profile, under Go's rules.
 *
 * @example
 * ```ts
 * import type { GoProfileOptions } from "./go_profiles.ts";
 * const o: GoProfileOptions = { kind: "sync", goroutineName: "main.worker", from: 0, to: 1e9 };
 * console.assert(o.kind === "sync");
 * ```
 */
export interface GoProfileOptions {
  /** Which profile. */
  kind: GoProfileKind;
  /** Only these goroutines (ids, or a predicate on the id). */
  goroutines?: readonly number[] | ((id: number) => boolean);
  /** Only goroutines whose entry function (outermost frame) is this name. */
  goroutineName?: string;
  /** Window start (ns): each lifetime is cut to the window. */
  from?: number;
  /** Window end (ns). */
  to?: number;
  /** Only stacks with a frame whose function matches (ours; Go has no such filter). */
  func?: FuncPattern;
}

/** Which state a kind tracks, and for Waiting which reasons. */
const STATE: Record<GoProfileKind, number> = {
  network: GoStateCode.Waiting,
  sync: GoStateCode.Waiting,
  syscall: GoStateCode.Syscall,
  sched: GoStateCode.Runnable,
};

function tracksReason(kind: GoProfileKind, reason: string): boolean {
  if (kind === "network") return reason === "network";
  if (kind === "sync") {
    return reason.includes("chan") || reason.includes("sync") || reason.includes("select");
  }
  return true;
}

/** One goroutine's lifetime as Go's summary has it (0 = unset); `n` numbers reuses of its id. */
interface Life {
  start: number;
  end: number;
  name: string;
  n: number;
}

/** Counts and clipped delays by record, of one lifetime of a goroutine id. */
interface Sums {
  n: number;
  epoch: number;
  count: Map<number, number>;
  value: Map<number, number>;
}

/** The stack Go's summary names a goroutine by: the transition's own, not always the event's. */
function transitionStackId(ev: Event): number {
  switch (ev.type) {
    case Ev.GoCreate:
    case Ev.GoCreateBlocked:
      return ev.a1;
    case Ev.GoStop:
    case Ev.GoBlock:
    case Ev.GoSyscallBegin:
      return ev.stackId;
    default:
      // GoDestroy, GoSyscallEnd(Blocked) would pass the event's stack, but carry none.
      return 0;
  }
}

/**
 * Go's blocking profile of one kind, from events fed one by one.
 *
 * @example
 * ```ts
 * import { GoProfileAnalysis } from "./go_profiles.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new GoProfileAnalysis({ kind: "sync" });
 * const r = await Reader.open(new URL("../../testdata/block-unblock.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const p = a.result();
 * console.assert(p.kind === "sync" && p.value === p.records.reduce((n, r) => n + r.value, 0));
 * ```
 */
export class GoProfileAnalysis {
  readonly #kind: GoProfileKind;
  readonly #state: number;
  readonly #keepG: (id: number) => boolean;
  readonly #name: string | undefined;
  readonly #func: FuncPattern | undefined;
  readonly #from: number;
  readonly #to: number;
  #tr = new Transition();
  #cache = new StackCache();
  /** Tracked goroutines: start time and record index. */
  #tracking = new Map<number, { start: number; rec: number }>();
  /** Stretches already clipped, by goroutine id and lifetime; see #close. */
  #sums = new Map<number, Sums[]>();
  /** Other closed stretches, clipped once lifetimes are known. */
  #sg: number[] = [];
  #ss: number[] = [];
  #se: number[] = [];
  #sr: number[] = [];
  #sEpoch: number[] = [];
  /** Stacks by content (program counters), and their record indices. */
  #recIndex = new Map<string, number>();
  #keyOf = new Map<StackFrame[], number>();
  #stacks: StackFrame[][] = [];
  #lives = new Map<number, Life>();
  #last = 0;
  /** Syncs seen, and the time of the last; whether the last event was one. */
  #epoch = 0;
  #lastSync = 0;
  #endsWithSync = false;
  #done: StackProfile | null = null;

  /**
   * A profile of one kind, with its selection.
   * @param opts the kind and selection
   */
  constructor(opts: GoProfileOptions) {
    if (!(opts.kind in STATE)) {
      throw new RangeError(`not a profile of go tool trace: ${JSON.stringify(opts.kind)}`);
    }
    this.#kind = opts.kind;
    this.#state = STATE[opts.kind];
    this.#keepG = goroutineSelector(opts.goroutines);
    this.#name = opts.goroutineName;
    this.#func = opts.func;
    this.#from = opts.from ?? -Infinity;
    this.#to = opts.to ?? Infinity;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    const t = ev.time;
    this.#last = t;
    this.#endsWithSync = ev.type === EV_SYNC;
    if (this.#endsWithSync) {
      this.#epoch++;
      this.#lastSync = t;
      return;
    }
    const tr = this.#tr;
    if (tr.decode(ev) !== "goroutine") return;
    const id = tr.id;
    this.#summarize(ev, id, tr.from, tr.to, t);
    const stackId = ev.stackId;
    if (stackId === 0) return;
    const open = this.#tracking.get(id);
    if (open === undefined) {
      if (tr.to === this.#state && tracksReason(this.#kind, tr.reason)) {
        this.#tracking.set(id, { start: t, rec: this.#record(ev, stackId) });
      }
      return;
    }
    if (tr.to === this.#state) return;
    this.#tracking.delete(id);
    this.#close(id, open.start, t, open.rec);
  }

  /**
   * Clips a stretch now when its goroutine's last lifetime is sure to hold
   * it whole: it began after the goroutine first ran, and the goroutine has
   * not ended. A later reuse of the id replaces the lifetime with one that
   * either never ran (Go then clips to [0, end]: the stretch stays whole) or
   * starts after the stretch (nothing left); `result` picks between the two.
   * Other stretches, a few per goroutine, wait for the end.
   */
  #close(id: number, start: number, end: number, rec: number): void {
    const g = this.#lives.get(id);
    if (g === undefined || g.start === 0 || start < g.start || g.end !== 0) {
      this.#sg.push(id);
      this.#ss.push(start);
      this.#se.push(end);
      this.#sr.push(rec);
      this.#sEpoch.push(this.#epoch);
      return;
    }
    const d = Math.min(end, this.#to) - Math.max(start, this.#from);
    if (d <= 0) return;
    let list = this.#sums.get(id);
    if (list === undefined) this.#sums.set(id, list = []);
    let sums = list[list.length - 1];
    if (sums === undefined || sums.n !== g.n || sums.epoch !== this.#epoch) {
      list.push(sums = { n: g.n, epoch: this.#epoch, count: new Map(), value: new Map() });
    }
    sums.count.set(rec, (sums.count.get(rec) ?? 0) + 1);
    sums.value.set(rec, (sums.value.get(rec) ?? 0) + d);
  }

  /** Lifetimes and names, as Go's goroutine summary keeps them. */
  #summarize(ev: Event, id: number, from: number, to: number, t: number): void {
    if (from === to) return;
    let g = this.#lives.get(id);
    if (from === GoStateCode.Undetermined || from === GoStateCode.NotExist || g === undefined) {
      g = { start: 0, end: 0, name: "", n: (g?.n ?? 0) + 1 };
      this.#lives.set(id, g);
    }
    if (g.name === "") {
      const frames = this.#cache.frames(ev.tables, transitionStackId(ev));
      if (frames.length) g.name = frames[frames.length - 1].func;
    }
    if (to === GoStateCode.Running) {
      if (g.start === 0) g.start = t;
    } else if (
      to === GoStateCode.NotExist || (to === GoStateCode.Waiting && this.#tr.reason === "forever")
    ) {
      g.end = t;
    }
  }

  #record(ev: Event, stackId: number): number {
    const frames = this.#cache.frames(ev.tables, stackId);
    let i = this.#keyOf.get(frames);
    if (i === undefined) {
      // The same stack has another id in each generation: Go merges by program counters.
      const key = frames.map((f) => f.pc).join(",");
      i = this.#recIndex.get(key);
      if (i === undefined) {
        i = this.#stacks.length;
        this.#stacks.push(frames);
        this.#recIndex.set(key, i);
      }
      this.#keyOf.set(frames, i);
    }
    return i;
  }

  /** The profile. Finalizes. */
  result(): StackProfile {
    if (this.#done) return this.#done;
    // A read that failed keeps, as Go's does, only the events up to the last
    // Sync (a complete trace ends with one); lifetimes still see them all.
    const cut = this.#endsWithSync ? Infinity : this.#epoch;
    const end = this.#endsWithSync ? this.#last : this.#lastSync;
    // Each selected goroutine's lifetime, cut to the window; absent means not selected.
    const spans = new Map<number, [number, number]>();
    for (const [id, g] of this.#lives) {
      if (!this.#keepG(id) || (this.#name !== undefined && g.name !== this.#name)) continue;
      spans.set(id, [Math.max(g.start, this.#from), Math.min(g.end || end, this.#to)]);
    }
    const counts = new Array<number>(this.#stacks.length).fill(0);
    const values = new Array<number>(this.#stacks.length).fill(0);
    for (const [id, list] of this.#sums) {
      const g = this.#lives.get(id)!;
      if (!spans.has(id)) continue;
      for (const sums of list) {
        if ((sums.n !== g.n && g.start !== 0) || sums.epoch >= cut) continue;
        for (const [rec, c] of sums.count) counts[rec] += c;
        for (const [rec, v] of sums.value) values[rec] += v;
      }
    }
    for (let i = 0; i < this.#sg.length; i++) {
      const span = spans.get(this.#sg[i]);
      if (span === undefined || this.#sEpoch[i] >= cut) continue;
      const d = Math.min(span[1], this.#se[i]) - Math.max(span[0], this.#ss[i]);
      if (d > 0) {
        counts[this.#sr[i]]++;
        values[this.#sr[i]] += d;
      }
    }
    const records: StackRecord[] = [];
    let count = 0, value = 0;
    for (let i = 0; i < this.#stacks.length; i++) {
      if (counts[i] === 0) continue;
      const stack = this.#stacks[i];
      const pattern = this.#func;
      if (pattern !== undefined && !stack.some((f) => matchFunc(f.func, pattern))) continue;
      records.push({ stack, count: counts[i], value: values[i] });
      count += counts[i];
      value += values[i];
    }
    records.sort((a, b) => b.value - a.value || b.count - a.count);
    this.#done = { kind: this.#kind, unit: "nanoseconds", records, count, value };
    return this.#done;
  }
}
