/**
 * Garbage collection and runtime metrics: GC cycles (the concurrent mark
 * phase) with their stop-the-world pauses, every stop-the-world range, and
 * the metrics as time series (heap live, heap goal, GOMAXPROCS, and the
 * number of goroutines alive, counted from their creations and exits).
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Ev } from "../wire/spec.ts";
import { EV_SYNC, GoStateCode } from "../events/kinds.ts";
import { IdSet } from "./ids.ts";
import { Transition } from "./transitions.ts";
import { readAll, type Source } from "./source.ts";

/**
 * A stop-the-world pause.
 *
 * @example
 * ```ts
 * import { gcAndMetrics, type STWRange } from "./gc.ts";
 * const { stw } = await gcAndMetrics(new URL("../../testdata/gc-stw.trace", import.meta.url));
 * const pauses: STWRange[] = stw.filter((s) => s.gc);
 * console.assert(pauses.length === 2 && pauses.every((s) => s.duration > 0));
 * ```
 */
export interface STWRange {
  /** Why the world stopped, e.g. "GC mark termination", "start trace". */
  kind: string;
  /** Whether it is a GC pause (its kind mentions GC). */
  gc: boolean;
  /** Begin (ns); null when it began before the trace. */
  start: number | null;
  /** End; null when still stopped at the trace end. */
  end: number | null;
  /** Length, bounded by the trace where a side is unknown. */
  duration: number;
  /** The goroutine that stopped the world. */
  goroutine: number;
  /** The GC cycle it belongs to (sweep termination: the cycle it starts), null for non-GC pauses. */
  cycle: number | null;
}

/**
 * One GC cycle, from the start to the end of its concurrent mark phase.
 *
 * @example
 * ```ts
 * import { gcAndMetrics, type GCCycle } from "./gc.ts";
 * const { cycles } = await gcAndMetrics(new URL("../../testdata/gc-stw.trace", import.meta.url));
 * const c: GCCycle = cycles[0];
 * console.assert(c.stw.length === 2 && c.stwTime <= c.duration + c.stwTime);
 * ```
 */
export interface GCCycle {
  /** Cycle number (the runtime's, per trace). */
  seq: number;
  /** Mark phase begin; null when already running at the trace start. */
  start: number | null;
  /** Mark phase end; null when still running at the trace end. */
  end: number | null;
  /** Length, bounded by the trace where a side is unknown. */
  duration: number;
  /** Its stop-the-world pauses (sweep and mark termination). */
  stw: STWRange[];
  /** Total time of those pauses. */
  stwTime: number;
}

/**
 * A point of a metric time series: from `time` on, the value is `value`.
 *
 * @example
 * ```ts
 * import type { MetricPoint } from "./gc.ts";
 * const p: MetricPoint = { time: 1000, value: 4 << 20 };
 * console.assert(p.value === 4194304);
 * ```
 */
export interface MetricPoint {
  /** Nanoseconds. */
  time: number;
  /** The value. */
  value: number;
}

/**
 * Metric time series.
 *
 * @example
 * ```ts
 * import { gcAndMetrics, type RuntimeMetrics } from "./gc.ts";
 * const { metrics } = await gcAndMetrics(new URL("../../testdata/demo.trace", import.meta.url));
 * const m: RuntimeMetrics = metrics;
 * console.assert(m.gomaxprocs[0].value === 4);
 * ```
 */
export interface RuntimeMetrics {
  /** Bytes in live heap objects (`/memory/classes/heap/objects:bytes`). */
  heapLive: MetricPoint[];
  /** Heap goal (`/gc/heap/goal:bytes`). */
  heapGoal: MetricPoint[];
  /** GOMAXPROCS (`/sched/gomaxprocs:threads`). */
  gomaxprocs: MetricPoint[];
  /** Goroutines in existence (not counting those never seen). */
  goroutines: MetricPoint[];
  /** Every metric by its runtime/metrics name (the first three, again). */
  byName: Record<string, MetricPoint[]>;
}

/**
 * What {@link GCAnalysis.result} returns.
 *
 * @example
 * ```ts
 * import { gcAndMetrics, type GCResult } from "./gc.ts";
 * const r: GCResult = await gcAndMetrics(new URL("../../testdata/gc-stw.trace", import.meta.url));
 * console.assert(r.gcSTWTime === r.stw.filter((s) => s.gc).reduce((n, s) => n + s.duration, 0));
 * ```
 */
export interface GCResult {
  /** Every GC cycle, by time. */
  cycles: GCCycle[];
  /** Every stop-the-world pause, by time. */
  stw: STWRange[];
  /** Metric time series. */
  metrics: RuntimeMetrics;
  /** Total time in GC pauses. */
  gcSTWTime: number;
  /** Total time in mark assists, summed over goroutines. */
  markAssistTime: number;
  /** Total time sweeping, summed over Ps. */
  sweepTime: number;
}

