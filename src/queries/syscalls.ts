/**
 * Syscalls, one record each: who made it, on which M and P, for how long,
 * from where (stack), and what became of its P: kept, stolen by another M
 * (with the `ProcSteal` that took it), or swapped for another.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import type { GenTables } from "../wire/tables.ts";
import { Ev, typeSet, WireProcStatus } from "../wire/spec.ts";
import { GoStateCode } from "../events/kinds.ts";
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

/**
 * A syscall while it can still change, as plain fields: made into a
 * {@link SyscallRecord} only when kept, then recycled. Its stack stays an
 * id until someone asks.
 *
 * @example
 * ```ts
 * import { Call } from "./syscalls.ts";
 * const c = new Call();
 * console.assert(c.outcome === "in-syscall" && c.record().end === null);
 * ```
 */
export class Call {
  goroutine = 0;
  thread = 0;
  proc = 0;
  start = 0;
  end = 0;
  ended = false;
  duration = 0;
  outcome: SyscallOutcome = "in-syscall";
  beforeTrace = false;
  returnProc = -1;
  steal: Steal | null = null;
  seq = 0; // place in the order syscalls began
  tables: GenTables | null = null;
  stackId = 0;
  cache: StackCache | null = null;

  /** Frames of its stack (what a `func` query tests). */
  get stack(): StackFrame[] {
    return this.cache?.frames(this.tables, this.stackId) ?? [];
  }

  /** The call as a record of its own. */
  record(): SyscallRecord {
    return {
      goroutine: this.goroutine,
      thread: this.thread,
      proc: this.proc,
      start: this.start,
      end: this.ended ? this.end : null,
      duration: this.duration,
      stack: this.stack,
      beforeTrace: this.beforeTrace,
      outcome: this.outcome,
      returnProc: this.returnProc,
      steal: this.steal,
    };
  }
}

/** What the tracker knows of a thread: its open syscall and its last one. */
interface Thread {
  open: Call | null;
  last: Call | null;
}

/**
 * The wire types whose events {@link SyscallTracker} acts on (1), by type:
 * syscalls beginning and ending, goroutines made or destroyed in one, Ps
 * stolen, and goroutine statuses (a syscall under way when the trace or a
 * generation began).
 *
 * @example
 * ```ts
 * import { SYSCALL_EVENT_TYPES } from "./syscalls.ts";
 * import { Ev } from "../wire/spec.ts";
 * console.assert(SYSCALL_EVENT_TYPES[Ev.ProcSteal] === 1 && SYSCALL_EVENT_TYPES[Ev.GoStart] === 0);
 * ```
 */
export const SYSCALL_EVENT_TYPES: Uint8Array = typeSet([
  Ev.GoSyscallBegin,
  Ev.GoSyscallEnd,
  Ev.GoSyscallEndBlocked,
  Ev.GoCreateSyscall,
  Ev.GoDestroySyscall,
  Ev.ProcSteal,
  Ev.GoStatus,
  Ev.GoStatusStack,
]);

/**
 * The bookkeeping both syscall analyses share: open syscalls by goroutine
 * and thread, steals matched to them, and each call handed to `settle`
 * once nothing can change it (bar the duration of one still open at the
 * end), after which it is recycled. Memory goes with the open syscalls
 * and the threads, not with the trace. A settled call is recycled once
 * `settle` returns: copy what you keep.
 *
 * @example
 * ```ts
 * import { SyscallTracker } from "./syscalls.ts";
 * import { readAll } from "./source.ts";
 * let n = 0;
 * const t = new SyscallTracker(() => n++);
 * await readAll(new URL("../../testdata/syscall-simple.trace", import.meta.url), (ev) => t.event(ev));
 * t.flush();
 * console.assert(n > 0);
 * ```
 */
export class SyscallTracker {
  #byG: (Call | undefined)[] = []; // open syscalls by goroutine, small ids
  #byGBig = new Map<number, Call>(); // ... and the rest
  #threads = new Map<number, Thread>();
  #recentThread: Thread | null = null;
  #recentThreadId = NaN;
  #pending = new Map<number, Steal>(); // abandoned steals from threads whose syscall is not seen yet
  #orphans: Call[] = []; // never ended, replaced by a later syscall of their goroutine
  #free: Call[] = [];
  #tr = new Transition();
  #cache = new StackCache();
  #seq = 0;
  last = 0;

  /** @param settle receives each call once nothing can change it */
  constructor(settle: (c: Call) => void) {
    // Not a parameter property, which would make every field above start
    // undefined and its numbers boxed (see BatchCursor).
    this.settle = settle;
  }
  /** Receives each call once nothing can change it. */
  declare readonly settle: (c: Call) => void;

