/**
 * Chrome trace-event JSON (what Perfetto UI and chrome://tracing open):
 * one track per P, per M and per goroutine; goroutine states, syscalls and
 * who held each P as slices; each steal as a slice on the thief's track with
 * a flow arrow from the syscall that lost its P.
 *
 * Tracks are grouped as three "processes": Ps (pid 1), Ms (pid 2) and
 * goroutines (pid 3). Times are microseconds from the trace's first event.
 * Slices on a track always nest (Perfetto draws overlapping ones wrongly):
 * a slice that would stick out of its enclosing slice is clipped to it.
 * This module builds the document in memory; `chrome_writer.ts` writes the
 * same JSON as a trace is read.
 *
 * @module
 */

import type { StateInterval } from "../queries/timeline.ts";
import type { SchedulerResult } from "../queries/procs.ts";
import type { SyscallRecord } from "../queries/syscalls.ts";

/**
 * One trace event of the Chrome format (the fields this exporter writes).
 *
 * @example
 * ```ts
 * import type { ChromeEvent } from "./chrome_trace.ts";
 * const e: ChromeEvent = { ph: "X", name: "G7", ts: 0, dur: 1.5, pid: 3, tid: 7 };
 * console.assert(e.dur === 1.5);
 * ```
 */
export interface ChromeEvent {
  /** Phase: "X" complete slice, "s"/"f" flow start/finish, "M" metadata. */
  ph: "X" | "s" | "f" | "M";
  /** Name shown. */
  name: string;
  /** Category. */
  cat?: string;
  /** Start, µs. */
  ts: number;
  /** Duration, µs ("X" only). */
  dur?: number;
  /** Process: 1 Ps, 2 Ms, 3 goroutines. */
  pid: number;
  /** Track within the process: the P, M or goroutine id. */
  tid: number;
  /** Flow id ("s"/"f"). */
  id?: number;
  /** Flow binding point ("f": "e" binds to the enclosing slice). */
  bp?: "e";
  /** Details shown on selection. */
  args?: Record<string, string | number>;
}

/**
 * The JSON document.
 *
 * @example
 * ```ts
 * import type { ChromeTrace } from "./chrome_trace.ts";
 * const doc: ChromeTrace = { traceEvents: [], displayTimeUnit: "ns", otherData: {} };
 * console.assert(JSON.stringify(doc).startsWith("{"));
 * ```
 */
export interface ChromeTrace {
  /** The events. */
  traceEvents: ChromeEvent[];
  /** How the UI shows times. */
  displayTimeUnit: "ns" | "ms";
  /** Free-form metadata. */
  otherData: Record<string, string>;
}

/**
 * What the export is made from (the query helpers' results).
 *
 * @example
 * ```ts
 * import type { ChromeTraceData } from "./chrome_trace.ts";
 * const d: ChromeTraceData = { timelines: {}, scheduler: { procs: [], threads: [] }, syscalls: [] };
 * console.assert(d.syscalls.length === 0);
 * ```
 */
export interface ChromeTraceData {
  /** Goroutine state intervals. */
  timelines: Readonly<Record<number, readonly StateInterval[]>>;
  /** Per-P and per-M views. */
  scheduler: SchedulerResult;
  /** Syscalls with their steals. */
  syscalls: readonly SyscallRecord[];
  /** Goroutine names. */
  names?: ReadonlyMap<number, string>;
  /** Time 0 (ns); default the earliest time in the data. */
  origin?: number;
  /** Free-form metadata (e.g. the file name). */
  meta?: Record<string, string>;
}

/**
 * Process ids of the three groups of tracks.
 *
 * @example
 * ```ts
 * import { CHROME_PIDS } from "./chrome_trace.ts";
 * console.assert(CHROME_PIDS.goroutines === 3);
 * ```
 */
export const CHROME_PIDS = { procs: 1, threads: 2, goroutines: 3 } as const;

/**
 * Makes slices on each track nest: sorted by start (longer first on ties),
 * a slice sticking out of the one enclosing it is clipped to its end.
 *
 * @example
 * ```ts
 * import { nestSlices, type ChromeEvent } from "./chrome_trace.ts";
 * const x = (ts: number, dur: number): ChromeEvent => ({ ph: "X", name: "s", ts, dur, pid: 1, tid: 0 });
 * const out = nestSlices([x(0, 10), x(5, 10)]);
 * console.assert(out[1].ts === 5 && out[1].dur === 5);
 * ```
 */
