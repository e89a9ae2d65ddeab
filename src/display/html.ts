/**
 * Small pieces for HTML output in notebooks: escaping and tables.
 *
 * @module
 */

/**
 * Escapes text for HTML.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * console.assert(escapeHtml("<a & b>") === "&lt;a &amp; b&gt;");
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/**
 * A count with its noun, singular for one: "1 task", "3 tasks".
 *
 * @example
 * ```ts
 * import { count } from "./html.ts";
 * console.assert(count(1, "GC cycle") === "1 GC cycle" && count(2, "task") === "2 tasks");
 * console.assert(count(0, "log message") === "0 log messages");
 * ```
 */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

const GO_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/**
 * Makes text from a trace safe for a terminal: C0 and C1 control
 * characters, DEL and the bidirectional overrides and isolates (which
 * reorder what follows them) become visible escapes as Go's `%q` writes
 * them (`\x1b`, `\a`, `\u202e`). With `keepNewlines`, line breaks stay
 * (for text made of lines); table cells escape them too.
 *
 * @example
 * ```ts
 * import { escapeText } from "./html.ts";
 * console.assert(escapeText("\x1b]0;pwned\x07ok") === "\\x1b]0;pwned\\aok");
 * console.assert(escapeText("a\u202eb\x9bc") === "a\\u202eb\\u009bc");
 * console.assert(escapeText("two\nlines", { keepNewlines: true }) === "two\nlines");
 * console.assert(escapeText("µs → ok") === "µs → ok");
 * ```
 */
export function escapeText(s: string, opts: { keepNewlines?: boolean } = {}): string {
  // deno-lint-ignore no-control-regex
  const re = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  return s.replace(re, (c) => {
    if (c === "\n" && opts.keepNewlines) return c;
    const code = c.charCodeAt(0);
    return GO_ESCAPES[c] ??
      (code < 0x80
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

/**
 * An HTML table of plain rows; long tables are cut at `max` rows with a
 * count of what was left out.
 *
 * @example
 * ```ts
 * import { htmlTable } from "./html.ts";
 * const html = htmlTable([{ a: 1 }, { a: 2 }, { a: 3 }], { max: 2 });
 * console.assert(html.includes(">1</td>") && html.includes("1 more row"));
 * ```
 */
export function htmlTable(
  rows: Record<string, unknown>[],
  opts: { max?: number; caption?: string } = {},
): string {
  const max = opts.max ?? 50;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  let s = `<table style="border-collapse:collapse;font-family:monospace;font-size:12px">`;
  if (opts.caption) {
    s += `<caption style="text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>`;
  }
  s += "<tr>" +
    cols.map((c) => `<th style="text-align:left;padding:1px 6px">${escapeHtml(c)}</th>`).join("") +
    "</tr>";
  for (const r of rows.slice(0, max)) {
    // Jupyter's stylesheet right-aligns cells: say how each one aligns here.
    s += "<tr>" + cols.map((c) => {
      const align = typeof r[c] === "number" ? "right" : "left";
      return `<td style="text-align:${align};padding:1px 6px">${escapeHtml(String(r[c]))}</td>`;
    }).join("") + "</tr>";
  }
  s += "</table>";
  if (rows.length > max) {
    const more = rows.length - max;
    s += `<div style="font-size:11px;color:#666">… ${more} more row${more === 1 ? "" : "s"}</div>`;
  }
  return s;
}

/**
 * A plain-text table with aligned columns, cut at `max` rows.
 *
 * @example
 * ```ts
 * import { textTable } from "./html.ts";
 * console.assert(textTable([{ id: 1, name: "x" }]).split("\n")[0].trim() === "id  name");
 * ```
 */
export function textTable(rows: Record<string, unknown>[], max = 50): string {
  if (rows.length === 0) return "  (none)";
  const cols = Object.keys(rows[0]);
  const shown = rows.slice(0, max).map((r) => cols.map((c) => escapeText(String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...shown.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "  " + cells.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  const out = [line(cols), ...shown.map(line)];
  if (rows.length > max) out.push(`  … ${rows.length - max} more rows`);
  return out.join("\n");
}
