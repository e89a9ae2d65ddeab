/**
 * The runtime over time in one picture: live heap and heap goal, goroutine
 * count and GOMAXPROCS on a shared time axis, with GC cycles (the
 * concurrent mark phase) and stop-the-world pauses shaded across all
 * panels. Takes what `gcAndMetrics` (src/queries/gc.ts) returns.
 *
 * @module
 */

import type { GCResult, MetricPoint } from "../queries/gc.ts";
import { valueAt } from "../queries/gc.ts";
import { formatDuration, formatTick, niceStep } from "./duration.ts";
import { formatBytes, linearTicks, Picture, px, svgOpen, svgText, svgTitle } from "./picture.ts";
import { count } from "./html.ts";

/**
 * A shaded stretch of the plot.
 *
 * @example
 * ```ts
 * import type { PlotRange } from "./runtime_plot.ts";
 * const r: PlotRange = { start: 10, end: 30, label: "GC 3" };
 * console.assert(r.end - r.start === 20);
 * ```
 */
export interface PlotRange {
  /** Start (ns), clipped to the window. */
  start: number;
  /** End (ns), clipped to the window. */
  end: number;
  /** What it is: "GC 12", or the pause's kind. */
  label: string;
}

/**
 * What the runtime plot shows, clipped to its window.
 *
 * @example
 * ```ts
 * import type { RuntimePlotData } from "./runtime_plot.ts";
 * const d: RuntimePlotData = { from: 0, to: 10, heapLive: [{ time: 0, value: 1 }], heapGoal: [],
 *   goroutines: [], gomaxprocs: [], gc: [], stw: [] };
 * console.assert(d.heapLive.length === 1);
 * ```
 */
export interface RuntimePlotData {
  /** Window start (ns). */
  from: number;
  /** Window end (ns). */
  to: number;
  /** Live heap bytes: the value at `from` (when known), then each change inside the window. */
  heapLive: MetricPoint[];
  /** Heap goal bytes, likewise. */
  heapGoal: MetricPoint[];
  /** Goroutines alive, likewise. */
  goroutines: MetricPoint[];
  /** GOMAXPROCS, likewise. */
  gomaxprocs: MetricPoint[];
  /** GC cycles overlapping the window. */
  gc: PlotRange[];
  /** Stop-the-world pauses overlapping the window. */
  stw: PlotRange[];
}

/**
 * The window and size of the plot.
 *
 * @example
 * ```ts
 * import type { RuntimePlotOptions } from "./runtime_plot.ts";
 * const o: RuntimePlotOptions = { from: 0, to: 5e6, width: 800 };
 * console.assert(o.width === 800);
 * ```
 */
export interface RuntimePlotOptions {
  /** Window start (ns); default the earliest point, cycle or pause. */
  from?: number;
  /** Window end (ns); default the latest. */
  to?: number;
  /** Heading. */
  title?: string;
  /** Width in px (default 960). */
  width?: number;
}

function clipSeries(s: readonly MetricPoint[], from: number, to: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  const v = valueAt(s, from);
  if (v !== null) out.push({ time: from, value: v });
  for (const p of s) if (p.time > from && p.time <= to) out.push({ time: p.time, value: p.value });
  return out;
}

/**
 * The plot's data: the series and ranges clipped to the window. Ranges
 * open at either end of the trace are bounded by the window.
 *
 * @example
 * ```ts
 * import { runtimePlotData } from "./runtime_plot.ts";
 * import type { GCResult } from "../queries/gc.ts";
 * const gc: GCResult = {
 *   cycles: [{ seq: 1, start: 100, end: 300, duration: 200, stw: [], stwTime: 0 }],
 *   stw: [{ kind: "GC mark termination", gc: true, start: 290, end: 300, duration: 10, goroutine: 1, cycle: 1 }],
 *   metrics: { heapLive: [{ time: 0, value: 10 }, { time: 200, value: 30 }], heapGoal: [],
 *     gomaxprocs: [{ time: 0, value: 4 }], goroutines: [], byName: {} },
 *   gcSTWTime: 10, markAssistTime: 0, sweepTime: 0,
 * };
 * const d = runtimePlotData(gc, { from: 150, to: 400 });
 * console.assert(d.heapLive.map((p) => `${p.time}:${p.value}`).join() === "150:10,200:30");
 * console.assert(d.gc[0].start === 150 && d.stw.length === 1);
 * ```
 */
