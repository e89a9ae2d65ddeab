/**
 * Goroutine analysis: the per-goroutine time breakdown of `go tool trace`
 * (execution, scheduling wait, blocking by reason, syscalls, named ranges,
 * regions) and the user task summary, computed in one pass with the same
 * accounting rules as Go's `internal/trace` summarizer, so the figures are
 * the reference's to the nanosecond.
 *
 * Accounting rules worth knowing (they are the reference's):
 * - a goroutine first seen mid-state (at the trace start) is "created" at
 *   the time of the last Sync; its name is the outermost frame of the first
 *   transition stack seen for it, so goroutines never seen with a stack stay
 *   unnamed ("");
 * - `totalTime` runs from creation to the goroutine's end, or to the last
 *   event of the trace (the final Sync) for goroutines still alive;
 * - a syscall is "blocked" from the moment its P goes idle (stolen or
 *   handed off); a syscall still blocked at trace end counts that last
 *   stretch as scheduling wait;
 * - a block with reason "forever" ends the goroutine's accounting as death;
 * - ranges (GC mark assist, stop-the-world...) are attributed to the
 *   goroutine they are scoped to, or for P-scoped ranges (sweeping) to the
 *   goroutine that began and ended them on that P.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Stack } from "../events/event.ts";
import { GoStateCode, KIND_OF_TYPE, NO_TASK, ProcStateCode } from "../events/kinds.ts";
import { Ev } from "../wire/spec.ts";
import { Transition } from "./transitions.ts";
import { IdMap } from "./ids.ts";
import { readAll, type Source } from "./source.ts";

/**
 * Time a goroutine (or a region of it) spent in each condition, in
 * nanoseconds. The first five are disjoint; `totalTime` and `rangeTime`
 * overlap them.
 *
 * @example
 * ```ts
 * import type { ExecStats } from "./analysis.ts";
 * const s: ExecStats = { execTime: 5, schedWaitTime: 1, blockTimeByReason: { sleep: 4 }, syscallTime: 0,
 *   syscallBlockTime: 0, totalTime: 10, rangeTime: {} };
 * console.assert(s.execTime + s.schedWaitTime + s.blockTimeByReason.sleep === s.totalTime);
 * ```
 */
export interface ExecStats {
  /** Running on a P. */
  execTime: number;
  /** Runnable, waiting for a P (plus, as the reference counts it, the unfinished blocked tail of a syscall at trace end). */
  schedWaitTime: number;
  /** Waiting, by the reason given when it blocked. */
  blockTimeByReason: Record<string, number>;
  /** In a syscall while its P stayed with it. */
  syscallTime: number;
  /** In a syscall after its P was taken away. */
  syscallBlockTime: number;
  /** Presence in the trace: creation to end (or to the trace end). */
  totalTime: number;
  /** Time inside named ranges ("GC mark assist", "stop-the-world (...)", ...). */
  rangeTime: Record<string, number>;
}

/**
 * One goroutine's analysis: identity, lifetime and {@link ExecStats}.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines, type GoroutineSummary } from "./analysis.ts";
 * const { goroutines } = await analyzeGoroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * const busiest: GoroutineSummary = goroutines.reduce((a, b) => (b.execTime > a.execTime ? b : a));
 * console.assert(busiest.name === "main.handleOrder");
 * ```
 */
export interface GoroutineSummary extends ExecStats {
  /** Goroutine id. */
  id: number;
  /** Entry function (outermost frame of its first known stack), "" when unknown. */
  name: string;
  /** PC of that frame, 0 when unknown. */
  pc: number;
  /** When it was created, or the trace start for goroutines that already existed. */
  creationTime: number;
  /** When it first ran, 0 if it never did. */
  startTime: number;
  /** When it exited (or blocked forever), 0 if it did not. */
  endTime: number;
  /** Number of user regions it ran (see {@link GoroutineAnalysisResult.regions}). */
  regions: number;
}

/**
 * A user region as the analysis saw it, with the goroutine's stats while inside it.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines, type RegionSummary } from "./analysis.ts";
 * const { regions } = await analyzeGoroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * const named: RegionSummary[] = regions.filter((r) => !r.inherited);
 * console.assert(named.every((r) => r.end === null || r.start === null || r.end >= r.start));
 * ```
 */
