/**
 * Mutator utilization and minimum mutator utilization (MMU): the share of
 * the Ps left to the program over time once the garbage collector takes its
 * part (stop-the-world pauses, background mark workers, mark assists,
 * sweeping), and the worst mean of that share over any window of a given
 * length. Same rules as Go's `internal/trace` (MutatorUtilizationV2 and the
 * MMU curve), so the figures are `go tool trace`'s.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { EV_SYNC, GoStateCode, KIND_OF_TYPE } from "../events/kinds.ts";
import { Ev } from "../wire/spec.ts";
import { executing, Transition } from "./transitions.ts";
import { IdSet } from "./ids.ts";
import { readAll, type Source } from "./source.ts";

/**
 * A change of mutator utilization: from `time` on, the mean utilization is `util` (0..1).
 *
 * @example
 * ```ts
 * import type { UtilPoint } from "./mmu.ts";
 * const series: UtilPoint[] = [{ time: 0, util: 1 }, { time: 10, util: 0.5 }, { time: 20, util: 0 }];
 * console.assert(series[1].util === 0.5);
 * ```
 */
export interface UtilPoint {
  /** Nanoseconds. */
  time: number;
  /** Mean mutator utilization from this time on, 0..1. */
  util: number;
}

/**
 * What takes time away from the mutator; all of them by default (as `go tool trace`).
 *
 * @example
 * ```ts
 * import { analyzeMMU, type UtilOptions } from "./mmu.ts";
 * const stwOnly: UtilOptions = { background: false, assist: false, sweep: false };
 * const t = await analyzeMMU(new URL("../../testdata/demo.trace", import.meta.url), stwOnly);
 * console.assert(t["1ms"] >= 0 && t["1ms"] <= 1);
 * ```
 */
export interface UtilOptions {
  /** Count GC stop-the-world pauses (default true). */
  stw?: boolean;
  /** Count background mark workers (default true). */
  background?: boolean;
  /** Count mark assists (default true). */
  assist?: boolean;
  /** Count sweeping (default true). */
  sweep?: boolean;
  /** One series per P instead of one for the whole program (default false). */
  perProc?: boolean;
}

const SWEEP = "GC incremental sweep";
const ASSIST = "GC mark assist";

interface PState {
  gc: number;
  series: number;
}

/**
 * Builds the mutator utilization function(s) of a trace, one event at a
 * time. The result is one series (or one per P with `perProc`), each a list
 * of {@link UtilPoint} ending with utilization 0 at the last event.
 *
 * @example
 * ```ts
 * import { MutatorUtilization } from "./mmu.ts";
 * import { Reader } from "../reader/reader.ts";
 * const mu = new MutatorUtilization();
 * const r = await Reader.open(new URL("../../testdata/demo.trace", import.meta.url));
 * for await (const ev of r) mu.event(ev);
 * const [series] = mu.result();
 * console.assert(series.at(-1)!.util === 0);
 * ```
 */
export class MutatorUtilization {
  readonly #stw: boolean;
  readonly #bg: boolean;
  readonly #assist: boolean;
  readonly #sweep: boolean;
  readonly #perProc: boolean;
  #out: UtilPoint[][] = [];
  #ps: PState[] = [];
  #procs: { time: number; n: number }[] = [];
  #stwDepth = 0;
  #inGC = new IdSet();
  #bgMark = new IdSet();
  // Goroutine states, by id: a byte array for the usual small ids, a Map beyond.
  #stateBytes = new Uint8Array(1024);
  #stateMap = new Map<number, number>();
  #nSync = 0;
  #last: number | null = null;
  #tr = new Transition();

  /**
   * An empty utilization curve, to be fed events.
   * @param opts what counts against the mutator (everything by default)
   */
  constructor(opts: UtilOptions = {}) {
    this.#stw = opts.stw ?? true;
    this.#bg = opts.background ?? true;
    this.#assist = opts.assist ?? true;
    this.#sweep = opts.sweep ?? true;
    this.#perProc = opts.perProc ?? false;
  }

