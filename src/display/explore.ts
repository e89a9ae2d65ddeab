/**
 * One object per trace for exploring it in a notebook or the REPL: open
 * it once, then ask for its summary, goroutines, syscalls, steals,
 * timelines, tasks, GC... Each answer is a value that shows itself (HTML
 * or SVG in Jupyter, text in the REPL) and still holds the data.
 *
 * The trace is read into memory once (events and bytes, for the stepper);
 * each analysis runs over the events the first time it is asked for.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Reader, readTraceBytes, type TraceSource } from "../reader/reader.ts";
import { TraceError } from "../trace_error.ts";
import { Stepper } from "../stepping/stepper.ts";
import {
  functionSummaries,
  GoroutineAnalysis,
  type GoroutineAnalysisResult,
  type GoroutineSummary,
} from "../queries/analysis.ts";
import {
  filterGoroutines,
  type GoroutineFilter,
  type GoroutineInfo,
  GoroutineTable,
} from "../queries/goroutines.ts";
import {
  filterSyscalls,
  SyscallAnalysis,
  type SyscallQuery,
  type SyscallRecord,
} from "../queries/syscalls.ts";
import { type SchedulerResult, SchedulerViews } from "../queries/procs.ts";
import { TaskAnalysis, type TaskResult } from "../queries/tasks.ts";
import { GCAnalysis, type GCResult } from "../queries/gc.ts";
import { mmuTable, MutatorUtilization, type UtilPoint } from "../queries/mmu.ts";
import { CPUProfileAnalysis } from "../queries/cpu.ts";
import type { Analysis } from "../queries/source.ts";
import type { DataTable } from "./data_table.ts";
import { type EventFilter, eventMatcher } from "../queries/event_filter.ts";
import { eventTable } from "./event_view.ts";
import { JUPYTER_DISPLAY, type Rich } from "./rich.ts";
import { SummaryView } from "./summary_view.ts";
import { TraceCounter, type TraceCounts } from "../queries/counts.ts";
import {
  type BlockReasonRow,
  blockReasonTable,
  functionTimeTable,
  goroutineInfoTable,
  goroutineTimeTable,
} from "./goroutine_view.ts";
import { type StealRow, steals, stealTable, syscallTable } from "./syscall_view.ts";
import {
  goroutineTimeline,
  type GoroutineTimelineOptions,
  procTimeline,
  threadTimeline,
  type TimelineWindow,
} from "./timelines.ts";
import type { Timeline } from "./svg_timeline.ts";
import { logTable, regionTable, taskTable } from "./annotation_view.ts";
import { gcCycleTable, heapChart, mmuCurve, mmuTableView, stwTable } from "./gc_view.ts";
import { cpuTable } from "./cpu_view.ts";
// The steppers this hands out show themselves as text and in Jupyter:
// stepper_view.ts gives the Stepper its looks, whichever module loads this one.
import "./stepper_view.ts";
import { type ChromeTrace, chromeTrace } from "../export/chrome_trace.ts";
import type { LineChart } from "./svg_chart.ts";
import type { FunctionSamples } from "../queries/cpu.ts";
import type { LogEntry, RegionInfo, TaskInfo } from "../queries/tasks.ts";
import type { GCCycle, STWRange } from "../queries/gc.ts";
import type { FunctionSummary } from "../queries/analysis.ts";

/**
 * Options of a syscall listing: a query, plus sorting.
 *
 * @example
 * ```ts
 * import type { SyscallListOptions } from "./explore.ts";
 * const o: SyscallListOptions = { minDuration: 1_000_000, stolen: true, longest: true };
 * console.assert(o.longest);
 * ```
 */
export interface SyscallListOptions extends SyscallQuery {
  /** Longest first (default: in the order they began). */
  longest?: boolean;
  /** Rows shown (default 25). */
  max?: number;
}

/**
 * A trace opened for exploring. Get one with {@link openTrace}.
 *
 * @example
 * ```ts
 * import { openTrace } from "./explore.ts";
 * const t = await openTrace(new URL("../../testdata/syscall-steal.trace", import.meta.url));
 * console.assert(t.steals().length === 1);
 * console.assert(String(t.summary()).includes("ProcSteal"));
 * console.assert(t.timeline().toSvg().startsWith("<svg"));
 * ```
 */
export class TraceView {
  #cache = new Map<string, unknown>();
  #events: readonly Event[] | null = null;

