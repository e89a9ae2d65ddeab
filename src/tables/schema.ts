/**
 * The trace tables' schemas: every table, column, SQL type and meaning.
 * Times and durations are nanoseconds, as everywhere in the library; ids
 * are the trace's own (-1 for none, as the Reader has them); `stack_id` is
 * a row of `stacks` (0 for none), the same id for the same stack across
 * generations. Every table begins with `trace`, the file's base name, so
 * that the tables of many traces can be unioned.
 *
 * @module
 */

import { GO_STATES, KIND_OF_TYPE, PROC_STATES } from "../events/kinds.ts";
import { SPECS } from "../wire/spec.ts";
import type { ColumnSpec, ColumnType, TableSchema } from "./columns.ts";

function col(name: string, type: ColumnType, doc: string, nullable = false): ColumnSpec {
  return nullable ? { name, type, doc, nullable } : { name, type, doc };
}

// A VARCHAR column whose values are all in `values` (see ColumnSpec.values).
function closed(
  name: string,
  values: readonly string[],
  doc: string,
  nullable = false,
): ColumnSpec {
  return { ...col(name, "VARCHAR", doc, nullable), values };
}

const sortedSet = (xs: Iterable<string>) => [...new Set(xs)].sort();
const KINDS = sortedSet([...KIND_OF_TYPE, "Sync"]);
const TYPES = sortedSet([...SPECS.map((s) => s.name), "Sync"]);
const STATES = sortedSet([...GO_STATES, ...PROC_STATES]);
const RESOURCES = ["Goroutine", "None", "Proc", "Thread"];
const TRACE = col("trace", "VARCHAR", "the trace's file base name (e.g. app.trace)");
const M = col("m", "INTEGER", "M (thread) of the event, -1 for none");
const P = col("p", "INTEGER", "P of the event, -1 for none");
const G = col("g", "INTEGER", "goroutine of the event, -1 for none");

/** `events`: one row per event of the Reader, in its order. */
export const EVENTS: TableSchema = {
  name: "events",
  doc: "one row per event of the Reader, in its order",
  columns: [
    TRACE,
    col("seq", "BIGINT", "position in the Reader's order, from 0"),
    col("time", "BIGINT", "timestamp (ns)"),
    closed("kind", KINDS, "event kind: StateTransition, Metric, RangeBegin, Log, Sync..."),
    closed("type", TYPES, "wire event it came from (GoStart, ProcSteal...; Sync)"),
    M,
    P,
    G,
    col("stack_id", "INTEGER", "the event's own stack, 0 for none"),
    col(
      "name",
      "VARCHAR",
      "metric, range, task or region type, log category or label text",
      true,
    ),
    col("value", "BIGINT", "metric value; task id of task, region and log events", true),
    closed("resource", RESOURCES, "transitions: Goroutine or Proc; ranges: scope kind", true),
    col("resource_id", "BIGINT", "id of that goroutine or P", true),
    closed("from_state", STATES, "transitions: state before", true),
    closed("to_state", STATES, "transitions: state after", true),
    col("reason", "VARCHAR", "transitions: why (blocking and stopping reasons)", true),
  ],
};

/**
 * The `events` rows as a database stores them when `transitions` is a view
 * of them: the {@link EVENTS} columns, then `transition_stack_id`, the
 * `stack_id` of the event's `transitions` row (0 when it is not a
 * transition). Not one of {@link TABLES}: see `TraceTablesOptions.transitionsInEvents`.
 */
export const EVENT_ROWS: TableSchema = {
  name: "events",
  doc: EVENTS.doc,
  columns: [
    ...EVENTS.columns,
    col(
      "transition_stack_id",
      "INTEGER",
      "transitions: the stack_id of its transitions row, else 0",
    ),
  ],
};

/** `transitions`: goroutine and P state transitions. */
export const TRANSITIONS: TableSchema = {
  name: "transitions",
  doc: "one row per StateTransition event: a goroutine or P changing state",
  columns: [
    TRACE,
    col("seq", "BIGINT", "the event's position in the Reader's order"),
    col("time", "BIGINT", "timestamp (ns)"),
    closed("resource", RESOURCES, "Goroutine or Proc"),
    col("id", "BIGINT", "the goroutine or P"),
    closed("from_state", STATES, "state before (Undetermined, NotExist, Runnable, Running...)"),
    closed("to_state", STATES, "state after"),
    col("reason", "VARCHAR", "blocking or stopping reason, '' when none"),
    col(
      "stack_id",
      "INTEGER",
      "the goroutine's stack (a new goroutine's for a create), 0 for none",
    ),
    M,
    P,
    G,
  ],
};

