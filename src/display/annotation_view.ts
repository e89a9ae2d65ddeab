/**
 * User annotations as tables: tasks (with their tree), regions and log
 * messages, from the query helpers' task analysis.
 *
 * @module
 */

import type { LogEntry, RegionInfo, TaskInfo } from "../queries/tasks.ts";
import { DataTable } from "./data_table.ts";
import { formatDuration } from "./duration.ts";
import type { ViewOptions } from "./goroutine_view.ts";

const at = (t: number | null, o: number) => (t === null ? "?" : formatDuration(t - o));

/**
 * Tasks, indented under their parents.
 *
 * @example
 * ```ts
 * import { taskTable } from "./annotation_view.ts";
 * import type { TaskInfo } from "../queries/tasks.ts";
 * const t = { id: 1, name: "order", parent: -1, children: [], start: 0, end: 2e6, complete: true,
 *   duration: 2e6, logs: [], regions: [0, 1], goroutines: [7] } as TaskInfo;
 * console.assert(String(taskTable([t])).includes("order") && String(taskTable([t])).includes("2.00 ms"));
 * ```
 */
export function taskTable(tasks: readonly TaskInfo[], opts: ViewOptions = {}): DataTable<TaskInfo> {
  const o = opts.origin ?? 0;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const depth = (t: TaskInfo) => {
    let d = 0;
    for (let p = byId.get(t.parent); p && d < 32; p = byId.get(p.parent)) d++;
    return d;
  };
  // Depth first, so that children follow their parent.
  const ordered: TaskInfo[] = [];
  const seen = new Set<number>();
  const visit = (t: TaskInfo) => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    ordered.push(t);
    for (const c of t.children) {
      const ct = byId.get(c);
      if (ct) visit(ct);
    }
  };
  for (const t of tasks) if (!byId.has(t.parent)) visit(t);
  for (const t of tasks) visit(t);
  return new DataTable(ordered, [
    { header: "task", value: (t) => `${"  ".repeat(depth(t))}${t.id} ${t.name || "?"}` },
    { header: "start", value: (t) => at(t.start, o) },
    { header: "duration", value: (t) => formatDuration(t.duration) + (t.complete ? "" : "+") },
    { header: "regions", value: (t) => t.regions.length },
    { header: "logs", value: (t) => t.logs.length },
    { header: "goroutines", value: (t) => t.goroutines.filter((g) => g >= 0).join(" ") },
  ], {
    caption: opts.caption ?? `${tasks.length} task${tasks.length === 1 ? "" : "s"}`,
    max: opts.max,
  });
}

/**
 * Regions, nested ones indented, with their goroutine, task and duration.
 *
 * @example
 * ```ts
 * import { regionTable } from "./annotation_view.ts";
 * import type { RegionInfo } from "../queries/tasks.ts";
 * const r = { index: 0, name: "checkout", goroutine: 7, task: 1, start: 0, end: 5e5, duration: 5e5,
 *   depth: 1, parent: -1 } as RegionInfo;
 * console.assert(String(regionTable([r])).includes("  checkout"));
 * ```
 */
export function regionTable(
  regions: readonly RegionInfo[],
  opts: ViewOptions = {},
): DataTable<RegionInfo> {
  const o = opts.origin ?? 0;
  return new DataTable(regions, [
    { header: "region", value: (r) => `${"  ".repeat(r.depth)}${r.name}` },
    { header: "G", value: (r) => r.goroutine },
    { header: "task", value: (r) => r.task },
    { header: "start", value: (r) => at(r.start, o) },
    { header: "duration", value: (r) => formatDuration(r.duration) + (r.end === null ? "+" : "") },
  ], {
    caption: opts.caption ?? `${regions.length} region${regions.length === 1 ? "" : "s"}`,
    max: opts.max,
  });
}

/**
 * Log messages by time.
 *
 * @example
 * ```ts
 * import { logTable } from "./annotation_view.ts";
 * const t = logTable([{ time: 10, goroutine: 7, task: 1, category: "order", message: "paid" }]);
 * console.assert(String(t).includes("paid"));
 * ```
 */
export function logTable(logs: readonly LogEntry[], opts: ViewOptions = {}): DataTable<LogEntry> {
  const o = opts.origin ?? 0;
  return new DataTable(logs, [
    { header: "time", value: (l) => formatDuration(l.time - o) },
    { header: "G", value: (l) => l.goroutine },
    { header: "task", value: (l) => l.task },
    { header: "category", value: (l) => l.category },
    { header: "message", value: (l) => l.message },
  ], {
    caption: opts.caption ?? `${logs.length} log message${logs.length === 1 ? "" : "s"}`,
    max: opts.max,
  });
}