export function nestSlices(slices: ChromeEvent[]): ChromeEvent[] {
  const byTrack = new Map<string, ChromeEvent[]>();
  for (const s of slices) {
    const k = `${s.pid}/${s.tid}`;
    let l = byTrack.get(k);
    if (!l) byTrack.set(k, l = []);
    l.push(s);
  }
  const out: ChromeEvent[] = [];
  for (const list of byTrack.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const open: number[] = []; // end times of enclosing slices
    for (const s of list) {
      while (open.length && open[open.length - 1] <= s.ts) open.pop();
      const parent = open[open.length - 1];
      if (parent !== undefined && s.ts + s.dur! > parent) s.dur = parent - s.ts;
      open.push(s.ts + s.dur!);
      out.push(s);
    }
  }
  return out;
}

/**
 * Builds the Chrome trace-event document, in memory; for a big trace,
 * {@link ChromeTraceWriter} writes the same JSON as it reads.
 *
 * @example
 * ```ts
 * import { chromeTrace } from "./chrome_trace.ts";
 * const iv = { goroutine: 1, state: "Running" as const, start: 1000, end: 3000, proc: 0, thread: 0, reason: "", stack: [] };
 * const doc = chromeTrace({ timelines: { 1: [iv] }, scheduler: { procs: [], threads: [] }, syscalls: [] });
 * const slice = doc.traceEvents.find((e) => e.ph === "X")!;
 * console.assert(slice.pid === 3 && slice.tid === 1 && slice.ts === 0 && slice.dur === 2);
 * ```
 */
export function chromeTrace(data: ChromeTraceData): ChromeTrace {
  const { procs, threads } = data.scheduler;
  let origin = data.origin;
  if (origin === undefined) {
    origin = Infinity;
    for (const l of Object.values(data.timelines)) {
      if (l.length) origin = Math.min(origin, l[0].start);
    }
    for (const v of [...procs, ...threads]) {
      for (const x of [...v.holds, ...v.slices]) origin = Math.min(origin, x.start);
    }
    if (origin === Infinity) origin = 0;
  }
  const us = (t: number) => (t - origin!) / 1000;
  const name = (g: number) => {
    const n = data.names?.get(g);
    return n ? `G${g} ${n}` : `G${g}`;
  };
  const meta: ChromeEvent[] = [];
  const slices: ChromeEvent[] = [];
  const flows: ChromeEvent[] = [];
  const track = (pid: number, tid: number, label: string) => {
    meta.push({ ph: "M", name: "thread_name", ts: 0, pid, tid, args: { name: label } });
    meta.push({ ph: "M", name: "thread_sort_index", ts: 0, pid, tid, args: { sort_index: tid } });
  };
  const slice = (
    pid: number,
    tid: number,
    start: number,
    end: number,
    sliceName: string,
    cat: string,
    args: Record<string, string | number>,
  ) => {
    slices.push({
      ph: "X",
      name: sliceName,
      cat,
      ts: us(start),
      dur: Math.max(0, (end - start) / 1000),
      pid,
      tid,
      args,
    });
  };
  meta.push(...processEvents());
  const P = CHROME_PIDS.procs, M = CHROME_PIDS.threads, G = CHROME_PIDS.goroutines;

  // Ps: which M held it (outer slices), which goroutine ran on it (inner).
  for (const v of procs) {
    track(P, v.proc, `P${v.proc}`);
    for (const h of v.holds) {
      slice(P, v.proc, h.start, h.end, `M${h.thread}`, "proc held", {
        m: h.thread,
        ended: h.endedBy === "steal" ? `stolen by M${h.stolenBy}` : h.endedBy,
      });
    }
    for (const s of v.slices) {
      slice(P, v.proc, s.start, s.end, name(s.goroutine), "running", {
        g: s.goroutine,
        m: s.thread,
      });
    }
  }
  const threadIds = new Set(threads.map((t) => t.thread));
  for (const sc of data.syscalls) {
    const end = sc.start + sc.duration;
    const fn = sc.stack[0]?.func ?? "syscall";
    const args = { g: sc.goroutine, m: sc.thread, p: sc.proc, outcome: sc.outcome };
    if (sc.proc >= 0) {
      slice(P, sc.proc, sc.start, sc.steal?.time ?? end, `syscall ${fn}`, "syscall", args);
    }
    if (sc.steal) threadIds.add(sc.steal.thread);
  }

  // Ms: goroutines run and syscalls made, steals made.
  for (const id of [...threadIds].sort((a, b) => a - b)) track(M, id, `M${id}`);
  for (const v of threads) {
    for (const s of v.slices) {
      const isSys = s.state === "Syscall";
      slice(
        M,
        v.thread,
        s.start,
        s.end,
        isSys ? `${name(s.goroutine)} syscall` : name(s.goroutine),
        isSys ? "syscall" : "running",
        {
          g: s.goroutine,
          p: s.proc,
        },
      );
    }
  }

  // Goroutines: their states.
  for (const [id, list] of Object.entries(data.timelines)) {
    const g = Number(id);
    track(G, g, name(g));
    for (const iv of list) slices.push(stateEvent(iv, iv.start, iv.end, us));
  }

  // Steals: a slice on the thief's M track, and a flow from the victim's syscall to it.
  let flowId = 0;
  for (const sc of data.syscalls) {
    const st = sc.steal;
    if (!st) continue;
    const args = { p: st.proc, from: `M${sc.thread}`, g: sc.goroutine };
    slice(M, st.thread, st.time, st.time, `ProcSteal P${st.proc}`, "steal", args);
    const id = ++flowId;
    // The flow leaves from a mark on the victim's M track, inside its syscall
    // slice when the M was seen in it; the mark gives the flow a slice to
    // bind to even when it was not (a syscall begun before the trace).
    const from = Math.min(Math.max(sc.start, st.time), sc.start + sc.duration);
    const lost = { p: st.proc, to: `M${st.thread}`, g: sc.goroutine };
    slice(M, sc.thread, from, from, `P${st.proc} taken by M${st.thread}`, "steal", lost);
    flows.push({ ph: "s", name: "steal", cat: "steal", id, ts: us(from), pid: M, tid: sc.thread });
    // ...and lands on the steal slice.
    flows.push({
      ph: "f",
      bp: "e",
      name: "steal",
      cat: "steal",
      id,
      ts: us(st.time),
      pid: M,
      tid: st.thread,
    });
  }

  return {
    traceEvents: [...meta, ...nestSlices(slices), ...flows],
    displayTimeUnit: "ns",
    otherData: { generator: "gotrace-deno", origin_ns: String(origin), ...data.meta },
  };
}

