/**
 * Who held each P and what each M ran: the scheduler seen from the Ps and
 * from the Ms. A P is held by an M from `ProcStart` (or its status at the
 * trace start) to `ProcStop` or to the `ProcSteal` that takes it from an M
 * stuck in a syscall; goroutines run on an M, and on a P while not in a
 * syscall.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Ev, WireProcStatus } from "../wire/spec.ts";
import { GoStateCode, ProcStateCode } from "../events/kinds.ts";
import { Transition } from "./transitions.ts";
import { readAll, type Source } from "./source.ts";

/**
 * A stretch during which one M held one P.
 *
 * @example
 * ```ts
 * import { type ProcHold, schedulerViews } from "./procs.ts";
 * const { procs } = await schedulerViews(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const holds: ProcHold[] = procs.flatMap((p) => p.holds);
 * console.assert(holds.every((h) => h.end >= h.start));
 * ```
 */
export interface ProcHold {
  /** The P. */
  proc: number;
  /** The M holding it. */
  thread: number;
  /** Since when (the trace start for Ps already held then). */
  start: number;
  /** Until when (the trace end when still held). */
  end: number;
  /** How it ended: released ("stop"), taken by another M ("steal"), or the trace ended. */
  endedBy: "stop" | "steal" | "trace-end";
  /** The M that stole it, -1 when not stolen. */
  stolenBy: number;
}

/**
 * A stretch during which one goroutine ran (or sat in a syscall) on one M.
 *
 * @example
 * ```ts
 * import { type ExecSlice, schedulerViews } from "./procs.ts";
 * const { threads } = await schedulerViews(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const syscalls: ExecSlice[] = threads.flatMap((m) => m.slices.filter((s) => s.state === "Syscall"));
 * console.assert(syscalls.length > 0);
 * ```
 */
export interface ExecSlice {
  /** The goroutine. */
  goroutine: number;
  /** The M. */
  thread: number;
  /** The P (for a syscall, the one it entered with), -1 when none. */
  proc: number;
  /** "Running", or "Syscall" while in a syscall. */
  state: "Running" | "Syscall";
  /** Start (ns). */
  start: number;
  /** End (the trace end when still going). */
  end: number;
}

/**
 * A `ProcSteal`, as seen from the P.
 *
 * @example
 * ```ts
 * import { type ProcStealMark, schedulerViews } from "./procs.ts";
 * const { procs } = await schedulerViews(new URL("../../testdata/demo.trace", import.meta.url));
 * const steals: ProcStealMark[] = procs.flatMap((p) => p.steals);
 * console.assert(steals.length === 2 && steals.every((s) => s.thread !== s.victim));
 * ```
 */
export interface ProcStealMark {
  /** When. */
  time: number;
  /** The M that took the P. */
  thread: number;
  /** The M it was taken from (-1 when the trace does not say). */
  victim: number;
  /** The P had been left in a syscall before the generation began. */
  abandoned: boolean;
}

/**
 * One P: who held it, which goroutines ran on it, and the steals.
 *
 * @example
 * ```ts
 * import { type ProcView, schedulerViews } from "./procs.ts";
 * const { procs } = await schedulerViews(new URL("../../testdata/demo.trace", import.meta.url));
 * const p0: ProcView = procs[0];
 * console.assert(p0.proc === 0 && p0.holds.length > 1);
 * ```
 */
export interface ProcView {
  /** P id. */
  proc: number;
  /** Ms that held it, by time. */
  holds: ProcHold[];
  /** Goroutines that ran on it, by time. */
  slices: ExecSlice[];
  /** Steals of this P, by time. */
  steals: ProcStealMark[];
}

/**
 * One M: the Ps it held and the goroutines it ran (syscalls included).
 *
 * @example
 * ```ts
 * import { schedulerViews, type ThreadView } from "./procs.ts";
 * const { threads } = await schedulerViews(new URL("../../testdata/demo.trace", import.meta.url));
 * const m0: ThreadView = threads[0];
 * console.assert(m0.slices.every((s) => s.thread === m0.thread));
 * ```
 */
