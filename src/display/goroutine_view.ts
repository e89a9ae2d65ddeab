/**
 * Goroutine tables for notebooks and the REPL: who they are (the query
 * helpers' goroutine table) and where their time went (the goroutine
 * analysis), plus the same by entry function and by blocking reason.
 *
 * @module
 */

import type { GoroutineInfo } from "../queries/goroutines.ts";
import type { FunctionSummary, GoroutineSummary } from "../queries/analysis.ts";
import { DataTable } from "./data_table.ts";
import { formatDuration } from "./duration.ts";
import { count } from "./html.ts";

/**
 * Times relative to this origin in the tables (ns).
 *
 * @example
 * ```ts
 * import type { ViewOptions } from "./goroutine_view.ts";
 * const o: ViewOptions = { origin: 1_000_000, max: 10 };
 * console.assert(o.max === 10);
 * ```
 */
export interface ViewOptions {
  /** Time shown as 0 (default 0: absolute). */
  origin?: number;
  /** Rows shown before cutting (default 25). */
  max?: number;
  /** Caption. */
  caption?: string;
}

const at = (t: number | null, origin: number) => (t === null ? "" : formatDuration(t - origin));

/** Each distinct name once, in first-seen order, with "×N" when repeated. */
function onceEach(names: readonly string[]): string {
  const n = new Map<string, number>();
  for (const x of names) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].map(([x, k]) => k > 1 ? `${x} ×${k}` : x).join(", ");
}

/**
 * Who the goroutines are: id, entry function, final state, when created
 * and ended, what they blocked on, regions and labels.
 *
 * @example
 * ```ts
 * import { goroutineInfoTable } from "./goroutine_view.ts";
 * import type { GoroutineInfo } from "../queries/goroutines.ts";
 * const g = { id: 7, name: "main.worker", state: "Waiting", creationTime: 10, endTime: null,
 *   blockReasons: ["chan receive"], regions: [], labels: [] } as unknown as GoroutineInfo;
 * const t = goroutineInfoTable([g], { origin: 0 });
 * console.assert(String(t).includes("main.worker") && String(t).includes("chan receive"));
 * ```
 */
export function goroutineInfoTable(
  goroutines: readonly GoroutineInfo[],
  opts: ViewOptions = {},
): DataTable<GoroutineInfo> {
  const o = opts.origin ?? 0;
  return new DataTable(goroutines, [
    { header: "G", value: (g) => g.id },
    { header: "function", value: (g) => g.name || "?" },
    { header: "state at end", value: (g) => g.state },
    { header: "created", value: (g) => at(g.creationTime, o) || "before" },
    { header: "ended", value: (g) => at(g.endTime, o) },
    {
      header: "blocked on",
      value: (g) => g.blockReasons.map((r) => r || "(no reason)").join(", "),
    },
    { header: "regions", value: (g) => onceEach(g.regions) },
    { header: "labels", value: (g) => onceEach(g.labels) },
  ], {
    caption: opts.caption ?? count(goroutines.length, "goroutine"),
    max: opts.max,
    note: o ? `times from t0 = ${o} ns` : undefined,
  });
}

/**
 * Total blocked time of a summary, all reasons together.
 *
 * @example
 * ```ts
 * import { blockedTime } from "./goroutine_view.ts";
 * console.assert(blockedTime({ blockTimeByReason: { sleep: 5, "chan receive": 7 } }) === 12);
 * ```
 */
export function blockedTime(s: { blockTimeByReason: Record<string, number> }): number {
  let sum = 0;
  for (const k in s.blockTimeByReason) sum += s.blockTimeByReason[k];
  return sum;
}

function topReason(s: { blockTimeByReason: Record<string, number> }): string {
  let best = "", t = 0;
  for (const [k, v] of Object.entries(s.blockTimeByReason)) if (v > t) [best, t] = [k, v];
  return t > 0 ? `${best || "(no reason)"} ${formatDuration(t)}` : "";
}

/**
 * Where each goroutine's time went (execution, waiting for a P, blocked,
 * in syscalls), largest execution time first.
 *
 * @example
 * ```ts
 * import { goroutineTimeTable } from "./goroutine_view.ts";
 * import type { GoroutineSummary } from "../queries/analysis.ts";
 * const s = { id: 3, name: "main.main", execTime: 2e6, schedWaitTime: 0, syscallTime: 0,
 *   syscallBlockTime: 0, totalTime: 3e6, blockTimeByReason: { sleep: 1e6 }, rangeTime: {} };
 * const t = goroutineTimeTable([s as unknown as GoroutineSummary]);
 * console.assert(String(t).includes("2.00 ms") && String(t).includes("sleep 1.00 ms"));
 * ```
 */