export interface RegionSummary extends ExecStats {
  /** Goroutine that ran the region. */
  goroutine: number;
  /** Task the region belongs to (0 = background). */
  task: number;
  /** Region name ("" for the stand-in region a goroutine inherits from its creator's). */
  name: string;
  /** Begin time, or null when it began before the trace. */
  start: number | null;
  /** End time, or null when it was still open at the trace end. */
  end: number | null;
  /** True for the stand-in of a task inherited at creation (not a real region). */
  inherited: boolean;
}

/**
 * A user task as the analysis saw it.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines, type TaskSummary } from "./analysis.ts";
 * const { tasks } = await analyzeGoroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * const order: TaskSummary = tasks.find((t) => t.name === "order")!;
 * console.assert(order.complete && order.logs > 0);
 * ```
 */
export interface TaskSummary {
  /** Task id. */
  id: number;
  /** Task type name, "" when its begin was not seen. */
  name: string;
  /** Parent task id, or null when none is known. */
  parent: number | null;
  /** Child task ids, in the order they were seen. */
  children: number[];
  /** Begin time, or null when not seen. */
  start: number | null;
  /** End time, or null when not seen. */
  end: number | null;
  /** Both begin and end were seen. */
  complete: boolean;
  /** Number of log messages in the task. */
  logs: number;
  /** Number of regions in the task. */
  regions: number;
  /** Goroutines that began, ended, logged in or ran a region of the task (-1 = no goroutine). */
  goroutines: number[];
}

/**
 * Per entry function aggregates over {@link GoroutineSummary}.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines, type FunctionSummary, functionSummaries } from "./analysis.ts";
 * const { goroutines } = await analyzeGoroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * const fns: FunctionSummary[] = functionSummaries(goroutines);
 * console.assert(fns.find((f) => f.name === "main.handleOrder")?.count === 2);
 * ```
 */
export interface FunctionSummary extends ExecStats {
  /** Entry function ("" groups the unnamed goroutines). */
  name: string;
  /** Number of goroutines. */
  count: number;
  /** Their ids, ascending. */
  goroutines: number[];
  /** Regions run by them. */
  regions: number;
}

/**
 * What {@link GoroutineAnalysis.result} returns.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines, type GoroutineAnalysisResult } from "./analysis.ts";
 * const r: GoroutineAnalysisResult = await analyzeGoroutines(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(r.end > r.start && r.goroutines.length === 7);
 * ```
 */
export interface GoroutineAnalysisResult {
  /** Every goroutine, sorted by id. */
  goroutines: GoroutineSummary[];
  /** Every region the goroutines ran, by goroutine id then start time. */
  regions: RegionSummary[];
  /** Every task, sorted by id. */
  tasks: TaskSummary[];
  /** Time of the first event. */
  start: number;
  /** Time of the last event (the final Sync). */
  end: number;
}

function emptyStats(): ExecStats {
  return {
    execTime: 0,
    schedWaitTime: 0,
    blockTimeByReason: {},
    syscallTime: 0,
    syscallBlockTime: 0,
    totalTime: 0,
    rangeTime: {},
  };
}

function cloneStats(s: ExecStats): ExecStats {
  return { ...s, blockTimeByReason: { ...s.blockTimeByReason }, rangeTime: { ...s.rangeTime } };
}

/** `a - b` field by field, over the keys of `a` (keys only ever get added). */
function subStats(a: ExecStats, b: ExecStats): ExecStats {
  const r = cloneStats(a);
  r.execTime -= b.execTime;
  r.schedWaitTime -= b.schedWaitTime;
  for (const k in r.blockTimeByReason) r.blockTimeByReason[k] -= b.blockTimeByReason[k] ?? 0;
  r.syscallTime -= b.syscallTime;
  r.syscallBlockTime -= b.syscallBlockTime;
  r.totalTime -= b.totalTime;
  for (const k in r.rangeTime) r.rangeTime[k] -= b.rangeTime[k] ?? 0;
  return r;
}

function add(rec: Record<string, number>, key: string, dt: number): void {
  rec[key] = (rec[key] ?? 0) + dt;
}

/**
 * Whether an entry function is a runtime goroutine's (unnamed ones count as runtime's).
 *
 * @example
 * ```ts
 * import { isSystemGoroutine } from "./analysis.ts";
 * console.assert(isSystemGoroutine("runtime.bgsweep") && !isSystemGoroutine("runtime.main"));
 * ```
 */
export function isSystemGoroutine(name: string): boolean {
  return name === "" || (name !== "runtime.main" && name.startsWith("runtime."));
}

