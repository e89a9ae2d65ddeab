/**
 * Histograms of durations (or any numbers): buckets on a linear axis with
 * "nice" edges, or on a logarithmic axis with edges at 1, 2 and 5 times a
 * power of ten; counts and percentiles (p50, p90, p99, max) printed beside
 * the bars. Feed it any duration list: syscall durations, block durations by
 * reason, scheduling latencies, region durations (see `durations.ts` in the queries).
 *
 * @module
 */

import { formatDuration, formatTick } from "./duration.ts";
import {
  fitText,
  formatBytes,
  linearTicks,
  Picture,
  px,
  svgOpen,
  svgText,
  svgTitle,
} from "./picture.ts";

/**
 * How values print: durations in ns (default), bytes, or plain numbers.
 *
 * @example
 * ```ts
 * import type { ValueUnit } from "./histogram.ts";
 * const u: ValueUnit = "bytes";
 * console.assert(u === "bytes");
 * ```
 */
export type ValueUnit = "ns" | "bytes" | "count";

/**
 * How to bucket and draw.
 *
 * @example
 * ```ts
 * import type { HistogramOptions } from "./histogram.ts";
 * const o: HistogramOptions = { log: true, title: "syscall durations" };
 * console.assert(o.log);
 * ```
 */
export interface HistogramOptions {
  /** About how many buckets on a linear axis (default 20). */
  buckets?: number;
  /** Logarithmic axis: bucket edges at 1, 2, 5 × 10^k (zeros get their own bucket). */
  log?: boolean;
  /** How values print (default "ns"). */
  unit?: ValueUnit;
  /** Heading. */
  title?: string;
  /** Width in px (default 640). */
  width?: number;
  /** Height of one histogram's plot in px (default 150). */
  height?: number;
}

/**
 * Values `lo <= v < hi` (the last bucket also holds `hi`).
 *
 * @example
 * ```ts
 * import type { HistogramBucket } from "./histogram.ts";
 * const b: HistogramBucket = { lo: 100, hi: 200, count: 3 };
 * console.assert(b.count === 3);
 * ```
 */
export interface HistogramBucket {
  /** Lower edge. */
  lo: number;
  /** Upper edge. */
  hi: number;
  /** How many values. */
  count: number;
}

/**
 * Summary numbers; percentiles are nearest-rank (a value of the data).
 *
 * @example
 * ```ts
 * import { histogramStats, type HistogramStats } from "./histogram.ts";
 * const s: HistogramStats = histogramStats([5, 1, 9]);
 * console.assert(s.p50 === 5 && s.max === 9);
 * ```
 */
export interface HistogramStats {
  /** Number of values. */
  count: number;
  /** Sum. */
  sum: number;
  /** Mean (0 when empty). */
  mean: number;
  /** Smallest value (0 when empty). */
  min: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 99th percentile. */
  p99: number;
  /** Largest value (0 when empty). */
  max: number;
}

/**
 * A histogram as plain data.
 *
 * @example
 * ```ts
 * import { histogram, type HistogramData } from "./histogram.ts";
 * const h: HistogramData = histogram([1, 2, 3], { buckets: 2 });
 * console.assert(h.stats.count === 3 && !h.log);
 * ```
 */
export interface HistogramData {
  /** Buckets by increasing edges, empty ones included. */
  buckets: HistogramBucket[];
  /** Count and percentiles. */
  stats: HistogramStats;
  /** Whether the buckets are logarithmic. */
  log: boolean;
  /** How values print. */
  unit: ValueUnit;
}

/**
 * The `q`-quantile of sorted values, nearest rank: the smallest value with
 * at least a fraction `q` of the values at or below it.
 *
 * @example
 * ```ts
 * import { percentile } from "./histogram.ts";
 * const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * console.assert(percentile(v, 0.5) === 5 && percentile(v, 0.9) === 9 && percentile(v, 0.99) === 10);
 * ```
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * The count, sum, mean, extremes and percentiles of values (any order).
 *
 * @example
 * ```ts
 * import { histogramStats } from "./histogram.ts";
 * const s = histogramStats([4, 1, 3, 2]);
 * console.assert(s.count === 4 && s.mean === 2.5 && s.p50 === 2 && s.max === 4);
 * ```
 */
