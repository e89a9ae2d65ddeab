/**
 * Go execution traces for Deno: read traces written by `runtime/trace` or
 * `go test -trace` with the same events, order, timestamps, states and
 * stacks as Go's own reader (golang.org/x/exp/trace).
 *
 * The pipeline, one folder per stage under `src/`:
 * - `wire/`: header, batches, generations, string/stack tables, the event
 *   spec table, the textual format and a trace builder;
 * - `events/`: the `Event` model (kinds, states, Go's formatting);
 * - `order/`: the ordering engine that replays the scheduler (G/P/M states
 *   and sequence numbers) to put per-thread events in one order;
 * - `legacy/`: old-format traces (go1.11–go1.21), parsed whole, ordered by
 *   their own rules and converted into the same events;
 * - `reader/`: the `Reader` (bytes, files, streams; new format through
 *   `order/`, old format through `legacy/`) and its parallel form;
 * - `validate/`: consistency checks over an event stream.
 *
 * This entry point is what a user of the library needs: the Reader and its
 * events, validation, the queries, `openTrace` and its views, the pictures
 * and pprof export. The rest has entry points of its own: `./display` (the
 * building blocks of the views and pictures: tables, timelines, charts,
 * renderers), `./pprof` (the pprof and protobuf codec, profile analyses),
 * `./wire` (wire decoding and the event spec table), `./order` (the ordering
 * engine), `./testing` (the trace builder and Go's text format) and `./sql`
 * (DuckDB over trace tables).
 *
 * @example
 * ```ts
 * import { Reader } from "./mod.ts";
 * const reader = await Reader.open(new URL("./testdata/syscall-simple.trace", import.meta.url));
 * const kinds = new Map<string, number>();
 * for await (const ev of reader) kinds.set(ev.kind, (kinds.get(ev.kind) ?? 0) + 1);
 * console.assert((kinds.get("StateTransition") ?? 0) > 0);
 * ```
 *
 * @module
 */

export { TraceError } from "./src/trace_error.ts";
export type { TraceErrorCode, TraceLocation } from "./src/trace_error.ts";

export { Reader, readEvents, readTraceBytes } from "./src/reader/mod.ts";
export type { ReaderOptions, TraceSource } from "./src/reader/mod.ts";
// Generations ordered in parallel on workers: the same events as the Reader.
export { ParallelReader, readEventsParallel } from "./src/reader/mod.ts";
export type { ParallelOptions, ParallelStats } from "./src/reader/mod.ts";
export { Event, Stack } from "./src/events/mod.ts";
export type {
  ClockSnapshot,
  EventKind,
  ExperimentalEvent,
  GoState,
  Label,
  Log,
  Metric,
  ProcState,
  Range,
  Region,
  ResourceID,
  StackFrame,
  StateTransition,
  Sync,
  Task,
} from "./src/events/mod.ts";
export { GO_STATES, NO_TASK, PROC_STATES } from "./src/events/mod.ts";
// Reader states (output side) and wire statuses (input side): distinct types.
export { GoStateCode, ProcStateCode } from "./src/events/mod.ts";
export { WireGoStatus, WireProcStatus } from "./src/wire/mod.ts";
// Types only, for what the public classes expose: the reader's options, the
// string and stack tables of an Event and a Stack, and the ordering engine a
// Reader and a Stepper run (with the wire types its members name). The values
// (the engine, the splitter...) are in ./order.ts and ./wire.ts.
export type * from "./wire.ts";
export type * from "./order.ts";

export { formatViolation, validate, validateAsync, Validator } from "./src/validate/mod.ts";
export type {
  ValidatedClockSnapshot,
  ValidatedEvent,
  ValidatedFrame,
  ValidatedResource,
  ValidatedStack,
  ValidatorOptions,
  Violation,
} from "./src/validate/mod.ts";

export { Stepper } from "./src/stepping/mod.ts";
export type {
  Change,
  Failure,
  FrontierEntry,
  GenerationInfo,
  GoroutineRow,
  Placement,
  ProcRow,
  SchedState,
  ThreadRow,
} from "./src/stepping/mod.ts";

// --- queries -----------------------------------------------------------------
// Analyses over the event stream (goroutines, goroutine analysis, syscalls and
// steals, Ps and Ms, tasks and regions, GC and metrics, MMU, CPU samples).
// Every export is documented, with an example, in src/queries/.
export * from "./src/queries/mod.ts";