export function runtimePlotData(gc: GCResult, opts: RuntimePlotOptions = {}): RuntimePlotData {
  const m = gc.metrics;
  let lo = Infinity, hi = -Infinity;
  const see = (t: number | null) => {
    if (t === null) return;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  };
  for (const s of [m.heapLive, m.heapGoal, m.goroutines, m.gomaxprocs]) {
    for (const p of s) see(p.time);
  }
  for (const c of gc.cycles) (see(c.start), see(c.end));
  for (const s of gc.stw) (see(s.start), see(s.end));
  const from = opts.from ?? (lo === Infinity ? 0 : lo);
  let to = opts.to ?? (hi === -Infinity ? from + 1 : hi);
  if (to <= from) to = from + 1;
  const clip = (start: number | null, end: number | null, label: string): PlotRange[] => {
    const s = Math.max(from, start ?? from), e = Math.min(to, end ?? to);
    return s <= e ? [{ start: s, end: e, label }] : [];
  };
  return {
    from,
    to,
    heapLive: clipSeries(m.heapLive, from, to),
    heapGoal: clipSeries(m.heapGoal, from, to),
    goroutines: clipSeries(m.goroutines, from, to),
    gomaxprocs: clipSeries(m.gomaxprocs, from, to),
    gc: gc.cycles.flatMap((c) => clip(c.start, c.end, `GC ${c.seq}`)),
    stw: gc.stw.flatMap((s) => clip(s.start, s.end, s.kind)),
  };
}

/**
 * An SVG step path through `points`, extended to `xEnd`. Points falling in
 * the same half pixel collapse into one vertical stroke (their min, max and
 * last value), so a million metric changes still make a small path.
 */
