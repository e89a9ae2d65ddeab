/**
 * Stack profiles of a trace: time (or CPU samples) summed by the stack it
 * was spent at. The delay kinds are the profiles `go tool trace` offers:
 *
 * - `network`: time goroutines waited with reason "network";
 * - `sync`: time waited on synchronisation, reasons containing "chan",
 *   "sync" or "select";
 * - `syscall`: time in syscalls;
 * - `sched`: scheduler latency, time runnable before running.
 *
 * plus two of ours that Go does not export: `block` (every wait, whatever
 * the reason, except "forever") and `cpu` (the CPU profile samples carried
 * in the trace).
 *
 * Two sets of rules ({@link ProfileRules}):
 *
 * - `"go"` (the default for the four kinds above): exactly what `go tool
 *   trace -pprof` writes, quirks included; see {@link GoProfileAnalysis}.
 *   Go sees only transitions that carry a stack, so a stretch ends at the
 *   goroutine's next stacked transition (not at a stackless wake-up or
 *   syscall return), and it is clipped to the goroutine's lifetime.
 * - `"analysis"` (ours; the only rules for `block` and `cpu`): a delay is
 *   charged to the stack of the event that put the goroutine in the state
 *   (where it blocked, entered the syscall, or, for scheduler latency, where
 *   it was made runnable) and ends where the state ends, so the totals equal
 *   the goroutine analysis's block, syscall and scheduling-wait times.
 *   Stretches of zero length do not count; stretches still open at the end
 *   of the trace count up to its last event.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { GoStateCode } from "../events/kinds.ts";
import { Ev } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { type FuncPattern, matchFunc, StackCache } from "../queries/stacks.ts";
import { Transition } from "../queries/transitions.ts";
import { readAll, type Source } from "../queries/source.ts";
import { GoProfileAnalysis, type GoProfileKind, goroutineSelector } from "./go_profiles.ts";

/**
 * What a {@link StackProfile} measures; see the module documentation.
 *
 * @example
 * ```ts
 * import type { ProfileKind } from "./profiles.ts";
 * const k: ProfileKind = "sched";
 * console.assert(k === "sched");
 * ```
 */
export type ProfileKind = "network" | "sync" | "syscall" | "sched" | "block" | "cpu";

/**
 * The kinds `go tool trace` serves as pprof profiles.
 *
 * @example
 * ```ts
 * import { PPROF_KINDS } from "./profiles.ts";
 * console.assert(PPROF_KINDS.includes("sync"));
 * ```
 */
export const PPROF_KINDS: readonly GoProfileKind[] = ["network", "sync", "syscall", "sched"];

/**
 * Which rules a profile follows: `"go"`, those of `go tool trace -pprof`
 * (only for its four kinds), or `"analysis"`, ours, whose totals equal the
 * goroutine analysis's; see the module documentation.
 *
 * @example
 * ```ts
 * import type { ProfileRules } from "./profiles.ts";
 * const rules: ProfileRules[] = ["go", "analysis"];
 * console.assert(rules.length === 2);
 * ```
 */
export type ProfileRules = "go" | "analysis";

/**
 * The rules a profile of `kind` follows when none are asked for: Go's for
 * the kinds Go exports, ours for `block` and `cpu`.
 *
 * @example
 * ```ts
 * import { defaultRules } from "./profiles.ts";
 * console.assert(defaultRules("sched") === "go" && defaultRules("cpu") === "analysis");
 * ```
 */
export function defaultRules(kind: ProfileKind): ProfileRules {
  return (PPROF_KINDS as readonly string[]).includes(kind) ? "go" : "analysis";
}

/**
 * Time (or samples) at one stack.
 *
 * @example
 * ```ts
 * import type { StackRecord } from "./profiles.ts";
 * const r: StackRecord = { stack: [{ pc: 1, func: "main.f", file: "f.go", line: 3 }], count: 2, value: 500 };
 * console.assert(r.value / r.count === 250);
 * ```
 */
export interface StackRecord {
  /** Frames, innermost first; [] when the event had no stack. */
  stack: StackFrame[];
  /** Stretches (contentions) or CPU samples. */
  count: number;
  /** Nanoseconds of delay, or samples for `cpu`. */
  value: number;
}

/**
 * A profile: records by stack, largest value first.
 *
 * @example
 * ```ts
 * import type { StackProfile } from "./profiles.ts";
 * const p: StackProfile = { kind: "sync", unit: "nanoseconds", records: [], count: 0, value: 0 };
 * console.assert(p.records.length === 0);
 * ```
 */
