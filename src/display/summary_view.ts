/**
 * A whole trace at a glance: the counts of `TraceCounter` (version, span,
 * events by kind, goroutines, threads and Ps, syscalls and steals, user
 * annotations), GC, stop-the-world pauses and MMU (from the query helpers),
 * and the goroutines that ran most (from the goroutine analysis).
 *
 * @module
 */

import type { TraceCounts } from "../queries/counts.ts";
import type { GoroutineSummary } from "../queries/analysis.ts";
import type { GCResult } from "../queries/gc.ts";
import { formatDuration } from "./duration.ts";
import { count, escapeHtml, escapeText } from "./html.ts";
import { goroutineTimeTable } from "./goroutine_view.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";

/**
 * What a {@link SummaryView} shows besides the counts; each part is optional.
 *
 * @example
 * ```ts
 * import type { SummaryExtra } from "./summary_view.ts";
 * const x: SummaryExtra = { name: "app.trace", top: 3 };
 * console.assert(x.top === 3);
 * ```
 */
export interface SummaryExtra {
  /** The trace's name (file). */
  name?: string;
  /** Goroutine analysis, for the top goroutines. */
  goroutines?: readonly GoroutineSummary[];
  /** How many top goroutines (default 5). */
  top?: number;
  /** GC cycles, pauses and metrics. */
  gc?: GCResult;
  /** MMU by window label. */
  mmu?: Record<string, number>;
}

/**
 * The summary as a displayable value: a key/value list and the top
 * goroutines (from the goroutine analysis) when given.
 *
 * @example
 * ```ts
 * import { SummaryView } from "./summary_view.ts";
 * import { TraceCounter } from "../queries/counts.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * const v = new SummaryView(new TraceCounter(25).result(), { name: "empty" });
 * console.assert(String(v).includes("Go 1.25") && v[JUPYTER_DISPLAY]()["text/html"].includes("<table"));
 * ```
 */
export class SummaryView {
  /**
   * A view of the counts and whatever extras are given.
   * @param summary the counts
   * @param extra the trace's name, and goroutine summaries for the top table
   */
  constructor(
    readonly summary: TraceCounts,
    readonly extra: SummaryExtra = {},
  ) {}

  /** Label/value pairs, in display order. */
  facts(): [string, string][] {
    const s = this.summary;
    const f: [string, string][] = [];
    if (this.extra.name) f.push(["Trace", this.extra.name]);
    f.push(["Format", s.version ? `Go 1.${s.version}` : "?"]);
    f.push(["Span", `${formatDuration(s.end - s.start)} (${s.start} … ${s.end} ns)`]);
    f.push(["Generations", String(s.generations)]);
    f.push([
      "Events",
      `${s.events} (${s.byKind.slice(0, 6).map(([k, n]) => `${k} ${n}`).join(", ")}${
        s.byKind.length > 6 ? ", …" : ""
      })`,
    ]);
    f.push(["Goroutines", String(s.goroutines)]);
    f.push([
      "Threads / Ps",
      `${count(s.threads, "M")}, ${count(s.procs, "P")} (GOMAXPROCS ${s.gomaxprocs || "?"})` +
      // The old format's timer, netpoll, syscall and GC events ran on made-up Ps.
      (s.placeholderProcs
        ? `, not counting the old format's ${s.placeholderProcs} placeholder Ps`
        : ""),
    ]);
    f.push(["Syscalls", `${s.syscalls}, ${s.steals} ProcSteal${s.steals === 1 ? "" : "s"}`]);
    const gc = this.extra.gc;
    if (gc) {
      const n = gc.cycles.length;
      const mark = gc.cycles.reduce((t, c) => t + c.duration, 0);
      f.push(["GC", `${n} cycle${n === 1 ? "" : "s"}, ${formatDuration(mark)} marking`]);
      const longest = gc.stw.reduce((m, r) => Math.max(m, r.duration), 0);
      const total = gc.stw.reduce((t, r) => t + r.duration, 0);
      f.push([
        "Stop-the-world",
        `${gc.stw.length} pause${gc.stw.length === 1 ? "" : "s"}, ${
          formatDuration(total)
        } total, ` +
        `longest ${formatDuration(longest)}`,
      ]);
      const heap = gc.metrics.heapLive.reduce((m, p) => Math.max(m, p.value), 0);
      if (heap) f.push(["Heap", `up to ${(heap / 1024 / 1024).toFixed(1)} MiB live`]);
    }
    const mmu = this.extra.mmu;
    if (mmu && Object.keys(mmu).length) {
      f.push([
        "MMU",
        Object.entries(mmu).map(([w, u]) => `${w} ${(u * 100).toFixed(1)}%`).join(", "),
      ]);
    }
    f.push([
      "Annotations",
      `${count(s.tasks, "task")}, ${count(s.regions, "region")}, ${count(s.logs, "log")}`,
    ]);
    f.push(["CPU samples", String(s.cpuSamples)]);
    return f;
  }

  #top() {
    const gs = this.extra.goroutines;
    if (!gs || gs.length === 0) return null;
    const n = this.extra.top ?? 5;
    return goroutineTimeTable(gs, { max: n, caption: `Top ${n} goroutines by running time` });
  }

  /** The summary as text. */
  toString(): string {
    const facts = this.facts();
    const w = Math.max(...facts.map(([k]) => k.length));
    const lines = facts.map(([k, v]) => `${k.padEnd(w)}  ${escapeText(v)}`);
    const top = this.#top();
    if (top) lines.push("", top.head(this.extra.top ?? 5).toString());
    return lines.join("\n");
  }

  /** The summary as HTML. */
  toHtml(): string {
    let h =
      `<div style="font-family:sans-serif"><table style="border-collapse:collapse;font-size:13px">`;
    for (const [k, v] of this.facts()) {
      h += `<tr><th style="text-align:left;padding:1px 12px 1px 0;vertical-align:top">${
        escapeHtml(k)
      }</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`;
    }
    h += "</table>";
    const top = this.#top();
    if (top) h += `<div style="margin-top:8px">${top.head(this.extra.top ?? 5).toHtml()}</div>`;
    return h + "</div>";
  }

  /** The REPL prints the text. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** HTML for Jupyter, text as the fallback. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}
