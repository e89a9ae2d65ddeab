/**
 * The trace summary in the reference's JSON shape: the goroutine analysis
 * (one entry per goroutine, sorted by id), the minimum mutator utilization
 * at 100µs, 1ms, 10ms and 100ms, and the user tasks. `formatSummaryJSON`
 * writes it the way Go's `json.MarshalIndent(v, "", " ")` does, so the text
 * can be compared byte for byte with the reference's `NAME.summary.json`.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { type ExecStats, GoroutineAnalysis, type GoroutineAnalysisResult } from "./analysis.ts";
import { mmuTable, MutatorUtilization } from "./mmu.ts";
import { readAll, type Source } from "./source.ts";

/**
 * One goroutine in the summary (the reference's per-goroutine figures, in ns:
 * its times are those of {@link ExecStats}).
 *
 * @example
 * ```ts
 * import { summarize, type SummaryGoroutine } from "./summary.ts";
 * const s = await summarize(new URL("../../testdata/demo.trace", import.meta.url));
 * const g: SummaryGoroutine = s.goroutines[0];
 * console.assert(g.id === 1 && g.name === "main.main");
 * ```
 */
export interface SummaryGoroutine extends ExecStats {
  /** Goroutine id. */
  id: number;
  /** Entry function, "" when unknown. */
  name: string;
  /** PC of the entry function's frame, 0 when unknown. */
  pc: number;
  /** Creation time (the trace start for goroutines that already existed). */
  creationTime: number;
  /** First time it ran, 0 if never. */
  startTime: number;
  /** Exit time, 0 if it did not exit. */
  endTime: number;
  /** Number of regions. */
  regions: number;
}

/**
 * One task in the summary.
 *
 * @example
 * ```ts
 * import { summarize, type SummaryTask } from "./summary.ts";
 * const s = await summarize(new URL("../../testdata/demo.trace", import.meta.url));
 * const t: SummaryTask = s.tasks![0];
 * console.assert(t.name === "order" && t.complete);
 * ```
 */
export interface SummaryTask {
  /** Task id. */
  id: number;
  /** Task type name. */
  name: string;
  /** Parent task id, 0 when none is known. */
  parent: number;
  /** Both begin and end seen. */
  complete: boolean;
  /** Number of log messages. */
  logs: number;
  /** Number of regions. */
  regions: number;
  /** Number of goroutines involved (the no-goroutine marker counts as one). */
  goroutines: number;
}

/**
 * The summary: `NAME.summary.json`'s shape.
 *
 * @example
 * ```ts
 * import { formatSummaryJSON, type Summary, summarize } from "./summary.ts";
 * const s: Summary = await summarize(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(JSON.parse(formatSummaryJSON(s)).goroutines.length === s.goroutines.length);
 * ```
 */
export interface Summary {
  /** Every goroutine, by id. */
  goroutines: SummaryGoroutine[];
  /** MMU by window label ("100µs", "1ms", "10ms", "100ms"); `{}` without utilization data. */
  mmu: Record<string, number>;
  /** Every task by id, or null when the trace has none. */
  tasks: SummaryTask[] | null;
}

/**
 * Builds the summary from a goroutine analysis result and MMU figures.
 *
 * @example
 * ```ts
 * import { toSummary } from "./summary.ts";
 * const s = toSummary({ goroutines: [], regions: [], tasks: [], start: 0, end: 0 }, {});
 * console.assert(s.tasks === null && s.goroutines.length === 0);
 * ```
 */
export function toSummary(a: GoroutineAnalysisResult, mmu: Record<string, number>): Summary {
  return {
    goroutines: a.goroutines.map((g) => ({
      id: g.id,
      name: g.name,
      pc: g.pc,
      creationTime: g.creationTime,
      startTime: g.startTime,
      endTime: g.endTime,
      execTime: g.execTime,
      schedWaitTime: g.schedWaitTime,
      blockTimeByReason: g.blockTimeByReason,
      syscallTime: g.syscallTime,
      syscallBlockTime: g.syscallBlockTime,
      totalTime: g.totalTime,
      rangeTime: g.rangeTime,
      regions: g.regions,
    })),
    mmu,
    tasks: a.tasks.length === 0 ? null : a.tasks.map((t) => ({
      id: t.id,
      name: t.name,
      parent: t.parent ?? 0,
      complete: t.complete,
      logs: t.logs,
      regions: t.regions,
      goroutines: t.goroutines.length,
    })),
  };
}

/**
 * The goroutine analysis and the MMU in one pass, giving a {@link Summary}.
 *
 * @example
 * ```ts
 * import { TraceSummary } from "./summary.ts";
 * import { Reader } from "../reader/reader.ts";
 * const s = new TraceSummary();
 * const r = await Reader.open(new URL("../../testdata/regions-logs.trace", import.meta.url));
 * for await (const ev of r) s.event(ev);
 * console.assert(s.result().tasks !== null);
 * ```
 */
export class TraceSummary {
  #g = new GoroutineAnalysis();
  #mu = new MutatorUtilization();

  /** Feeds the next event. */
  event(ev: Event): void {
    this.#g.event(ev);
    this.#mu.event(ev);
  }

  /** The summary. */
  result(): Summary {
    return toSummary(this.#g.result(), mmuTable(this.#mu.result()));
  }
}

/**
 * Reads a trace and returns its {@link Summary}.
 *
 * @example
 * ```ts
 * import { summarize } from "./summary.ts";
 * const s = await summarize(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(Object.keys(s.mmu).length === 4);
 * ```
 */
export async function summarize(source: Source): Promise<Summary> {
  const s = new TraceSummary();
  await readAll(source, (ev) => s.event(ev));
  return s.result();
}

// Go's JSON string escaping: the JSON basics plus <, >, & and the JavaScript line separators.
function goString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

// Go sorts map keys by their bytes (UTF-8), not by UTF-16 units.
const utf8 = new TextEncoder();
function byteCompare(a: string, b: string): number {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function goJSON(v: unknown, indent: string, sortKeys: boolean): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const inner = indent + " ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + goJSON(x, inner, false)).join(",\n")}\n${indent}]`;
  }
  let keys = Object.keys(v as object);
  if (keys.length === 0) return "{}";
  if (sortKeys) keys = keys.slice().sort(byteCompare);
  const rec = v as Record<string, unknown>;
  // Struct fields keep their order; maps (the records inside) are sorted like Go's.
  return `{\n${
    keys.map((k) => `${inner}${goString(k)}: ${goJSON(rec[k], inner, isMapField(k))}`).join(",\n")
  }\n${indent}}`;
}

// Fields of the summary structs whose values are maps (key order sorted).
function isMapField(key: string): boolean {
  return key === "blockTimeByReason" || key === "rangeTime" || key === "mmu";
}

/**
 * The summary as JSON text, byte for byte what Go's
 * `json.MarshalIndent(summary, "", " ")` writes (struct fields in order,
 * map keys sorted, `<>&` escaped), with a final newline.
 *
 * @example
 * ```ts
 * import { formatSummaryJSON } from "./summary.ts";
 * const text = formatSummaryJSON({ goroutines: [], mmu: { "1ms": 1, "100ms": 0.5 }, tasks: null });
 * console.assert(text === '{\n "goroutines": [],\n "mmu": {\n  "100ms": 0.5,\n  "1ms": 1\n },\n "tasks": null\n}\n');
 * ```
 */
export function formatSummaryJSON(summary: Summary): string {
  return goJSON(summary, "", false) + "\n";
}
