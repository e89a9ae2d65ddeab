/**
 * Go execution traces for Deno: read traces written by `runtime/trace` or
 * `go test -trace` with the same events, order, timestamps, states and
 * stacks as Go's own reader (golang.org/x/exp/trace).
 *
 * The pipeline, one folder per stage under `src/`:
 * - `wire/`: header, batches, generations, string/stack tables, the event
 *   spec table, the textual format and a trace builder;
 * - `order/`: the ordering engine that replays the scheduler (G/P/M states
 *   and sequence numbers) to put per-thread events in one order;
 * - `events/`: the `Event` model and the `Reader`;
 * - `legacy/`: old-format traces (go1.11–go1.21), parsed whole, ordered by
 *   their own rules and converted into the same events (the Reader uses it);
 * - `validate/`: consistency checks over an event stream.
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

export { Event, Reader, readEvents, readTraceBytes, Stack } from "./src/events/mod.ts";
// Generations ordered in parallel on workers: the same events as the Reader.
export { ParallelReader, readEventsParallel } from "./src/events/mod.ts";
export type { ParallelOptions, ParallelStats } from "./src/events/mod.ts";
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
  ReaderOptions,
  Region,
  ResourceID,
  StackFrame,
  StateTransition,
  Sync,
  Task,
  TraceSource,
} from "./src/events/mod.ts";
export { EV_SYNC, GO_STATES, NO_TASK, PROC_STATES } from "./src/events/mod.ts";
// Reader states (output side) and wire statuses (input side): distinct types.
export { GoStateCode, ProcStateCode } from "./src/events/mod.ts";
export { WireGoStatus, WireProcStatus } from "./src/wire/mod.ts";

export { Engine, NEED_MORE, Ordering, RULE_NAMES } from "./src/order/mod.ts";
export { IdTable } from "./src/order/mod.ts";
export type { GoEntry, ProcEntry, RangeType, ThreadEntry } from "./src/order/mod.ts";
export { GcState, Journal } from "./src/order/mod.ts";
export type { Advance, SchedCtx, Touched, Wait } from "./src/order/mod.ts";
export {
  BatchCursor,
  DEFAULT_LIMITS,
  GenerationSplitter,
  GenTables,
  scanWireEvents,
} from "./src/wire/mod.ts";
export type {
  GenerationLimits,
  Incomplete,
  PartialMode,
  WireEvent,
  WireScan,
} from "./src/wire/mod.ts";
export type {
  Batch,
  CPUSampleRecord,
  ExperimentalBatch,
  FrameRecord,
  Generation,
  GenerationRead,
} from "./src/wire/mod.ts";

export { Ev, eventName, SPECS } from "./src/wire/spec.ts";
export type { EventSpec } from "./src/wire/spec.ts";
export { decodeRaw, encodeBinary, formatText, parseText } from "./src/wire/text.ts";
export type { RawEvent, RawTrace } from "./src/wire/text.ts";
export { BatchBuilder, GenerationBuilder, TraceBuilder } from "./src/wire/builder.ts";
export type { ArgValue, Frame, SyncOptions } from "./src/wire/builder.ts";

export { formatViolation, validate, validateAsync, Validator } from "./src/validate/mod.ts";

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
export type {
  ValidatedClockSnapshot,
  ValidatedEvent,
  ValidatedFrame,
  ValidatedResource,
  ValidatedStack,
  ValidatorOptions,
  Violation,
} from "./src/validate/mod.ts";

// --- queries -----------------------------------------------------------------
// Analyses over the event stream (goroutines, goroutine analysis, syscalls and
// steals, Ps and Ms, tasks and regions, GC and metrics, MMU, CPU samples).
// Every export is documented, with an example, in src/queries/.
export * from "./src/queries/mod.ts";

// --- display -----------------------------------------------------------------
// Notebooks, the REPL and terminals: `openTrace(path)` gives a TraceView whose
// views (summary, goroutines, syscalls, steals, timelines as SVG, tasks, GC,
// MMU...) render as HTML/SVG in Jupyter and as text elsewhere; DataTable,
// Timeline and LineChart are the building blocks; chromeTrace() exports for
// Perfetto UI (ChromeTraceWriter the same JSON as the trace is read). Every export is documented, with an example, in src/display/.
export * from "./src/display/mod.ts";

// --- pictures ----------------------------------------------------------------
// What people look at rather than read: histograms of duration lists (with
// p50/p90/p99/max), flame graphs of CPU samples and of blocked/syscall/
// scheduling time by stack, the heap and runtime plot with GC and STW shading,
// the P utilisation heatmap. Each is a Picture (data + SVG + text) that shows
// itself in Jupyter. Stack profiles export to pprof: go tool trace's network,
// sync, syscall and scheduler-latency profiles under Go's rules (equal to
// `go tool trace -pprof`), or ours (charged as the goroutine analysis does;
// all waits; CPU samples).
// Every export is documented, with an example, in src/display/ and src/export/.
export { formatBytes, Picture } from "./src/display/picture.ts";
export {
  formatValue,
  histogram,
  histogramStats,
  histogramsView,
  histogramView,
  percentile,
  renderHistogramSvg,
  renderHistogramText,
} from "./src/display/histogram.ts";
export type {
  HistogramBucket,
  HistogramData,
  HistogramOptions,
  HistogramStats,
  ValueUnit,
} from "./src/display/histogram.ts";
export {
  blockDurations,
  schedulingLatencies,
  spanDurations,
  spanDurationsBy,
} from "./src/display/histogram_inputs.ts";
export type { Span } from "./src/display/histogram_inputs.ts";
export {
  flameGraphView,
  flameLayout,
  flameTree,
  renderFlameSvg,
  renderFlameText,
} from "./src/display/flamegraph.ts";
export type {
  FlameNode,
  FlameOptions,
  FlameRect,
  WeightedStack,
} from "./src/display/flamegraph.ts";
export {
  renderRuntimePlotSvg,
  runtimePlotData,
  runtimePlotView,
} from "./src/display/runtime_plot.ts";
export type { PlotRange, RuntimePlotData, RuntimePlotOptions } from "./src/display/runtime_plot.ts";
export {
  heatColor,
  heatmapView,
  procHeatmap,
  renderHeatmapSvg,
  renderHeatmapText,
} from "./src/display/heatmap.ts";
export type { HeatmapData, HeatmapOptions } from "./src/display/heatmap.ts";
export {
  countsAs,
  defaultRules,
  PPROF_KINDS,
  stackProfile,
  StackProfileAnalysis,
} from "./src/export/profiles.ts";
export type {
  ProfileKind,
  ProfileRules,
  StackProfile,
  StackProfileOptions,
  StackRecord,
} from "./src/export/profiles.ts";
export { GoProfileAnalysis } from "./src/export/go_profiles.ts";
export type { GoProfileKind, GoProfileOptions } from "./src/export/go_profiles.ts";
export {
  decodePprof,
  emptyPprof,
  encodePprof,
  gunzip,
  gzip,
  pprofFromTrace,
  toPprof,
} from "./src/export/pprof.ts";
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
} from "./src/export/pprof.ts";
export {
  decodeFields,
  ProtoWriter,
  readVarint,
  repeatedVarints,
  unpackVarints,
} from "./src/export/protobuf.ts";
export type { ProtoField, WireType } from "./src/export/protobuf.ts";
