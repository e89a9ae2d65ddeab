/**
 * The goroutine table: one row per goroutine (identity, lifetime, final
 * state, creator, labels, what it blocked on, which functions, regions and
 * tasks it went through, and optionally its timeline), plus filters that
 * compose.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { type GoState, GoStateCode } from "../events/kinds.ts";
import { Ev } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { goStateName, Transition } from "./transitions.ts";
import { type FuncPattern, matchFunc, StackCache } from "./stacks.ts";
import { intervalAt, type StateInterval, Timelines } from "./timeline.ts";
import { readAll, type Source } from "./source.ts";

/**
 * One goroutine of the trace.
 *
 * @example
 * ```ts
 * import { goroutines, type GoroutineInfo } from "./goroutines.ts";
 * const gs: GoroutineInfo[] = await goroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * const worker = gs.find((g) => g.labels.includes("GC (dedicated)"));
 * console.assert(worker !== undefined && worker.id === 20);
 * ```
 */
export interface GoroutineInfo {
  /** Goroutine id. */
  id: number;
  /** Entry function: outermost frame of its creation stack, or of any stack seen; "" when unknown. */
  name: string;
  /** When it was created; null when it existed before the trace. */
  creationTime: number | null;
  /** When it first ran; null if it never ran in the trace. */
  startTime: number | null;
  /** When it exited; null if it did not. */
  endTime: number | null;
  /** When the trace first mentioned it. */
  firstSeen: number;
  /** State at the end of the trace ("NotExist" once exited). */
  state: GoState;
  /** Goroutine that created it, -1 when unknown (existing before the trace, or created by no goroutine). */
  creator: number;
  /** Where it was created: the creating goroutine's stack at the `go` statement; [] when unknown. */
  creationStack: StackFrame[];
  /** Labels set on it (GC workers label themselves), in order. */
  labels: string[];
  /** Distinct reasons it blocked on, in order first seen. */
  blockReasons: string[];
  /** Every function in any of its stacks, sorted. */
  functions: string[];
  /** Distinct names of the user regions it ran, in order first seen. */
  regions: string[];
  /** Tasks it took part in (began, ended, logged in or ran a region of), ascending. */
  tasks: number[];
  /** Its state intervals (empty when the table was built without timelines). */
  timeline: StateInterval[];
}

/**
 * Options of {@link GoroutineTable}.
 *
 * @example
 * ```ts
 * import { goroutines, type GoroutineTableOptions } from "./goroutines.ts";
 * const light: GoroutineTableOptions = { timelines: false };
 * const gs = await goroutines(new URL("../../testdata/demo.trace", import.meta.url), light);
 * console.assert(gs.every((g) => g.timeline.length === 0));
 * ```
 */
export interface GoroutineTableOptions {
  /** Keep each goroutine's timeline (default true; memory grows with state changes). */
  timelines?: boolean;
}

interface Row {
  info: GoroutineInfo;
  stacks: Set<StackFrame[]>;
  reasons: Set<string>;
  regions: Set<string>;
  tasks: Set<number>;
  // Stack ids lately added in the generation of `seenTables` (by id mod 8):
  // a goroutine meets the same few stacks millions of times.
  seenTables: GenTables | null;
  seen: Float64Array;
  lastReason: string | null; // of its last block: most are the same again
}

/**
 * Builds the goroutine table from events fed one by one.
 *
 * @example
 * ```ts
 * import { GoroutineTable } from "./goroutines.ts";
 * import { Reader } from "../reader/reader.ts";
 * const table = new GoroutineTable();
 * const r = await Reader.open(new URL("../../testdata/goroutine-lifecycle.trace", import.meta.url));
 * for await (const ev of r) table.event(ev);
 * const gs = table.result();
 * console.assert(gs.length > 0 && gs.every((g) => g.id >= 0));
 * ```
 */
export class GoroutineTable {
  #rows = new Map<number, Row>();
  #tr = new Transition();
  #cache = new StackCache();
  #timelines: Timelines | null;

