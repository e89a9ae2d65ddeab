/**
 * CPU profile samples carried in the trace (when `runtime/pprof` CPU
 * profiling ran alongside tracing), aggregated into the functions and the
 * stacks that were seen on the CPU most often.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { Ev } from "../wire/spec.ts";
import { StackCache } from "./stacks.ts";
import { readAll, type Source } from "./source.ts";

/**
 * A function's share of the samples.
 *
 * @example
 * ```ts
 * import { cpuProfile, type FunctionSamples } from "./cpu.ts";
 * const p = await cpuProfile(new URL("../../testdata/cpu-samples.trace", import.meta.url));
 * const top: FunctionSamples = p.functions[0];
 * console.assert(top.self <= top.cumulative && top.selfFraction <= 1);
 * ```
 */
export interface FunctionSamples {
  /** Function name. */
  func: string;
  /** Samples with it as the innermost frame. */
  self: number;
  /** Samples with it anywhere in the stack. */
  cumulative: number;
  /** `self` as a fraction of all samples. */
  selfFraction: number;
  /** `cumulative` as a fraction of all samples. */
  cumulativeFraction: number;
}

/**
 * A stack's share of the samples.
 *
 * @example
 * ```ts
 * import { cpuProfile, type StackSamples } from "./cpu.ts";
 * const p = await cpuProfile(new URL("../../testdata/cpu-samples.trace", import.meta.url));
 * const hottest: StackSamples = p.stacks[0];
 * console.assert(hottest.count > 0 && hottest.stack.length > 0);
 * ```
 */
export interface StackSamples {
  /** Frames, innermost first. */
  stack: StackFrame[];
  /** Samples with exactly this stack. */
  count: number;
  /** As a fraction of all samples. */
  fraction: number;
}

/**
 * What {@link CPUProfileAnalysis.result} returns.
 *
 * @example
 * ```ts
 * import { cpuProfile, type CPUProfile } from "./cpu.ts";
 * const p: CPUProfile = await cpuProfile(new URL("../../testdata/cpu-samples.trace", import.meta.url));
 * console.assert(Object.values(p.byGoroutine).reduce((a, b) => a + b, 0) === p.samples);
 * ```
 */
export interface CPUProfile {
  /** Number of samples. */
  samples: number;
  /** Top functions by self samples (ties by cumulative, then name). */
  functions: FunctionSamples[];
  /** Top functions by cumulative samples (ties by self, then name). */
  cumulative: FunctionSamples[];
  /** Top stacks by samples. */
  stacks: StackSamples[];
  /** Samples per goroutine id (-1: no goroutine). */
  byGoroutine: Record<number, number>;
}

/**
 * Options of {@link CPUProfileAnalysis}.
 *
 * @example
 * ```ts
 * import type { CPUProfileOptions } from "./cpu.ts";
 * const all: CPUProfileOptions = { top: Infinity };
 * console.assert(all.top === Infinity);
 * ```
 */
export interface CPUProfileOptions {
  /** How many functions and stacks to keep (default 20; Infinity for all). */
  top?: number;
}

interface StackAgg {
  stack: StackFrame[];
  count: number;
}

/**
 * Aggregates CPU samples fed one event at a time.
 *
 * @example
 * ```ts
 * import { CPUProfileAnalysis } from "./cpu.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new CPUProfileAnalysis({ top: 5 });
 * const r = await Reader.open(new URL("../../testdata/cpu-samples.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const p = a.result();
 * console.assert(p.samples > 0 && p.functions.length <= 5);
 * ```
 */
export class CPUProfileAnalysis {
  #top: number;
  #cache = new StackCache();
  #keys = new Map<StackFrame[], string>();
  #stacks = new Map<string, StackAgg>();
  #byG = new Map<number, number>();
  #n = 0;

  /**
   * An empty profile, to be fed events.
   * @param opts how many functions and stacks to keep
   */
  constructor(opts: CPUProfileOptions = {}) {
    this.#top = opts.top ?? 20;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    if (ev.type !== Ev.CPUSample) return;
    this.#n++;
    this.#byG.set(ev.goroutine, (this.#byG.get(ev.goroutine) ?? 0) + 1);
    const frames = this.#cache.frames(ev.tables, ev.a0);
    let key = this.#keys.get(frames);
    if (key === undefined) {
      // The same stack has a different id in each generation: key it by content.
      key = frames.map((f) => `${f.func}\0${f.file}\0${f.line}`).join("\n");
      this.#keys.set(frames, key);
      if (this.#keys.size > 100_000) this.#keys.clear();
    }
    const agg = this.#stacks.get(key);
    if (agg) agg.count++;
    else this.#stacks.set(key, { stack: frames, count: 1 });
  }

  /** The profile so far. */
  result(): CPUProfile {
    const n = this.#n;
    const self = new Map<string, number>(), cum = new Map<string, number>();
    for (const { stack, count } of this.#stacks.values()) {
      if (stack.length) self.set(stack[0].func, (self.get(stack[0].func) ?? 0) + count);
      for (const f of new Set(stack.map((f) => f.func))) cum.set(f, (cum.get(f) ?? 0) + count);
    }
    const fns: FunctionSamples[] = [...cum].map(([func, c]) => {
      const s = self.get(func) ?? 0;
      return {
        func,
        self: s,
        cumulative: c,
        selfFraction: n ? s / n : 0,
        cumulativeFraction: n ? c / n : 0,
      };
    });
    const byName = (a: FunctionSamples, b: FunctionSamples) =>
      a.func < b.func ? -1 : a.func > b.func ? 1 : 0;
    const top = this.#top;
    const functions = fns.slice().sort((a, b) =>
      b.self - a.self || b.cumulative - a.cumulative || byName(a, b)
    ).slice(0, top);
    const cumulative = fns.slice().sort((a, b) =>
      b.cumulative - a.cumulative || b.self - a.self || byName(a, b)
    ).slice(0, top);
    const stacks = [...this.#stacks.values()].sort((a, b) => b.count - a.count).slice(0, top)
      .map((s) => ({ stack: s.stack, count: s.count, fraction: n ? s.count / n : 0 }));
    const byGoroutine: Record<number, number> = {};
    for (const [g, c] of [...this.#byG].sort((a, b) => a[0] - b[0])) byGoroutine[g] = c;
    return { samples: n, functions, cumulative, stacks, byGoroutine };
  }
}

/**
 * Reads a trace and returns its CPU profile aggregates.
 *
 * @example
 * ```ts
 * import { cpuProfile } from "./cpu.ts";
 * const p = await cpuProfile(new URL("../../testdata/cpu-samples.trace", import.meta.url), { top: 3 });
 * console.assert(p.stacks.length <= 3);
 * ```
 */
export async function cpuProfile(
  source: Source,
  opts: CPUProfileOptions = {},
): Promise<CPUProfile> {
  const a = new CPUProfileAnalysis(opts);
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