interface OpenRegion {
  summary: RegionSummary;
  /** Stats snapshot at the begin (null for regions without a begin). */
  atStart: ExecStats | null;
}

// "Not set" for the pending timestamps below. Real traces never have time 0
// but hand-made ones can, so 0 is not used as the marker; nor is -1, the
// time of an old-format (go1.11–1.21) trace's first Sync.
const UNSET = Number.MIN_SAFE_INTEGER;

/** A goroutine while the analysis runs: its totals so far plus what is pending. */
class GoroutineState {
  // Totals (flat numbers and Maps: this is the per-event hot path).
  exec = 0;
  sched = 0;
  syscall = 0;
  syscallBlock = 0;
  total = 0;
  block = new Map<string, { t: number }>(); // accumulators, so unblocking needs no lookup
  range = new Map<string, number>();
  name = "";
  pc = 0;
  startTime = UNSET;
  endTime = UNSET;
  regions: RegionSummary[] = [];
  // Start of the stretch in progress in each state, UNSET when not in it.
  lastStart = UNSET;
  lastRunnable = UNSET;
  lastBlock = UNSET;
  lastBlockReason = "";
  lastBlockAcc: { t: number } | null = null;
  lastSyscall = UNSET;
  lastSyscallBlock = UNSET;
  syscallP = 0; // the P it entered its syscall on
  lastRange = new Map<string, number>();
  open: OpenRegion[] = [];

  // Not parameter properties: with them every field above would be emitted
  // as starting undefined, and V8 would box each time written (see BatchCursor).
  constructor(id: number, creationTime: number) {
    this.id = id;
    this.creationTime = creationTime;
  }
  declare readonly id: number;
  declare readonly creationTime: number;

  /** Stats as of `now`, with the pending stretches closed at `now`. */
  snapshot(now: number): ExecStats {
    const s: ExecStats = {
      execTime: this.exec,
      schedWaitTime: this.sched,
      blockTimeByReason: blockRecord(this.block),
      syscallTime: this.syscall,
      syscallBlockTime: this.syscallBlock,
      totalTime: this.total === 0 ? now - this.creationTime : this.total,
      rangeTime: Object.fromEntries(this.range),
    };
    if (this.lastStart !== UNSET) s.execTime += now - this.lastStart;
    if (this.lastRunnable !== UNSET) s.schedWaitTime += now - this.lastRunnable;
    if (this.lastBlock !== UNSET) {
      add(s.blockTimeByReason, this.lastBlockReason, now - this.lastBlock);
    }
    if (this.lastSyscall !== UNSET) s.syscallTime += now - this.lastSyscall;
    // The reference counts a blocked syscall's unfinished tail as scheduling wait.
    if (this.lastSyscallBlock !== UNSET) s.schedWaitTime += now - this.lastSyscallBlock;
    for (const [name, t] of this.lastRange) add(s.rangeTime, name, now - t);
    return s;
  }

  /** Closes the accounting at `now` (death, blocking forever, or the trace end). */
  finalize(now: number, end: number | null): void {
    if (end !== null) this.endTime = end;
    const fin = this.snapshot(now);
    this.exec = fin.execTime;
    this.sched = fin.schedWaitTime;
    this.syscall = fin.syscallTime;
    this.syscallBlock = fin.syscallBlockTime;
    this.total = fin.totalTime;
    this.block = new Map(Object.entries(fin.blockTimeByReason).map(([k, t]) => [k, { t }]));
    this.range = new Map(Object.entries(fin.rangeTime));
    // Runtime goroutines never own regions, even inherited ones.
    if (!isSystemGoroutine(this.name)) {
      for (const r of this.open) {
        Object.assign(r.summary, r.atStart ? subStats(fin, r.atStart) : cloneStats(fin));
        r.summary.end = end;
        this.regions.push(r.summary);
      }
    }
    this.lastStart = this.lastRunnable = this.lastBlock = UNSET;
    this.lastSyscall = this.lastSyscallBlock = UNSET;
    this.lastBlockReason = "";
    this.lastBlockAcc = null;
    this.lastRange = new Map();
    this.open = [];
  }

  /** The totals, as a plain object. */
  stats(): ExecStats {
    return {
      execTime: this.exec,
      schedWaitTime: this.sched,
      blockTimeByReason: blockRecord(this.block),
      syscallTime: this.syscall,
      syscallBlockTime: this.syscallBlock,
      totalTime: this.total,
      rangeTime: Object.fromEntries(this.range),
    };
  }
}

