/**
 * Syscalls, one record each: who made it, on which M and P, for how long,
 * from where (stack), and what became of its P: kept, stolen by another M
 * (with the `ProcSteal` that took it), or swapped for another.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { Ev, ProcStatus } from "../wire/spec.ts";
import { GoSt } from "../events/kinds.ts";
import { Transition } from "./transitions.ts";
import { type FuncPattern, matchFunc, StackCache } from "./stacks.ts";
import { readAll, type Source } from "./source.ts";

/**
 * How a syscall ended, judged by the P its goroutine came back with:
 * - "returned": with the P it entered with;
 * - "reacquired": with a different P;
 * - "stolen": with no P, its P having been stolen by another M;
 * - "no-proc": with no P, no steal seen (the P was lost before the trace or handed off);
 * - "exited": the goroutine exited inside it (a cgo callback's goroutine going back to C);
 * - "in-syscall": still inside at the end of the trace.
 *
 * @example
 * ```ts
 * import { type SyscallOutcome, syscalls } from "./syscalls.ts";
 * const calls = await syscalls(new URL("../../testdata/demo.trace", import.meta.url));
 * const outcomes = new Set<SyscallOutcome>(calls.map((c) => c.outcome));
 * console.assert(outcomes.has("stolen"));
 * ```
 */
export type SyscallOutcome =
  | "returned"
  | "reacquired"
  | "stolen"
  | "no-proc"
  | "exited"
  | "in-syscall";

/**
 * A `ProcSteal` that took a syscall's P.
 *
 * @example
 * ```ts
 * import { type Steal, syscalls } from "./syscalls.ts";
 * const calls = await syscalls(new URL("../../testdata/demo.trace", import.meta.url));
 * const steals: Steal[] = calls.flatMap((c) => (c.steal ? [c.steal] : []));
 * console.assert(steals.length > 0 && steals.every((s) => !s.self));
 * ```
 */
export interface Steal {
  /** When. */
  time: number;
  /** The P taken. */
  proc: number;
  /** The M that took it (for a self-steal, the syscall's own M). */
  thread: number;
  /** The P the stealing M held at the time, -1 when none. */
  stealerProc: number;
  /** The goroutine the stealing M was running, -1 when none. */
  stealerGoroutine: number;
  /** Taken by the syscall's own M (it gave up the P itself). */
  self: boolean;
  /** The P had been left in a syscall before the current generation began. */
  abandoned: boolean;
}

/**
 * One syscall.
 *
 * @example
 * ```ts
 * import { type SyscallRecord, syscalls } from "./syscalls.ts";
 * const calls: SyscallRecord[] = await syscalls(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(calls.every((c) => c.end === null || c.duration === c.end - c.start));
 * ```
 */
export interface SyscallRecord {
  /** The goroutine in the syscall. */
  goroutine: number;
  /** The M it ran on. */
  thread: number;
  /** The P it entered with, -1 when unknown. */
  proc: number;
  /** When it began, or when the trace first saw it inside (see `beforeTrace`). */
  start: number;
  /** When it ended; null when still inside at the end of the trace. */
  end: number | null;
  /** `end - start`, or up to the trace end when still inside. */
  duration: number;
  /** Where it was made (innermost first); [] when unknown. */
  stack: StackFrame[];
  /** Already inside when the trace started (or a goroutine created inside one, by a cgo callback). */
  beforeTrace: boolean;
  /** What became of it; see {@link SyscallOutcome}. */
  outcome: SyscallOutcome;
  /** The P it came back with, -1 for none (or not back). */
  returnProc: number;
  /** The steal of its P, when there was one. */
  steal: Steal | null;
}

/** A syscall and its place in the order they began. */
interface Open {
  rec: SyscallRecord;
  seq: number;
}

// Called once a record can no longer change (bar the duration of one still
// open at the end).
type Settle = (open: Open) => void;

/**
 * The bookkeeping both syscall analyses share: open syscalls by goroutine
 * and thread, steals matched to them, and each record handed to `settle`
 * once nothing can change it, so a caller that keeps only some of them
 * holds memory for the open ones alone.
 */
class SyscallTracker {
  #byG = new Map<number, Open>(); // open syscalls by goroutine
  #byM = new Map<number, Open>(); // open syscalls by thread
  #lastByM = new Map<number, Open>(); // most recent syscall of each thread
  #pending = new Map<number, Steal>(); // abandoned steals from threads whose syscall is not seen yet
  #orphans: Open[] = []; // never ended, replaced by a later syscall of their goroutine
  #tr = new Transition();
  #cache = new StackCache();
  #seq = 0;
  last = 0;

  constructor(readonly begun: (rec: SyscallRecord) => void, readonly settle: Settle | null) {}