export interface StackProfile {
  /** What was measured. */
  kind: ProfileKind;
  /** Unit of `value`: "nanoseconds" for delays, "samples" for `cpu`. */
  unit: "nanoseconds" | "samples";
  /** One record per distinct stack, by value (then count) descending. */
  records: StackRecord[];
  /** Total count. */
  count: number;
  /** Total value. */
  value: number;
}

/**
 * What to profile and which part of the trace to look at.
 *
 * @example
 * ```ts
 * import type { StackProfileOptions } from "./profiles.ts";
 * const o: StackProfileOptions = { kind: "block", reasons: /chan/, from: 0, to: 1e6 };
 * console.assert(o.kind === "block");
 * const go: StackProfileOptions = { kind: "sync", rules: "go", goroutineName: "main.worker" };
 * console.assert(go.rules === "go");
 * ```
 */
export interface StackProfileOptions {
  /** What to measure. */
  kind: ProfileKind;
  /** Go's rules or ours (default: {@link defaultRules} of the kind). */
  rules?: ProfileRules;
  /** Only these goroutines (ids, or a predicate on the id). */
  goroutines?: readonly number[] | ((id: number) => boolean);
  /**
   * Only goroutines whose entry function is this name, as the "name"
   * parameter of `go tool trace`'s web UI (Go's rules only).
   */
  goroutineName?: string;
  /** Only stacks with a frame whose function matches (a name, or a RegExp searched). */
  func?: FuncPattern;
  /**
   * Window start (ns): delays count only their overlap with the window
   * (under Go's rules, with the goroutine's lifetime cut to the window).
   */
  from?: number;
  /** Window end (ns). */
  to?: number;
  /** For `block`: which wait reasons count (default all but "forever"). */
  reasons?: string | RegExp | ((reason: string) => boolean);
}

/**
 * Whether a goroutine that waited for `reason` counts in a profile of
 * `kind`: `go tool trace`'s rules for network and sync. Only meaningful
 * for the waiting kinds.
 *
 * @example
 * ```ts
 * import { countsAs } from "./profiles.ts";
 * console.assert(countsAs("sync", "chan receive") && countsAs("sync", "select"));
 * console.assert(countsAs("network", "network") && !countsAs("sync", "sleep"));
 * ```
 */
export function countsAs(kind: ProfileKind, reason: string): boolean {
  switch (kind) {
    case "network":
      return reason === "network";
    case "sync":
      return reason.includes("chan") || reason.includes("sync") || reason.includes("select");
    case "block":
      return reason !== "forever";
    default:
      return false;
  }
}

const TARGET: Partial<Record<ProfileKind, number>> = {
  network: GoStateCode.Waiting,
  sync: GoStateCode.Waiting,
  block: GoStateCode.Waiting,
  syscall: GoStateCode.Syscall,
  sched: GoStateCode.Runnable,
};

interface Open {
  start: number;
  frames: StackFrame[];
}

/**
 * Builds a stack profile from events fed one by one, under the rules asked
 * for (Go's by default for the kinds Go exports).
 *
 * @example
 * ```ts
 * import { StackProfileAnalysis } from "./profiles.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new StackProfileAnalysis({ kind: "sync", rules: "analysis" });
 * const r = await Reader.open(new URL("../../testdata/block-unblock.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const p = a.result();
 * console.assert(p.value === p.records.reduce((n, r) => n + r.value, 0));
 * ```
 */
export class StackProfileAnalysis {
  readonly #kind: ProfileKind;
  readonly #target: number;
  readonly #keepG: (id: number) => boolean;
  readonly #func: FuncPattern | undefined;
  readonly #from: number;
  readonly #to: number;
  readonly #reason: (reason: string) => boolean;
  #cache = new StackCache();
  #keys = new Map<StackFrame[], string>();
  #funcOk = new Map<StackFrame[], boolean>();
  #records = new Map<string, StackRecord>();
  #open = new Map<number, Open>();
  #tr = new Transition();
  #last = 0;
  #done: StackProfile | null = null;
  readonly #go: GoProfileAnalysis | null = null;