export function histogramStats(values: readonly number[]): HistogramStats {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  let sum = 0;
  for (const x of v) sum += x;
  const s = Array.from(v);
  return {
    count: n,
    sum,
    mean: n ? sum / n : 0,
    min: n ? v[0] : 0,
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p99: percentile(s, 0.99),
    max: n ? v[n - 1] : 0,
  };
}

/** The 1-2-5 edge at or below `v` (v > 0). */
function edgeBelow(v: number): number {
  const pow = 10 ** Math.floor(Math.log10(v) + 1e-12);
  for (const m of [5, 2, 1]) if (m * pow <= v * (1 + 1e-12)) return m * pow;
  return pow / 2;
}

/** The 1-2-5 edge after `e` (an edge). */
function nextEdge(e: number): number {
  const pow = 10 ** Math.floor(Math.log10(e) + 1e-12);
  const m = Math.round(e / pow);
  return Number(((m === 1 ? 2 : m === 2 ? 5 : 10) * pow).toPrecision(12));
}

/**
 * Buckets values and computes their stats.
 *
 * Linear: the bucket width is the smallest 1, 2 or 5 × 10^k giving at most
 * `buckets` buckets, edges are multiples of it. Log: edges at 1, 2, 5 ×
 * 10^k around the values; zeros (and negatives) go to a bucket `[0, 0]` first.
 *
 * @example
 * ```ts
 * import { histogram } from "./histogram.ts";
 * const h = histogram([0, 5, 12, 18, 40], { buckets: 4 });
 * console.assert(h.buckets.map((b) => `${b.lo}-${b.hi}:${b.count}`).join(" ") === "0-10:2 10-20:2 20-30:0 30-40:1");
 * const g = histogram([3, 30, 31, 300], { log: true });
 * console.assert(g.buckets.map((b) => b.count).join() === "1,0,0,2,0,0,1");
 * ```
 */
export function histogram(values: readonly number[], opts: HistogramOptions = {}): HistogramData {
  const stats = histogramStats(values);
  const unit = opts.unit ?? "ns";
  const log = opts.log ?? false;
  if (stats.count === 0) return { buckets: [], stats, log, unit };
  // One value (or one sample): one bar for it, on a linear or a log axis alike.
  if (stats.max === stats.min) {
    return { buckets: [{ lo: stats.min, hi: stats.max, count: stats.count }], stats, log, unit };
  }
  const buckets: HistogramBucket[] = [];
  if (log) {
    const pos = values.filter((v) => v > 0);
    const zeros = values.length - pos.length;
    if (zeros) buckets.push({ lo: 0, hi: 0, count: zeros });
    if (pos.length) {
      let lo = Infinity, hi = -Infinity;
      for (const v of pos) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const first = buckets.length;
      for (let e = edgeBelow(lo); e <= hi; e = nextEdge(e)) {
        buckets.push({ lo: e, hi: nextEdge(e), count: 0 });
      }
      const last = buckets.length - 1;
      for (const v of pos) {
        let i = first;
        while (i < last && v >= buckets[i].hi) i++;
        buckets[i].count++;
      }
    }
    return { buckets, stats, log, unit };
  }
  const target = Math.max(1, Math.floor(opts.buckets ?? 20));
  const { min, max } = stats;
  const raw = (max - min) / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let width = [1, 2, 5, 10].map((m) => m * pow).find((w) => w >= raw) ?? 10 * pow;
  let lo = Math.floor(min / width) * width;
  // Flooring the start can need one bucket more than asked: widen instead.
  while (Math.ceil((max - lo) / width - 1e-9) > target) {
    width = nextEdge(edgeBelow(width));
    lo = Math.floor(min / width) * width;
  }
  const n = Math.max(1, Math.ceil((max - lo) / width - 1e-9));
  for (let i = 0; i < n; i++) {
    buckets.push({
      lo: Number((lo + i * width).toPrecision(12)),
      hi: Number((lo + (i + 1) * width).toPrecision(12)),
      count: 0,
    });
  }
  for (const v of values) buckets[Math.min(n - 1, Math.floor((v - lo) / width + 1e-9))].count++;
  return { buckets, stats, log, unit };
}

