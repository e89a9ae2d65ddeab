/**
 * A timeline picture: one lane per goroutine, P or M, coloured spans along
 * a time axis in human units, and marks for instants (a steal, a syscall).
 * Renders to SVG for notebooks and to a row of characters per lane for
 * terminals. Knows nothing about traces: the builders in `timelines.ts`
 * turn trace data into lanes.
 *
 * @module
 */

import { formatDuration, formatTick, niceStep } from "./duration.ts";
import { escapeHtml, escapeText } from "./html.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";
import { svgDisplay } from "./picture.ts";

/**
 * A stretch of time on a lane.
 *
 * @example
 * ```ts
 * import type { TimelineSpan } from "./svg_timeline.ts";
 * const s: TimelineSpan = { start: 0, end: 100, color: "#3f9b4a", label: "G7", char: "#" };
 * console.assert(s.end > s.start);
 * ```
 */
export interface TimelineSpan {
  /** Start (ns). */
  start: number;
  /** End (ns). */
  end: number;
  /** Fill colour (CSS). */
  color: string;
  /** Short text drawn inside the span when it fits. */
  label?: string;
  /** Tooltip (SVG `<title>`). */
  title?: string;
  /** Character for the text rendering (default: first letter of the label, or "#"). */
  char?: string;
  /** Draw as a thin strip under the lane's main bar instead of in it. */
  strip?: boolean;
}

/**
 * An instant on a lane.
 *
 * @example
 * ```ts
 * import type { TimelineMark } from "./svg_timeline.ts";
 * const m: TimelineMark = { time: 50, color: "#d62728", title: "P0 stolen by M4", char: "X" };
 * console.assert(m.char === "X");
 * ```
 */
export interface TimelineMark {
  /** When (ns). */
  time: number;
  /** Colour (CSS). */
  color: string;
  /** Tooltip. */
  title: string;
  /** Character for the text rendering (default "!"). */
  char?: string;
  /** "down" (a triangle above the bar, the default) or "tick" (a line across it). */
  shape?: "down" | "tick";
}

/**
 * One row of the timeline.
 *
 * @example
 * ```ts
 * import type { TimelineLane } from "./svg_timeline.ts";
 * const l: TimelineLane = { label: "P0", spans: [], marks: [] };
 * console.assert(l.label === "P0");
 * ```
 */
export interface TimelineLane {
  /** Name shown on the left, e.g. "G7 main.worker" or "P0". */
  label: string;
  /** Spans (any order; overlapping spans are drawn in order). */
  spans: TimelineSpan[];
  /** Marks. */
  marks?: TimelineMark[];
}

/**
 * A legend entry.
 *
 * @example
 * ```ts
 * import type { LegendEntry } from "./svg_timeline.ts";
 * const e: LegendEntry = { label: "Running", color: "#3f9b4a", char: "#" };
 * console.assert(e.char === "#");
 * ```
 */
export interface LegendEntry {
  /** Text. */
  label: string;
  /** Colour. */
  color: string;
  /** Character used in the text rendering. */
  char?: string;
  /** Box (default) or a triangle mark. */
  shape?: "box" | "mark";
}

/**
 * How to draw a timeline.
 *
 * @example
 * ```ts
 * import type { TimelineRenderOptions } from "./svg_timeline.ts";
 * const o: TimelineRenderOptions = { from: 0, to: 1e6, width: 600, title: "Ps" };
 * console.assert(o.width === 600);
 * ```
 */
export interface TimelineRenderOptions {
  /** Window start (ns); default: the earliest span or mark. */
  from?: number;
  /** Window end (ns); default: the latest span end or mark. */
  to?: number;
  /** Time shown as 0 on the axis (default: `from`). */
  origin?: number;
  /** Width of the picture in px (default 900). */
  width?: number;
  /** Columns of the text rendering's bars (default 72). */
  columns?: number;
  /** Heading. */
  title?: string;
  /** Legend entries. */
  legend?: LegendEntry[];
  /** At most this many lanes; the rest are counted (default 60). */
  maxLanes?: number;
  /** Leave out lanes with nothing in the window (default false). */
  hideEmpty?: boolean;
}