  /**
   * Feeds the next event. Only {@link SYSCALL_EVENT_TYPES} do anything
   * but move the clock: a caller may feed just those and set `last` to
   * the time of the others.
   */
  event(ev: Event): void {
    this.last = ev.time;
    if (SYSCALL_EVENT_TYPES[ev.type] === 0) return;
    switch (ev.type) {
      case Ev.GoSyscallBegin:
        this.#begin(ev, ev.goroutine, GoStateCode.Running, ev.a1);
        return;
      case Ev.GoSyscallEnd:
      case Ev.GoSyscallEndBlocked:
        this.#end(ev, ev.goroutine, false);
        return;
      case Ev.GoCreateSyscall:
        this.#begin(ev, ev.a0, GoStateCode.NotExist, 0);
        return;
      case Ev.GoDestroySyscall:
        this.#end(ev, ev.goroutine, true);
        return;
      case Ev.ProcSteal:
        this.#steal(ev);
        return;
      case Ev.GoStatus:
      case Ev.GoStatusStack: {
        const tr = this.#tr;
        if (tr.decode(ev) !== "goroutine") return;
        if (tr.to === GoStateCode.Syscall && tr.from !== GoStateCode.Syscall) {
          this.#begin(ev, tr.id, tr.from, tr.stackId);
        } else if (tr.from === GoStateCode.Syscall && tr.to !== GoStateCode.Syscall) {
          this.#end(ev, tr.id, tr.to === GoStateCode.NotExist);
        }
        return;
      }
    }
  }

  #thread(id: number): Thread {
    if (id === this.#recentThreadId) return this.#recentThread!;
    let t = this.#threads.get(id);
    if (t === undefined) this.#threads.set(id, t = { open: null, last: null });
    this.#recentThreadId = id;
    return this.#recentThread = t;
  }