/** `goroutines`: the goroutine analysis, one row per goroutine. */
export const GOROUTINES: TableSchema = {
  name: "goroutines",
  doc: "one row per goroutine of the goroutine analysis (go tool trace's figures)",
  columns: [
    TRACE,
    col("id", "BIGINT", "goroutine id"),
    col("name", "VARCHAR", "entry function (outermost frame of its first stack), '' unknown"),
    col("pc", "BIGINT", "pc of that frame, 0 unknown"),
    col("creation_time", "BIGINT", "created (or the trace start for older goroutines)"),
    col("start_time", "BIGINT", "first ran, 0 if never"),
    col("end_time", "BIGINT", "exited (or blocked forever), 0 if not"),
    col("exec_time", "BIGINT", "running on a P (ns)"),
    col("sched_wait_time", "BIGINT", "runnable, waiting for a P (ns)"),
    col("block_time", "BIGINT", "waiting, all reasons (ns)"),
    col("syscall_time", "BIGINT", "in syscalls with its P (ns)"),
    col("syscall_block_time", "BIGINT", "in syscalls after losing its P (ns)"),
    col("total_time", "BIGINT", "creation to end or trace end (ns)"),
    col("regions", "INTEGER", "user regions it ran"),
    col("block_time_by_reason", "VARCHAR", "JSON object: reason -> ns waiting"),
    col("range_time", "VARCHAR", "JSON object: range name -> ns inside (GC mark assist...)"),
  ],
};

/** `syscalls`: one row per syscall. */
export const SYSCALLS: TableSchema = {
  name: "syscalls",
  doc: "one row per syscall, with what became of its P",
  columns: [
    TRACE,
    col("g", "BIGINT", "the goroutine in the syscall"),
    col("m", "INTEGER", "the M it ran on"),
    col("p", "INTEGER", "the P it entered with, -1 unknown"),
    col("start", "BIGINT", "began (or first seen inside)"),
    col("end", "BIGINT", "ended; NULL when still inside at the trace end", true),
    col("duration", "BIGINT", "end - start, or to the trace end (ns)"),
    col("stack_id", "INTEGER", "where it was made, 0 unknown"),
    col("func", "VARCHAR", "innermost function of that stack, '' unknown"),
    col("before_trace", "BOOLEAN", "already inside when the trace started"),
    col("outcome", "VARCHAR", "returned, reacquired, stolen, no-proc, exited or in-syscall"),
    col("return_p", "INTEGER", "the P it came back with, -1 none"),
    col("stolen", "BOOLEAN", "its P was taken by a ProcSteal"),
    col("steal_time", "BIGINT", "when its P was stolen", true),
    col("stealer_m", "INTEGER", "the M that took the P", true),
  ],
};

/** `steals`: ProcSteals of Ps in syscalls. */
export const STEALS: TableSchema = {
  name: "steals",
  doc: "one row per ProcSteal that took a syscall's P, by time",
  columns: [
    TRACE,
    col("time", "BIGINT", "when"),
    col("p", "INTEGER", "the P taken"),
    col("m", "INTEGER", "the M that took it"),
    col("stealer_p", "INTEGER", "P the stealing M held, -1 none"),
    col("stealer_g", "BIGINT", "goroutine the stealing M ran, -1 none"),
    col("self", "BOOLEAN", "taken by the syscall's own M"),
    col("abandoned", "BOOLEAN", "left in a syscall before the generation began"),
    col("syscall_g", "BIGINT", "the goroutine in the syscall"),
    col("syscall_m", "INTEGER", "its M"),
    col("syscall_start", "BIGINT", "when the syscall began"),
    col("syscall_stack_id", "INTEGER", "the syscall's stack, 0 unknown"),
  ],
};

/** `ranges`: GC, stop-the-world, mark assist and sweep ranges. */
export const RANGES: TableSchema = {
  name: "ranges",
  doc: "one row per range (GC mark phase, stop-the-world, mark assist, sweep)",
  columns: [
    TRACE,
    col("name", "VARCHAR", "e.g. GC concurrent mark phase, stop-the-world (GC sweep termination)"),
    col("scope", "VARCHAR", "None, Proc or Goroutine"),
    col("scope_id", "BIGINT", "that P or goroutine, 0 for None"),
    col("start", "BIGINT", "began, or first seen active (see before_trace)"),
    col("end", "BIGINT", "ended; NULL when open at the trace end", true),
    col("duration", "BIGINT", "end (or trace end) - start (ns)"),
    col("before_trace", "BOOLEAN", "already active when first seen (no RangeBegin)"),
    col("bytes_swept", "BIGINT", "sweeps: bytes swept", true),
    col("bytes_reclaimed", "BIGINT", "sweeps: bytes reclaimed", true),
  ],
};

/** `regions`: user regions (runtime/trace.WithRegion). */
export const REGIONS: TableSchema = {
  name: "regions",
  doc: "one row per user region, as the task analysis records it",
  columns: [
    TRACE,
    col("region", "INTEGER", "index in this table (per trace), for parent"),
    col("name", "VARCHAR", "region type"),
    col("g", "BIGINT", "goroutine"),
    col("task", "BIGINT", "task id, 0 background"),
    col("start", "BIGINT", "began; NULL when before the trace", true),
    col("end", "BIGINT", "ended; NULL when open at the trace end", true),
    col("duration", "BIGINT", "(ns), bounded by the trace"),
    col("depth", "INTEGER", "nesting depth, 0 outermost"),
    col("parent", "INTEGER", "enclosing region's index, -1 none"),
  ],
};