/**
 * A value in the histogram's unit.
 *
 * @example
 * ```ts
 * import { formatValue } from "./histogram.ts";
 * console.assert(formatValue(1500, "ns") === "1.50 µs" && formatValue(2048, "bytes") === "2 KiB");
 * ```
 */
export function formatValue(v: number, unit: ValueUnit, step?: number): string {
  // On an axis, `step` (ticks' spacing) keeps neighbouring labels apart.
  if (unit === "ns") return step === undefined ? formatDuration(v) : formatTick(v, step);
  if (unit === "bytes") return formatBytes(v);
  return String(Number(v.toPrecision(4)));
}

const STATS_W = 130;
const PAD_L = 46;
const AXIS_H = 30;

/** Draws one histogram panel with its top-left corner at (x, y). */
function panel(
  h: HistogramData,
  x: number,
  y: number,
  width: number,
  plotH: number,
  title: string | undefined,
): string[] {
  const o: string[] = [];
  const titleH = title ? 18 : 0;
  if (title) o.push(svgText(x, y + 13, title, 'font-size="12" font-weight="bold"'));
  const top = y + titleH + 6;
  const x0 = x + PAD_L, plotW = width - PAD_L - STATS_W - 10;
  const { buckets, stats, unit } = h;
  o.push(
    `<rect x="${px(x0)}" y="${px(top)}" width="${px(plotW)}" height="${
      px(plotH)
    }" fill="none" stroke="#bbb"/>`,
  );
  if (buckets.length === 0) {
    o.push(
      svgText(x0 + plotW / 2, top + plotH / 2, "no values", 'text-anchor="middle" fill="#888"'),
    );
    return o;
  }
  if (buckets.length === 1 && buckets[0].lo === buckets[0].hi) {
    // One value: a bar in the middle, its value under it and its count on top.
    const b = buckets[0], cx = x0 + plotW / 2, v = formatValue(b.lo, unit);
    o.push(
      `<rect class="bar" x="${px(cx - 20)}" y="${px(top + 16)}" width="40" height="${
        px(plotH - 16)
      }" fill="#4e79a7">${svgTitle(`${v}: ${b.count} (100%)`)}</rect>`,
      svgText(cx, top + 12, String(b.count), 'text-anchor="middle" fill="#555"'),
      svgText(cx, top + plotH + 13, v, 'text-anchor="middle" fill="#333"'),
    );
    statsColumn(o, h, x0 + plotW + 14, top);
    return o;
  }
  // X scale: linear, or log10 with the zero bucket drawn as a slot of its own.
  const zero = h.log && buckets[0].hi === 0 ? 1 : 0;
  const lo = buckets[zero]?.lo ?? 0, hi = buckets[buckets.length - 1].hi;
  const zeroW = zero ? Math.min(24, plotW / (buckets.length + 1)) : 0;
  const span = h.log ? Math.log10(hi / lo) : hi - lo;
  const fx = (v: number) =>
    x0 + zeroW +
    (span > 0 ? ((h.log ? Math.log10(v / lo) : v - lo) / span) : 0.5) * (plotW - zeroW);
  const maxCount = Math.max(...buckets.map((b) => b.count));
  const fy = (c: number) => top + plotH - (c / maxCount) * (plotH - 4);
  for (const c of linearTicks(0, maxCount, 3)) {
    if (!Number.isInteger(c)) continue;
    o.push(
      `<line x1="${px(x0)}" x2="${px(x0 + plotW)}" y1="${px(fy(c))}" y2="${
        px(fy(c))
      }" stroke="#eee"/>`,
      svgText(x0 - 4, fy(c) + 4, String(c), 'text-anchor="end" fill="#555"'),
    );
  }
  for (const b of buckets) {
    if (b.count === 0) continue;
    const single = b.lo === b.hi;
    const bx = single && zero && b === buckets[0]
      ? x0 + 1
      : single
      ? x0 + plotW / 2 - 10
      : fx(b.lo);
    const bw = single
      ? (zero && b === buckets[0] ? zeroW - 2 : 20)
      : Math.max(1, fx(b.hi) - bx - 1);
    const share = ((b.count / stats.count) * 100).toFixed(1);
    const range = single
      ? formatValue(b.lo, unit)
      : `${formatValue(b.lo, unit, h.log ? undefined : b.hi - b.lo)} – ${
        formatValue(b.hi, unit, h.log ? undefined : b.hi - b.lo)
      }`;
    o.push(
      `<rect class="bar" x="${px(bx)}" y="${px(fy(b.count))}" width="${px(bw)}" height="${
        px(top + plotH - fy(b.count))
      }" fill="#4e79a7">${svgTitle(`${range}: ${b.count} (${share}%)`)}</rect>`,
    );
  }
  // X axis labels: powers of ten on a log axis, nice ticks on a linear one.
  const axisY = top + plotH + 13;
  const ticks = h.log
    ? buckets.slice(zero).map((b) => b.lo).concat(hi).filter((e) =>
      Math.abs(Math.log10(e) - Math.round(Math.log10(e))) < 1e-9
    )
    : linearTicks(lo, hi, Math.max(2, Math.floor(plotW / 80)));
  for (const t of ticks) {
    if (t < lo || t > hi) continue;
    o.push(
      `<line x1="${px(fx(t))}" x2="${px(fx(t))}" y1="${px(top + plotH)}" y2="${
        px(top + plotH + 3)
      }" stroke="#555"/>`,
      svgText(
        fx(t),
        axisY,
        formatValue(t, unit, h.log ? undefined : ticks[1] - ticks[0]),
        'text-anchor="middle" fill="#333"',
      ),
    );
  }
  if (zero) o.push(svgText(x0 + zeroW / 2, axisY, "0", 'text-anchor="middle" fill="#333"'));
  // Percentile markers and the numbers beside the plot.
  const marks: [string, number, string][] = [
    ["p50", stats.p50, "#e15759"],
    ["p90", stats.p90, "#f28e2b"],
    ["p99", stats.p99, "#b07aa1"],
  ];
  for (const [name, v, color] of marks) {
    if (h.log && v <= 0) continue;
    const mx = px(fx(v));
    o.push(
      `<line class="pct" x1="${mx}" x2="${mx}" y1="${px(top)}" y2="${
        px(top + plotH)
      }" stroke="${color}" stroke-dasharray="4 3">${
        svgTitle(`${name} ${formatValue(v, unit)}`)
      }</line>`,
    );
  }
  statsColumn(o, h, x0 + plotW + 14, top);
  return o;
}

