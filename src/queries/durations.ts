/**
 * Duration lists for histograms, taken from what the query helpers return:
 * goroutine timelines (block durations by reason, scheduling latency) and
 * anything with a start and an end (syscalls, regions, tasks, GC cycles,
 * stop-the-world pauses). Only stretches seen to end count: one still
 * going at the end of the trace has no duration yet.
 *
 * @module
 */

import type { StateInterval } from "./timeline.ts";

/**
 * Durations of the waits in goroutine timelines that ended, by reason.
 *
 * @example
 * ```ts
 * import { blockDurations } from "./durations.ts";
 * const iv = (state: "Running" | "Waiting" | "Runnable", start: number, end: number, reason = "") =>
 *   ({ goroutine: 1, state, start, end, proc: 0, thread: 0, reason, stack: [] });
 * const tl = { 1: [iv("Running", 0, 5), iv("Waiting", 5, 9, "sleep"), iv("Runnable", 9, 10),
 *   iv("Running", 10, 12), iv("Waiting", 12, 20, "sleep")] };
 * console.assert(JSON.stringify(blockDurations(tl)) === '{"sleep":[4]}');
 * ```
 */
export function blockDurations(
  timelines: Readonly<Record<number, readonly StateInterval[]>>,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const list of Object.values(timelines)) {
    // The last interval of a goroutine may still be open at the trace end.
    for (let i = 0; i + 1 < list.length; i++) {
      const iv = list[i];
      if (iv.state === "Waiting") (out[iv.reason] ??= []).push(iv.end - iv.start);
    }
  }
  return out;
}

/**
 * Scheduling latencies: how long each runnable goroutine waited before it
 * ran (a Runnable interval followed by Running).
 *
 * @example
 * ```ts
 * import { schedulingLatencies } from "./durations.ts";
 * const iv = (state: "Running" | "Runnable", start: number, end: number) =>
 *   ({ goroutine: 1, state, start, end, proc: 0, thread: 0, reason: "", stack: [] });
 * const tl = { 1: [iv("Runnable", 0, 3), iv("Running", 3, 9), iv("Runnable", 9, 20)] };
 * console.assert(schedulingLatencies(tl).join() === "3");
 * ```
 */
export function schedulingLatencies(
  timelines: Readonly<Record<number, readonly StateInterval[]>>,
): number[] {
  const out: number[] = [];
  for (const list of Object.values(timelines)) {
    for (let i = 0; i + 1 < list.length; i++) {
      const iv = list[i];
      if (iv.state === "Runnable" && list[i + 1].state === "Running") out.push(iv.end - iv.start);
    }
  }
  return out;
}

/**
 * Anything that began and may have ended: syscalls, regions, tasks, GC cycles, pauses.
 *
 * @example
 * ```ts
 * import type { Span } from "./durations.ts";
 * const s: Span = { start: 100, end: null };
 * console.assert(s.end === null);
 * ```
 */
export interface Span {
  /** Begin (ns); null when it began before the trace. */
  start: number | null;
  /** End (ns); null when still going at the trace end. */
  end: number | null;
}

/**
 * Durations of the spans whose begin and end were both seen.
 *
 * @example
 * ```ts
 * import { spanDurations } from "./durations.ts";
 * const d = spanDurations([{ start: 10, end: 25 }, { start: null, end: 5 }, { start: 30, end: null }]);
 * console.assert(d.join() === "15");
 * ```
 */
export function spanDurations(spans: readonly Span[]): number[] {
  const out: number[] = [];
  for (const s of spans) if (s.start !== null && s.end !== null) out.push(s.end - s.start);
  return out;
}

/**
 * Durations of complete spans, grouped by a key (a region's name, a pause's kind).
 *
 * @example
 * ```ts
 * import { spanDurationsBy } from "./durations.ts";
 * const regions = [{ name: "load", start: 0, end: 4 }, { name: "save", start: 5, end: 6 },
 *   { name: "load", start: 7, end: 9 }];
 * const d = spanDurationsBy(regions, (r) => r.name);
 * console.assert(d.load.join() === "4,2" && d.save.join() === "1");
 * ```
 */
export function spanDurationsBy<T extends Span>(
  spans: readonly T[],
  keyOf: (span: T) => string,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of spans) {
    if (s.start !== null && s.end !== null) (out[keyOf(s)] ??= []).push(s.end - s.start);
  }
  return out;
}