  /**
   * A profile of one kind, with its filters.
   * @param opts the kind and filters
   */
  constructor(opts: StackProfileOptions) {
    this.#kind = opts.kind;
    if (opts.kind !== "cpu" && TARGET[opts.kind] === undefined) {
      throw new RangeError(`unknown profile kind ${JSON.stringify(opts.kind)}`);
    }
    const rules = opts.rules ?? defaultRules(opts.kind);
    if (rules === "go") {
      if (defaultRules(opts.kind) !== "go") {
        throw new RangeError(`go tool trace has no ${opts.kind} profile: use rules "analysis"`);
      }
      this.#go = new GoProfileAnalysis({ ...opts, kind: opts.kind as GoProfileKind });
    } else if (rules !== "analysis") {
      throw new RangeError(`unknown profile rules ${JSON.stringify(rules)}`);
    } else if (opts.goroutineName !== undefined) {
      throw new RangeError('goroutineName selects goroutines as Go does: use rules "go"');
    }
    this.#target = TARGET[opts.kind] ?? -1;
    this.#keepG = goroutineSelector(opts.goroutines);
    this.#func = opts.func;
    this.#from = opts.from ?? -Infinity;
    this.#to = opts.to ?? Infinity;
    const r = opts.reasons;
    if (opts.kind !== "block" || r === undefined) this.#reason = (x) => countsAs(opts.kind, x);
    else if (typeof r === "function") this.#reason = r;
    else this.#reason = (x) => matchFunc(x, r);
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    if (this.#go) return this.#go.event(ev);
    const t = ev.time;
    this.#last = t;
    if (this.#target < 0) {
      if (ev.type !== Ev.CPUSample || t < this.#from || t > this.#to) return;
      if (!this.#keepG(ev.goroutine)) return;
      this.#add(this.#cache.frames(ev.tables, ev.a0), 1);
      return;
    }
    const tr = this.#tr;
    if (tr.decode(ev) !== "goroutine" || tr.from === tr.to) return;
    const id = tr.id;
    const open = this.#open.get(id);
    if (open) {
      this.#close(open, t);
      this.#open.delete(id);
    }
    if (tr.to !== this.#target || !this.#keepG(id)) return;
    if (this.#target === GoStateCode.Waiting && !this.#reason(tr.reason)) return;
    this.#open.set(id, { start: t, frames: this.#frames(ev.tables, ev) });
  }

  #frames(tables: GenTables | null, ev: Event): StackFrame[] {
    return this.#cache.frames(tables, ev.stackId);
  }

  #close(open: Open, end: number): void {
    const d = Math.min(end, this.#to) - Math.max(open.start, this.#from);
    if (d > 0) this.#add(open.frames, d);
  }

  #add(frames: StackFrame[], value: number): void {
    if (this.#func !== undefined) {
      let ok = this.#funcOk.get(frames);
      if (ok === undefined) {
        const pattern = this.#func;
        ok = frames.some((f) => matchFunc(f.func, pattern));
        this.#funcOk.set(frames, ok);
      }
      if (!ok) return;
    }
    let key = this.#keys.get(frames);
    if (key === undefined) {
      // The same stack has another id (and frames array) in each generation: key by content.
      key = frames.map((f) => `${f.pc}\0${f.func}\0${f.file}\0${f.line}`).join("\n");
      this.#keys.set(frames, key);
    }
    const rec = this.#records.get(key);
    if (rec) {
      rec.count++;
      rec.value += value;
    } else this.#records.set(key, { stack: frames, count: 1, value });
  }

  /** The profile (under our rules, stretches still open end at the last event). Finalizes. */
  result(): StackProfile {
    if (this.#go) return this.#go.result();
    if (this.#done) return this.#done;
    for (const open of this.#open.values()) this.#close(open, this.#last);
    this.#open.clear();
    const records = [...this.#records.values()].sort((a, b) =>
      b.value - a.value || b.count - a.count
    );
    let count = 0, value = 0;
    for (const r of records) {
      count += r.count;
      value += r.value;
    }
    const unit = this.#kind === "cpu" ? "samples" : "nanoseconds";
    return this.#done = { kind: this.#kind, unit, records, count, value };
  }
}

/**
 * Reads a trace and returns one stack profile.
 *
 * @example
 * ```ts
 * import { stackProfile } from "./profiles.ts";
 * const url = new URL("../../testdata/cpu-samples.trace", import.meta.url);
 * const p = await stackProfile(url, { kind: "cpu" });
 * console.assert(p.unit === "samples" && p.count > 0);
 * ```
 */
export async function stackProfile(
  source: Source,
  opts: StackProfileOptions,
): Promise<StackProfile> {
  const a = new StackProfileAnalysis(opts);
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