/** The numbers beside a panel: count, percentiles, max and mean. */
function statsColumn(o: string[], h: HistogramData, sx: number, top: number): void {
  const { stats, unit } = h;
  const lines: [string, string, string][] = [
    ["count", String(stats.count), "#333"],
    ["p50", formatValue(stats.p50, unit), "#e15759"],
    ["p90", formatValue(stats.p90, unit), "#f28e2b"],
    ["p99", formatValue(stats.p99, unit), "#b07aa1"],
    ["max", formatValue(stats.max, unit), "#333"],
    ["mean", formatValue(stats.mean, unit), "#777"],
  ];
  lines.forEach(([k, v, color], i) => {
    const ly = top + 12 + i * 15;
    o.push(svgText(sx, ly, k, `fill="${color}"`));
    o.push(svgText(sx + STATS_W - 8, ly, fitText(v, 80), 'text-anchor="end" fill="#333"'));
  });
}

function panelHeight(plotH: number, title: boolean): number {
  return (title ? 18 : 0) + 6 + plotH + AXIS_H;
}

/**
 * The SVG of one or more histograms stacked, each with its own title.
 *
 * @example
 * ```ts
 * import { histogram, renderHistogramSvg } from "./histogram.ts";
 * const svg = renderHistogramSvg([{ title: "x", data: histogram([1, 2, 2, 3], { buckets: 3 }) }]);
 * console.assert((svg.match(/class="bar"/g) ?? []).length === 2 && svg.includes("p99"));
 * ```
 */