  /**
   * An empty table, to be fed events.
   * @param opts whether to keep timelines
   */
  constructor(opts: GoroutineTableOptions = {}) {
    this.#timelines = opts.timelines ?? true ? new Timelines() : null;
  }

  // Rows looked up lately, by id modulo 256 (an index, not a hash, per event).
  #recent: (Row | undefined)[] = new Array(256).fill(undefined);

  #row(id: number, t: number): Row {
    const hit = this.#recent[id & 255];
    if (hit !== undefined && hit.info.id === id) return hit;
    let row = this.#rows.get(id);
    if (!row) {
      row = {
        info: {
          id,
          name: "",
          creationTime: null,
          startTime: null,
          endTime: null,
          firstSeen: t,
          state: "Undetermined",
          creator: -1,
          creationStack: [],
          labels: [],
          blockReasons: [],
          functions: [],
          regions: [],
          tasks: [],
          timeline: [],
        },
        stacks: new Set(),
        reasons: new Set(),
        regions: new Set(),
        tasks: new Set(),
        seenTables: null,
        seen: new Float64Array(8),
        lastReason: null,
      };
      this.#rows.set(id, row);
    }
    this.#recent[id & 255] = row;
    return row;
  }

  // Block reasons by string id, for the current generation's tables.
  #reasonTables: GenTables | null = null;
  #reasons: string[] = [];
  #reason(ev: Event): string {
    if (ev.tables !== this.#reasonTables) {
      this.#reasonTables = ev.tables;
      this.#reasons = [];
    }
    return this.#reasons[ev.a0] ??= ev.tables?.string(ev.a0) ?? "";
  }

  #blocked(row: Row, reason: string): void {
    if (reason !== row.lastReason && !row.reasons.has(reason)) {
      row.reasons.add(reason);
      row.info.blockReasons.push(reason);
    }
    row.lastReason = reason;
  }

  #addStack(row: Row, ev: Event, id: number): void {
    if (id === 0) return;
    if (row.seenTables !== ev.tables) {
      row.seenTables = ev.tables;
      row.seen.fill(0);
    }
    if (row.seen[id & 7] === id) return; // added already, name and all
    row.seen[id & 7] = id;
    const frames = this.#cache.frames(ev.tables, id);
    if (frames.length === 0) return;
    row.stacks.add(frames);
    if (row.info.name === "") row.info.name = frames[frames.length - 1].func;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#timelines?.event(ev);
    const t = ev.time;
    const type = ev.type;
    // The scheduling events that make up most of a trace, as below minus
    // what cannot apply (a GoStart has no stack of its own).
    if (type === Ev.GoStart) {
      const g = this.#row(ev.a0, t).info;
      if (g.startTime === null) g.startTime = t;
      g.state = "Running";
      return;
    }
    if (type === Ev.GoUnblock) {
      if (ev.goroutine >= 0 && ev.a2 !== 0) this.#addStack(this.#row(ev.goroutine, t), ev, ev.a2);
      this.#row(ev.a0, t).info.state = "Runnable";
      return;
    }
    if (ev.goroutine >= 0) {
      if (type === Ev.GoBlock) {
        const row = this.#row(ev.goroutine, t);
        if (ev.a1 !== 0) this.#addStack(row, ev, ev.a1);
        this.#blocked(row, this.#reason(ev));
        row.info.state = "Waiting";
        return;
      }
      if (type === Ev.GoSyscallBegin) {
        const row = this.#row(ev.goroutine, t);
        if (ev.a1 !== 0) this.#addStack(row, ev, ev.a1);
        row.info.state = "Syscall";
        return;
      }
      if (type === Ev.GoSyscallEnd) {
        const g = this.#row(ev.goroutine, t).info;
        if (g.startTime === null) g.startTime = t;
        g.state = "Running";
        return;
      }
    }
    // The event's own stack belongs to the goroutine it happened on; a
    // GoStatusStack's stack is the described goroutine's (handled below).
    if (ev.goroutine >= 0 && type !== Ev.GoStatusStack) {
      const sid = ev.stackId;
      if (sid !== 0) this.#addStack(this.#row(ev.goroutine, t), ev, sid);
    }
    const tr = this.#tr;
    if (tr.decode(ev) === "goroutine") {
      const row = this.#row(tr.id, t);
      const g = row.info;
      if (tr.from === GoStateCode.NotExist) {
        g.creationTime = t;
        if (type === Ev.GoCreate || type === Ev.GoCreateBlocked) {
          g.creator = ev.goroutine;
          g.creationStack = this.#cache.frames(ev.tables, ev.a2);
          // The new goroutine's own stack: its entry function is the outermost frame.
          const own = this.#cache.frames(ev.tables, ev.a1);
          if (own.length) {
            row.stacks.add(own);
            g.name = own[own.length - 1].func;
          }
        }
      } else if (type === Ev.GoStatusStack) this.#addStack(row, ev, tr.stackId);
      if (tr.to === GoStateCode.Running && g.startTime === null) g.startTime = t;
      if (tr.to === GoStateCode.NotExist) g.endTime = t;
      if (tr.to === GoStateCode.Waiting && tr.from !== GoStateCode.Waiting) {
        this.#blocked(row, type === Ev.GoBlock ? this.#reason(ev) : "");
      }
      g.state = goStateName(tr.to);
      return;
    }
    switch (type) {
      case Ev.GoLabel:
        this.#row(ev.goroutine, t).info.labels.push(ev.label().label);
        return;
      case Ev.UserRegionBegin:
      case Ev.UserRegionEnd: {
        if (ev.goroutine < 0) return;
        const row = this.#row(ev.goroutine, t);
        const r = ev.region();
        if (!row.regions.has(r.type)) {
          row.regions.add(r.type);
          row.info.regions.push(r.type);
        }
        row.tasks.add(r.task);
        return;
      }
      case Ev.UserTaskBegin:
      case Ev.UserTaskEnd:
      case Ev.UserLog:
        if (ev.goroutine >= 0) this.#row(ev.goroutine, t).tasks.add(ev.a0);
        return;
    }
  }

  /** Every goroutine, sorted by id. */
  result(): GoroutineInfo[] {
    const timelines = this.#timelines?.result() ?? {};
    const ids = [...this.#rows.keys()].sort((a, b) => a - b);
    return ids.map((id) => {
      const row = this.#rows.get(id)!;
      const funcs = new Set<string>();
      for (const frames of row.stacks) for (const f of frames) funcs.add(f.func);
      return {
        ...row.info,
        labels: row.info.labels.slice(),
        blockReasons: row.info.blockReasons.slice(),
        regions: row.info.regions.slice(),
        functions: [...funcs].sort(),
        tasks: [...row.tasks].sort((a, b) => a - b),
        timeline: timelines[id] ?? [],
      };
    });
  }
}

