/**
 * A list of records that displays as a table: HTML in Jupyter, aligned
 * text in the REPL, with long lists cut and the rest counted. The records
 * stay reachable (`items`, iteration, `toJSON`) for further work.
 *
 * @module
 */

import { escapeHtml, escapeText } from "./html.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";

/**
 * One column: a header and how to get a cell from a record.
 *
 * @example
 * ```ts
 * import type { Column } from "./data_table.ts";
 * const c: Column<{ id: number }> = { header: "G", value: (r) => r.id };
 * console.assert(c.value({ id: 7 }) === 7);
 * ```
 */
export interface Column<T> {
  /** Header text. */
  header: string;
  /** The cell's text (numbers are right-aligned). */
  value: (item: T) => string | number;
  /** Tooltip text for the cell in HTML (e.g. a full stack). */
  title?: (item: T) => string;
}

/**
 * How a {@link DataTable} shows itself.
 *
 * @example
 * ```ts
 * import type { DataTableOptions } from "./data_table.ts";
 * const o: DataTableOptions = { caption: "Goroutines", max: 10 };
 * console.assert(o.max === 10);
 * ```
 */
export interface DataTableOptions {
  /** Caption above the table. */
  caption?: string;
  /** At most this many rows are shown (default 25). */
  max?: number;
  /** A note under the table (e.g. how the rows were chosen). */
  note?: string;
  /** Rows in all, when the items are only the first of them (default: as many as the items). */
  total?: number;
}

/**
 * Records with columns: shows as a table, iterates as the records.
 *
 * @example
 * ```ts
 * import { DataTable } from "./data_table.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * const t = new DataTable([{ id: 1, n: 10 }, { id: 2, n: 20 }, { id: 3, n: 30 }], [
 *   { header: "id", value: (r) => r.id },
 *   { header: "n", value: (r) => r.n },
 * ], { caption: "numbers", max: 2 });
 * console.assert(t.length === 3 && [...t][2].n === 30);
 * console.assert(String(t).includes("… 1 more row"));
 * const firstOnly = new DataTable([{ id: 1, n: 10 }], t.columns, { max: 1, total: 3 });
 * console.assert(String(firstOnly).includes("… 2 more rows"));
 * console.assert(t[JUPYTER_DISPLAY]()["text/html"].includes("<th"));
 * ```
 */
export class DataTable<T> implements Iterable<T> {
  /**
   * A table over `items`, showing `columns`.
   * @param items the records, in display order
   * @param columns what to show of each
   * @param options caption, row limit, note
   */
  constructor(
    readonly items: readonly T[],
    readonly columns: readonly Column<T>[],
    readonly options: DataTableOptions = {},
  ) {}

  /** Number of records. */
  get length(): number {
    return this.items.length;
  }

  /** The records. */
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** The records, for `JSON.stringify`. */
  toJSON(): readonly T[] {
    return this.items;
  }

  /** Another table over some of the records, same columns. */
  where(pred: (item: T) => boolean): DataTable<T> {
    return new DataTable(this.items.filter(pred), this.columns, {
      ...this.options,
      total: undefined,
    });
  }

  /** The first `n` records. */
  head(n: number): DataTable<T> {
    return new DataTable(this.items.slice(0, n), this.columns, {
      ...this.options,
      total: undefined,
    });
  }

  #more(): string {
    const more = (this.options.total ?? this.items.length) - (this.options.max ?? 25);
    return more > 0 ? `… ${more} more row${more === 1 ? "" : "s"}` : "";
  }

  /** The table as HTML. */
  toHtml(): string {
    const max = this.options.max ?? 25;
    const th = `text-align:left;padding:2px 8px;border-bottom:1px solid #999`;
    let s = `<table style="border-collapse:collapse;font-family:monospace;font-size:12px">`;
    if (this.options.caption) {
      s += `<caption style="text-align:left;font-weight:bold;font-family:sans-serif">${
        escapeHtml(this.options.caption)
      }</caption>`;
    }
    s += "<tr>" +
      this.columns.map((c) => `<th style="${th}">${escapeHtml(c.header)}</th>`).join("") +
      "</tr>";
    for (const item of this.items.slice(0, max)) {
      s += "<tr>";
      for (const c of this.columns) {
        const v = c.value(item);
        const align = typeof v === "number" ? "right" : "left";
        const title = c.title ? ` title="${escapeHtml(c.title(item))}"` : "";
        s += `<td style="text-align:${align};padding:1px 8px"${title}>${
          escapeHtml(String(v))
        }</td>`;
      }
      s += "</tr>";
    }
    s += "</table>";
    const foot = [this.#more(), this.options.note ?? ""].filter(Boolean);
    if (foot.length) {
      s += `<div style="font-size:11px;color:#666;font-family:sans-serif">${
        foot.map(escapeHtml).join("<br>")
      }</div>`;
    }
    return s;
  }

  /** The table as aligned text. */
  toString(): string {
    const max = this.options.max ?? 25;
    const out: string[] = [];
    if (this.options.caption) out.push(escapeText(this.options.caption, { keepNewlines: true }));
    if (this.items.length === 0) out.push("  (none)");
    else {
      // Trace strings must not drive the terminal: cells show controls as escapes.
      const cells = this.items.slice(0, max).map((it) =>
        this.columns.map((c) => {
          const v = c.value(it);
          return typeof v === "number" ? v : escapeText(String(v));
        })
      );
      const widths = this.columns.map((c, i) =>
        Math.max(c.header.length, ...cells.map((r) => String(r[i]).length))
      );
      const line = (r: (string | number)[]) =>
        "  " +
        r.map((v, i) =>
          typeof v === "number" ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i])
        ).join("  ").trimEnd();
      out.push(line(this.columns.map((c) => c.header)));
      for (const r of cells) out.push(line(r));
    }
    const more = this.#more();
    if (more) out.push(`  ${more}`);
    if (this.options.note) out.push(`  ${escapeText(this.options.note, { keepNewlines: true })}`);
    return out.join("\n");
  }

  /** The REPL prints the text table. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** HTML for Jupyter, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}