/** `tasks`: user tasks (runtime/trace.NewTask). */
export const TASKS: TableSchema = {
  name: "tasks",
  doc: "one row per user task",
  columns: [
    TRACE,
    col("id", "BIGINT", "task id"),
    col("name", "VARCHAR", "task type, '' when its begin was not seen"),
    col("parent", "BIGINT", "parent task id, -1 none"),
    col("start", "BIGINT", "began; NULL when before the trace", true),
    col("end", "BIGINT", "ended; NULL when still open", true),
    col("complete", "BOOLEAN", "both begin and end seen"),
    col("duration", "BIGINT", "(ns), bounded by the trace"),
    col("logs", "INTEGER", "log messages in it"),
    col("regions", "INTEGER", "regions in it"),
    col("goroutines", "INTEGER", "goroutines that took part"),
  ],
};

/** `logs`: user log messages (runtime/trace.Log). */
export const LOGS: TableSchema = {
  name: "logs",
  doc: "one row per user log message",
  columns: [
    TRACE,
    col("time", "BIGINT", "when"),
    M,
    P,
    G,
    col("task", "BIGINT", "task id, 0 background"),
    col("category", "VARCHAR", "key"),
    col("message", "VARCHAR", "value"),
    col("stack_id", "INTEGER", "where it was logged, 0 none"),
  ],
};

/** `metrics`: metric samples. */
export const METRICS: TableSchema = {
  name: "metrics",
  doc: "one row per metric sample (heap live and goal, GOMAXPROCS)",
  columns: [
    TRACE,
    col("time", "BIGINT", "when"),
    col("name", "VARCHAR", "runtime/metrics name, e.g. /gc/heap/goal:bytes"),
    col("value", "BIGINT", "its value (bytes, threads)"),
    G,
  ],
};

/** `labels`: goroutine labels. */
export const LABELS: TableSchema = {
  name: "labels",
  doc: "one row per goroutine label event",
  columns: [TRACE, col("time", "BIGINT", "when"), G, col("label", "VARCHAR", "the label text")],
};

/** `stacks`: every distinct stack. */
export const STACKS: TableSchema = {
  name: "stacks",
  doc: "one row per distinct stack (its frames are in frames)",
  columns: [
    TRACE,
    col("stack_id", "INTEGER", "id, from 1"),
    col("depth", "INTEGER", "number of frames"),
    col("leaf", "VARCHAR", "innermost function"),
    col("root", "VARCHAR", "outermost function"),
  ],
};

/** `frames`: the frames of every stack. */
export const FRAMES: TableSchema = {
  name: "frames",
  doc: "one row per frame of every stack",
  columns: [
    TRACE,
    col("stack_id", "INTEGER", "the stack"),
    col("depth", "INTEGER", "0 innermost"),
    col("pc", "BIGINT", "program counter"),
    col("func", "VARCHAR", "function"),
    col("file", "VARCHAR", "source file"),
    col("line", "INTEGER", "line"),
  ],
};

/** `samples`: CPU profile samples. */
export const SAMPLES: TableSchema = {
  name: "samples",
  doc: "one row per CPU sample (StackSample event)",
  columns: [TRACE, col("time", "BIGINT", "when"), M, P, G, col("stack_id", "INTEGER", "the stack")],
};

/**
 * Every table, in the order `trace tables` lists them.
 *
 * @example
 * ```ts
 * import { TABLES } from "./schema.ts";
 * console.assert(TABLES.length === 14);
 * console.assert(TABLES.every((t) => t.columns[0].name === "trace"));
 * ```
 */
export const TABLES: readonly TableSchema[] = [
  EVENTS,
  TRANSITIONS,
  GOROUTINES,
  SYSCALLS,
  STEALS,
  RANGES,
  REGIONS,
  TASKS,
  LOGS,
  METRICS,
  LABELS,
  STACKS,
  FRAMES,
  SAMPLES,
];

/** A table's name. */
export type TableName =
  | "events"
  | "transitions"
  | "goroutines"
  | "syscalls"
  | "steals"
  | "ranges"
  | "regions"
  | "tasks"
  | "logs"
  | "metrics"
  | "labels"
  | "stacks"
  | "frames"
  | "samples";

/**
 * The tables and their columns as text, one block per table (what `trace
 * tables` prints).
 *
 * @example
 * ```ts
 * import { describeTables } from "./schema.ts";
 * console.assert(describeTables().includes("transitions:"));
 * ```
 */
export function describeTables(): string {
  return TABLES.map((t) => {
    const w = Math.max(...t.columns.map((c) => c.name.length));
    const lines = t.columns.map((c) =>
      `  ${c.name.padEnd(w)}  ${(c.type + (c.nullable ? "?" : "")).padEnd(8)}  ${c.doc}`
    );
    return `${t.name}: ${t.doc}\n${lines.join("\n")}`;
  }).join("\n\n");
}
