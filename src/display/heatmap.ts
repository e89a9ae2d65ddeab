/**
 * P utilisation heatmap: time buckets across, Ps down, each cell coloured by
 * the share of the bucket its P spent running goroutines. Takes the per-P
 * views of `schedulerViews` (src/queries/procs.ts).
 *
 * @module
 */

import type { ProcView } from "../queries/procs.ts";
import { formatDuration, formatTick, niceStep } from "./duration.ts";
import { Picture, px, svgOpen, svgText, svgTitle } from "./picture.ts";

/**
 * The heatmap's buckets and window.
 *
 * @example
 * ```ts
 * import type { HeatmapOptions } from "./heatmap.ts";
 * const o: HeatmapOptions = { buckets: 50, from: 0, to: 1e9 };
 * console.assert(o.buckets === 50);
 * ```
 */
export interface HeatmapOptions {
  /** Number of time buckets (default 100). */
  buckets?: number;
  /** Window start (ns); default the earliest hold or slice of any P. */
  from?: number;
  /** Window end (ns); default the latest. */
  to?: number;
  /** Heading. */
  title?: string;
  /** Width in px (default 960). */
  width?: number;
  /** Height of a P's row in px (default 16). */
  rowHeight?: number;
}

/**
 * Utilisation per P and time bucket.
 *
 * @example
 * ```ts
 * import type { HeatmapData } from "./heatmap.ts";
 * const h: HeatmapData = { from: 0, to: 20, bucket: 10, procs: [0], values: [[1, 0.25]] };
 * console.assert(h.values[0][1] === 0.25);
 * ```
 */
export interface HeatmapData {
  /** Window start (ns). */
  from: number;
  /** Window end (ns). */
  to: number;
  /** Width of a bucket (ns): `(to - from) / buckets`. */
  bucket: number;
  /** P ids, one per row. */
  procs: number[];
  /** `values[row][bucket]`: fraction of the bucket (0..1) the P ran goroutines. */
  values: number[][];
}

/**
 * Computes the share of each time bucket each P spent running goroutines.
 *
 * @example
 * ```ts
 * import { procHeatmap } from "./heatmap.ts";
 * const slice = (start: number, end: number) =>
 *   ({ goroutine: 1, thread: 0, proc: 0, state: "Running" as const, start, end });
 * const h = procHeatmap([{ proc: 0, holds: [], steals: [], slices: [slice(0, 15), slice(30, 35)] }],
 *   { from: 0, to: 40, buckets: 4 });
 * console.assert(h.values[0].join() === "1,0.5,0,0.5");
 * ```
 */
export function procHeatmap(procs: readonly ProcView[], opts: HeatmapOptions = {}): HeatmapData {
  let lo = Infinity, hi = -Infinity;
  for (const p of procs) {
    for (const s of [...p.holds, ...p.slices]) {
      if (s.start < lo) lo = s.start;
      if (s.end > hi) hi = s.end;
    }
  }
  const from = opts.from ?? (lo === Infinity ? 0 : lo);
  let to = opts.to ?? (hi === -Infinity ? from + 1 : hi);
  if (to <= from) to = from + 1;
  const n = Math.max(1, Math.floor(opts.buckets ?? 100));
  const bucket = (to - from) / n;
  const values = procs.map((p) => {
    const busy = new Float64Array(n);
    for (const s of p.slices) {
      if (s.state !== "Running") continue;
      const a = Math.max(from, s.start), b = Math.min(to, s.end);
      if (b <= a) continue;
      // Spread the slice over the buckets it covers.
      const i0 = Math.min(n - 1, Math.floor((a - from) / bucket));
      const i1 = Math.min(n - 1, Math.floor((b - from) / bucket));
      for (let i = i0; i <= i1; i++) {
        const bs = from + i * bucket, be = i === n - 1 ? to : from + (i + 1) * bucket;
        const d = Math.min(b, be) - Math.max(a, bs);
        if (d > 0) busy[i] += d;
      }
    }
    return Array.from(busy, (d, i) => {
      const width = i === n - 1 ? to - (from + i * bucket) : bucket;
      return Math.min(1, d / width);
    });
  });
  return { from, to, bucket, procs: procs.map((p) => p.proc), values };
}

/**
 * Colour of a utilisation (0..1): from pale grey-blue through teal to dark
 * blue-violet, readable on white.
 *
 * @example
 * ```ts
 * import { heatColor } from "./heatmap.ts";
 * console.assert(heatColor(0) === "rgb(240,243,247)" && heatColor(1) === "rgb(37,52,148)");
 * ```
 */