function stepPath(
  points: readonly MetricPoint[],
  fx: (t: number) => number,
  fy: (v: number) => number,
  xEnd: number,
): string {
  if (points.length === 0) return "";
  const snap = (x: number) => Math.round(x * 2) / 2;
  let x = snap(fx(points[0].time));
  let pen = px(fy(points[0].value));
  let d = `M${px(x)},${pen}`;
  let lo = Infinity, hi = -Infinity, last = NaN;
  // A vertical move to where the pen already is draws nothing: leave it out.
  const v = (value: number) => {
    const y = px(fy(value));
    if (y !== pen) d += ` V${y}`, pen = y;
  };
  const flush = () => {
    if (Number.isNaN(last)) return;
    if (lo !== last || hi !== last) v(lo), v(hi);
    v(last);
    lo = Infinity, hi = -Infinity, last = NaN;
  };
  for (let i = 1; i < points.length; i++) {
    const nx = snap(fx(points[i].time)), v = points[i].value;
    if (nx !== x) {
      flush();
      d += ` H${px(nx)}`;
      x = nx;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    last = v;
  }
  flush();
  if (xEnd > x) d += ` H${px(xEnd)}`;
  return d;
}

/** Ticks for a byte axis at round numbers of KiB, MiB or GiB. */
function byteTicks(max: number): number[] {
  let unit = 1;
  while (unit * 1024 <= max / 2) unit *= 1024;
  return linearTicks(0, max / unit, 3).map((t) => t * unit);
}

const LABEL_W = 64;

/**
 * The SVG of the plot: three panels (heap, goroutines, GOMAXPROCS) over one
 * time axis, GC cycles shaded yellow and pauses red across all of them.
 *
 * @example
 * ```ts
 * import { renderRuntimePlotSvg } from "./runtime_plot.ts";
 * const svg = renderRuntimePlotSvg({ from: 0, to: 100,
 *   heapLive: [{ time: 0, value: 1 << 20 }, { time: 50, value: 3 << 20 }], heapGoal: [],
 *   goroutines: [{ time: 0, value: 5 }], gomaxprocs: [{ time: 0, value: 4 }],
 *   gc: [{ start: 40, end: 60, label: "GC 1" }], stw: [] });
 * console.assert((svg.match(/class="gc"/g) ?? []).length === 1 && svg.includes("2 MiB"));
 * ```
 */
export function renderRuntimePlotSvg(d: RuntimePlotData, opts: RuntimePlotOptions = {}): string {
  const width = opts.width ?? 960;
  const x0 = LABEL_W, plotW = width - LABEL_W - 16;
  const fx = (t: number) => x0 + ((t - d.from) / (d.to - d.from)) * plotW;
  const gap = 18; // panel names go in the gaps, above each panel
  const head = (opts.title ? 26 : 6) + 18 + gap;
  const panels = [
    { name: "heap", h: 150 },
    { name: "goroutines", h: 80 },
    { name: "GOMAXPROCS", h: 48 },
  ];
  const plotsH = panels.reduce((n, p) => n + p.h + gap, 0) - gap;
  const height = head + plotsH + 40;
  const o = [svgOpen(width, height)];
  if (opts.title) o.push(svgText(8, 18, opts.title, 'font-size="13" font-weight="bold"'));
  // Legend.
  const ly = head - gap - 8;
  const legend: [string, string][] = [
    ["#4e79a7", "heap live"],
    ["#59a14f", "heap goal"],
    ["#9c755f", "goroutines"],
    ["#76b7b2", "GOMAXPROCS"],
  ];
  let lx = x0;
  for (const [color, name] of legend) {
    o.push(`<rect x="${lx}" y="${ly - 7}" width="12" height="4" fill="${color}"/>`);
    o.push(svgText(lx + 16, ly, name, 'fill="#333"'));
    lx += 32 + name.length * 7;
  }
  o.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="#f1ce63" opacity="0.45"/>`);
  o.push(svgText(lx + 16, ly, "GC (mark phase)", 'fill="#333"'));
  lx += 120;
  o.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="#e15759" opacity="0.5"/>`);
  o.push(svgText(lx + 16, ly, "stop-the-world", 'fill="#333"'));
  // Shading first, under the lines: one rectangle per pixel column at most,
  // so that thousands of pauses on a long trace do not make a huge picture.
  const shade = (
    ranges: readonly { start: number; end: number; label: string }[],
    cls: string,
    fill: string,
    opacity: number,
    what: (r: { start: number; end: number; label: string }) => string,
    many: string,
  ) => {
    let i = 0;
    while (i < ranges.length) {
      const x = fx(ranges[i].start);
      let end = Math.max(x + 1, fx(ranges[i].end)), n = 1, total = ranges[i].end - ranges[i].start;
      while (i + n < ranges.length && fx(ranges[i + n].start) < end + 1) {
        end = Math.max(end, fx(ranges[i + n].end));
        total += ranges[i + n].end - ranges[i + n].start;
        n++;
      }
      const title = n === 1 ? what(ranges[i]) : `${n} ${many}: ${formatDuration(total)} in all`;
      o.push(
        `<rect class="${cls}" x="${px(x)}" y="${head}" width="${px(end - x)}" height="${plotsH}" ` +
          `fill="${fill}" opacity="${opacity}">${svgTitle(title)}</rect>`,
      );
      i += n;
    }
  };
  shade(
    d.gc,
    "gc",
    "#f1ce63",
    0.45,
    (c) => `${c.label}: ${formatDuration(c.end - c.start)}`,
    "GC cycles",
  );
  shade(
    d.stw,
    "stw",
    "#e15759",
    0.5,
    (s) => `stop-the-world (${s.label}): ${formatDuration(s.end - s.start)}`,
    "stop-the-world pauses",
  );
  let y = head;
  const xEnd = fx(d.to);
  const draw = (
    name: string,
    h: number,
    series: { points: MetricPoint[]; color: string; dash?: boolean; fill?: boolean }[],
    bytes: boolean,
  ) => {
    let top = 1; // a loop, not Math.max(...): series can have millions of points
    for (const s of series) for (const p of s.points) if (p.value > top) top = p.value;
    const max = top * 1.08;
    const fy = (v: number) => y + h - (v / max) * h;
    o.push(
      `<rect x="${x0}" y="${px(y)}" width="${px(plotW)}" height="${h}" fill="none" stroke="#bbb"/>`,
    );
    o.push(svgText(x0, y - 4, name, 'font-weight="bold" fill="#333"'));
    let ticks = bytes ? byteTicks(max) : linearTicks(0, max, h > 60 ? 3 : 2)
      .filter((t) => Number.isInteger(t) && t <= max);
    // Counts get whole ticks; when none fits but 0 (GOMAXPROCS 4 in a short panel), label the top.
    if (!bytes && ticks.length < 2 && top > 0) ticks = [0, Math.round(top)];
    for (const t of ticks) {
      if (t > max) continue;
      o.push(
        `<line x1="${x0}" x2="${px(x0 + plotW)}" y1="${px(fy(t))}" y2="${
          px(fy(t))
        }" stroke="#eee"/>`,
        svgText(
          x0 - 4,
          fy(t) + 4,
          bytes ? formatBytes(t) : String(t),
          'text-anchor="end" fill="#555"',
        ),
      );
    }
    for (const s of series) {
      const path = stepPath(s.points, fx, fy, xEnd);
      if (!path) continue;
      if (s.fill) {
        const first = px(fx(s.points[0].time));
        o.push(
          `<path d="${path} V${
            px(y + h)
          } H${first} Z" fill="${s.color}" opacity="0.15" stroke="none"/>`,
        );
      }
      o.push(
        `<path class="series" d="${path}" fill="none" stroke="${s.color}" stroke-width="1.5"${
          s.dash ? ' stroke-dasharray="5 3"' : ""
        }/>`,
      );
    }
    y += h + gap;
  };
  draw(panels[0].name, panels[0].h, [
    { points: d.heapLive, color: "#4e79a7", fill: true },
    { points: d.heapGoal, color: "#59a14f", dash: true },
  ], true);
  draw(panels[1].name, panels[1].h, [{ points: d.goroutines, color: "#9c755f" }], false);
  draw(panels[2].name, panels[2].h, [{ points: d.gomaxprocs, color: "#76b7b2" }], false);
  // Time axis, relative to the window start.
  const axisY = head + plotsH;
  const step = niceStep(d.to - d.from, Math.max(2, Math.floor(plotW / 100)));
  for (let t = 0; d.from + t <= d.to + 1e-9; t += step) {
    const x = px(fx(d.from + t));
    o.push(
      `<line x1="${x}" x2="${x}" y1="${axisY}" y2="${axisY + 4}" stroke="#555"/>`,
      svgText(fx(d.from + t), axisY + 16, formatTick(t, step), 'text-anchor="middle" fill="#333"'),
    );
  }
  o.push(
    svgText(
      x0,
      height - 6,
      `${count(d.gc.length, "GC cycle")}, ${count(d.stw.length, "stop-the-world pause")} in ${
        formatDuration(d.to - d.from)
      }`,
      'fill="#666"',
    ),
  );
  o.push("</svg>");
  return o.join("\n");
}