/**
 * A test on a goroutine; filters compose with {@link allOf}, {@link anyOf}, {@link not}.
 *
 * @example
 * ```ts
 * import { filterGoroutines, type GoroutineFilter, type GoroutineInfo } from "./goroutines.ts";
 * const longLived: GoroutineFilter = (g) => g.endTime === null;
 * const gs = [{ id: 1, endTime: null }, { id: 2, endTime: 50 }] as GoroutineInfo[];
 * console.assert(filterGoroutines(gs, longLived).length === 1);
 * ```
 */
export type GoroutineFilter = (g: GoroutineInfo) => boolean;

/**
 * Goroutines passing every filter.
 *
 * @example
 * ```ts
 * import { byEntry, byId, filterGoroutines, type GoroutineInfo } from "./goroutines.ts";
 * const g = (id: number, name: string) => ({ id, name } as GoroutineInfo);
 * const gs = [g(1, "main.main"), g(2, "main.worker"), g(3, "main.worker")];
 * const out = filterGoroutines(gs, byEntry("main.worker"), byId(3, 4));
 * console.assert(out.length === 1 && out[0].id === 3);
 * ```
 */
export function filterGoroutines(
  goroutines: readonly GoroutineInfo[],
  ...filters: GoroutineFilter[]
): GoroutineInfo[] {
  return goroutines.filter((g) => filters.every((f) => f(g)));
}

