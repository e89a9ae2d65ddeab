/**
 * A small line chart in SVG: step or straight series over a linear or
 * logarithmic x axis, for metrics over time (heap, goroutines) and the MMU
 * curve. Text fallback: a few sampled values per series.
 *
 * @module
 */

import { escapeHtml, escapeText } from "./html.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";
import { svgDisplay } from "./picture.ts";

/**
 * One line.
 *
 * @example
 * ```ts
 * import type { ChartSeries } from "./svg_chart.ts";
 * const s: ChartSeries = { name: "heap", color: "#36c", step: true, points: [{ x: 0, y: 1 }] };
 * console.assert(s.points.length === 1);
 * ```
 */
export interface ChartSeries {
  /** Name in the legend. */
  name: string;
  /** Points, by increasing x. */
  points: { x: number; y: number }[];
  /** CSS colour. */
  color: string;
  /** Hold each value until the next point (metrics), instead of a straight line. */
  step?: boolean;
}

/**
 * How to draw a chart.
 *
 * @example
 * ```ts
 * import type { ChartOptions } from "./svg_chart.ts";
 * const o: ChartOptions = { title: "MMU", logX: true, yMin: 0, yMax: 1 };
 * console.assert(o.logX);
 * ```
 */
export interface ChartOptions {
  /** Heading. */
  title?: string;
  /** Axis labels. */
  xLabel?: string;
  /** Y axis label. */
  yLabel?: string;
  /** Formats x values; on the axis `step` is the ticks' spacing (0 on a log axis). */
  formatX?: (x: number, step?: number) => string;
  /** Formats y values; on the axis `step` is the ticks' spacing. */
  formatY?: (y: number, step?: number) => string;
  /** Logarithmic x axis (all x must be > 0). */
  logX?: boolean;
  /** Y range (default: 0 to the largest y). */
  yMin?: number;
  /** Y max. */
  yMax?: number;
  /** Size in px (default 640 × 260). */
  width?: number;
  /** Height. */
  height?: number;
}

const PAD = { l: 64, r: 16, t: 28, b: 44 };

function ticksLinear(lo: number, hi: number, n: number): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

function ticksLog(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi * 1.0001; e++) {
    if (10 ** e >= lo * 0.9999) out.push(10 ** e);
  }
  return out;
}

/**
 * A chart value: SVG in Jupyter, a short text summary in the REPL.
 *
 * @example
 * ```ts
 * import { LineChart } from "./svg_chart.ts";
 * const c = new LineChart([{ name: "heap", color: "#36c", step: true,
 *   points: [{ x: 0, y: 1 }, { x: 10, y: 4 }, { x: 20, y: 2 }] }], { title: "Heap" });
 * console.assert(c.toSvg().includes("<path") && String(c).includes("heap"));
 * ```
 */
export class LineChart {
  /**
   * A chart of `series`.
   * @param series the lines
   * @param options axes, size, title
   */
  constructor(readonly series: ChartSeries[], readonly options: ChartOptions = {}) {}