  /**
   * A view over a trace already read once; {@link openTrace} makes one.
   * @param name what to call the trace (its path)
   * @param bytes the decompressed trace
   * @param version trace format version (Go 1.x minor)
   * @param span how many events it gives (before `error`), and when
   * @param error why reading stopped early, if it did
   */
  constructor(
    readonly name: string,
    readonly bytes: Uint8Array,
    readonly version: number,
    readonly span: EventSpan,
    readonly error: TraceError | null,
  ) {}

  /**
   * Every event (up to `error`), read again from the bytes on first use and
   * then kept, for questions of your own. The views never need it: each
   * streams the bytes once, so a big trace is never held as events.
   */
  get events(): readonly Event[] {
    if (this.#events === null) {
      const all: Event[] = [];
      eachEvent(this.bytes, (ev) => all.push(ev));
      this.#events = all;
    }
    return this.#events;
  }

  /** Time of the first event (shown as 0 in tables and timelines). */
  get start(): number {
    return this.span.start;
  }

  /** Time of the last event. */
  get end(): number {
    return this.span.end;
  }

  /** Feeds every event (up to `error`) to `fn`, in order: one pass over the bytes. */
  forEach(fn: (ev: Event) => void): void {
    if (this.#events !== null) { for (const ev of this.#events) fn(ev); }
    else eachEvent(this.bytes, fn);
  }

  /** Runs an analysis over the events once, and keeps its result. */
  analyze<T>(key: string, make: () => Analysis<T>): T {
    this.#prepare({ [key]: make });
    return this.#cache.get(key) as T;
  }

  // Runs the analyses not done yet together, in one pass.
  #prepare(wanted: Record<string, () => Analysis<unknown>>): void {
    const keys: string[] = [], todo: Analysis<unknown>[] = [];
    for (const [key, make] of Object.entries(wanted)) {
      if (!this.#cache.has(key)) {
        keys.push(key);
        todo.push(make());
      }
    }
    if (todo.length === 0) return;
    this.forEach((ev) => {
      for (let i = 0; i < todo.length; i++) todo[i].event(ev);
    });
    keys.forEach((k, i) => this.#cache.set(k, todo[i].result()));
  }

  /** Event counts (the cheap facts). */
  counts(): TraceCounts {
    return this.analyze("counts", () => new TraceCounter(this.version));
  }

  /** The goroutine analysis (`go tool trace`'s time breakdown, regions, tasks). */
  analysis(): GoroutineAnalysisResult {
    return this.analyze("analysis", () => new GoroutineAnalysis());
  }

  /** The goroutine table with timelines. */
  goroutineInfo(): GoroutineInfo[] {
    return this.analyze("goroutines", () => new GoroutineTable());
  }

  /** Every syscall with its steal, in the order they began. */
  syscallRecords(): SyscallRecord[] {
    return this.analyze("syscalls", () => new SyscallAnalysis());
  }

  /** Per-P and per-M views. */
  scheduler(): SchedulerResult {
    return this.analyze("scheduler", () => new SchedulerViews());
  }

  /** Tasks, regions and logs. */
  annotations(): TaskResult {
    return this.analyze("tasks", () => new TaskAnalysis());
  }

  /** GC cycles, pauses and metrics. */
  gc(): GCResult {
    return this.analyze("gc", () => new GCAnalysis());
  }

  /** Mutator utilization series (one for the whole program). */
  utilization(): UtilPoint[][] {
    return this.analyze("mmu", () => new MutatorUtilization());
  }

  /** The whole trace at a glance, with the top goroutines. */
  summary(top = 5): SummaryView {
    this.#prepare({
      counts: () => new TraceCounter(this.version),
      analysis: () => new GoroutineAnalysis(),
      gc: () => new GCAnalysis(),
      mmu: () => new MutatorUtilization(),
    });
    const size = `${(this.bytes.length / 1024).toFixed(1)} KiB`;
    const v = new SummaryView(this.counts(), {
      name: `${this.name} (${size})${
        this.error ? `, unreadable after ${this.span.count} events` : ""
      }`,
      goroutines: this.analysis().goroutines,
      gc: this.gc(),
      mmu: mmuTable(this.utilization()),
      top,
    });
    return v;
  }

  /** Goroutines (who they are), optionally filtered with the query helpers' filters. */
  goroutines(...filters: GoroutineFilter[]): DataTable<GoroutineInfo> {
    const gs = filterGoroutines(this.goroutineInfo(), ...filters);
    return goroutineInfoTable(gs, { origin: this.start });
  }

  /** The goroutines that ran most, with where their time went. */
  top(n = 10): DataTable<GoroutineSummary> {
    const caption = `Top ${n} goroutines by running time`;
    return goroutineTimeTable(this.analysis().goroutines, { max: n, caption }).head(n);
  }

  /** Where goroutine time goes, per goroutine (all of them, busiest first). */
  goroutineTimes(): DataTable<GoroutineSummary> {
    return goroutineTimeTable(this.analysis().goroutines);
  }

  /** Where goroutine time goes, per entry function. */
  functions(): DataTable<FunctionSummary> {
    return functionTimeTable(functionSummaries(this.analysis().goroutines));
  }

  /** Blocked time by reason. */
  blockReasons(): DataTable<BlockReasonRow> {
    return blockReasonTable(this.analysis().goroutines);
  }

  /** Syscalls matching a query (all by default). */
  syscalls(opts: SyscallListOptions = {}): DataTable<SyscallRecord> {
    let recs = filterSyscalls(this.syscallRecords(), opts);
    if (opts.longest) recs = recs.slice().sort((a, b) => b.duration - a.duration);
    return syscallTable(recs, { origin: this.start, max: opts.max, oldFormat: this.version < 22 });
  }

  /** Steals of Ps from syscalls, by time. */
  steals(): DataTable<StealRow> {
    return stealTable(steals(this.syscallRecords()), { origin: this.start });
  }

  /** Events matching a filter, as a table. */
  eventTable(filter: EventFilter = {}, max = 50): Rich {
    const m = eventMatcher(filter);
    // Only the rows shown are kept; the others are counted.
    const shown: Event[] = [];
    let total = 0;
    this.forEach((ev) => {
      if (m(ev) && total++ < max) shown.push(ev);
    });
    return eventTable(shown, { max, origin: this.start, total });
  }

  /** Goroutine timeline (the busiest goroutines, or the ones given). */
  timeline(opts: GoroutineTimelineOptions = {}): Timeline {
    this.#prepareTimelines(false);
    const timelines: Record<number, GoroutineInfo["timeline"]> = {};
    const names = new Map<number, string>();
    for (const g of this.goroutineInfo()) {
      timelines[g.id] = g.timeline;
      if (g.name) names.set(g.id, g.name);
    }
    return goroutineTimeline(
      { timelines, syscalls: this.syscallRecords(), names },
      { origin: this.start, ...opts },
    );
  }

  /** Timeline of the Ps: who held them, steals marked. */
  procTimeline(opts: TimelineWindow = {}): Timeline {
    this.#prepareTimelines(true);
    return procTimeline(
      { scheduler: this.scheduler(), syscalls: this.syscallRecords(), names: this.#names() },
      { origin: this.start, ...opts },
    );
  }

  /** Timeline of the Ms: what each ran, syscalls and steals. */
  threadTimeline(opts: TimelineWindow = {}): Timeline {
    this.#prepareTimelines(true);
    return threadTimeline(
      { scheduler: this.scheduler(), syscalls: this.syscallRecords(), names: this.#names() },
      { origin: this.start, ...opts },
    );
  }

  // What the timelines draw, in one pass.
  #prepareTimelines(scheduler: boolean): void {
    this.#prepare({
      goroutines: () => new GoroutineTable(),
      syscalls: () => new SyscallAnalysis(),
      ...(scheduler ? { scheduler: () => new SchedulerViews() } : {}),
    });
  }

  #names(): Map<number, string> {
    return new Map(this.goroutineInfo().filter((g) => g.name).map((g) => [g.id, g.name]));
  }

  /** A window of `span` ns around `time`, for timelines. */
  around(time: number, span: number): { from: number; to: number } {
    return { from: Math.max(this.start, time - span / 2), to: Math.min(this.end, time + span / 2) };
  }

  /** Tasks, as a tree. */
  tasks(): DataTable<TaskInfo> {
    return taskTable(this.annotations().tasks, { origin: this.start });
  }

  /** Regions. */
  regions(): DataTable<RegionInfo> {
    return regionTable(this.annotations().regions, { origin: this.start });
  }

  /** Log messages of every task, by time. */
  logs(): DataTable<LogEntry> {
    const logs = this.annotations().tasks.flatMap((t) => t.logs).sort((a, b) => a.time - b.time);
    return logTable(logs, { origin: this.start });
  }

  /** GC cycles. */
  gcCycles(): DataTable<GCCycle> {
    return gcCycleTable(this.gc().cycles, { origin: this.start });
  }

  /** Stop-the-world pauses, longest first. */
  pauses(): DataTable<STWRange> {
    return stwTable(this.gc().stw, { origin: this.start });
  }

  /** MMU at 100µs, 1ms, 10ms and 100ms. */
  mmu(): DataTable<{ window: string; mmu: number }> {
    return mmuTableView(mmuTable(this.utilization()));
  }

  /** The MMU curve. */
  mmuCurve(): LineChart {
    return mmuCurve(this.utilization());
  }

  /** Heap over time. */
  heap(): LineChart {
    const m = this.gc().metrics;
    return heapChart(m.heapLive, m.heapGoal, this.start, this.end);
  }

  /** The functions most often on the CPU (needs CPU samples in the trace). */
  cpu(n = 15): DataTable<FunctionSamples> {
    const p = this.analyze("cpu", () => new CPUProfileAnalysis({ top: n }));
    return cpuTable(p, { max: n });
  }

  /** The trace as Chrome trace-event JSON for Perfetto UI (`JSON.stringify` it to a file). */
  chromeTrace(): ChromeTrace {
    this.#prepareTimelines(true);
    const timelines: Record<number, GoroutineInfo["timeline"]> = {};
    for (const g of this.goroutineInfo()) timelines[g.id] = g.timeline;
    return chromeTrace({
      timelines,
      scheduler: this.scheduler(),
      syscalls: this.syscallRecords(),
      names: this.#names(),
      origin: this.start,
      meta: { trace: this.name },
    });
  }

  /** One line about the trace, and what to ask it next. */
  toString(): string {
    const err = this.error ? `; unreadable after that: ${this.error.message}` : "";
    return `TraceView ${this.name}: Go 1.${this.version}, ${this.span.count} events${err}\n` +
      `  .summary() .top() .goroutines() .syscalls() .steals() .timeline() .procTimeline() ` +
      `.threadTimeline() .tasks() .regions() .logs() .gcCycles() .pauses() .mmu() .heap() ` +
      `.cpu() .eventTable() .stepper() .chromeTrace()`;
  }

  /** The REPL prints {@link TraceView.toString}. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** In Jupyter, a trace shows its summary. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return this.summary()[JUPYTER_DISPLAY]();
  }

  /** A stepper over this trace's ordering, at the start. */
  stepper(): Stepper {
    return Stepper.fromBytes(this.bytes);
  }
}