/**
 * Goroutines with one of these ids.
 *
 * @example
 * ```ts
 * import { byId, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(byId(1, 2)({ id: 2 } as GoroutineInfo));
 * ```
 */
export function byId(...ids: number[]): GoroutineFilter {
  const set = new Set(ids);
  return (g) => set.has(g.id);
}

/**
 * The state of a goroutine at time `t`, from its timeline: "NotExist"
 * before its creation and after its end, "Undetermined" when the timeline
 * does not say (before it was first seen, or a table without timelines).
 *
 * @example
 * ```ts
 * import { stateAt, type GoroutineInfo } from "./goroutines.ts";
 * const g = { creationTime: 5, endTime: 30, timeline: [
 *   { goroutine: 1, state: "Runnable", start: 5, end: 10, proc: -1, thread: -1, reason: "", stack: [] },
 *   { goroutine: 1, state: "Running", start: 10, end: 30, proc: 0, thread: 0, reason: "", stack: [] },
 * ] } as unknown as GoroutineInfo;
 * console.assert(stateAt(g, 1) === "NotExist" && stateAt(g, 7) === "Runnable");
 * console.assert(stateAt(g, 12) === "Running" && stateAt(g, 31) === "NotExist");
 * ```
 */
export function stateAt(g: GoroutineInfo, t: number): GoState {
  if (g.creationTime !== null && t < g.creationTime) return "NotExist";
  if (g.endTime !== null && t >= g.endTime) return "NotExist";
  return intervalAt(g.timeline, t)?.state ?? "Undetermined";
}

/**
 * Goroutines in `state` at time `t` (needs timelines).
 *
 * @example
 * ```ts
 * import { byStateAt, type GoroutineInfo } from "./goroutines.ts";
 * const g = { creationTime: null, endTime: null, timeline: [
 *   { goroutine: 1, state: "Waiting", start: 0, end: 100, proc: -1, thread: -1, reason: "sleep", stack: [] },
 * ] } as unknown as GoroutineInfo;
 * console.assert(byStateAt("Waiting", 50)(g) && !byStateAt("Running", 50)(g));
 * ```
 */
export function byStateAt(state: GoState, t: number): GoroutineFilter {
  return (g) => stateAt(g, t) === state;
}

/**
 * Goroutines whose entry function matches.
 *
 * @example
 * ```ts
 * import { byEntry, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(byEntry(/^main\./)({ name: "main.worker" } as GoroutineInfo));
 * ```
 */
export function byEntry(pattern: FuncPattern): GoroutineFilter {
  return (g) => matchFunc(g.name, pattern);
}

/**
 * Goroutines with a matching function anywhere in their stacks (entry function included).
 *
 * @example
 * ```ts
 * import { byFunction, type GoroutineInfo } from "./goroutines.ts";
 * const g = { name: "main.main", functions: ["main.main", "os.(*File).Read"] } as GoroutineInfo;
 * console.assert(byFunction("os.(*File).Read")(g) && !byFunction(/net/)(g));
 * ```
 */
export function byFunction(pattern: FuncPattern): GoroutineFilter {
  return (g) => matchFunc(g.name, pattern) || g.functions.some((f) => matchFunc(f, pattern));
}

/**
 * Goroutines alive at some point of `[start, end]` (existing before the trace counts as alive from the start).
 *
 * @example
 * ```ts
 * import { byWindow, type GoroutineInfo } from "./goroutines.ts";
 * const g = { creationTime: 100, endTime: 200 } as GoroutineInfo;
 * console.assert(byWindow(150, 300)(g) && !byWindow(0, 99)(g) && !byWindow(201, 300)(g));
 * ```
 */