const NAMES: Record<number, string> = {
  [Ev.HeapAlloc]: "/memory/classes/heap/objects:bytes",
  [Ev.HeapGoal]: "/gc/heap/goal:bytes",
  [Ev.ProcsChange]: "/sched/gomaxprocs:threads",
};

/**
 * How much of the metric series a {@link GCAnalysis} keeps.
 *
 * @example
 * ```ts
 * import { GCAnalysis, type GCOptions } from "./gc.ts";
 * import { analyzeAll } from "./source.ts";
 * const peaks: GCOptions = { series: "peak" };
 * const { gc } = await analyzeAll(new URL("../../testdata/gc-stw.trace", import.meta.url), {
 *   gc: new GCAnalysis(peaks),
 * });
 * console.assert(gc.metrics.heapLive.length <= 1);
 * ```
 */
export interface GCOptions {
  /**
   * "all" (the default): every change of every series; "peak": each series
   * holds only its first point with the largest value, for views that show
   * the peak alone, in memory that does not grow with the trace.
   */
  series?: "all" | "peak";
}

/**
 * Builds the GC cycles, pauses and metric series from events fed one by one.
 *
 * @example
 * ```ts
 * import { GCAnalysis } from "./gc.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new GCAnalysis();
 * const r = await Reader.open(new URL("../../testdata/gc-stw.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const { cycles, stw } = a.result();
 * console.assert(cycles.length > 0 && stw.length > 0);
 * ```
 */
export class GCAnalysis {
  #cycles: GCCycle[] = [];
  #cycle: GCCycle | null = null;
  #stw: STWRange[] = [];
  #openSTW = new Map<number, STWRange>(); // by goroutine (the reader scopes STW to it)
  #waitingSTW: STWRange[] = []; // sweep terminations waiting for their cycle
  #series = new Map<string, MetricPoint[]>();
  #alive = new IdSet();
  #goroutines: MetricPoint[] = [];
  #assistOpen = new Map<number, number>();
  #sweepOpen = new Map<number, number>();
  #assist = 0;
  #sweep = 0;
  #tr = new Transition();
  #first: number | null = null;
  #last = 0;
  #syncTime = 0;
  readonly #add: (s: MetricPoint[], time: number, value: number) => void;