export interface ThreadView {
  /** M id. */
  thread: number;
  /** Ps it held, by time. */
  holds: ProcHold[];
  /** Goroutines it ran or made syscalls for, by time. */
  slices: ExecSlice[];
}

/**
 * What {@link SchedulerViews.result} returns.
 *
 * @example
 * ```ts
 * import { type SchedulerResult, schedulerViews } from "./procs.ts";
 * const v: SchedulerResult = await schedulerViews(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(v.procs.length === 4);
 * ```
 */
export interface SchedulerResult {
  /** Every P, by id. */
  procs: ProcView[];
  /** Every M, by id. */
  threads: ThreadView[];
}

/**
 * What a P's transition does to who holds the P (see {@link holdChange}).
 *
 * @example
 * ```ts
 * import { HoldChange } from "./procs.ts";
 * console.assert(new Set(Object.values(HoldChange)).size === 4);
 * ```
 */
export const HoldChange = {
  /** Nothing (a status restating an idle P, say). */
  None: 0,
  /** The event's M takes the P. */
  Take: 1,
  /** Whoever held it lets it go. */
  Stop: 2,
  /** The event's M steals it (from a syscall). */
  Steal: 3,
} as const;

/**
 * What the P transition `tr` (decoded from `ev`) does to who holds the P:
 * its M takes it (ProcStart, or a status of Running on an M), it is let go
 * (ProcStop, a status of Idle) or it is stolen (ProcSteal). The per-P views
 * and the Chrome export draw who held each P from it.
 *
 * @example
 * ```ts
 * import { HoldChange, holdChange } from "./procs.ts";
 * import { Transition } from "./transitions.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const ev = new Event(null, 4, 2, -1, Ev.ProcStop, 100, 0, 0, 0, 0);
 * const tr = new Transition();
 * tr.decode(ev);
 * console.assert(holdChange(ev, tr) === HoldChange.Stop);
 * ```
 */
export function holdChange(ev: Event, tr: Transition): number {
  switch (ev.type) {
    case Ev.ProcStart:
      return HoldChange.Take;
    case Ev.ProcStatus:
      if (tr.to === ProcStateCode.Running && ev.thread >= 0) return HoldChange.Take;
      return tr.to === ProcStateCode.Idle ? HoldChange.Stop : HoldChange.None;
    case Ev.ProcStop:
      return HoldChange.Stop;
    case Ev.ProcSteal:
      return HoldChange.Steal;
  }
  return HoldChange.None;
}

/**
 * Builds the per-P and per-M views from events fed one by one.
 *
 * @example
 * ```ts
 * import { SchedulerViews } from "./procs.ts";
 * import { Reader } from "../reader/reader.ts";
 * const v = new SchedulerViews();
 * const r = await Reader.open(new URL("../../testdata/syscall-reacquire-new-proc.trace", import.meta.url));
 * for await (const ev of r) v.event(ev);
 * const { procs, threads } = v.result();
 * console.assert(procs.length > 0 && threads.length > 0);
 * ```
 */
export class SchedulerViews {
  #holds: ProcHold[] = [];
  #slices: ExecSlice[] = [];
  #steals = new Map<number, ProcStealMark[]>();
  #procs = new Set<number>();
  #openHold = new Map<number, ProcHold>(); // by P
  #openSlice = new Map<number, ExecSlice>(); // by goroutine
  #tr = new Transition();
  #last = 0;