function blockRecord(m: Map<string, { t: number }>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [k, acc] of m) r[k] = acc.t;
  return r;
}

/** Starts a block for `reason` at `t`; its time is added when it ends. */
function blockStart(g: GoroutineState, reason: string, t: number): void {
  // Mostly the same reason as last time: its accumulator is at hand.
  let acc = g.lastBlockReason === reason ? g.lastBlockAcc : null;
  if (acc === null) acc = g.block.get(reason) ?? null;
  if (acc === null) g.block.set(reason, acc = { t: 0 });
  g.lastBlock = t;
  g.lastBlockReason = reason;
  g.lastBlockAcc = acc;
}

function addTo(m: Map<string, number>, key: string, dt: number): void {
  m.set(key, (m.get(key) ?? 0) + dt);
}

interface TaskState {
  summary: TaskSummary;
  goroutines: Set<number>;
  hasParent: boolean;
}

/**
 * The goroutine analysis, fed one event at a time: per goroutine time
 * breakdown, regions and tasks (`go tool trace`'s goroutine analysis and
 * user task pages). Holds one record per goroutine, region and task, never
 * the events.
 *
 * @example
 * ```ts
 * import { GoroutineAnalysis } from "./analysis.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new GoroutineAnalysis();
 * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const { goroutines } = a.result();
 * console.assert(goroutines.every((g) => g.totalTime >= g.execTime));
 * ```
 */
export class GoroutineAnalysis {
  #gs = new Map<number, GoroutineState>();
  #tasks = new Map<number, TaskState>();
  #syscallingP = new IdMap<number>(); // P -> goroutine in a syscall on it
  #rangesP = new Map<string, number>(); // "P name" -> goroutine that began it
  #first = UNSET;
  #lastTs = 0;
  #syncTs = UNSET;
  #tr = new Transition();
  #done: GoroutineAnalysisResult | null = null;
  // The same goroutines by id, for the lookups of every event: an array
  // slot for the small ids traces have (#gs keeps the order they came in).
  #byId = new IdMap<GoroutineState>();