  /** The chart as an SVG document. */
  toSvg(): string {
    const o = this.options;
    const W = o.width ?? 640, H = o.height ?? 260;
    const all = this.series.flatMap((s) => s.points);
    const xs = all.map((p) => p.x).filter((x) => !o.logX || x > 0);
    const x0 = xs.length ? Math.min(...xs) : 0;
    let x1 = xs.length ? Math.max(...xs) : 1;
    if (x1 <= x0) x1 = x0 + 1;
    const y0 = o.yMin ?? Math.min(0, ...all.map((p) => p.y));
    let y1 = o.yMax ?? Math.max(...all.map((p) => p.y), 0);
    if (y1 <= y0) y1 = y0 + 1;
    const pw = W - PAD.l - PAD.r, ph = H - PAD.t - PAD.b;
    const fx = o.logX
      ? (x: number) => PAD.l + (Math.log10(x / x0) / Math.log10(x1 / x0)) * pw
      : (x: number) => PAD.l + ((x - x0) / (x1 - x0)) * pw;
    const fy = (y: number) => PAD.t + ph - ((y - y0) / (y1 - y0)) * ph;
    const r = (v: number) => String(Math.round(v * 10) / 10);
    const fmtX = o.formatX ?? ((x: number) => String(x));
    const fmtY = o.formatY ?? ((y: number) => String(y));
    const s: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="11">`,
      `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ];
    if (o.title) {
      s.push(
        `<text x="${PAD.l}" y="16" font-size="13" font-weight="bold">${escapeHtml(o.title)}</text>`,
      );
    }
    const yt = ticksLinear(y0, y1, 4), yStep = yt[1] - yt[0];
    for (const v of yt) {
      s.push(
        `<line x1="${PAD.l}" x2="${PAD.l + pw}" y1="${r(fy(v))}" y2="${
          r(fy(v))
        }" stroke="#e5e5e5"/>`,
      );
      s.push(
        `<text x="${PAD.l - 6}" y="${r(fy(v) + 4)}" text-anchor="end" fill="#333">${
          escapeHtml(fmtY(v, yStep))
        }</text>`,
      );
    }
    const xt = o.logX ? ticksLog(x0, x1) : ticksLinear(x0, x1, 6);
    // The formatters get the ticks' spacing, to keep neighbours apart (0 on a log axis).
    const xStep = o.logX ? 0 : xt[1] - xt[0];
    for (const v of xt) {
      s.push(
        `<line x1="${r(fx(v))}" x2="${r(fx(v))}" y1="${PAD.t}" y2="${PAD.t + ph}" stroke="#eee"/>`,
      );
      s.push(
        `<text x="${r(fx(v))}" y="${PAD.t + ph + 14}" text-anchor="middle" fill="#333">${
          escapeHtml(fmtX(v, xStep))
        }</text>`,
      );
    }
    s.push(
      `<rect x="${PAD.l}" y="${PAD.t}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`,
    );
    if (o.xLabel) {
      s.push(
        `<text x="${PAD.l + pw / 2}" y="${H - 8}" text-anchor="middle" fill="#333">${
          escapeHtml(o.xLabel)
        }</text>`,
      );
    }
    if (o.yLabel) {
      s.push(
        `<text transform="translate(14 ${
          PAD.t + ph / 2
        }) rotate(-90)" text-anchor="middle" fill="#333">${escapeHtml(o.yLabel)}</text>`,
      );
    }
    // Legend at the right of the title line.
    const legendW = this.series.reduce((w, x) => w + 30 + x.name.length * 6, 0);
    let lx = Math.max(PAD.l + (o.title ? o.title.length * 7.5 + 16 : 0), W - PAD.r - legendW);
    for (const ser of this.series) {
      const pts = ser.points.filter((p) => !o.logX || p.x > 0);
      if (pts.length) {
        let d = `M${r(fx(pts[0].x))},${r(fy(pts[0].y))}`;
        for (let i = 1; i < pts.length; i++) {
          if (ser.step) d += ` H${r(fx(pts[i].x))}`;
          d += ` ${ser.step ? "V" + r(fy(pts[i].y)) : `L${r(fx(pts[i].x))},${r(fy(pts[i].y))}`}`;
        }
        s.push(
          `<path d="${d}" fill="none" stroke="${ser.color}" stroke-width="1.6"><title>${
            escapeHtml(ser.name)
          }</title></path>`,
        );
      }
      s.push(`<rect x="${lx}" y="8" width="12" height="3" fill="${ser.color}"/>`);
      s.push(`<text x="${lx + 16}" y="13" fill="#333">${escapeHtml(ser.name)}</text>`);
      lx += 30 + ser.name.length * 6;
    }
    s.push("</svg>");
    return s.join("\n");
  }

  /** A text summary: per series, the range and a few sampled points. */
  toString(): string {
    const o = this.options;
    const fmtX = o.formatX ?? String, fmtY = o.formatY ?? String;
    const lines = o.title ? [o.title] : [];
    for (const ser of this.series) {
      const p = ser.points;
      if (p.length === 0) {
        lines.push(`  ${ser.name}: no data`);
        continue;
      }
      const pick = p.length <= 6
        ? p
        : [0, 1, 2, 3, 4, 5].map((i) => p[Math.round(i * (p.length - 1) / 5)]);
      lines.push(`  ${ser.name}: ${pick.map((q) => `${fmtX(q.x)} → ${fmtY(q.y)}`).join(", ")}`);
    }
    return escapeText(lines.join("\n"), { keepNewlines: true });
  }

  /** The REPL prints the text. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** SVG for Jupyter, the same as an HTML image for exports, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return svgDisplay(this.toSvg(), this.toString());
  }
}