  /** Feeds the next event. */
  event(ev: Event): void {
    const t = ev.time;
    this.#last = t;
    const tr = this.#tr;
    const what = tr.decode(ev);
    if (what === "proc") {
      this.#procs.add(tr.id);
      switch (holdChange(ev, tr)) {
        case HoldChange.Take:
          this.#acquire(tr.id, ev.thread, t);
          break;
        case HoldChange.Stop:
          this.#release(tr.id, t, "stop", -1);
          break;
        case HoldChange.Steal: {
          const hold = this.#openHold.get(tr.id);
          const victim = hold ? hold.thread : ev.a2;
          this.#release(tr.id, t, "steal", ev.thread);
          let list = this.#steals.get(tr.id);
          if (!list) this.#steals.set(tr.id, list = []);
          list.push({
            time: t,
            thread: ev.thread,
            victim,
            abandoned: ev.a3 === WireProcStatus.SyscallAbandoned,
          });
          break;
        }
      }
      return;
    }
    if (what !== "goroutine" || tr.from === tr.to) return;
    const wasIn = tr.from === GoStateCode.Running || tr.from === GoStateCode.Syscall;
    if (wasIn) {
      const s = this.#openSlice.get(tr.id);
      if (s) {
        s.end = t;
        this.#openSlice.delete(tr.id);
      }
    }
    if ((tr.to === GoStateCode.Running || tr.to === GoStateCode.Syscall) && ev.thread >= 0) {
      const s: ExecSlice = {
        goroutine: tr.id,
        thread: ev.thread,
        proc: ev.proc,
        state: tr.to === GoStateCode.Running ? "Running" : "Syscall",
        start: t,
        end: t,
      };
      this.#slices.push(s);
      this.#openSlice.set(tr.id, s);
    }
  }

  #acquire(proc: number, thread: number, t: number): void {
    const open = this.#openHold.get(proc);
    if (open) {
      if (open.thread === thread) return; // a restated status
      this.#release(proc, t, "stop", -1);
    }
    const h: ProcHold = {
      proc,
      thread,
      start: t,
      end: t,
      endedBy: "trace-end",
      stolenBy: -1,
    };
    this.#holds.push(h);
    this.#openHold.set(proc, h);
  }

  #release(proc: number, t: number, how: "stop" | "steal", by: number): void {
    const h = this.#openHold.get(proc);
    if (!h) return;
    h.end = t;
    h.endedBy = how;
    h.stolenBy = by;
    this.#openHold.delete(proc);
  }

  /** The views; whatever is still open ends at the last event. */
  result(): SchedulerResult {
    for (const h of this.#openHold.values()) h.end = this.#last;
    for (const s of this.#openSlice.values()) s.end = this.#last;
    const procs = new Map<number, ProcView>();
    const threads = new Map<number, ThreadView>();
    const proc = (id: number) => {
      let v = procs.get(id);
      if (!v) {
        procs.set(id, v = { proc: id, holds: [], slices: [], steals: this.#steals.get(id) ?? [] });
      }
      return v;
    };
    const thread = (id: number) => {
      let v = threads.get(id);
      if (!v) threads.set(id, v = { thread: id, holds: [], slices: [] });
      return v;
    };
    for (const id of this.#procs) proc(id);
    for (const h of this.#holds) {
      proc(h.proc).holds.push(h);
      thread(h.thread).holds.push(h);
    }
    for (const s of this.#slices) {
      thread(s.thread).slices.push(s);
      if (s.state === "Running" && s.proc >= 0) proc(s.proc).slices.push(s);
    }
    return {
      procs: [...procs.values()].sort((a, b) => a.proc - b.proc),
      threads: [...threads.values()].sort((a, b) => a.thread - b.thread),
    };
  }
}

/**
 * The P holding an M at time `t` in a thread view, or -1.
 *
 * @example
 * ```ts
 * import { procOfThreadAt, type ThreadView } from "./procs.ts";
 * const m: ThreadView = { thread: 1, slices: [], holds: [
 *   { proc: 0, thread: 1, start: 10, end: 20, endedBy: "stop", stolenBy: -1 },
 * ] };
 * console.assert(procOfThreadAt(m, 15) === 0 && procOfThreadAt(m, 25) === -1);
 * ```
 */
export function procOfThreadAt(view: ThreadView, t: number): number {
  for (const h of view.holds) if (h.start <= t && t < h.end) return h.proc;
  return -1;
}

/**
 * Reads a trace and returns its per-P and per-M views.
 *
 * @example
 * ```ts
 * import { schedulerViews } from "./procs.ts";
 * const v = await schedulerViews(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(v.procs.every((p) => p.holds.every((h) => h.proc === p.proc)));
 * ```
 */
export async function schedulerViews(source: Source): Promise<SchedulerResult> {
  const v = new SchedulerViews();
  await readAll(source, (ev) => v.event(ev));
  return v.result();
}