  event(ev: Event): void {
    this.last = ev.time;
    const tr = this.#tr;
    const what = tr.decode(ev);
    if (what === "goroutine") {
      if (tr.to === GoSt.Syscall && tr.from !== GoSt.Syscall) this.#begin(ev, tr);
      else if (tr.from === GoSt.Syscall && tr.to !== GoSt.Syscall) this.#end(ev, tr);
    } else if (what === "proc" && ev.type === Ev.ProcSteal) this.#steal(ev);
  }

  #begin(ev: Event, tr: Transition): void {
    const rec: SyscallRecord = {
      goroutine: tr.id,
      thread: ev.thread,
      proc: ev.proc,
      start: ev.time,
      end: null,
      duration: 0,
      stack: this.#cache.frames(ev.tables, tr.stackId),
      beforeTrace: tr.from !== GoSt.Running,
      outcome: "in-syscall",
      returnProc: -1,
      steal: null,
    };
    const open: Open = { rec, seq: this.#seq++ };
    this.begun(rec);
    const early = rec.beforeTrace ? this.#pending.get(rec.thread) : undefined;
    if (early) {
      this.#pending.delete(rec.thread);
      this.#attach(rec, early);
    }
    const replaced = this.#byG.get(rec.goroutine);
    if (replaced !== undefined && this.settle) this.#orphans.push(replaced);
    this.#byG.set(rec.goroutine, open);
    if (rec.thread >= 0) {
      this.#byM.set(rec.thread, open);
      const prev = this.#lastByM.get(rec.thread);
      this.#lastByM.set(rec.thread, open);
      // Ended and no longer its thread's last: no steal can reach it now.
      if (prev !== undefined && prev.rec.end !== null && prev.rec.steal === null) {
        this.#settle(prev);
      }
    }
  }

  #end(ev: Event, tr: Transition): void {
    const open = this.#byG.get(tr.id);
    if (!open) return;
    const rec = open.rec;
    this.#byG.delete(tr.id);
    if (this.#byM.get(rec.thread) === open) this.#byM.delete(rec.thread);
    rec.end = ev.time;
    if (tr.to === GoSt.NotExist) rec.outcome = "exited";
    else {
      rec.returnProc = ev.proc;
      rec.outcome = "returned"; // settled later: a later steal can still tell us its P
    }
    if (rec.steal !== null || this.#lastByM.get(rec.thread) !== open) this.#settle(open);
  }

  #steal(ev: Event): void {
    const p = ev.a0, victim = ev.a2;
    const abandoned = ev.a3 === ProcStatus.SyscallAbandoned;
    let open = this.#byM.get(victim);
    if (open && open.rec.proc !== p && open.rec.proc !== -1 && !open.rec.beforeTrace) {
      open = undefined;
    }
    if (!open) {
      // A steal the runtime made for a syscall on the stealing M itself.
      const own = this.#byM.get(ev.thread);
      if (
        own && own.rec.goroutine === ev.goroutine && (own.rec.proc === p || own.rec.proc === -1)
      ) open = own;
    }
    if (!open && abandoned) {
      // An abandoned P may be stolen after its syscall ended (across a
      // generation boundary): it belongs to that M's last syscall.
      const last = this.#lastByM.get(victim);
      const r = last?.rec;
      if (r && r.steal === null && (r.beforeTrace || r.proc === -1 || r.proc === p)) open = last;
    }
    const rec = open?.rec;
    const steal: Steal = {
      time: ev.time,
      proc: p,
      thread: ev.thread,
      stealerProc: ev.proc,
      stealerGoroutine: ev.goroutine,
      self: rec !== undefined && ev.thread === rec.thread,
      abandoned,
    };
    if (open) {
      if (open.rec.steal === null) {
        this.#attach(open.rec, steal);
        if (open.rec.end !== null) this.#settle(open);
      }
    } else if (abandoned && victim >= 0) {
      // The victim M's syscall may only show up later in the generation
      // (its goroutine's status comes after the steal).
      this.#pending.set(victim, steal);
    }
  }

  #attach(rec: SyscallRecord, steal: Steal): void {
    rec.steal = steal;
    // A syscall seen only from inside learns here which P it entered with.
    if (rec.beforeTrace || rec.proc === -1) rec.proc = steal.proc;
  }

  #settle(open: Open): void {
    if (this.settle) {
      finish(open.rec, this.last);
      this.settle(open);
    }
  }

  /** Settles what is still open or could still be stolen from (the end of the trace). */
  flush(): void {
    if (!this.settle) return;
    const rest: Open[] = [...this.#orphans, ...this.#byG.values()];
    for (const o of this.#lastByM.values()) {
      if (o.rec.end !== null && o.rec.steal === null) rest.push(o);
    }
    rest.sort((a, b) => a.seq - b.seq);
    for (const o of rest) this.#settle(o);
  }
}