  /**
   * An analysis with nothing fed yet.
   * @param opts how much of the metric series to keep
   */
  constructor(opts: GCOptions = {}) {
    this.#add = opts.series === "peak" ? addPeak : addChange;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    const t = ev.time;
    this.#first ??= t;
    this.#last = t;
    const type = ev.type;
    // The scheduling events that make up most of a trace only say their
    // goroutine is alive.
    if (type === Ev.GoStart || type === Ev.GoUnblock) {
      if (this.#alive.add(ev.a0)) this.#aliveChanged(t);
      return;
    }
    if (type === Ev.GoBlock || type === Ev.GoSyscallBegin || type === Ev.GoSyscallEnd) {
      if (this.#alive.add(ev.goroutine)) this.#aliveChanged(t);
      return;
    }
    switch (type) {
      case Ev.GCBegin:
      case Ev.GCActive: {
        if (this.#cycle && this.#cycle.seq === ev.a0) return; // restated each generation
        const c: GCCycle = {
          seq: ev.a0,
          start: ev.type === Ev.GCBegin ? t : null,
          end: null,
          duration: 0,
          stw: this.#waitingSTW,
          stwTime: 0,
        };
        for (const s of c.stw) s.cycle = c.seq;
        this.#waitingSTW = [];
        this.#cycles.push(c);
        this.#cycle = c;
        return;
      }
      case Ev.GCEnd:
        if (this.#cycle) {
          this.#cycle.end = t;
          this.#cycle = null;
        }
        return;
      case Ev.STWBegin: {
        const kind = ev.tables?.string(ev.a0) ?? "";
        const s: STWRange = {
          kind,
          gc: kind.includes("GC"),
          start: t,
          end: null,
          duration: 0,
          goroutine: ev.goroutine,
          cycle: null,
        };
        if (s.gc) {
          if (this.#cycle && !kind.includes("sweep termination")) {
            s.cycle = this.#cycle.seq;
            this.#cycle.stw.push(s);
          } else this.#waitingSTW.push(s);
        }
        this.#stw.push(s);
        this.#openSTW.set(ev.goroutine, s);
        return;
      }
      case Ev.STWEnd: {
        const s = this.#openSTW.get(ev.goroutine);
        if (s) {
          s.end = t;
          this.#openSTW.delete(ev.goroutine);
        }
        return;
      }
      case Ev.GCMarkAssistBegin:
        this.#assistOpen.set(ev.goroutine, t);
        return;
      case Ev.GCMarkAssistActive:
        if (!this.#assistOpen.has(ev.a0)) this.#assistOpen.set(ev.a0, this.#syncTime);
        return;
      case Ev.GCMarkAssistEnd: {
        const since = this.#assistOpen.get(ev.goroutine);
        if (since !== undefined) {
          this.#assist += t - since;
          this.#assistOpen.delete(ev.goroutine);
        }
        return;
      }
      case Ev.GCSweepBegin:
        this.#sweepOpen.set(ev.proc, t);
        return;
      case Ev.GCSweepActive:
        if (!this.#sweepOpen.has(ev.a0)) this.#sweepOpen.set(ev.a0, this.#syncTime);
        return;
      case Ev.GCSweepEnd: {
        const since = this.#sweepOpen.get(ev.proc);
        if (since !== undefined) {
          this.#sweep += t - since;
          this.#sweepOpen.delete(ev.proc);
        }
        return;
      }
      case Ev.HeapAlloc:
      case Ev.HeapGoal:
      case Ev.ProcsChange: {
        const name = NAMES[ev.type];
        let s = this.#series.get(name);
        if (!s) this.#series.set(name, s = []);
        this.#add(s, t, ev.a0);
        return;
      }
    }
    if (ev.type === EV_SYNC) {
      this.#syncTime = t;
      return;
    }
    const tr = this.#tr;
    if (tr.decode(ev) !== "goroutine" || tr.from === tr.to) return;
    const changed = tr.to === GoStateCode.NotExist
      ? this.#alive.delete(tr.id)
      : this.#alive.add(tr.id);
    if (changed) this.#aliveChanged(t);
  }

  #aliveChanged(t: number): void {
    const pts = this.#goroutines;
    const n = this.#alive.size;
    if (pts.length && pts[pts.length - 1].time === t) pts[pts.length - 1].value = n;
    else {
      // A point is final once time moves on: then only the peak is kept.
      if (this.#add === addPeak && pts.length === 2) {
        if (pts[1].value > pts[0].value) pts[0] = pts[1];
        pts.pop();
      }
      pts.push({ time: t, value: n });
    }
  }

  /** Cycles, pauses and series so far; what is still open is bounded by the last event. */
  result(): GCResult {
    const first = this.#first ?? 0, last = this.#last;
    for (const s of this.#stw) s.duration = (s.end ?? last) - (s.start ?? first);
    let gcSTWTime = 0;
    for (const s of this.#stw) if (s.gc) gcSTWTime += s.duration;
    for (const c of this.#cycles) {
      c.duration = (c.end ?? last) - (c.start ?? first);
      c.stwTime = c.stw.reduce((n, s) => n + s.duration, 0);
    }
    let assist = this.#assist, sweep = this.#sweep;
    for (const t of this.#assistOpen.values()) assist += last - t;
    for (const t of this.#sweepOpen.values()) sweep += last - t;
    const byName: Record<string, MetricPoint[]> = {};
    for (const [k, v] of this.#series) byName[k] = v;
    return {
      cycles: this.#cycles,
      stw: this.#stw,
      metrics: {
        heapLive: byName[NAMES[Ev.HeapAlloc]] ?? [],
        heapGoal: byName[NAMES[Ev.HeapGoal]] ?? [],
        gomaxprocs: byName[NAMES[Ev.ProcsChange]] ?? [],
        goroutines: this.#add === addPeak ? peakOf(this.#goroutines) : this.#goroutines,
        byName,
      },
      gcSTWTime,
      markAssistTime: assist,
      sweepTime: sweep,
    };
  }
}

// Keep changes only: the runtime restates values every generation.
function addChange(s: MetricPoint[], time: number, value: number): void {
  if (s.length === 0 || s[s.length - 1].value !== value) s.push({ time, value });
}

function peakOf(s: readonly MetricPoint[]): MetricPoint[] {
  if (s.length === 0) return [];
  return [s.reduce((best, p) => (p.value > best.value ? p : best))];
}

function addPeak(s: MetricPoint[], time: number, value: number): void {
  if (s.length === 0) s.push({ time, value });
  else if (value > s[0].value) s[0] = { time, value };
}

/**
 * The value of a series at time `t` (the last point at or before `t`), or null before the first.
 *
 * @example
 * ```ts
 * import { valueAt } from "./gc.ts";
 * const s = [{ time: 10, value: 4 }, { time: 20, value: 8 }];
 * console.assert(valueAt(s, 5) === null && valueAt(s, 10) === 4 && valueAt(s, 25) === 8);
 * ```
 */
export function valueAt(series: readonly MetricPoint[], t: number): number | null {
  let lo = 0, hi = series.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (series[mid].time <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : series[found].value;
}

/**
 * Reads a trace and returns its GC cycles, pauses and metric series.
 *
 * @example
 * ```ts
 * import { gcAndMetrics } from "./gc.ts";
 * const r = await gcAndMetrics(new URL("../../testdata/sweep-metrics.trace", import.meta.url));
 * console.assert(r.metrics.heapLive.length > 0);
 * ```
 */
export async function gcAndMetrics(source: Source): Promise<GCResult> {
  const a = new GCAnalysis();
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