  #getG(id: number): Call | undefined {
    return id >= 0 && id < this.#byG.length ? this.#byG[id] : this.#byGBig.get(id);
  }

  #setG(id: number, c: Call | undefined): void {
    const dense = this.#byG;
    // Goroutine ids are dense and mostly small; a crafted huge one goes to the Map.
    if (id >= 0 && id < Math.max(dense.length, 1 << 16)) {
      while (dense.length <= id) dense.push(undefined);
      dense[id] = c;
    } else if (c === undefined) this.#byGBig.delete(id);
    else this.#byGBig.set(id, c);
  }

  #begin(ev: Event, g: number, from: number, stackId: number): void {
    const c = this.#free.pop() ?? new Call();
    c.goroutine = g;
    c.thread = ev.thread;
    c.proc = ev.proc;
    c.start = ev.time;
    c.end = 0;
    c.ended = false;
    c.duration = 0;
    c.outcome = "in-syscall";
    c.beforeTrace = from !== GoStateCode.Running;
    c.returnProc = -1;
    c.steal = null;
    c.seq = this.#seq++;
    c.tables = ev.tables;
    c.stackId = stackId;
    c.cache = this.#cache;
    if (c.beforeTrace) {
      const early = this.#pending.get(c.thread);
      if (early) {
        this.#pending.delete(c.thread);
        this.#attach(c, early);
      }
    }
    const replaced = this.#getG(g);
    if (replaced !== undefined) this.#orphans.push(replaced);
    this.#setG(g, c);
    if (c.thread >= 0) {
      const t = this.#thread(c.thread);
      const prev = t.last;
      t.open = c;
      t.last = c;
      // Ended and no longer its thread's last: no steal can reach it now.
      if (prev !== null && prev.ended && prev.steal === null) this.#settle(prev);
    }
  }

  #end(ev: Event, g: number, exited: boolean): void {
    const c = this.#getG(g);
    if (c === undefined) return;
    this.#setG(g, undefined);
    const t = c.thread >= 0 ? this.#thread(c.thread) : null;
    if (t !== null && t.open === c) t.open = null;
    c.end = ev.time;
    c.ended = true;
    if (exited) c.outcome = "exited";
    else c.returnProc = ev.proc;
    if (c.steal !== null || t === null || t.last !== c) this.#settle(c);
  }

  #steal(ev: Event): void {
    const p = ev.a0, victim = ev.a2;
    const abandoned = ev.a3 === WireProcStatus.SyscallAbandoned;
    let c = victim >= 0 ? this.#threads.get(victim)?.open ?? null : null;
    if (c !== null && c.proc !== p && c.proc !== -1 && !c.beforeTrace) c = null;
    if (c === null && ev.thread >= 0) {
      // A steal the runtime made for a syscall on the stealing M itself.
      const own = this.#threads.get(ev.thread)?.open ?? null;
      if (own !== null && own.goroutine === ev.goroutine && (own.proc === p || own.proc === -1)) {
        c = own;
      }
    }
    if (c === null && abandoned && victim >= 0) {
      // An abandoned P may be stolen after its syscall ended (across a
      // generation boundary): it belongs to that M's last syscall.
      const last = this.#threads.get(victim)?.last ?? null;
      if (
        last !== null && last.steal === null &&
        (last.beforeTrace || last.proc === -1 || last.proc === p)
      ) c = last;
    }
    const steal: Steal = {
      time: ev.time,
      proc: p,
      thread: ev.thread,
      stealerProc: ev.proc,
      stealerGoroutine: ev.goroutine,
      self: c !== null && ev.thread === c.thread,
      abandoned,
    };
    if (c !== null) {
      if (c.steal === null) {
        this.#attach(c, steal);
        if (c.ended) this.#settle(c);
      }
    } else if (abandoned && victim >= 0) {
      // The victim M's syscall may only show up later in the generation
      // (its goroutine's status comes after the steal).
      this.#pending.set(victim, steal);
    }
  }

  #attach(c: Call, steal: Steal): void {
    c.steal = steal;
    // A syscall seen only from inside learns here which P it entered with.
    if (c.beforeTrace || c.proc === -1) c.proc = steal.proc;
  }

  #settle(c: Call, recycle = true): void {
    c.duration = (c.ended ? c.end : this.last) - c.start;
    if (c.ended && c.outcome !== "exited") {
      if (c.returnProc === -1) c.outcome = c.steal && !c.steal.self ? "stolen" : "no-proc";
      else c.outcome = c.returnProc === c.proc ? "returned" : "reacquired";
    }
    this.settle(c);
    if (!recycle) return;
    // Nothing can reach it any more: a thread's last syscall once settled
    // is one no steal would take (it has one, or a later syscall began).
    const t = c.thread >= 0 ? this.#threads.get(c.thread) : undefined;
    if (t !== undefined && t.last === c) t.last = null;
    c.steal = null;
    c.tables = null;
    this.#free.push(c);
  }

  /**
   * Settles, without recycling, what is still open or could still be
   * stolen from, in the order they began: the end of the trace (or a look
   * at the result so far).
   */
  flush(): void {
    const rest: Call[] = [...this.#orphans, ...this.#byGBig.values()];
    for (const c of this.#byG) if (c !== undefined) rest.push(c);
    for (const t of this.#threads.values()) {
      if (t.last !== null && t.last.ended && t.last.steal === null) rest.push(t.last);
    }
    rest.sort((a, b) => a.seq - b.seq);
    for (const c of rest) this.#settle(c, false);
  }
}

/**
 * Builds the syscall records from events fed one by one, keeping them all
 * (for only some of them, see {@link SyscallSelection}).
 *
 * @example
 * ```ts
 * import { SyscallAnalysis } from "./syscalls.ts";
 * import { Reader } from "../reader/reader.ts";
 * const sa = new SyscallAnalysis();
 * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * for await (const ev of r) sa.event(ev);
 * const calls = sa.result();
 * console.assert(calls.length > 0 && calls.every((c) => c.duration >= 0));
 * ```
 */
export class SyscallAnalysis {
  #settled: SyscallRecord[] = [];
  #seqs: number[] = [];
  #t = new SyscallTracker((c) => {
    this.#settled.push(c.record());
    this.#seqs.push(c.seq);
  });

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#t.event(ev);
  }

  /** Every syscall so far, in the order they began (the open ones as of the last event). */
  result(): SyscallRecord[] {
    const settled = this.#settled.length;
    this.#t.flush(); // appends the open ones, not for keeps
    // Every syscall begun is settled or flushed once: its seq is its place.
    const out: SyscallRecord[] = new Array(this.#seqs.length);
    for (let i = 0; i < this.#seqs.length; i++) out[this.#seqs[i]] = this.#settled[i];
    this.#settled.length = this.#seqs.length = settled;
    return out;
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
  #before: (a: Order, b: Order) => boolean;
  #limit: number;
  #heap: Kept[] = []; // with a limit: its root is the last of the kept ones
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
    this.#t = new SyscallTracker((c) => this.#offer(c));
  }

  /** Feeds the next event. Not after {@link result}, which settles what is open. */
  event(ev: Event): void {
    if (this.#done) throw new Error("SyscallSelection: event() after result()");
    this.#t.event(ev);
  }

  #offer(c: Call): void {
    if (!this.#match(c)) return;
    this.#matched++;
    const heap = this.#heap;
    const before = this.#before;
    if (heap.length >= this.#limit && !before(c, heap[0])) return;
    const kept: Kept = { rec: c.record(), seq: c.seq, duration: c.duration };
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

/** A kept record, with what orders it. */
interface Kept {
  rec: SyscallRecord;
  seq: number;
  duration: number;
}

type Order = Pick<Kept, "seq" | "duration">;
const beganFirst = (a: Order, b: Order) => a.seq < b.seq;
const longerFirst = (a: Order, b: Order) =>
  a.duration > b.duration || (a.duration === b.duration && a.seq < b.seq);

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
  /** Whose P another M stole (true) or not (false); an M giving up its own P is no steal. */
  stolen?: boolean;
  /** With a ProcSteal of its P (true), by another M or its own, or without (false). */
  stealSeen?: boolean;
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

/** What a query tests: a record, or a syscall still being tracked. */
type Matchable = Pick<
  SyscallRecord,
  "goroutine" | "thread" | "start" | "duration" | "stack" | "outcome" | "steal"
>;

/** The test of a query, for one syscall at a time. */
function syscallMatcher(q: SyscallQuery): (s: Matchable) => boolean {
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
    (q.stolen === undefined || (s.steal !== null && !s.steal.self) === q.stolen) &&
    (q.stealSeen === undefined || (s.steal !== null) === q.stealSeen) &&
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