/** Fills in a record's duration and outcome, as of `last` for one still open. */
function finish(r: SyscallRecord, last: number): SyscallRecord {
  r.duration = (r.end ?? last) - r.start;
  if (r.end === null || r.outcome === "exited") return r;
  if (r.returnProc === -1) {
    r.outcome = r.steal && !r.steal.self ? "stolen" : "no-proc";
  } else r.outcome = r.returnProc === r.proc ? "returned" : "reacquired";
  return r;
}

/**
 * Builds the syscall records from events fed one by one, keeping them all
 * (for only some of them, see {@link SyscallSelection}).
 *
 * @example
 * ```ts
 * import { SyscallAnalysis } from "./syscalls.ts";
 * import { Reader } from "../events/reader.ts";
 * const sa = new SyscallAnalysis();
 * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * for await (const ev of r) sa.event(ev);
 * const calls = sa.result();
 * console.assert(calls.length > 0 && calls.every((c) => c.duration >= 0));
 * ```
 */
export class SyscallAnalysis {
  #all: SyscallRecord[] = [];
  #t = new SyscallTracker((rec) => this.#all.push(rec), null);

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#t.event(ev);
  }

  /** Every syscall, in the order they began. */
  result(): SyscallRecord[] {
    for (const r of this.#all) finish(r, this.#t.last);
    return this.#all;
  }
}

/**
 * Which syscalls a {@link SyscallSelection} keeps, and in what order.
 *
 * @example
 * ```ts
 * import type { SyscallSelectionOptions } from "./syscalls.ts";
 * const tenLongest: SyscallSelectionOptions = { longest: true, limit: 10 };
 * console.assert(tenLongest.limit === 10);
 * ```
 */
export interface SyscallSelectionOptions {
  /** Longest first (ties in the order they began) instead of the order they began. */
  longest?: boolean;
  /** Keep at most this many, the first in that order; 0 or absent keeps them all. */
  limit?: number;
}

/**
 * What a {@link SyscallSelection} gives: how many syscalls matched, and the
 * first of them in the order asked for.
 *
 * @example
 * ```ts
 * import type { SelectedSyscalls } from "./syscalls.ts";
 * const none: SelectedSyscalls = { matched: 0, records: [] };
 * console.assert(none.records.length <= none.matched);
 * ```
 */
export interface SelectedSyscalls {
  /** Syscalls matching the query. */
  matched: number;
  /** The first `limit` of them: `filterSyscalls(all, query)`, sorted when `longest`, cut. */
  records: SyscallRecord[];
}

/**
 * The syscalls matching a query, fed one event at a time and holding only
 * the open syscalls and the `limit` best so far (a bounded heap), so its
 * memory does not grow with the trace. Its records equal those of
 * {@link SyscallAnalysis} passed through {@link filterSyscalls}, sorted by
 * duration (stable) for `longest`, and cut to `limit`.
 *
 * @example
 * ```ts
 * import { SyscallSelection } from "./syscalls.ts";
 * import { analyzeAll } from "./source.ts";
 * const { s } = await analyzeAll(new URL("../../testdata/demo.trace", import.meta.url), {
 *   s: new SyscallSelection({ stolen: true }),
 * });
 * console.assert(s.matched === 2 && s.records.every((r) => r.steal !== null));
 * ```
 */
export class SyscallSelection {
  #t: SyscallTracker;
  #match: (s: SyscallRecord) => boolean;
  #before: (a: Open, b: Open) => boolean;
  #limit: number;
  #heap: Open[] = []; // with a limit: its root is the last of the kept ones
  #matched = 0;
  #done: SelectedSyscalls | null = null;

  /**
   * A selection with nothing fed yet.
   * @param query which syscalls to keep (all by default)
   * @param opts order and limit
   */
  constructor(query: SyscallQuery = {}, opts: SyscallSelectionOptions = {}) {
    this.#match = syscallMatcher(query);
    this.#before = opts.longest ? longerFirst : beganFirst;
    this.#limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    this.#t = new SyscallTracker(() => {}, (open) => this.#offer(open));
  }