export function byWindow(start: number, end: number): GoroutineFilter {
  return (g) => (g.creationTime ?? -Infinity) <= end && (g.endTime ?? Infinity) >= start;
}

/**
 * Goroutines that blocked for a matching reason ("chan receive", /sync/...).
 *
 * @example
 * ```ts
 * import { byBlockReason, type GoroutineInfo } from "./goroutines.ts";
 * const g = { blockReasons: ["chan receive", "sleep"] } as GoroutineInfo;
 * console.assert(byBlockReason("sleep")(g) && byBlockReason(/chan/)(g) && !byBlockReason("select")(g));
 * ```
 */
export function byBlockReason(reason: string | RegExp): GoroutineFilter {
  return (g) => g.blockReasons.some((r) => matchFunc(r, reason));
}

/**
 * Goroutines that ran a region with a matching name.
 *
 * @example
 * ```ts
 * import { byRegion, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(byRegion(/^fetch/)({ regions: ["fetchURL"] } as GoroutineInfo));
 * ```
 */
export function byRegion(name: string | RegExp): GoroutineFilter {
  return (g) => g.regions.some((r) => matchFunc(r, name));
}

/**
 * Goroutines that took part in one of these tasks.
 *
 * @example
 * ```ts
 * import { byTask, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(byTask(7)({ tasks: [0, 7] } as GoroutineInfo) && !byTask(8)({ tasks: [7] } as GoroutineInfo));
 * ```
 */
export function byTask(...ids: number[]): GoroutineFilter {
  return (g) => ids.some((id) => g.tasks.includes(id));
}

/**
 * Goroutines with a matching label.
 *
 * @example
 * ```ts
 * import { byLabel, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(byLabel(/^GC /)({ labels: ["GC (dedicated)"] } as GoroutineInfo));
 * ```
 */
export function byLabel(label: string | RegExp): GoroutineFilter {
  return (g) => g.labels.some((l) => matchFunc(l, label));
}

/**
 * Passes when every filter passes.
 *
 * @example
 * ```ts
 * import { allOf, byId, byEntry, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(allOf(byId(1), byEntry("main.main"))({ id: 1, name: "main.main" } as GoroutineInfo));
 * ```
 */
export function allOf(...filters: GoroutineFilter[]): GoroutineFilter {
  return (g) => filters.every((f) => f(g));
}

/**
 * Passes when any filter passes.
 *
 * @example
 * ```ts
 * import { anyOf, byId, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(anyOf(byId(1), byId(2))({ id: 2 } as GoroutineInfo));
 * ```
 */
export function anyOf(...filters: GoroutineFilter[]): GoroutineFilter {
  return (g) => filters.some((f) => f(g));
}

/**
 * Passes when the filter does not.
 *
 * @example
 * ```ts
 * import { byEntry, not, type GoroutineInfo } from "./goroutines.ts";
 * console.assert(not(byEntry(/^runtime\./))({ name: "main.main" } as GoroutineInfo));
 * ```
 */
export function not(filter: GoroutineFilter): GoroutineFilter {
  return (g) => !filter(g);
}

/**
 * Reads a trace and returns its goroutine table.
 *
 * @example
 * ```ts
 * import { byBlockReason, filterGoroutines, goroutines } from "./goroutines.ts";
 * const gs = await goroutines(new URL("../../testdata/block-unblock.trace", import.meta.url));
 * console.assert(filterGoroutines(gs, byBlockReason(/./)).length > 0);
 * ```
 */
export async function goroutines(
  source: Source,
  opts: GoroutineTableOptions = {},
): Promise<GoroutineInfo[]> {
  const t = new GoroutineTable(opts);
  await readAll(source, (ev) => t.event(ev));
  return t.result();
}