/**
 * The three groups of tracks ("processes"), named and in order.
 *
 * @example
 * ```ts
 * import { processEvents } from "./chrome_trace.ts";
 * console.assert(processEvents().filter((e) => e.name === "process_name").length === 3);
 * ```
 */
export function processEvents(): ChromeEvent[] {
  const out: ChromeEvent[] = [];
  for (const [pid, label] of [[1, "Ps"], [2, "Ms"], [3, "Goroutines"]] as const) {
    out.push({ ph: "M", name: "process_name", ts: 0, pid, tid: 0, args: { name: label } });
    out.push({
      ph: "M",
      name: "process_sort_index",
      ts: 0,
      pid,
      tid: 0,
      args: { sort_index: pid },
    });
  }
  return out;
}

/**
 * A goroutine's state as a slice on its track, from `start` to `end` (ns),
 * with times given by `us`.
 *
 * @example
 * ```ts
 * import { stateEvent } from "./chrome_trace.ts";
 * const iv = { goroutine: 7, state: "Waiting" as const, start: 0, end: 0, proc: 1, thread: 2, reason: "sleep", stack: [] };
 * const e = stateEvent(iv, 1000, 3000, (t) => t / 1000);
 * console.assert(e.name === "Waiting (sleep)" && e.tid === 7 && e.dur === 2);
 * ```
 */
export function stateEvent(
  iv: StateInterval,
  start: number,
  end: number,
  us: (t: number) => number,
): ChromeEvent {
  const label = iv.state === "Syscall"
    ? `syscall ${iv.stack[0]?.func ?? ""}`.trim()
    : iv.reason
    ? `${iv.state} (${iv.reason})`
    : iv.state;
  const args: Record<string, string | number> = { state: iv.state };
  if (iv.proc >= 0) args.p = iv.proc;
  if (iv.thread >= 0) args.m = iv.thread;
  if (iv.reason) args.reason = iv.reason;
  if (iv.stack[0]) args.at = `${iv.stack[0].func} ${iv.stack[0].file}:${iv.stack[0].line}`;
  return {
    ph: "X",
    name: label,
    cat: iv.state === "Syscall" ? "syscall" : "state",
    ts: us(start),
    dur: Math.max(0, (end - start) / 1000),
    pid: CHROME_PIDS.goroutines,
    tid: iv.goroutine,
    args,
  };
}