/**
 * Opens a trace (path, URL, bytes or stream; gzip is fine) for exploring.
 * A trace that is bad part way is still opened, with the events before the
 * problem and the problem in `error`; one that cannot be read at all throws
 * its TraceError.
 *
 * @example
 * ```ts
 * import { openTrace } from "./explore.ts";
 * const t = await openTrace("testdata/demo.trace");
 * console.assert(t.version === 25 && t.events.length > 100 && t.error === null);
 * ```
 */
export async function openTrace(source: TraceSource, name?: string): Promise<TraceView> {
  const bytes = await readTraceBytes(source);
  // One pass to learn the version, the span and any error; the views read
  // the bytes again for what they need.
  const reader = Reader.fromBytes(bytes);
  const span: EventSpan = { count: 0, start: 0, end: 0 };
  const error = eachEvent(bytes, (ev) => {
    if (span.count++ === 0) span.start = ev.time;
    span.end = ev.time;
  }, reader);
  const label = name ??
    (typeof source === "string"
      ? source
      : source instanceof URL
      ? decodeURIComponent(source.pathname)
      : "trace");
  return new TraceView(label, bytes, reader.version, span, error);
}

/**
 * How many events a trace gives (before any error), and the times of the
 * first and last.
 *
 * @example
 * ```ts
 * import { openTrace, type EventSpan } from "./explore.ts";
 * const span: EventSpan = (await openTrace("testdata/demo.trace")).span;
 * console.assert(span.count === 112 && span.end > span.start);
 * ```
 */
export interface EventSpan {
  /** Events read. */
  count: number;
  /** Time of the first (0 when none). */
  start: number;
  /** Time of the last (0 when none). */
  end: number;
}

// Reads the events of `bytes` into `fn` up to the end or the TraceError
// that stops the reader, which it returns.
function eachEvent(
  bytes: Uint8Array,
  fn: (ev: Event) => void,
  reader: Reader = Reader.fromBytes(bytes),
): TraceError | null {
  for (;;) {
    let ev: Event | null;
    try {
      ev = reader.readEvent();
    } catch (e) {
      if (e instanceof TraceError) return e;
      throw e;
    }
    if (ev === null) return null;
    fn(ev);
  }
}
