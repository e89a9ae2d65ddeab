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

/**
 * Builds the syscall records from events fed one by one.
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
  #byG = new Map<number, SyscallRecord>(); // open syscalls by goroutine
  #byM = new Map<number, SyscallRecord>(); // open syscalls by thread
  #lastByM = new Map<number, SyscallRecord>(); // most recent syscall of each thread
  #pending = new Map<number, Steal>(); // abandoned steals from threads whose syscall is not seen yet
  #tr = new Transition();
  #cache = new StackCache();
  #last = 0;

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#last = ev.time;
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
    this.#all.push(rec);
    const early = rec.beforeTrace ? this.#pending.get(rec.thread) : undefined;
    if (early) {
      this.#pending.delete(rec.thread);
      this.#attach(rec, early);
    }
    this.#byG.set(rec.goroutine, rec);
    if (rec.thread >= 0) {
      this.#byM.set(rec.thread, rec);
      this.#lastByM.set(rec.thread, rec);
    }
  }

  #end(ev: Event, tr: Transition): void {
    const rec = this.#byG.get(tr.id);
    if (!rec) return;
    this.#byG.delete(tr.id);
    if (this.#byM.get(rec.thread) === rec) this.#byM.delete(rec.thread);
    rec.end = ev.time;
    if (tr.to === GoSt.NotExist) {
      rec.outcome = "exited";
      return;
    }
    rec.returnProc = ev.proc;
    rec.outcome = "returned"; // settled in result(): a later steal can still tell us its P
  }

  #steal(ev: Event): void {
    const p = ev.a0, victim = ev.a2;
    const abandoned = ev.a3 === ProcStatus.SyscallAbandoned;
    let rec = this.#byM.get(victim);
    if (rec && rec.proc !== p && rec.proc !== -1 && !rec.beforeTrace) rec = undefined;
    if (!rec) {
      // A steal the runtime made for a syscall on the stealing M itself.
      const own = this.#byM.get(ev.thread);
      if (own && own.goroutine === ev.goroutine && (own.proc === p || own.proc === -1)) rec = own;
    }
    if (!rec && abandoned) {
      // An abandoned P may be stolen after its syscall ended (across a
      // generation boundary): it belongs to that M's last syscall.
      const last = this.#lastByM.get(victim);
      if (
        last && last.steal === null && (last.beforeTrace || last.proc === -1 || last.proc === p)
      ) {
        rec = last;
      }
    }
    const steal: Steal = {
      time: ev.time,
      proc: p,
      thread: ev.thread,
      stealerProc: ev.proc,
      stealerGoroutine: ev.goroutine,
      self: rec !== undefined && ev.thread === rec.thread,
      abandoned,
    };
    if (rec) {
      if (rec.steal === null) this.#attach(rec, steal);
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

  /** Every syscall, in the order they began. */
  result(): SyscallRecord[] {
    for (const r of this.#all) {
      r.duration = (r.end ?? this.#last) - r.start;
      if (r.end === null || r.outcome === "exited") continue;
      if (r.returnProc === -1) {
        r.outcome = r.steal && !r.steal.self ? "stolen" : "no-proc";
      } else r.outcome = r.returnProc === r.proc ? "returned" : "reacquired";
    }
    return this.#all;
  }
}

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
  const gs = q.goroutines && new Set(q.goroutines);
  const ms = q.threads && new Set(q.threads);
  return syscalls.filter((s) =>
    (q.minDuration === undefined || s.duration >= q.minDuration) &&
    (q.maxDuration === undefined || s.duration <= q.maxDuration) &&
    (!gs || gs.has(s.goroutine)) &&
    (!ms || ms.has(s.thread)) &&
    (q.func === undefined || s.stack.some((f) => matchFunc(f.func, q.func!))) &&
    (!q.outcomes || q.outcomes.includes(s.outcome)) &&
    (q.stolen === undefined || (s.steal !== null && !s.steal.self) === q.stolen) &&
    (!q.window || (s.start <= q.window[1] && s.start + s.duration >= q.window[0]))
  );
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