export function renderHistogramSvg(
  panels: readonly { title?: string; data: HistogramData }[],
  opts: HistogramOptions = {},
): string {
  const width = opts.width ?? 640, plotH = opts.height ?? 150;
  const head = opts.title ? 24 : 0;
  let height = head + 8;
  for (const p of panels) height += panelHeight(plotH, p.title !== undefined);
  const o = [svgOpen(width, height)];
  if (opts.title) o.push(svgText(8, 18, opts.title, 'font-size="13" font-weight="bold"'));
  let y = head + 4;
  for (const p of panels) {
    o.push(...panel(p.data, 4, y, width - 8, plotH, p.title));
    y += panelHeight(plotH, p.title !== undefined);
  }
  o.push("</svg>");
  return o.join("\n");
}

/**
 * A histogram as text: one row per non-empty bucket with a bar, then the stats.
 *
 * @example
 * ```ts
 * import { histogram, renderHistogramText } from "./histogram.ts";
 * const t = renderHistogramText(histogram([1000, 2000, 2500], { buckets: 2 }));
 * console.assert(t.includes("p50 2.00 µs") && t.includes("█"));
 * ```
 */
export function renderHistogramText(h: HistogramData, title?: string): string {
  const out = title ? [title] : [];
  const rows = h.buckets.filter((b) => b.count > 0);
  const labels = rows.map((b) =>
    b.lo === b.hi
      ? formatValue(b.lo, h.unit)
      // Linear buckets: to the bucket's width, so narrow ones still read apart.
      : `${formatValue(b.lo, h.unit, h.log ? undefined : b.hi - b.lo)} – ${
        formatValue(b.hi, h.unit, h.log ? undefined : b.hi - b.lo)
      }`
  );
  const w = Math.max(0, ...labels.map((l) => l.length));
  const max = Math.max(1, ...rows.map((b) => b.count));
  rows.forEach((b, i) => {
    const bar = "█".repeat(Math.max(1, Math.round((b.count / max) * 40)));
    out.push(`  ${labels[i].padStart(w)} │${bar} ${b.count}`);
  });
  const s = h.stats;
  const f = (v: number) => formatValue(v, h.unit);
  out.push(
    `  count ${s.count}  p50 ${f(s.p50)}  p90 ${f(s.p90)}  p99 ${f(s.p99)}  max ${f(s.max)}`,
  );
  return out.join("\n");
}

/**
 * A histogram picture of `values`: data, SVG (Jupyter) and text (REPL).
 *
 * @example
 * ```ts
 * import { histogramView } from "./histogram.ts";
 * const p = histogramView([120, 340, 560, 5_000, 80_000], { log: true, title: "syscalls" });
 * console.assert(p.data.stats.count === 5 && p.toSvg().startsWith("<svg"));
 * console.assert(String(p).includes("p99 80.0 µs"));
 * ```
 */
export function histogramView(
  values: readonly number[],
  opts: HistogramOptions = {},
): Picture<HistogramData> {
  const data = histogram(values, opts);
  return new Picture(
    data,
    renderHistogramSvg([{ data }], opts),
    renderHistogramText(data, opts.title),
  );
}

/**
 * Histograms of several lists in one picture, one panel per key (largest
 * count first), e.g. block durations by reason.
 *
 * @example
 * ```ts
 * import { histogramsView } from "./histogram.ts";
 * const p = histogramsView({ sleep: [1e6, 2e6], "chan receive": [10, 20, 30] }, { log: true });
 * console.assert(Object.keys(p.data).join() === "chan receive,sleep");
 * console.assert((p.toSvg().match(/class="bar"/g) ?? []).length === 4);
 * ```
 */
export function histogramsView(
  groups: Readonly<Record<string, readonly number[]>>,
  opts: HistogramOptions = {},
): Picture<Record<string, HistogramData>> {
  const keys = Object.keys(groups).sort((a, b) =>
    groups[b].length - groups[a].length || (a < b ? -1 : a > b ? 1 : 0)
  );
  const data: Record<string, HistogramData> = {};
  for (const k of keys) data[k] = histogram(groups[k], opts);
  const label = (k: string) => k === "" ? "(no reason)" : k;
  const svg = renderHistogramSvg(keys.map((k) => ({ title: label(k), data: data[k] })), opts);
  const text = [
    ...(opts.title ? [opts.title] : []),
    ...keys.map((k) => renderHistogramText(data[k], label(k))),
  ].join("\n");
  return new Picture(data, svg, text);
}