// --- views -------------------------------------------------------------------
// `openTrace(path)` gives a TraceView whose views (summary, goroutines,
// syscalls, steals, timelines as SVG, tasks, GC, MMU...) render as HTML/SVG in
// Jupyter and as text elsewhere; the functions below make the same views from
// query results. chromeTrace() exports for Perfetto UI (ChromeTraceWriter the
// same JSON as the trace is read). Their building blocks (DataTable, Timeline,
// LineChart, renderers) are in ./display.ts; here only as types.
export { openTrace, SummaryView, TraceView } from "./src/display/mod.ts";
export type { EventSpan, SummaryExtra, SyscallListOptions } from "./src/display/mod.ts";
export {
  blockReasonTable,
  cpuTable,
  eventTable,
  functionTimeTable,
  gcCycleTable,
  goroutineInfoTable,
  goroutineTimeline,
  goroutineTimeTable,
  heapChart,
  logTable,
  mmuCurve,
  mmuTableView,
  procTimeline,
  regionTable,
  steals,
  stealTable,
  stwTable,
  syscallTable,
  taskTable,
  threadTimeline,
} from "./src/display/mod.ts";
export type {
  BlockReasonRow,
  EventRow,
  GoroutineTimelineOptions,
  StealRow,
  SyscallTableOptions,
  TimelineData,
  TimelineWindow,
  ViewOptions,
} from "./src/display/mod.ts";
export { chromeTrace, ChromeTraceWriter } from "./src/export/mod.ts";
export type {
  ChromeEvent,
  ChromeTrace,
  ChromeTraceData,
  ChromeWriterOptions,
  TimeBound,
} from "./src/export/mod.ts";
export type {
  ChartOptions,
  ChartSeries,
  Column,
  DataTable,
  DataTableOptions,
  LegendEntry,
  LineChart,
  Rich,
  RichMime,
  Timeline,
  TimelineLane,
  TimelineMark,
  TimelineRenderOptions,
  TimelineSpan,
} from "./src/display/mod.ts";

// --- pictures ----------------------------------------------------------------
// What people look at rather than read: histograms of duration lists (with
// p50/p90/p99/max), flame graphs of CPU samples and of blocked/syscall/
// scheduling time by stack, the heap and runtime plot with GC and STW shading,
// the P utilisation heatmap. Each is a Picture (data + SVG + text) that shows
// itself in Jupyter; their renderers are in ./display.ts.
// Every export is documented, with an example, in src/display/.
export type { Picture } from "./src/display/mod.ts";
export { histogram, histogramStats, histogramsView, histogramView } from "./src/display/mod.ts";
export type {
  HistogramBucket,
  HistogramData,
  HistogramOptions,
  HistogramStats,
  ValueUnit,
} from "./src/display/mod.ts";
export { flameGraphView, flameTree } from "./src/display/mod.ts";
export type { FlameNode, FlameOptions, WeightedStack } from "./src/display/mod.ts";
export { runtimePlotData, runtimePlotView } from "./src/display/mod.ts";
export type { PlotRange, RuntimePlotData, RuntimePlotOptions } from "./src/display/mod.ts";
export { heatmapView, procHeatmap } from "./src/display/mod.ts";
export type { HeatmapData, HeatmapOptions } from "./src/display/mod.ts";

// --- pprof -------------------------------------------------------------------
// Stack profiles exported to pprof: go tool trace's network, sync, syscall and
// scheduler-latency profiles under Go's rules (equal to `go tool trace -pprof`),
// or ours (charged as the goroutine analysis does; all waits; CPU samples).
// The codec (decodePprof, protobuf) and the analyses are in ./pprof.ts.
export { PPROF_KINDS, stackProfile } from "./src/export/mod.ts";
export type {
  ProfileKind,
  ProfileRules,
  StackProfile,
  StackProfileOptions,
  StackRecord,
} from "./src/export/mod.ts";
export type { GoProfileKind, GoProfileOptions } from "./src/export/mod.ts";
export { encodePprof, pprofFromTrace, toPprof } from "./src/export/mod.ts";
export type {
  PprofFunction,
  PprofLabel,
  PprofLine,
  PprofLocation,
  PprofMapping,
  PprofProfile,
  PprofSample,
  PprofValueType,
  ToPprofOptions,
} from "./src/export/mod.ts";