export function heatColor(v: number): string {
  const stops: [number, number, number][] = [
    [240, 243, 247],
    [161, 218, 180],
    [65, 182, 196],
    [44, 127, 184],
    [37, 52, 148],
  ];
  const x = Math.max(0, Math.min(1, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return `rgb(${c.join(",")})`;
}

const LABEL_W = 44;

/**
 * The SVG of a heatmap: one row per P, one cell per bucket (`class="cell"`,
 * with a hover title), a time axis and a colour scale.
 *
 * @example
 * ```ts
 * import { renderHeatmapSvg } from "./heatmap.ts";
 * const svg = renderHeatmapSvg({ from: 0, to: 40, bucket: 10, procs: [0, 1],
 *   values: [[1, 0.5, 0, 0.5], [0, 0, 0, 1]] });
 * console.assert((svg.match(/class="cell"/g) ?? []).length === 8);
 * ```
 */
export function renderHeatmapSvg(d: HeatmapData, opts: HeatmapOptions = {}): string {
  const width = opts.width ?? 960, rh = opts.rowHeight ?? 16;
  const x0 = LABEL_W, plotW = width - LABEL_W - 16;
  const head = opts.title ? 28 : 8;
  const n = d.values[0]?.length ?? 0;
  const cw = n ? plotW / n : plotW;
  const height = head + d.procs.length * rh + 64;
  const o = [svgOpen(width, height)];
  if (opts.title) o.push(svgText(8, 19, opts.title, 'font-size="13" font-weight="bold"'));
  d.procs.forEach((p, r) => {
    const y = head + r * rh;
    o.push(svgText(x0 - 6, y + rh - 4, `P${p}`, 'text-anchor="end" fill="#333"'));
    d.values[r].forEach((v, i) => {
      const t0 = i * d.bucket;
      o.push(
        `<rect class="cell" x="${px(x0 + i * cw)}" y="${y}" width="${px(cw + 0.3)}" height="${
          rh - 1
        }" fill="${heatColor(v)}">${
          svgTitle(
            `P${p} ${formatDuration(t0)} – ${formatDuration(t0 + d.bucket)}: ${
              (v * 100).toFixed(1)
            }% running`,
          )
        }</rect>`,
      );
    });
  });
  // Time axis from the window start.
  const axisY = head + d.procs.length * rh + 2;
  const span = d.to - d.from;
  const step = niceStep(span, Math.max(2, Math.floor(plotW / 100)));
  for (let t = 0; t <= span + 1e-9; t += step) {
    const x = x0 + (t / span) * plotW;
    o.push(
      `<line x1="${px(x)}" x2="${px(x)}" y1="${axisY}" y2="${axisY + 4}" stroke="#555"/>`,
      svgText(x, axisY + 16, formatTick(t, step), 'text-anchor="middle" fill="#333"'),
    );
  }
  // Colour scale.
  const sy = axisY + 30;
  o.push(svgText(x0, sy + 10, "share of time running goroutines:", 'fill="#555"'));
  for (let i = 0; i <= 10; i++) {
    const sx = x0 + 200 + i * 22;
    o.push(`<rect x="${sx}" y="${sy}" width="22" height="12" fill="${heatColor(i / 10)}"/>`);
    if (i % 5 === 0) {
      o.push(svgText(sx + 11, sy + 24, `${i * 10}%`, 'text-anchor="middle" fill="#555"'));
    }
  }
  const mean = d.values.flat().reduce((a, b) => a + b, 0) / Math.max(1, d.procs.length * n);
  o.push(
    svgText(
      x0 + 470,
      sy + 10,
      `${d.procs.length} Ps × ${n} buckets of ${formatDuration(d.bucket)}; mean ${
        (mean * 100).toFixed(1)
      }%`,
      'fill="#555"',
    ),
  );
  o.push("</svg>");
  return o.join("\n");
}

/**
 * The heatmap as text: a row of shades per P (" ░▒▓█" for 0–100%).
 *
 * @example
 * ```ts
 * import { renderHeatmapText } from "./heatmap.ts";
 * const t = renderHeatmapText({ from: 0, to: 40, bucket: 10, procs: [0], values: [[1, 0.5, 0, 0.3]] });
 * console.assert(t.split("\n")[0] === "  P0 |█▒ ░|");
 * ```
 */
export function renderHeatmapText(d: HeatmapData, title?: string): string {
  const shades = " ░▒▓█";
  const out = title ? [title] : [];
  const w = Math.max(0, ...d.procs.map((p) => `P${p}`.length));
  d.procs.forEach((p, r) => {
    const row = d.values[r].map((v) =>
      v <= 0 ? " " : shades[Math.max(1, Math.min(4, Math.round(v * 4)))]
    ).join("");
    out.push(`  ${`P${p}`.padStart(w)} |${row}|`);
  });
  out.push(
    `  ${formatDuration(d.to - d.from)} in ${d.values[0]?.length ?? 0} buckets of ${
      formatDuration(d.bucket)
    }`,
  );
  return out.join("\n");
}

/**
 * The P utilisation heatmap as a picture.
 *
 * @example
 * ```ts
 * import { heatmapView } from "./heatmap.ts";
 * import { schedulerViews } from "../queries/procs.ts";
 * const v = await schedulerViews(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const h = heatmapView(v.procs, { buckets: 10 });
 * console.assert(h.data.values.every((row) => row.length === 10 && row.every((x) => x >= 0 && x <= 1)));
 * ```
 */
export function heatmapView(
  procs: readonly ProcView[],
  opts: HeatmapOptions = {},
): Picture<HeatmapData> {
  const data = procHeatmap(procs, opts);
  return new Picture(data, renderHeatmapSvg(data, opts), renderHeatmapText(data, opts.title));
}
