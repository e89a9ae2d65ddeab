/**
 * A whole trace at a glance: version, span, events by kind, goroutines,
 * threads and Ps, syscalls and steals, user annotations (counted here),
 * GC, stop-the-world pauses and MMU (from the query helpers), and the
 * goroutines that ran most (from the goroutine analysis).
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Ev } from "../wire/spec.ts";
import { EV_SYNC, GoSt, KIND_OF_TYPE } from "../events/kinds.ts";
import { FakeP } from "../legacy/spec.ts";
import { Transition } from "../queries/transitions.ts";
import { IdSet } from "../queries/ids.ts";
import type { GoroutineSummary } from "../queries/analysis.ts";
import type { GCResult } from "../queries/gc.ts";
import { formatDuration } from "./duration.ts";
import { count, escapeHtml, escapeText } from "./html.ts";
import { goroutineTimeTable } from "./goroutine_view.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";

/**
 * What {@link TraceCounter} counts: the cheap facts of a trace.
 *
 * @example
 * ```ts
 * import { TraceCounter, type TraceCounts } from "./summary_view.ts";
 * const c: TraceCounts = new TraceCounter(22).result();
 * console.assert(c.version === 22 && c.events === 0);
 * ```
 */
export interface TraceCounts {
  /** Go 1.x minor version of the trace format (0 when unknown). */
  version: number;
  /** Number of generations. */
  generations: number;
  /** First and last event times (ns). */
  start: number;
  /** Last event time (ns). */
  end: number;
  /** Events read. */
  events: number;
  /** Events by kind, most frequent first. */
  byKind: [string, number][];
  /** Distinct goroutines, threads and Ps seen. */
  goroutines: number;
  /** Threads (Ms). */
  threads: number;
  /** Ps. */
  procs: number;
  /**
   * The old format's placeholder Ps (1000001 and up: events of the timer,
   * netpoll, syscalls or GC, which had no P), not counted in `procs`.
   */
  placeholderProcs: number;
  /** Largest GOMAXPROCS seen. */
  gomaxprocs: number;
  /** Syscalls: goroutines entering the Syscall state (as `SyscallAnalysis` counts them). */
  syscalls: number;
  /** ProcSteal events. */
  steals: number;
  /** User tasks begun, regions begun, log messages. */
  tasks: number;
  /** Regions begun. */
  regions: number;
  /** Log messages. */
  logs: number;
  /** CPU samples. */
  cpuSamples: number;
}

/**
 * Counts what a summary needs, one event at a time (an `Analysis` in the
 * sense of src/queries/source.ts).
 *
 * @example
 * ```ts
 * import { TraceCounter } from "./summary_view.ts";
 * import { Reader } from "../reader/reader.ts";
 * const s = new TraceCounter();
 * for await (const ev of await Reader.open(new URL("../../testdata/syscall-steal.trace", import.meta.url))) s.event(ev);
 * console.assert(s.result().steals === 1 && s.result().generations === 1);
 * ```
 */