  #isSTW(name: string): boolean {
    return this.#stw && name.startsWith("stop-the-world") && name.includes("GC");
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    const t = ev.time;
    this.#last = t;
    const type = ev.type;
    const ps = this.#ps;
    if (type === EV_SYNC) this.#nSync = ev.a0;
    else if (type === Ev.ProcsChange) this.#gomaxprocs(t, ev.a0);
    if (ps.length === 0) return; // nothing to measure against until GOMAXPROCS is known
    const p = ev.proc >= 0 && ev.proc < ps.length ? ps[ev.proc] : null;
    // Fast paths for the scheduling events that make up most of a trace:
    // they matter only for goroutines doing GC work (and, in the first
    // generation, for the states that ranges found active are checked against).
    if (
      type === Ev.GoStart || type === Ev.GoBlock || type === Ev.GoUnblock ||
      type === Ev.GoSyscallBegin || type === Ev.GoSyscallEnd
    ) {
      const first = this.#nSync <= 1;
      if (type === Ev.GoStart) {
        if (this.#gcWork(ev.a0)) this.#inc(p);
        if (first) this.#setState(ev.a0, GoStateCode.Running);
      } else if (type === Ev.GoBlock) {
        if (this.#gcWork(ev.goroutine)) this.#dec(p);
        if (first) this.#setState(ev.goroutine, GoStateCode.Waiting);
      } else if (type === Ev.GoUnblock) {
        if (first) this.#setState(ev.a0, GoStateCode.Runnable);
      } else if (first) {
        // Into a syscall or back: the goroutine keeps its thread, no GC count changes.
        this.#setState(
          ev.goroutine,
          type === Ev.GoSyscallEnd ? GoStateCode.Running : GoStateCode.Syscall,
        );
      }
      if (this.#dirty) this.#record(t);
      return;
    }
    const kind = KIND_OF_TYPE[type];
    switch (kind) {
      case "RangeActive":
      case "RangeBegin": {
        const r = ev.range();
        if (kind === "RangeActive" && this.#nSync <= 1) this.#activeAtStart(ev, r.name);
        if (this.#isSTW(r.name)) this.#stwDepth++;
        else if (this.#sweep && r.name === SWEEP) this.#inc(p);
        else if (this.#assist && r.name === ASSIST) {
          this.#inc(p);
          if (r.scope.id !== -1) this.#inGC.add(r.scope.id);
        }
        break;
      }
      case "RangeEnd": {
        const r = ev.range();
        if (this.#isSTW(r.name)) this.#stwDepth--;
        else if (this.#sweep && r.name === SWEEP) this.#dec(p);
        else if (this.#assist && r.name === ASSIST) {
          this.#dec(p);
          this.#inGC.delete(r.scope.id);
        }
        break;
      }
      case "StateTransition": {
        const tr = this.#tr;
        if (tr.decode(ev) !== "goroutine") break;
        const g = tr.id;
        if (this.#gcWork(g)) {
          const was = executing(tr.from), is = executing(tr.to);
          if (!was && is) this.#inc(p);
          else if (was && !is) this.#dec(p);
        }
        // Only read for ranges found active in the first generation.
        if (this.#nSync <= 1) this.#setState(g, tr.to);
        break;
      }
      case "Label": {
        if (!this.#bg) break;
        const label = ev.label().label;
        // Background mark workers label themselves "GC (dedicated)", "GC (fractional)"...
        if (label.startsWith("GC ") && label !== "GC (idle)") {
          // Per P, a dedicated worker has the P to itself: no one's latency suffers.
          if (!(this.#perProc && label === "GC (dedicated)")) {
            this.#bgMark.add(ev.goroutine);
            this.#inc(p);
          }
        }
        break;
      }
    }
    this.#record(t);
  }

  #setState(g: number, state: number): void {
    if (g >= 0 && g < 1 << 22) {
      let b = this.#stateBytes;
      if (g >= b.length) {
        const grown = new Uint8Array(Math.max(g + 1, b.length * 2));
        grown.set(b);
        this.#stateBytes = b = grown;
      }
      b[g] = state;
    } else this.#stateMap.set(g, state);
  }

  #getState(g: number): number {
    if (g >= 0 && g < 1 << 22) {
      return g < this.#stateBytes.length ? this.#stateBytes[g] : GoStateCode.Undetermined;
    }
    return this.#stateMap.get(g) ?? GoStateCode.Undetermined;
  }

  /** Whether goroutine `g` is doing GC work (a mark assist, or a background mark worker). */
  #gcWork(g: number): boolean {
    return (this.#inGC.size !== 0 && this.#inGC.has(g)) ||
      (this.#bgMark.size !== 0 && this.#bgMark.has(g));
  }

  #gomaxprocs(time: number, n: number): void {
    const ps = this.#ps;
    if (ps.length > n) {
      if (this.#perProc) {
        for (const p of ps.slice(n)) addUtil(this.#out[p.series], time, 0);
      }
      ps.length = n;
      this.#gcPs = ps.filter((p) => p.gc > 0).length;
    }
    while (ps.length < n) {
      let series = 0;
      if (this.#perProc || this.#out.length === 0) {
        series = this.#out.length;
        this.#out.push([{ time, util: 1 }]);
      }
      ps.push({ gc: 0, series });
    }
    const procs = this.#procs;
    if (procs.length === 0 || procs[procs.length - 1].n !== n) procs.push({ time, n });
  }

  // A sweep or an executing goroutine's mark assist found active at the start
  // of the trace has been taking a P all along: take 1/GOMAXPROCS off
  // everything recorded so far.
  #activeAtStart(ev: Event, name: string): void {
    const assist = this.#assist && name === ASSIST;
    const sweep = this.#sweep && name === SWEEP;
    if (assist && !executing(this.#getState(ev.goroutine))) return;
    if (!assist && !sweep) return;
    if (this.#perProc) return; // that P's series has not started yet
    const util = this.#out[0], procs = this.#procs;
    let pi = 0;
    for (let mi = 0; mi < util.length;) {
      if (pi < procs.length - 1 && procs[pi + 1].time < util[mi].time) {
        pi++;
        continue;
      }
      util[mi].util = Math.max(0, util[mi].util - 1 / procs[pi].n);
      mi++;
    }
  }

  // Ps with GC work (gc > 0), kept as the counts change: computing the
  // utilization after every event must not cost a pass over the Ps.
  #gcPs = 0;
  #inc(p: PState | null): void {
    this.#dirty = true;
    if (p && p.gc++ === 0) this.#gcPs++;
  }
  #dec(p: PState | null): void {
    this.#dirty = true;
    if (p && --p.gc === 0) this.#gcPs--;
  }

  // Whether a scheduling event must record: a GC count changed, or the
  // last point does not hold the current value (a lower one won at the same
  // time). Other events always record, and set it again. Never cleared per P.
  #dirty = true;

  #record(time: number): void {
    const ps = this.#ps;
    if (!this.#perProc) {
      const gcPs = this.#stwDepth > 0 ? ps.length : this.#gcPs;
      const util = 1 - gcPs / ps.length, series = this.#out[0];
      addUtil(series, time, util);
      this.#dirty = series[series.length - 1].util !== util;
      return;
    }
    for (const p of ps) addUtil(this.#out[p.series], time, this.#stwDepth > 0 || p.gc > 0 ? 0 : 1);
  }

  /**
   * The utilization series so far, each closed with utilization 0 at the
   * last event. Empty when the trace never said what GOMAXPROCS is.
   */
  result(): UtilPoint[][] {
    const out = this.#out.map((s) => s.map((u) => ({ ...u })));
    if (this.#last === null) return [];
    for (const p of this.#ps) addUtil(out[p.series], this.#last, 0);
    return out;
  }
}

// Appends a change, merging no-op changes and keeping the lowest of several
// at one time. Called for every event: allocates only for a real change.
function addUtil(series: UtilPoint[], time: number, util: number): void {
  const last = series[series.length - 1];
  if (last) {
    if (last.util === util) return;
    if (last.time === time) {
      if (util < last.util) series[series.length - 1] = { time, util };
      return;
    }
  }
  series.push({ time, util });
}

/**
 * The minimum mutator utilization for windows of `window` ns: the lowest
 * mean utilization over any window of that length within the series (a
 * window longer than a series is cut to its length). 0..1; 0 for a window
 * of 0 or less; 1 when there is no series.
 *
 * Exact: the windowed mean is piecewise linear in the window's position,
 * so its minimum sits where an edge of the window meets a change of
 * utilization; every such position is evaluated, in O(changes) per series.
 *
 * @example
 * ```ts
 * import { mmu } from "./mmu.ts";
 * // Full utilization, except a 1 ms pause from 2 ms to 3 ms; trace ends at 10 ms.
 * const s = [{ time: 0, util: 1 }, { time: 2e6, util: 0 }, { time: 3e6, util: 1 }, { time: 10e6, util: 0 }];
 * console.assert(mmu([s], 1e6) === 0);
 * console.assert(mmu([s], 2e6) === 0.5);
 * console.assert(Math.abs(mmu([s], 10e6) - 0.9) < 1e-12);
 * ```
 */
export function mmu(series: readonly (readonly UtilPoint[])[], window: number): number {
  if (window <= 0) return 0;
  let best = 1;
  for (const s of series) {
    if (s.length === 0) continue;
    const m = seriesMMU(s, window);
    if (m < best) best = m;
  }
  return best;
}

function seriesMMU(u: readonly UtilPoint[], window: number): number {
  const n = u.length;
  const t0 = u[0].time, tEnd = u[n - 1].time;
  const w = Math.min(window, tEnd - t0);
  if (w <= 0) return 1;
  // sums[j]: integral of utilization from t0 to u[j].time.
  const sums = new Float64Array(n);
  for (let j = 1; j < n; j++) sums[j] = sums[j - 1] + u[j - 1].util * (u[j].time - u[j - 1].time);
  // Integral from t0 to time, with a cursor that only moves forward.
  const integrator = () => {
    let pos = 0;
    return (time: number): number => {
      while (pos + 1 < n && u[pos + 1].time <= time) pos++;
      return sums[pos] + u[pos].util * (time - u[pos].time);
    };
  };
  const left = integrator(), right = integrator();
  const last = tEnd - w;
  let min = 1;
  // Candidate left edges in increasing order: each change time, and each
  // change time minus the window (the right edge meets a change), clipped.
  let i = 0, j = 0;
  let prev = -Infinity;
  for (;;) {
    const a = i < n ? u[i].time : Infinity;
    const b = j < n ? u[j].time - w : Infinity;
    let t = a <= b ? a : b;
    if (t === Infinity) break;
    if (a <= b) i++;
    else j++;
    if (t < t0) t = t0;
    if (t > last) t = last;
    if (t <= prev) continue;
    prev = t;
    const mu = (right(t + w) - left(t)) / w;
    if (mu < min) min = mu;
  }
  return min < 0 ? 0 : min;
}

/**
 * The windows `go tool trace` reports MMU at, by label.
 *
 * @example
 * ```ts
 * import { MMU_WINDOWS } from "./mmu.ts";
 * console.assert(MMU_WINDOWS["1ms"] === 1_000_000);
 * ```
 */
export const MMU_WINDOWS: Readonly<Record<string, number>> = {
  "100µs": 100_000,
  "1ms": 1_000_000,
  "10ms": 10_000_000,
  "100ms": 100_000_000,
};

/**
 * MMU at each window of {@link MMU_WINDOWS} (or the ones given), keyed by
 * label; `{}` when the trace has no utilization series.
 *
 * @example
 * ```ts
 * import { mmuTable } from "./mmu.ts";
 * const s = [{ time: 0, util: 1 }, { time: 50_000, util: 0 }, { time: 60_000, util: 1 }, { time: 1e9, util: 0 }];
 * const t = mmuTable([s]);
 * console.assert(t["100µs"] === 0.9 && t["100ms"] === 0.9999);
 * ```
 */
export function mmuTable(
  series: readonly (readonly UtilPoint[])[],
  windows: Readonly<Record<string, number>> = MMU_WINDOWS,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (series.length === 0) return out;
  for (const [label, w] of Object.entries(windows)) out[label] = mmu(series, w);
  return out;
}

/**
 * Reads a trace and returns its MMU at the {@link MMU_WINDOWS}.
 *
 * @example
 * ```ts
 * import { analyzeMMU } from "./mmu.ts";
 * const t = await analyzeMMU(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(t["1ms"] >= 0 && t["1ms"] <= 1);
 * ```
 */
export async function analyzeMMU(
  source: Source,
  opts: UtilOptions = {},
): Promise<Record<string, number>> {
  const mu = new MutatorUtilization(opts);
  await readAll(source, (ev) => mu.event(ev));
  return mmuTable(mu.result());
}
