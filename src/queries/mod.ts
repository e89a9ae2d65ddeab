/**
 * Queries: the questions people open a trace to answer, as analyses fed
 * one event at a time (`.event(ev)`, then `.result()`), each with an async
 * convenience that reads a whole trace. Results are plain objects and
 * arrays, durations in nanoseconds.
 *
 * - goroutines: {@link GoroutineTable} (+ filters), {@link Timelines};
 * - goroutine analysis (`go tool trace`'s numbers): {@link GoroutineAnalysis},
 *   {@link TraceSummary} (with the MMU, in the reference's JSON shape);
 * - syscalls and steals: {@link SyscallAnalysis}; Ps and Ms: {@link SchedulerViews};
 * - tasks, regions, logs: {@link TaskAnalysis};
 * - GC, metrics, MMU, CPU samples: {@link GCAnalysis}, {@link MutatorUtilization},
 *   {@link CPUProfileAnalysis};
 * - the cheap counts of a summary: {@link TraceCounter};
 * - duration lists for histograms: {@link blockDurations}, {@link schedulingLatencies},
 *   {@link spanDurations}; which events to show: {@link eventMatcher}.
 *
 * Several analyses can share one pass with {@link analyzeAll}.
 *
 * Memory: no analysis keeps events. The goroutine analysis, tasks, GC and
 * CPU profile keep one record per goroutine, task, region, GC cycle or
 * distinct stack; the MMU one point per change of utilization. Views made
 * of intervals grow with what they record: timelines (and the goroutine
 * table, unless built with `timelines: false`) one interval per goroutine
 * state change, the P/M views one per run of a goroutine, syscalls one per
 * syscall. Restrict {@link Timelines} to the goroutines of interest on
 * large traces.
 *
 * @example
 * ```ts
 * import { analyzeAll, GoroutineAnalysis, SyscallAnalysis } from "./mod.ts";
 * const { g, s } = await analyzeAll(new URL("../../testdata/syscall-simple.trace", import.meta.url), {
 *   g: new GoroutineAnalysis(),
 *   s: new SyscallAnalysis(),
 * });
 * console.assert(g.goroutines.length > 0 && s.length > 0);
 * ```
 *
 * @module
 */

export { analyzeAll, readAll } from "./source.ts";
export type { ReadAllOptions } from "./source.ts";
export type { Analysis, Source } from "./source.ts";
export {
  analyzeGoroutines,
  functionSummaries,
  GoroutineAnalysis,
  isSystemGoroutine,
  unknownTime,
} from "./analysis.ts";
export type {
  ExecStats,
  FunctionSummary,
  GoroutineAnalysisResult,
  GoroutineSummary,
  RegionSummary,
  TaskSummary,
} from "./analysis.ts";
export {
  allOf,
  anyOf,
  byBlockReason,
  byEntry,
  byFunction,
  byId,
  byLabel,
  byRegion,
  byStateAt,
  byTask,
  byWindow,
  filterGoroutines,
  goroutines,
  GoroutineTable,
  not,
  stateAt,
} from "./goroutines.ts";
export type { GoroutineFilter, GoroutineInfo, GoroutineTableOptions } from "./goroutines.ts";
export { goroutineTimelines, intervalAt, Timelines } from "./timeline.ts";
export type { StateInterval, TimelineOptions } from "./timeline.ts";
export { filterSyscalls, SyscallAnalysis, syscalls, SyscallSelection } from "./syscalls.ts";
export type {
  SelectedSyscalls,
  Steal,
  SyscallOutcome,
  SyscallQuery,
  SyscallRecord,
  SyscallSelectionOptions,
} from "./syscalls.ts";
export { procOfThreadAt, SchedulerViews, schedulerViews } from "./procs.ts";
export type {
  ExecSlice,
  ProcHold,
  ProcStealMark,
  ProcView,
  SchedulerResult,
  ThreadView,
} from "./procs.ts";
export { descendants, TaskAnalysis, tasksAndRegions } from "./tasks.ts";
export type { LogEntry, RegionInfo, TaskInfo, TaskResult } from "./tasks.ts";
export { GCAnalysis, gcAndMetrics, valueAt } from "./gc.ts";
export type { GCCycle, GCOptions, GCResult, MetricPoint, RuntimeMetrics, STWRange } from "./gc.ts";
export { analyzeMMU, mmu, MMU_WINDOWS, mmuTable, MutatorUtilization } from "./mmu.ts";
export type { UtilOptions, UtilPoint } from "./mmu.ts";
export { cpuProfile, CPUProfileAnalysis } from "./cpu.ts";
export type { CPUProfile, CPUProfileOptions, FunctionSamples, StackSamples } from "./cpu.ts";
export { formatSummaryJSON, summarize, toSummary, TraceSummary } from "./summary.ts";
export type { Summary, SummaryGoroutine, SummaryTask } from "./summary.ts";
export { matchFunc, StackCache } from "./stacks.ts";
export type { FuncPattern } from "./stacks.ts";
export { Transition } from "./transitions.ts";
export { TraceCounter } from "./counts.ts";
export type { TraceCounts } from "./counts.ts";
export {
  blockDurations,
  schedulingLatencies,
  spanDurations,
  spanDurationsBy,
} from "./durations.ts";
export type { Span } from "./durations.ts";
export { eventMatcher, subjectGoroutine } from "./event_filter.ts";
export type { EventFilter } from "./event_filter.ts";