export class TraceCounter {
  #s: TraceCounts = {
    version: 0,
    generations: 0,
    start: 0,
    end: 0,
    events: 0,
    byKind: [],
    goroutines: 0,
    threads: 0,
    procs: 0,
    placeholderProcs: 0,
    gomaxprocs: 0,
    syscalls: 0,
    steals: 0,
    tasks: 0,
    regions: 0,
    logs: 0,
    cpuSamples: 0,
  };
  #byType = new Float64Array(256); // events by wire type; kinds are summed at the end
  #gs = new IdSet();
  #ms = new IdSet();
  #ps = new IdSet();
  #placeholders = new Set<number>();
  #lastM = -1;
  #lastP = -1;
  #lastG = -1;
  #tr = new Transition();

  /**
   * A counter with nothing counted yet.
   * @param version the trace's format version, when known
   */
  constructor(version = 0) {
    this.#s.version = version;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    const s = this.#s;
    // The old format's converter opens with a Sync at -1: the span starts at the first real time.
    if (s.events++ === 0 || s.start < 0) s.start = ev.time;
    s.end = ev.time;
    const type = ev.type;
    this.#byType[type]++;
    // Runs of events share their M, P and G: add only on a change.
    if (ev.thread !== this.#lastM) {
      this.#lastM = ev.thread;
      if (ev.thread !== -1) this.#ms.add(ev.thread);
    }
    if (ev.proc !== this.#lastP) {
      this.#lastP = ev.proc;
      if (ev.proc !== -1 && ev.proc < FakeP.Timer) this.#ps.add(ev.proc);
      else if (ev.proc >= FakeP.Timer) this.#placeholders.add(ev.proc);
    }
    if (ev.goroutine !== this.#lastG) {
      this.#lastG = ev.goroutine;
      if (ev.goroutine !== -1) this.#gs.add(ev.goroutine);
    }
    switch (type) {
      case Ev.GoStart:
      case Ev.GoCreate:
      case Ev.GoCreateBlocked:
        this.#gs.add(ev.a0);
        break;
      // Syscalls begun, as the syscall records count them: entering the
      // Syscall state from any other (created in one by a cgo callback, or
      // found in one at the trace start, included).
      case Ev.GoSyscallBegin:
        s.syscalls++;
        break;
      case Ev.GoCreateSyscall:
        this.#gs.add(ev.a0);
        s.syscalls++;
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack: {
        this.#gs.add(ev.a0);
        const tr = this.#tr;
        if (tr.decode(ev) === "goroutine" && tr.to === GoSt.Syscall && tr.from !== GoSt.Syscall) {
          s.syscalls++;
        }
        break;
      }
      case Ev.ProcStatus:
      case Ev.ProcStart:
        if (ev.a0 < FakeP.Timer) this.#ps.add(ev.a0);
        break;
      case Ev.ProcSteal:
        s.steals++;
        break;
      case Ev.ProcsChange:
        s.gomaxprocs = Math.max(s.gomaxprocs, ev.a0);
        break;
      case Ev.UserTaskBegin:
        s.tasks++;
        break;
      case Ev.UserRegionBegin:
        s.regions++;
        break;
      case Ev.UserLog:
        s.logs++;
        break;
      case Ev.CPUSample:
        s.cpuSamples++;
        break;
    }
  }

  /** The counts so far. */
  result(): TraceCounts {
    const s = this.#s;
    const kinds = new Map<string, number>();
    this.#byType.forEach((n, type) => {
      if (n > 0) kinds.set(KIND_OF_TYPE[type], (kinds.get(KIND_OF_TYPE[type]) ?? 0) + n);
    });
    s.byKind = [...kinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    s.goroutines = this.#gs.size;
    s.threads = this.#ms.size;
    s.procs = this.#ps.size;
    s.placeholderProcs = this.#placeholders.size;
    // A Sync opens every generation and one more closes the trace.
    s.generations = Math.max(0, this.#byType[EV_SYNC] - 1);
    return { ...s };
  }
}

/**
 * What a {@link SummaryView} shows besides the counts; each part is optional.
 *
 * @example
 * ```ts
 * import type { SummaryExtra } from "./summary_view.ts";
 * const x: SummaryExtra = { name: "app.trace", top: 3 };
 * console.assert(x.top === 3);
 * ```
 */
export interface SummaryExtra {
  /** The trace's name (file). */
  name?: string;
  /** Goroutine analysis, for the top goroutines. */
  goroutines?: readonly GoroutineSummary[];
  /** How many top goroutines (default 5). */
  top?: number;
  /** GC cycles, pauses and metrics. */
  gc?: GCResult;
  /** MMU by window label. */
  mmu?: Record<string, number>;
}

/**
 * The summary as a displayable value: a key/value list and the top
 * goroutines (from the goroutine analysis) when given.
 *
 * @example
 * ```ts
 * import { SummaryView, TraceCounter } from "./summary_view.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * const v = new SummaryView(new TraceCounter(25).result(), { name: "empty" });
 * console.assert(String(v).includes("Go 1.25") && v[JUPYTER_DISPLAY]()["text/html"].includes("<table"));
 * ```
 */
export class SummaryView {
  /**
   * A view of the counts and whatever extras are given.
   * @param summary the counts
   * @param extra the trace's name, and goroutine summaries for the top table
   */
  constructor(
    readonly summary: TraceCounts,
    readonly extra: SummaryExtra = {},
  ) {}