const LABEL_W = 170;
const LANE_H = 22;
const BAR_H = 13;
const AXIS_H = 34;
const MARGIN = 8;

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** The window of a set of lanes: the options' or the data's extent. */
function windowOf(lanes: TimelineLane[], opts: TimelineRenderOptions): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const l of lanes) {
    for (const s of l.spans) {
      if (s.start < lo) lo = s.start;
      if (s.end > hi) hi = s.end;
    }
    for (const m of l.marks ?? []) {
      if (m.time < lo) lo = m.time;
      if (m.time > hi) hi = m.time;
    }
  }
  const from = opts.from ?? (lo === Infinity ? 0 : lo);
  let to = opts.to ?? (hi === -Infinity ? from + 1 : hi);
  if (to <= from) to = from + 1;
  return [from, to];
}

/** The lanes to draw: all, or (with `hideEmpty`) those with something in the window. */
function lanesToDraw(
  lanes: TimelineLane[],
  opts: TimelineRenderOptions,
  from: number,
  to: number,
): TimelineLane[] {
  if (!opts.hideEmpty) return lanes;
  return lanes.filter((l) =>
    l.spans.some((s) => s.end >= from && s.start <= to) ||
    (l.marks ?? []).some((m) => m.time >= from && m.time <= to)
  );
}

/**
 * Spans to draw, clipped to the window, with sub-pixel runs merged: a lane
 * with a hundred thousand tiny spans still makes a small picture.
 */
function visibleSpans(
  spans: TimelineSpan[],
  from: number,
  to: number,
  px: (t: number) => number,
): { s: TimelineSpan; x1: number; x2: number }[] {
  const out: { s: TimelineSpan; x1: number; x2: number }[] = [];
  const sorted = spans.filter((s) => s.end >= from && s.start <= to)
    .sort((a, b) => a.start - b.start);
  let last: { s: TimelineSpan; x1: number; x2: number } | undefined;
  for (const s of sorted) {
    const x1 = px(Math.max(from, s.start));
    const x2 = Math.max(x1 + 0.6, px(Math.min(to, s.end)));
    if (last && last.s.strip === s.strip) {
      if (x2 <= last.x2) continue; // entirely inside a pixel already drawn
      if (last.s.color === s.color && x1 - last.x2 < 1) {
        last.x2 = x2;
        continue;
      }
    }
    last = { s, x1, x2 };
    out.push(last);
  }
  return out;
}

/**
 * Renders lanes as an SVG picture: labels on the left, a time axis in
 * human units on top (relative to `origin`), spans as bars, marks as
 * triangles, and a legend.
 *
 * @example
 * ```ts
 * import { renderTimelineSvg } from "./svg_timeline.ts";
 * const svg = renderTimelineSvg([
 *   { label: "G1", spans: [{ start: 0, end: 500_000, color: "#2e9d4a", label: "running" }] },
 * ], { title: "demo" });
 * console.assert(svg.startsWith("<svg") && svg.includes("500 µs"));
 * ```
 */