  #get(id: number): GoroutineState | undefined {
    return this.#byId.get(id);
  }

  /** Feeds the next event (in reader order). Not after {@link result}, which finalizes. */
  event(ev: Event): void {
    if (this.#done) throw new Error("GoroutineAnalysis: event() after result()");
    const t = ev.time;
    if (this.#syncTs === UNSET) this.#syncTs = t;
    if (this.#first === UNSET) this.#first = t;
    this.#lastTs = t;
    const type = ev.type;
    // Fast paths for the scheduling events that make up most of a trace;
    // the same accounting as #goTransition, minus what cannot apply.
    if (type === Ev.GoStart) {
      const g = this.#get(ev.a0);
      if (g !== undefined) {
        if (g.lastRunnable !== UNSET) {
          g.sched += t - g.lastRunnable;
          g.lastRunnable = UNSET;
        }
        g.lastStart = t;
        if (g.startTime === UNSET) g.startTime = t;
        return;
      }
    } else if (type === Ev.GoUnblock) {
      const g = this.#get(ev.a0);
      if (g !== undefined) {
        if (g.lastBlock !== UNSET) {
          g.lastBlockAcc!.t += t - g.lastBlock;
          g.lastBlock = UNSET;
        }
        g.lastRunnable = t;
        return;
      }
    } else if (type === Ev.GoBlock) {
      const g = this.#get(ev.goroutine);
      const reason = this.#reason(ev);
      if (g !== undefined && g.name !== "" && reason !== "forever") {
        if (g.lastStart !== UNSET) g.exec += t - g.lastStart;
        g.lastStart = UNSET;
        blockStart(g, reason, t);
        return;
      }
    } else if (type === Ev.GoSyscallBegin) {
      const g = this.#get(ev.goroutine);
      if (g !== undefined && g.name !== "") {
        if (g.lastStart !== UNSET) g.exec += t - g.lastStart;
        g.lastStart = UNSET;
        this.#enterSyscall(g, ev.proc, t);
        return;
      }
    } else if (type === Ev.GoSyscallEnd) {
      const g = this.#get(ev.goroutine);
      if (g !== undefined) {
        this.#leaveSyscall(g, t);
        g.lastStart = t;
        if (g.startTime === UNSET) g.startTime = t;
        return;
      }
    }
    const kind = KIND_OF_TYPE[type];
    switch (kind) {
      case "Sync":
        this.#syncTs = t;
        return;
      case "StateTransition": {
        const tr = this.#tr;
        if (tr.decode(ev) === "goroutine") this.#goTransition(ev, tr);
        else if (tr.from !== tr.to && tr.to === ProcStateCode.Idle) {
          const g = this.#syscallingP.get(tr.id);
          if (g !== undefined) {
            this.#gs.get(g)!.lastSyscallBlock = t;
            this.#syscallingP.delete(tr.id);
          }
        }
        return;
      }
      case "RangeBegin":
      case "RangeActive": {
        const r = ev.range();
        let g: GoroutineState | undefined;
        if (r.scope.kind === "Goroutine") g = this.#gs.get(r.scope.id);
        else if (r.scope.kind === "Proc") {
          g = this.#gs.get(ev.goroutine);
          if (g) this.#rangesP.set(`${r.scope.id} ${r.name}`, ev.goroutine);
        }
        if (!g) return;
        if (kind === "RangeActive") {
          // Known to be active since the generation began: count from its Sync.
          const since = g.lastRange.get(r.name);
          if (since !== undefined) addTo(g.range, r.name, this.#syncTs - since);
          g.lastRange.set(r.name, this.#syncTs);
        } else g.lastRange.set(r.name, t);
        return;
      }
      case "RangeEnd": {
        const r = ev.range();
        let g: GoroutineState | undefined;
        if (r.scope.kind === "Goroutine") g = this.#gs.get(r.scope.id);
        else if (r.scope.kind === "Proc") {
          const key = `${r.scope.id} ${r.name}`;
          const who = this.#rangesP.get(key);
          if (who !== undefined) {
            // Only if it ends on the goroutine that began it.
            if (who === ev.goroutine) g = this.#gs.get(who);
            this.#rangesP.delete(key);
          }
        }
        if (!g) return;
        const since = g.lastRange.get(r.name);
        if (since === undefined) return;
        addTo(g.range, r.name, t - since);
        g.lastRange.delete(r.name);
        return;
      }
      case "RegionBegin": {
        const g = this.#gs.get(ev.goroutine);
        if (!g) return;
        const r = ev.region();
        const summary = regionSummary(g.id, r.task, r.type, t);
        g.open.push({ summary, atStart: g.snapshot(t) });
        const task = this.#task(r.task);
        task.summary.regions++;
        task.goroutines.add(g.id);
        return;
      }
      case "RegionEnd": {
        const g = this.#gs.get(ev.goroutine);
        if (!g) return;
        let open = g.open.pop();
        if (!open) {
          // It began before the trace: account from the trace start.
          const r = ev.region();
          open = { summary: regionSummary(g.id, r.task, r.type, null), atStart: null };
          const task = this.#task(r.task);
          task.goroutines.add(g.id);
          task.summary.regions++;
        }
        const now = g.snapshot(t);
        Object.assign(open.summary, open.atStart ? subStats(now, open.atStart) : now);
        open.summary.end = t;
        g.regions.push(open.summary);
        return;
      }
      case "TaskBegin":
      case "TaskEnd": {
        const info = ev.task();
        const task = this.#task(info.id);
        task.summary.name = info.type;
        task.goroutines.add(ev.goroutine);
        if (type === Ev.UserTaskBegin) task.summary.start = t;
        else task.summary.end = t;
        if (info.parent !== NO_TASK && !task.hasParent) {
          const parent = this.#task(info.parent);
          task.hasParent = true;
          task.summary.parent = info.parent;
          parent.summary.children.push(info.id);
        }
        return;
      }
      case "Log": {
        const task = this.#task(ev.log().task);
        task.goroutines.add(ev.goroutine);
        task.summary.logs++;
        return;
      }
    }
  }

  #task(id: number): TaskState {
    let task = this.#tasks.get(id);
    if (!task) {
      task = {
        summary: {
          id,
          name: "",
          parent: null,
          children: [],
          start: null,
          end: null,
          complete: false,
          logs: 0,
          regions: 0,
          goroutines: [],
        },
        goroutines: new Set(),
        hasParent: false,
      };
      this.#tasks.set(id, task);
    }
    return task;
  }

  // Block reasons by string id, for the current generation's tables: a
  // goroutine blocks millions of times for a handful of reasons.
  #reasonTables: unknown = null;
  #reasons: string[] = [];
  #reason(ev: Event): string {
    if (ev.type !== Ev.GoBlock && ev.type !== Ev.GoStop) return "";
    if (ev.tables !== this.#reasonTables) {
      this.#reasonTables = ev.tables;
      this.#reasons = [];
    }
    return this.#reasons[ev.a0] ??= ev.tables?.string(ev.a0) ?? "";
  }

  #goTransition(ev: Event, tr: Transition): void {
    const { id, from, to } = tr;
    if (from === to) return;
    const t = ev.time;
    let g = this.#gs.get(id);
    switch (from) {
      case GoStateCode.Undetermined:
      case GoStateCode.NotExist: {
        g = new GoroutineState(id, from === GoStateCode.Undetermined ? this.#syncTs : t);
        // A new goroutine inherits the task of its creator's innermost region.
        const creator = this.#gs.get(ev.goroutine);
        const top = creator?.open.at(-1);
        if (top) {
          g.open.push({
            summary: { ...regionSummary(id, top.summary.task, "", t), inherited: true },
            atStart: null,
          });
        }
        this.#gs.set(id, g);
        this.#byId.set(id, g);
        break;
      }
      case GoStateCode.Running:
        if (g!.lastStart !== UNSET) g!.exec += t - g!.lastStart;
        g!.lastStart = UNSET;
        break;
      case GoStateCode.Waiting:
        if (g!.lastBlock !== UNSET) {
          g!.lastBlockAcc!.t += t - g!.lastBlock;
          g!.lastBlock = UNSET;
        }
        break;
      case GoStateCode.Runnable:
        if (g!.lastRunnable !== UNSET) {
          g!.sched += t - g!.lastRunnable;
          g!.lastRunnable = UNSET;
        }
        break;
      case GoStateCode.Syscall:
        this.#leaveSyscall(g!, t);
        break;
    }
    if (!g) return; // a transition of a goroutine never introduced: nothing to account to
    if (g.name === "" && ev.type !== Ev.GoStatusStack) {
      // Every stack of a goroutine ends in its entry function.
      const sid = tr.stackId;
      if (sid !== 0 && ev.tables) {
        const frames = new Stack(ev.tables, sid).frames;
        const f = frames[frames.length - 1];
        if (f) {
          g.name = f.func;
          g.pc = f.pc;
        }
      }
    }
    switch (to) {
      case GoStateCode.Running:
        g.lastStart = t;
        if (g.startTime === UNSET) g.startTime = t;
        break;
      case GoStateCode.Runnable:
        g.lastRunnable = t;
        break;
      case GoStateCode.Waiting: {
        const reason = this.#reason(ev);
        if (reason !== "forever") {
          blockStart(g, reason, t);
          break;
        }
        g.finalize(t, t); // blocked forever: as good as dead
        break;
      }
      case GoStateCode.NotExist:
        g.finalize(t, t);
        break;
      case GoStateCode.Syscall:
        this.#enterSyscall(g, ev.proc, t);
        break;
    }
  }

  #enterSyscall(g: GoroutineState, p: number, t: number): void {
    this.#syscallingP.set(p, g.id);
    g.syscallP = p;
    g.lastSyscall = t;
  }

  #leaveSyscall(g: GoroutineState, t: number): void {
    if (g.lastSyscall === UNSET) return;
    if (g.lastSyscallBlock !== UNSET) {
      g.syscallBlock += t - g.lastSyscallBlock;
      g.syscall += g.lastSyscallBlock - g.lastSyscall;
    } else g.syscall += t - g.lastSyscall;
    g.lastSyscall = g.lastSyscallBlock = UNSET;
    // Whoever holds the P's entry now (the reference's bookkeeping, kept as is).
    this.#syscallingP.delete(g.syscallP);
  }

  /**
   * The analysis so far, with every goroutine's pending time closed at the
   * last event seen. Call once, after the last event: it finalizes.
   */
  result(): GoroutineAnalysisResult {
    if (this.#done) return this.#done;
    const goroutines: GoroutineSummary[] = [];
    const regions: RegionSummary[] = [];
    const ids = [...this.#gs.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const g = this.#gs.get(id)!;
      g.finalize(this.#lastTs, null);
      // Regions without a begin sort first, then by begin time (stable).
      const rs = g.regions.slice().sort((a, b) =>
        a.start === null ? (b.start === null ? 0 : -1) : b.start === null ? 1 : a.start - b.start
      );
      regions.push(...rs);
      goroutines.push({
        id,
        name: g.name,
        pc: g.pc,
        creationTime: g.creationTime,
        startTime: g.startTime === UNSET ? 0 : g.startTime,
        endTime: g.endTime === UNSET ? 0 : g.endTime,
        ...g.stats(),
        regions: rs.length,
      });
    }
    const tasks = [...this.#tasks.values()].sort((a, b) => a.summary.id - b.summary.id).map(
      (t) => ({
        ...t.summary,
        complete: t.summary.start !== null && t.summary.end !== null,
        goroutines: [...t.goroutines].sort((a, b) => a - b),
      }),
    );
    this.#done = {
      goroutines,
      regions,
      tasks,
      start: this.#first === UNSET ? 0 : this.#first,
      end: this.#lastTs,
    };
    return this.#done;
  }
}

function regionSummary(
  goroutine: number,
  task: number,
  name: string,
  start: number | null,
): RegionSummary {
  return { goroutine, task, name, start, end: null, inherited: false, ...emptyStats() };
}

/**
 * Aggregates goroutine summaries by entry function, sorted by total
 * execution time (largest first), then name.
 *
 * @example
 * ```ts
 * import { functionSummaries, type GoroutineSummary } from "./analysis.ts";
 * const g = (id: number, name: string, execTime: number): GoroutineSummary => ({
 *   id, name, pc: 0, creationTime: 0, startTime: 0, endTime: 0, execTime, schedWaitTime: 0,
 *   blockTimeByReason: { sleep: 5 }, syscallTime: 0, syscallBlockTime: 0, totalTime: 10,
 *   rangeTime: {}, regions: 0,
 * });
 * const fns = functionSummaries([g(1, "main.worker", 3), g(2, "main.worker", 4), g(3, "main.main", 1)]);
 * console.assert(fns[0].name === "main.worker" && fns[0].count === 2 && fns[0].execTime === 7);
 * console.assert(fns[0].blockTimeByReason.sleep === 10);
 * ```
 */
export function functionSummaries(goroutines: readonly GoroutineSummary[]): FunctionSummary[] {
  const out = new Map<string, FunctionSummary>();
  for (const g of goroutines) {
    let f = out.get(g.name);
    if (!f) {
      f = { name: g.name, count: 0, goroutines: [], regions: 0, ...emptyStats() };
      out.set(g.name, f);
    }
    f.count++;
    f.goroutines.push(g.id);
    f.regions += g.regions;
    f.execTime += g.execTime;
    f.schedWaitTime += g.schedWaitTime;
    f.syscallTime += g.syscallTime;
    f.syscallBlockTime += g.syscallBlockTime;
    f.totalTime += g.totalTime;
    for (const k in g.blockTimeByReason) add(f.blockTimeByReason, k, g.blockTimeByReason[k]);
    for (const k in g.rangeTime) add(f.rangeTime, k, g.rangeTime[k]);
  }
  for (const f of out.values()) f.goroutines.sort((a, b) => a - b);
  return [...out.values()].sort((a, b) =>
    b.execTime - a.execTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Time not accounted for by the disjoint stats: `totalTime` minus exec,
 * sched wait, syscall, syscall blocked and block times (never negative).
 *
 * @example
 * ```ts
 * import { unknownTime } from "./analysis.ts";
 * const s = { execTime: 2, schedWaitTime: 1, blockTimeByReason: { sleep: 3 }, syscallTime: 0,
 *   syscallBlockTime: 0, totalTime: 10, rangeTime: {} };
 * console.assert(unknownTime(s) === 4);
 * ```
 */
export function unknownTime(s: ExecStats): number {
  let sum = s.execTime + s.schedWaitTime + s.syscallTime + s.syscallBlockTime;
  for (const k in s.blockTimeByReason) sum += s.blockTimeByReason[k];
  return sum < s.totalTime ? s.totalTime - sum : 0;
}

/**
 * Runs the goroutine analysis over a whole trace.
 *
 * @example
 * ```ts
 * import { analyzeGoroutines } from "./analysis.ts";
 * const res = await analyzeGoroutines(new URL("../../testdata/regions-logs.trace", import.meta.url));
 * console.assert(res.goroutines.length > 0 && res.tasks.length > 0);
 * ```
 */
export async function analyzeGoroutines(source: Source): Promise<GoroutineAnalysisResult> {
  const a = new GoroutineAnalysis();
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