export function goroutineTimeTable(
  summaries: readonly GoroutineSummary[],
  opts: ViewOptions = {},
): DataTable<GoroutineSummary> {
  const sorted = summaries.slice().sort((a, b) => b.execTime - a.execTime || a.id - b.id);
  const pct = (s: GoroutineSummary) =>
    s.totalTime > 0 ? `${(100 * s.execTime / s.totalTime).toFixed(1)}%` : "";
  return new DataTable(sorted, [
    { header: "G", value: (s) => s.id },
    { header: "function", value: (s) => s.name || "?" },
    { header: "total", value: (s) => formatDuration(s.totalTime) },
    { header: "running", value: (s) => formatDuration(s.execTime) },
    { header: "%", value: pct },
    { header: "waiting for P", value: (s) => formatDuration(s.schedWaitTime) },
    { header: "blocked", value: (s) => formatDuration(blockedTime(s)) },
    { header: "mostly on", value: topReason },
    { header: "syscall", value: (s) => formatDuration(s.syscallTime + s.syscallBlockTime) },
  ], { caption: opts.caption ?? "Where goroutine time goes", max: opts.max });
}

/**
 * The same breakdown per entry function (goroutines grouped by it).
 *
 * @example
 * ```ts
 * import { functionTimeTable } from "./goroutine_view.ts";
 * import type { FunctionSummary } from "../queries/analysis.ts";
 * const f = { name: "main.worker", count: 2, execTime: 5e5, schedWaitTime: 0, syscallTime: 0,
 *   syscallBlockTime: 0, totalTime: 1e6, blockTimeByReason: {}, rangeTime: {} };
 * console.assert(String(functionTimeTable([f as unknown as FunctionSummary])).includes("main.worker"));
 * ```
 */
export function functionTimeTable(
  functions: readonly FunctionSummary[],
  opts: ViewOptions = {},
): DataTable<FunctionSummary> {
  return new DataTable(functions, [
    { header: "function", value: (f) => f.name || "(unknown)" },
    { header: "goroutines", value: (f) => f.count },
    { header: "running", value: (f) => formatDuration(f.execTime) },
    { header: "waiting for P", value: (f) => formatDuration(f.schedWaitTime) },
    { header: "blocked", value: (f) => formatDuration(blockedTime(f)) },
    { header: "mostly on", value: topReason },
    { header: "syscall", value: (f) => formatDuration(f.syscallTime + f.syscallBlockTime) },
  ], { caption: opts.caption ?? "Time by goroutine entry function", max: opts.max });
}

/**
 * Blocked time for one reason, over all goroutines.
 *
 * @example
 * ```ts
 * import type { BlockReasonRow } from "./goroutine_view.ts";
 * const r: BlockReasonRow = { reason: "sleep", time: 5e6, goroutines: 2 };
 * console.assert(r.goroutines === 2);
 * ```
 */
export interface BlockReasonRow {
  /** The reason the runtime gave ("" when none). */
  reason: string;
  /** Total blocked time (ns). */
  time: number;
  /** Goroutines that blocked for it. */
  goroutines: number;
}

/**
 * Blocked time by reason over all goroutines, largest first.
 *
 * @example
 * ```ts
 * import { blockReasonTable } from "./goroutine_view.ts";
 * const t = blockReasonTable([
 *   { blockTimeByReason: { sleep: 5, "chan receive": 9 } },
 *   { blockTimeByReason: { sleep: 7 } },
 * ]);
 * console.assert(t.items[0].reason === "sleep" && t.items[0].time === 12 && t.items[0].goroutines === 2);
 * ```
 */
export function blockReasonTable(
  summaries: readonly { blockTimeByReason: Record<string, number> }[],
  opts: ViewOptions = {},
): DataTable<BlockReasonRow> {
  const by = new Map<string, BlockReasonRow>();
  for (const s of summaries) {
    for (const [reason, t] of Object.entries(s.blockTimeByReason)) {
      if (t <= 0) continue;
      const row = by.get(reason) ?? { reason, time: 0, goroutines: 0 };
      row.time += t;
      row.goroutines++;
      by.set(reason, row);
    }
  }
  const rows = [...by.values()].sort((a, b) => b.time - a.time);
  return new DataTable(rows, [
    { header: "blocked on", value: (r) => r.reason || "(no reason)" },
    { header: "total", value: (r) => formatDuration(r.time) },
    { header: "goroutines", value: (r) => r.goroutines },
  ], { caption: opts.caption ?? "Why goroutines blocked", max: opts.max });
}
