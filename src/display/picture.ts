/**
 * What the pictures (histograms, flame graphs, runtime plot, P heatmap)
 * share: a value that carries its data, its SVG and a text rendering and
 * shows itself in Jupyter; and the few SVG pieces they all draw with.
 *
 * @module
 */

import { escapeHtml, escapeText } from "./html.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";

/**
 * A rendered picture: the plain data it shows, the SVG, and a text
 * rendering for terminals. Jupyter shows the SVG (its `<title>`s are the
 * hover tooltips); the REPL and `console.log` print the text.
 *
 * @example
 * ```ts
 * import { Picture } from "./picture.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * const p = new Picture({ n: 1 }, "<svg xmlns='http://www.w3.org/2000/svg'/>", "one");
 * console.assert(String(p) === "one" && p.data.n === 1);
 * console.assert(p[JUPYTER_DISPLAY]()["image/svg+xml"].startsWith("<svg"));
 * ```
 */
export class Picture<T> {
  /**
   * A picture of `data`.
   * @param data what the picture shows, as plain data
   * @param svg the SVG document
   * @param text the text rendering
   */
  constructor(readonly data: T, readonly svg: string, text: string) {
    // Names from the trace must not drive the terminal.
    this.text = escapeText(text, { keepNewlines: true });
  }

  /** The text rendering (control characters escaped). */
  readonly text: string;

  /** The SVG document (for files: `Deno.writeTextFileSync("x.svg", p.toSvg())`). */
  toSvg(): string {
    return this.svg;
  }

  /** The text rendering. */
  toString(): string {
    return this.text;
  }

  /** The REPL prints the text. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.text;
  }

  /** SVG for Jupyter, the same as an HTML image for exports, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return svgDisplay(this.svg, this.text);
  }
}

/**
 * The Jupyter display bundle of an SVG picture: the SVG, the same SVG inline
 * in HTML, and the text. nbconvert's HTML export cleans `image/svg+xml`
 * outputs down to empty boxes but keeps HTML, so the HTML form is what
 * keeps exported notebooks' pictures; inline (not an `<img>`), the SVG keeps
 * its hover titles in notebooks too, which show the HTML form first. The
 * pictures use no element ids, so several on one page cannot clash.
 *
 * @example
 * ```ts
 * import { svgDisplay } from "./picture.ts";
 * const b = svgDisplay('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>', "a box");
 * console.assert(b["text/html"].includes('<svg xmlns="http://www.w3.org/2000/svg" width="4"'));
 * console.assert(b["image/svg+xml"].startsWith("<svg") && b["text/plain"] === "a box");
 * ```
 */
export function svgDisplay(svg: string, text: string): Record<string, string> {
  return {
    "image/svg+xml": svg,
    "text/html": `<div style="max-width:100%;overflow-x:auto">${svg}</div>`,
    "text/plain": text,
  };
}

/**
 * A number for an SVG attribute: at most one decimal.
 *
 * @example
 * ```ts
 * import { px } from "./picture.ts";
 * console.assert(px(1.26) === "1.3" && px(4) === "4");
 * ```
 */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/**
 * The opening tag of an SVG document with a white background; close it with `</svg>`.
 *
 * @example
 * ```ts
 * import { svgOpen } from "./picture.ts";
 * console.assert(svgOpen(10, 20).startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="10"'));
 * ```
 */
export function svgOpen(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" ` +
    `viewBox="0 0 ${px(width)} ${px(height)}" font-family="Helvetica, Arial, sans-serif" ` +
    `font-size="11">\n<rect width="100%" height="100%" fill="#ffffff"/>`;
}

/**
 * An SVG `<text>` element with escaped content.
 *
 * @example
 * ```ts
 * import { svgText } from "./picture.ts";
 * console.assert(svgText(1, 2, "a<b", 'text-anchor="end"') ===
 *   '<text x="1" y="2" text-anchor="end">a&lt;b</text>');
 * ```
 */
export function svgText(x: number, y: number, text: string, attrs = ""): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? " " + attrs : ""}>${escapeHtml(text)}</text>`;
}

/**
 * An SVG `<title>` (the hover tooltip of its parent element).
 *
 * @example
 * ```ts
 * import { svgTitle } from "./picture.ts";
 * console.assert(svgTitle("a & b") === "<title>a &amp; b</title>");
 * ```
 */
export function svgTitle(text: string): string {
  return `<title>${escapeHtml(text)}</title>`;
}

/**
 * A byte count in binary units: `512 B`, `1.5 KiB`, `12 MiB`, `2.25 GiB`.
 *
 * @example
 * ```ts
 * import { formatBytes } from "./picture.ts";
 * console.assert(formatBytes(1536) === "1.5 KiB" && formatBytes(4 << 20) === "4 MiB");
 * console.assert(formatBytes(0) === "0 B");
 * ```
 */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n, i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${Number(v.toFixed(digits))} ${units[i]}`;
}

/**
 * Text cut to fit `width` px at about 6.2 px a character ("" when not even two fit).
 *
 * @example
 * ```ts
 * import { fitText } from "./picture.ts";
 * console.assert(fitText("runtime.gcBgMarkWorker", 60) === "runtime.…");
 * console.assert(fitText("main", 100) === "main" && fitText("main", 8) === "");
 * ```
 */
export function fitText(text: string, width: number): string {
  const n = Math.floor(width / 6.2);
  if (n >= text.length) return text;
  if (n < 3) return "";
  return text.slice(0, n - 1) + "…";
}

/**
 * Ticks for a linear axis from `lo` to `hi`: about `n` values at 1, 2 or 5
 * times a power of ten.
 *
 * @example
 * ```ts
 * import { linearTicks } from "./picture.ts";
 * console.assert(linearTicks(0, 100, 5).join() === "0,20,40,60,80,100");
 * ```
 */
export function linearTicks(lo: number, hi: number, n: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(1, n);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw * 0.999) ?? 10 * pow;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    out.push(Number((i * step).toPrecision(12)));
  }
  return out;
}