  /** Label/value pairs, in display order. */
  facts(): [string, string][] {
    const s = this.summary;
    const f: [string, string][] = [];
    if (this.extra.name) f.push(["Trace", this.extra.name]);
    f.push(["Format", s.version ? `Go 1.${s.version}` : "?"]);
    f.push(["Span", `${formatDuration(s.end - s.start)} (${s.start} … ${s.end} ns)`]);
    f.push(["Generations", String(s.generations)]);
    f.push([
      "Events",
      `${s.events} (${s.byKind.slice(0, 6).map(([k, n]) => `${k} ${n}`).join(", ")}${
        s.byKind.length > 6 ? ", …" : ""
      })`,
    ]);
    f.push(["Goroutines", String(s.goroutines)]);
    f.push([
      "Threads / Ps",
      `${count(s.threads, "M")}, ${count(s.procs, "P")} (GOMAXPROCS ${s.gomaxprocs || "?"})` +
      // The old format's timer, netpoll, syscall and GC events ran on made-up Ps.
      (s.placeholderProcs
        ? `, not counting the old format's ${s.placeholderProcs} placeholder Ps`
        : ""),
    ]);
    f.push(["Syscalls", `${s.syscalls}, ${s.steals} ProcSteal${s.steals === 1 ? "" : "s"}`]);
    const gc = this.extra.gc;
    if (gc) {
      const n = gc.cycles.length;
      const mark = gc.cycles.reduce((t, c) => t + c.duration, 0);
      f.push(["GC", `${n} cycle${n === 1 ? "" : "s"}, ${formatDuration(mark)} marking`]);
      const longest = gc.stw.reduce((m, r) => Math.max(m, r.duration), 0);
      const total = gc.stw.reduce((t, r) => t + r.duration, 0);
      f.push([
        "Stop-the-world",
        `${gc.stw.length} pause${gc.stw.length === 1 ? "" : "s"}, ${
          formatDuration(total)
        } total, ` +
        `longest ${formatDuration(longest)}`,
      ]);
      const heap = gc.metrics.heapLive.reduce((m, p) => Math.max(m, p.value), 0);
      if (heap) f.push(["Heap", `up to ${(heap / 1024 / 1024).toFixed(1)} MiB live`]);
    }
    const mmu = this.extra.mmu;
    if (mmu && Object.keys(mmu).length) {
      f.push([
        "MMU",
        Object.entries(mmu).map(([w, u]) => `${w} ${(u * 100).toFixed(1)}%`).join(", "),
      ]);
    }
    f.push([
      "Annotations",
      `${count(s.tasks, "task")}, ${count(s.regions, "region")}, ${count(s.logs, "log")}`,
    ]);
    f.push(["CPU samples", String(s.cpuSamples)]);
    return f;
  }

  #top() {
    const gs = this.extra.goroutines;
    if (!gs || gs.length === 0) return null;
    const n = this.extra.top ?? 5;
    return goroutineTimeTable(gs, { max: n, caption: `Top ${n} goroutines by running time` });
  }

  /** The summary as text. */
  toString(): string {
    const facts = this.facts();
    const w = Math.max(...facts.map(([k]) => k.length));
    const lines = facts.map(([k, v]) => `${k.padEnd(w)}  ${escapeText(v)}`);
    const top = this.#top();
    if (top) lines.push("", top.head(this.extra.top ?? 5).toString());
    return lines.join("\n");
  }

  /** The summary as HTML. */
  toHtml(): string {
    let h =
      `<div style="font-family:sans-serif"><table style="border-collapse:collapse;font-size:13px">`;
    for (const [k, v] of this.facts()) {
      h += `<tr><th style="text-align:left;padding:1px 12px 1px 0;vertical-align:top">${
        escapeHtml(k)
      }</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`;
    }
    h += "</table>";
    const top = this.#top();
    if (top) h += `<div style="margin-top:8px">${top.head(this.extra.top ?? 5).toHtml()}</div>`;
    return h + "</div>";
  }

  /** The REPL prints the text. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** HTML for Jupyter, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}