export function renderTimelineSvg(
  allLanes: TimelineLane[],
  opts: TimelineRenderOptions = {},
): string {
  const [from, to] = windowOf(allLanes, opts);
  const lanes = lanesToDraw(allLanes, opts, from, to);
  const origin = opts.origin ?? from;
  const width = opts.width ?? 900;
  const maxLanes = opts.maxLanes ?? 60;
  const shown = lanes.slice(0, maxLanes);
  const hidden = lanes.length - shown.length;
  // Room on the right for the last tick's label.
  const plotW = width - LABEL_W - MARGIN * 2 - 18;
  const x0 = MARGIN + LABEL_W;
  const px = (t: number) => x0 + ((t - from) / (to - from)) * plotW;
  const titleH = opts.title ? 20 : 0;
  const top = MARGIN + titleH + AXIS_H;
  const legend = opts.legend ?? [];
  const footH = (hidden > 0 ? 16 : 0) + (legend.length ? 22 : 0);
  const height = top + shown.length * LANE_H + footH + MARGIN;

  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  o.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (opts.title) {
    o.push(
      `<text x="${MARGIN}" y="${MARGIN + 13}" font-size="13" font-weight="bold">${
        escapeHtml(opts.title)
      }</text>`,
    );
  }

  // Axis: ticks at nice multiples from the origin, labelled in human units.
  const step = niceStep(to - from, Math.max(2, Math.floor(plotW / 90)));
  const axisY = MARGIN + titleH + AXIS_H - 6;
  const first = Math.ceil((from - origin) / step) * step + origin;
  const bottom = top + shown.length * LANE_H;
  o.push(`<line x1="${x0}" y1="${axisY}" x2="${x0 + plotW}" y2="${axisY}" stroke="#444"/>`);
  for (let t = first; t <= to + 1e-9; t += step) {
    const x = round(px(t));
    o.push(`<line x1="${x}" y1="${axisY - 4}" x2="${x}" y2="${bottom}" stroke="#e3e3e3"/>`);
    o.push(`<line x1="${x}" y1="${axisY - 4}" x2="${x}" y2="${axisY}" stroke="#444"/>`);
    o.push(
      `<text x="${x}" y="${axisY - 7}" text-anchor="middle" fill="#333">${
        escapeHtml(formatTick(t - origin, step))
      }</text>`,
    );
  }
  o.push(
    `<text x="${MARGIN}" y="${axisY - 7}" fill="#666">${escapeHtml(`t0 = ${origin} ns`)}</text>`,
  );

  shown.forEach((lane, i) => {
    const y = top + i * LANE_H;
    if (i % 2 === 1) {
      o.push(`<rect x="0" y="${y}" width="${width}" height="${LANE_H}" fill="#f7f7f7"/>`);
    }
    const label = lane.label.length > 28 ? lane.label.slice(0, 27) + "…" : lane.label;
    o.push(
      `<text x="${MARGIN}" y="${y + 15}" fill="#222"><title>${escapeHtml(lane.label)}</title>${
        escapeHtml(label)
      }</text>`,
    );
    const barY = y + (LANE_H - BAR_H) / 2 - 1;
    for (const { s, x1, x2 } of visibleSpans(lane.spans, from, to, px)) {
      const h = s.strip ? 3 : BAR_H;
      const sy = s.strip ? barY + BAR_H + 1 : barY;
      const tip = s.title ? `<title>${escapeHtml(s.title)}</title>` : "";
      o.push(
        `<rect x="${round(x1)}" y="${round(sy)}" width="${round(x2 - x1)}" height="${h}" ` +
          `fill="${s.color}">${tip}</rect>`,
      );
      if (!s.strip && s.label && x2 - x1 > s.label.length * 6.2 + 4) {
        o.push(
          `<text x="${round(x1 + 3)}" y="${round(barY + 10)}" font-size="10" fill="#fff" ` +
            `pointer-events="none">${escapeHtml(s.label)}</text>`,
        );
      }
    }
    for (const m of lane.marks ?? []) {
      if (m.time < from || m.time > to) continue;
      const x = px(m.time);
      const tip = `<title>${escapeHtml(m.title)}</title>`;
      if (m.shape === "tick") {
        o.push(
          `<line x1="${round(x)}" y1="${round(barY - 2)}" x2="${round(x)}" ` +
            `y2="${round(barY + BAR_H + 2)}" stroke="${m.color}" stroke-width="2">${tip}</line>`,
        );
      } else {
        o.push(
          `<path d="M${round(x - 5)},${round(barY - 4)} L${round(x + 5)},${round(barY - 4)} ` +
            `L${round(x)},${round(barY + 5)} Z" fill="${m.color}" stroke="#fff" ` +
            `stroke-width="0.8">${tip}</path>`,
        );
      }
    }
  });

  let fy = bottom + 4;
  if (hidden > 0) {
    o.push(
      `<text x="${MARGIN}" y="${fy + 10}" fill="#666">… ${hidden} more lane${
        hidden === 1 ? "" : "s"
      } not shown</text>`,
    );
    fy += 16;
  }
  if (legend.length) {
    let lx = x0;
    for (const e of legend) {
      if (e.shape === "mark") {
        o.push(
          `<path d="M${lx},${fy + 4} L${lx + 10},${fy + 4} L${lx + 5},${fy + 13} Z" ` +
            `fill="${e.color}"/>`,
        );
      } else {
        o.push(`<rect x="${lx}" y="${fy + 4}" width="10" height="10" fill="${e.color}"/>`);
      }
      o.push(`<text x="${lx + 14}" y="${fy + 13}" fill="#333">${escapeHtml(e.label)}</text>`);
      lx += 22 + e.label.length * 6;
    }
  }
  o.push("</svg>");
  return o.join("\n");
}