/** A one-paragraph text version: ranges of each series and the shaded counts. */
function renderRuntimePlotText(d: RuntimePlotData, title?: string): string {
  const range = (s: MetricPoint[], f: (v: number) => string) => {
    if (s.length === 0) return "no data";
    let lo = Infinity, hi = -Infinity;
    for (const p of s) (lo = Math.min(lo, p.value), hi = Math.max(hi, p.value));
    return lo === hi ? f(lo) : `${f(lo)} – ${f(hi)}`;
  };
  const pause = d.stw.reduce((n, s) => n + s.end - s.start, 0);
  return [
    ...(title ? [title] : []),
    `  window      ${formatDuration(d.to - d.from)}`,
    `  heap live   ${range(d.heapLive, formatBytes)}`,
    `  heap goal   ${range(d.heapGoal, formatBytes)}`,
    `  goroutines  ${range(d.goroutines, String)}`,
    `  GOMAXPROCS  ${range(d.gomaxprocs, String)}`,
    `  GC cycles   ${d.gc.length}; stop-the-world ${d.stw.length} (${formatDuration(pause)})`,
  ].join("\n");
}

/**
 * The runtime plot as a picture.
 *
 * @example
 * ```ts
 * import { runtimePlotView } from "./runtime_plot.ts";
 * import { gcAndMetrics } from "../queries/gc.ts";
 * const gc = await gcAndMetrics(new URL("../../testdata/gc-stw.trace", import.meta.url));
 * const p = runtimePlotView(gc, { title: "runtime" });
 * console.assert(p.data.gc.length === gc.cycles.length && String(p).includes("GC cycles"));
 * ```
 */
export function runtimePlotView(
  gc: GCResult,
  opts: RuntimePlotOptions = {},
): Picture<RuntimePlotData> {
  const data = runtimePlotData(gc, opts);
  return new Picture(
    data,
    renderRuntimePlotSvg(data, opts),
    renderRuntimePlotText(data, opts.title),
  );
}
