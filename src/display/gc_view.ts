/**
 * Garbage collection in pictures and tables: GC cycles with their pauses,
 * every stop-the-world pause, heap over time, and minimum mutator
 * utilization (as a table at `go tool trace`'s windows and as a curve).
 *
 * @module
 */

import type { GCCycle, MetricPoint, STWRange } from "../queries/gc.ts";
import { mmu, type UtilPoint } from "../queries/mmu.ts";
import { DataTable } from "./data_table.ts";
import { formatDuration, formatTick } from "./duration.ts";
import type { ViewOptions } from "./goroutine_view.ts";
import { LineChart } from "./svg_chart.ts";

const MIB = 1024 * 1024;

const at = (t: number | null, o: number) => (t === null ? "before" : formatDuration(t - o));

/**
 * GC cycles: when, how long the mark phase ran, and their pauses.
 *
 * @example
 * ```ts
 * import { gcCycleTable } from "./gc_view.ts";
 * const t = gcCycleTable([{ seq: 1, start: 0, end: 3e6, duration: 3e6, stw: [], stwTime: 0 }]);
 * console.assert(String(t).includes("3.00 ms"));
 * ```
 */
export function gcCycleTable(
  cycles: readonly GCCycle[],
  opts: ViewOptions = {},
): DataTable<GCCycle> {
  const o = opts.origin ?? 0;
  return new DataTable(cycles, [
    { header: "cycle", value: (c) => c.seq },
    { header: "mark start", value: (c) => at(c.start, o) },
    {
      header: "mark phase",
      value: (c) => formatDuration(c.duration) + (c.end === null ? "+" : ""),
    },
    { header: "pauses", value: (c) => c.stw.length },
    { header: "paused", value: (c) => formatDuration(c.stwTime) },
    { header: "pause kinds", value: (c) => c.stw.map((s) => s.kind).join(", ") },
  ], {
    caption: opts.caption ?? `${cycles.length} GC cycle${cycles.length === 1 ? "" : "s"}`,
    max: opts.max,
  });
}

/**
 * Stop-the-world pauses, longest first.
 *
 * @example
 * ```ts
 * import { stwTable } from "./gc_view.ts";
 * const t = stwTable([{ kind: "GC mark termination", gc: true, start: 5, end: 25, duration: 20, goroutine: 3, cycle: 1 }]);
 * console.assert(String(t).includes("GC mark termination"));
 * ```
 */
export function stwTable(pauses: readonly STWRange[], opts: ViewOptions = {}): DataTable<STWRange> {
  const o = opts.origin ?? 0;
  const sorted = pauses.slice().sort((a, b) => b.duration - a.duration);
  return new DataTable(sorted, [
    { header: "why", value: (s) => s.kind },
    { header: "GC", value: (s) => (s.gc ? `cycle ${s.cycle ?? "?"}` : "") },
    { header: "start", value: (s) => at(s.start, o) },
    { header: "duration", value: (s) => formatDuration(s.duration) },
    { header: "by G", value: (s) => s.goroutine },
  ], {
    caption: opts.caption ??
      `${pauses.length} stop-the-world pause${pauses.length === 1 ? "" : "s"}`,
    max: opts.max,
  });
}

/**
 * MMU at the given windows, as a one-row-per-window table.
 *
 * @example
 * ```ts
 * import { mmuTableView } from "./gc_view.ts";
 * console.assert(String(mmuTableView({ "1ms": 0.5 })).includes("50.0%"));
 * ```
 */
export function mmuTableView(
  table: Readonly<Record<string, number>>,
): DataTable<{ window: string; mmu: number }> {
  const rows = Object.entries(table).map(([window, mmu]) => ({ window, mmu }));
  return new DataTable(rows, [
    { header: "window", value: (r) => r.window },
    { header: "MMU", value: (r) => `${(r.mmu * 100).toFixed(1)}%` },
  ], {
    caption: "Minimum mutator utilization",
    note: "the worst share of the CPU left to the program in any window of that length",
  });
}

/**
 * The MMU curve: minimum mutator utilization against window length (log
 * scale), from `minWindow` up to the whole trace.
 *
 * @example
 * ```ts
 * import { mmuCurve } from "./gc_view.ts";
 * const s = [{ time: 0, util: 1 }, { time: 2e6, util: 0 }, { time: 3e6, util: 1 }, { time: 1e7, util: 0 }];
 * const c = mmuCurve([s]);
 * console.assert(c.series[0].points.length > 5 && c.toSvg().includes("<svg"));
 * ```
 */
export function mmuCurve(
  series: readonly (readonly UtilPoint[])[],
  opts: { minWindow?: number; points?: number; title?: string } = {},
): LineChart {
  let span = 0;
  for (const s of series) if (s.length) span = Math.max(span, s[s.length - 1].time - s[0].time);
  const lo = opts.minWindow ?? 1000, n = opts.points ?? 40;
  const points: { x: number; y: number }[] = [];
  if (span > lo) {
    for (let i = 0; i <= n; i++) {
      const w = lo * (span / lo) ** (i / n);
      points.push({ x: w, y: mmu(series, w) });
    }
  }
  return new LineChart([{ name: "MMU", points, color: "#d62728" }], {
    title: opts.title ?? "Minimum mutator utilization",
    xLabel: "window",
    yLabel: "utilization",
    logX: true,
    yMin: 0,
    yMax: 1,
    formatX: (x, step) => step ? formatTick(x, step) : formatDuration(x),
    formatY: (y) => `${Math.round(y * 100)}%`,
  });
}

/**
 * Heap over time (live heap and goal, as metric step lines).
 *
 * @example
 * ```ts
 * import { heapChart } from "./gc_view.ts";
 * const c = heapChart([{ time: 0, value: 1 << 20 }, { time: 10, value: 3 << 20 }], [], 0);
 * console.assert(String(c).includes("MiB"));
 * ```
 */
export function heapChart(
  live: readonly MetricPoint[],
  goal: readonly MetricPoint[],
  origin = 0,
  end?: number,
): LineChart {
  const pts = (s: readonly MetricPoint[]) => {
    // In MiB, so that the axis ticks fall on round numbers of MiB.
    const p = s.map((m) => ({ x: m.time - origin, y: m.value / MIB }));
    // Hold the last value to the end of the trace.
    if (p.length && end !== undefined && end - origin > p[p.length - 1].x) {
      p.push({ x: end - origin, y: p[p.length - 1].y });
    }
    return p;
  };
  return new LineChart([
    { name: "live heap", points: pts(live), color: "#1f77b4", step: true },
    { name: "heap goal", points: pts(goal), color: "#ff7f0e", step: true },
  ], {
    title: "Heap",
    xLabel: "time",
    formatX: (x, step) => step ? formatTick(x, step) : formatDuration(x),
    formatY: (y) => `${Number(y.toFixed(2))} MiB`,
  });
}