/**
 * Renders lanes as text: one row of characters per lane (the span covering
 * each column's middle), a legend and the window below. A lane's marks go
 * on a row of their own under it, so that many of them (a goroutine whose P
 * is stolen in every syscall) never hide what the lane was doing.
 *
 * @example
 * ```ts
 * import { renderTimelineText } from "./svg_timeline.ts";
 * const text = renderTimelineText([
 *   { label: "G1", spans: [{ start: 0, end: 50, color: "green", char: "R" }],
 *     marks: [{ time: 20, color: "red", title: "steal", char: "X" }] },
 * ], { from: 0, to: 100, columns: 10 });
 * console.assert(text.endsWith("G1    |RRRRR     |\n         X"));
 * ```
 */
export function renderTimelineText(
  allLanes: TimelineLane[],
  opts: TimelineRenderOptions = {},
): string {
  const [from, to] = windowOf(allLanes, opts);
  const lanes = lanesToDraw(allLanes, opts, from, to);
  const origin = opts.origin ?? from;
  const cols = opts.columns ?? 72;
  const maxLanes = opts.maxLanes ?? 60;
  const shown = lanes.slice(0, maxLanes);
  const labelW = Math.min(28, Math.max(4, ...shown.map((l) => l.label.length)));
  const colOf = (t: number) => Math.min(cols - 1, Math.floor(((t - from) / (to - from)) * cols));
  const out: string[] = [];
  if (opts.title) out.push(opts.title);
  out.push(
    // To the column: the window's ends read apart however far it is zoomed in.
    `${" ".repeat(labelW)}  ${formatTick(from - origin, (to - from) / cols)} … ${
      formatTick(to - origin, (to - from) / cols)
    } ` +
      `(t0 = ${origin} ns, one column = ${formatDuration((to - from) / cols)})`,
  );
  for (const lane of shown) {
    const row = new Array<string>(cols).fill(" ");
    const spans = lane.spans.filter((s) => !s.strip && s.end >= from && s.start <= to)
      .sort((a, b) => a.start - b.start);
    for (const s of spans) {
      const ch = s.char ?? s.label?.[0] ?? "#";
      const a = colOf(Math.max(from, s.start)), b = colOf(Math.min(to, s.end));
      for (let c = a; c <= b; c++) {
        const mid = from + ((c + 0.5) / cols) * (to - from);
        // A span owns the columns whose middle it covers, and at least one.
        if ((mid >= s.start && mid < s.end) || (a === b && row[c] === " ")) row[c] = ch;
      }
    }
    const marks = new Array<string>(cols).fill(" ");
    for (const m of lane.marks ?? []) {
      if (m.time >= from && m.time <= to) marks[colOf(m.time)] = m.char ?? "!";
    }
    const label = lane.label.length > labelW ? lane.label.slice(0, labelW - 1) + "…" : lane.label;
    out.push(`${label.padEnd(labelW)}  |${row.join("")}|`);
    const markRow = marks.join("").trimEnd();
    if (markRow) out.push(`${" ".repeat(labelW + 3)}${markRow}`);
  }
  if (lanes.length > shown.length) out.push(`… ${lanes.length - shown.length} more lanes`);
  const legend = (opts.legend ?? []).filter((e) => e.char);
  if (legend.length) out.push("  " + legend.map((e) => `${e.char} ${e.label}`).join("   "));
  return out.join("\n");
}

/**
 * A timeline value: shows as SVG in Jupyter, as text in the REPL.
 *
 * @example
 * ```ts
 * import { Timeline } from "./svg_timeline.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * const t = new Timeline([{ label: "P0", spans: [{ start: 0, end: 10, color: "#888" }] }]);
 * console.assert(t.toSvg().includes("<rect"));
 * console.assert(Object.keys(t[JUPYTER_DISPLAY]()).includes("image/svg+xml"));
 * ```
 */
export class Timeline {
  /**
   * A timeline of `lanes`.
   * @param lanes the rows
   * @param options window, size, title, legend
   */
  constructor(readonly lanes: TimelineLane[], readonly options: TimelineRenderOptions = {}) {}

  /** The picture as an SVG document. */
  toSvg(): string {
    return renderTimelineSvg(this.lanes, this.options);
  }

  /** The picture as text. */
  toString(): string {
    // Labels come from the trace: they must not drive the terminal.
    return escapeText(renderTimelineText(this.lanes, this.options), { keepNewlines: true });
  }

  /** The same lanes over another window (ns). */
  window(from: number, to: number): Timeline {
    return new Timeline(this.lanes, { ...this.options, from, to });
  }

  /** The REPL prints the text picture. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** SVG for Jupyter, the same as an HTML image for exports, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return svgDisplay(this.toSvg(), this.toString());
  }
}