  /** Feeds the next event. Not after {@link result}, which settles what is open. */
  event(ev: Event): void {
    if (this.#done) throw new Error("SyscallSelection: event() after result()");
    this.#t.event(ev);
  }

  #offer(kept: Open): void {
    if (!this.#match(kept.rec)) return;
    this.#matched++;
    const heap = this.#heap;
    if (this.#limit === Infinity) {
      heap.push(kept);
      return;
    }
    const before = this.#before;
    if (heap.length < this.#limit) {
      // Sift up: the root is the one that comes last.
      let i = heap.length;
      heap.push(kept);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent], kept)) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = kept;
      return;
    }
    if (!before(kept, heap[0])) return;
    // Replace the root and sift down.
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[l], heap[r]) ? r : l;
      if (!before(kept, heap[c])) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = kept;
  }

  /** The selection, once every event is in. */
  result(): SelectedSyscalls {
    if (this.#done) return this.#done;
    this.#t.flush();
    const before = this.#before;
    const kept = this.#heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.#done = { matched: this.#matched, records: kept.map((k) => k.rec) };
    return this.#done;
  }
}

const beganFirst = (a: Open, b: Open) => a.seq < b.seq;
const longerFirst = (a: Open, b: Open) =>
  a.rec.duration > b.rec.duration || (a.rec.duration === b.rec.duration && a.seq < b.seq);

/**
 * Which syscalls {@link filterSyscalls} keeps; every given condition must hold.
 *
 * @example
 * ```ts
 * import { filterSyscalls, type SyscallQuery, syscalls } from "./syscalls.ts";
 * const calls = await syscalls(new URL("../../testdata/demo.trace", import.meta.url));
 * const slowStolen: SyscallQuery = { minDuration: 50, stolen: true };
 * console.assert(filterSyscalls(calls, slowStolen).every((c) => c.steal !== null));
 * ```
 */
export interface SyscallQuery {
  /** At least this long (ns). */
  minDuration?: number;
  /** At most this long (ns). */
  maxDuration?: number;
  /** Made by one of these goroutines. */
  goroutines?: readonly number[];
  /** Made on one of these Ms. */
  threads?: readonly number[];
  /** With a matching function in its stack. */
  func?: FuncPattern;
  /** With one of these outcomes. */
  outcomes?: readonly SyscallOutcome[];
  /** Whose P was stolen (true) or not (false). */
  stolen?: boolean;
  /** Overlapping the window [start, end]. */
  window?: readonly [number, number];
}

/**
 * The syscalls matching a query.
 *
 * @example
 * ```ts
 * import { filterSyscalls, type SyscallRecord } from "./syscalls.ts";
 * const rec = (goroutine: number, duration: number, func: string): SyscallRecord => ({
 *   goroutine, thread: 1, proc: 0, start: 0, end: duration, duration, beforeTrace: false,
 *   stack: [{ pc: 1, func, file: "f.go", line: 1 }], outcome: "returned", returnProc: 0, steal: null,
 * });
 * const all = [rec(1, 10, "syscall.read"), rec(2, 5000, "syscall.write"), rec(2, 20, "syscall.read")];
 * console.assert(filterSyscalls(all, { minDuration: 1000 }).length === 1);
 * console.assert(filterSyscalls(all, { goroutines: [2], func: /read/ }).length === 1);
 * ```
 */
export function filterSyscalls(
  syscalls: readonly SyscallRecord[],
  q: SyscallQuery,
): SyscallRecord[] {
  return syscalls.filter(syscallMatcher(q));
}

/** The test of a query, for one record at a time. */
function syscallMatcher(q: SyscallQuery): (s: SyscallRecord) => boolean {
  const gs = q.goroutines && new Set(q.goroutines);
  const ms = q.threads && new Set(q.threads);
  // Records share frames arrays (one per stack and generation): test each once.
  let tested = new Map<readonly StackFrame[], boolean>();
  const inStack = (stack: readonly StackFrame[]): boolean => {
    let found = tested.get(stack);
    if (found === undefined) {
      if (tested.size >= 4096) tested = new Map();
      found = stack.some((f) => matchFunc(f.func, q.func!));
      tested.set(stack, found);
    }
    return found;
  };
  return (s) =>
    (q.minDuration === undefined || s.duration >= q.minDuration) &&
    (q.maxDuration === undefined || s.duration <= q.maxDuration) &&
    (!gs || gs.has(s.goroutine)) &&
    (!ms || ms.has(s.thread)) &&
    (q.func === undefined || inStack(s.stack)) &&
    (!q.outcomes || q.outcomes.includes(s.outcome)) &&
    (q.stolen === undefined || (s.steal !== null) === q.stolen) &&
    (!q.window || (s.start <= q.window[1] && s.start + s.duration >= q.window[0]));
}

/**
 * Reads a trace and returns its syscalls.
 *
 * @example
 * ```ts
 * import { syscalls } from "./syscalls.ts";
 * const calls = await syscalls(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(calls.length > 0);
 * ```
 */
export async function syscalls(source: Source): Promise<SyscallRecord[]> {
  const a = new SyscallAnalysis();
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
