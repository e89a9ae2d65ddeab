/**
 * What the fuzzer asks of one input: the Reader either reads it or stops with
 * a TraceError (never another exception, never code `internal`), within a
 * bounded number of events; and what it reads without error satisfies the
 * reference's invariants (Syncs first and last, time never going back,
 * every stack and string id resolving). Optionally the stepper and the query
 * analyses run over it too, under the same rule.
 *
 * @module
 */

import { type Event, Reader, TraceError } from "../../mod.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import { SPECS } from "../../src/wire/spec.ts";
import { Stepper } from "../../src/stepping/mod.ts";
import {
  CPUProfileAnalysis,
  GCAnalysis,
  GoroutineAnalysis,
  GoroutineTable,
  MutatorUtilization,
  SchedulerViews,
  SyscallAnalysis,
  TaskAnalysis,
  Timelines,
  TraceSummary,
} from "../../src/queries/mod.ts";

/**
 * How one input ended: `ok` (read to the end, invariants hold), `error` (a
 * TraceError with a stable code), `crash` (anything else escaped, or code
 * `internal`), `invariant` (read without error, but an invariant failed),
 * `runaway` (more events than the cap: a loop).
 *
 * @example
 * ```ts
 * import type { Verdict } from "./check.ts";
 * const v: Verdict = { outcome: "ok", events: 3 };
 * console.assert(v.outcome === "ok");
 * ```
 */
export interface Verdict {
  /** How it ended. */
  outcome: "ok" | "error" | "crash" | "invariant" | "runaway" | "lane";
  /** Events read (before the error, if any). */
  events: number;
  /** TraceError code, for `error`. */
  code?: string;
  /** What went wrong, for the bad outcomes. */
  detail?: string;
}

/** Options of {@link checkInput}. */
export interface CheckOptions {
  /** Reader mode; `reference` by default. */
  partial?: PartialMode;
  /** Most events to read before calling it a runaway. */
  maxEvents?: number;
  /** Also step the input with the Stepper. */
  stepper?: boolean;
  /** Also feed the events to every query analysis. */
  queries?: boolean;
  /**
   * Also read it with the ordering rules' fast lane off: the events and the
   * outcome must be the same (outcome `lane` when they are not).
   */
  lane?: boolean;
}

const CODES = new Set([
  "bad-header",
  "unsupported-version",
  "truncated",
  "bad-varint",
  "bad-batch-size",
  "bad-batch",
  "unknown-event",
  "bad-table-id",
  "bad-table",
  "bad-generation",
  "ordering",
  "io",
  "too-large",
]);

/** A thrown value as a verdict: TraceErrors with a known code are fine, the rest is a crash. */
function judgeThrown(e: unknown, events: number, where: string): Verdict {
  if (!(e instanceof TraceError)) {
    const s = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
    return { outcome: "crash", events, detail: `${where}: non-TraceError escaped: ${s}` };
  }
  if (!CODES.has(e.code)) {
    const cause = e.cause instanceof Error ? `\n${e.cause.stack}` : "";
    return { outcome: "crash", events, detail: `${where}: ${e.toString()}${cause}` };
  }
  if (!e.message) return { outcome: "crash", events, detail: `${where}: empty message` };
  return { outcome: "error", events, code: e.code };
}

/**
 * Reads one input and judges the outcome.
 *
 * @example
 * ```ts
 * import { checkInput } from "./check.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(checkInput(bytes).outcome === "ok");
 * console.assert(checkInput(bytes.subarray(0, 40)).outcome === "error");
 * ```
 */
export function checkInput(bytes: Uint8Array, opts: CheckOptions = {}): Verdict {
  const max = opts.maxEvents ?? 1_000_000;
  const events: Event[] = [];
  let verdict: Verdict | null = null;
  let version = 0;
  try {
    const r = Reader.fromBytes(bytes, { partial: opts.partial });
    version = r.version;
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) {
      events.push(ev);
      // Rendering exercises every view (stacks, strings, states) of every event.
      ev.toString();
      if (events.length > max) {
        verdict = { outcome: "runaway", events: events.length, detail: `over ${max} events` };
        break;
      }
    }
  } catch (e) {
    verdict = judgeThrown(e, events.length, "reader");
  }
  if (verdict === null) {
    const bad = invariants(events, version >= 22);
    verdict = bad
      ? { outcome: "invariant", events: events.length, detail: bad }
      : { outcome: "ok", events: events.length };
  }
  if (verdict.outcome === "ok" || verdict.outcome === "error") {
    if (opts.lane && version >= 22) {
      const d = laneDifference(bytes, opts.partial, events, verdict.code);
      if (d) return { outcome: "lane", events: events.length, detail: d };
    }
    if (opts.queries) {
      const q = runQueries(events);
      if (q) return q;
    }
    if (opts.stepper) {
      const s = runStepper(bytes, max);
      if (s) return s;
    }
  }
  return verdict;
}

/**
 * Reads a gzip input through {@link Reader.open} (members in a row, trailing
 * garbage an error after the events) and judges it like {@link checkInput}.
 *
 * @example
 * ```ts
 * import { checkGzipInput } from "./check.ts";
 * import { gzipSync } from "node:zlib";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert((await checkGzipInput(gzipSync(bytes))).outcome === "ok");
 * ```
 */
export async function checkGzipInput(bytes: Uint8Array, opts: CheckOptions = {}): Promise<Verdict> {
  const max = opts.maxEvents ?? 1_000_000;
  const events: Event[] = [];
  let version = 0;
  try {
    const r = await Reader.open(bytes, { partial: opts.partial });
    version = r.version;
    for await (const chunk of r.chunks()) {
      for (const ev of chunk) ev.toString();
      events.push(...chunk);
      if (events.length > max) {
        await r.close();
        return { outcome: "runaway", events: events.length, detail: `over ${max} events` };
      }
    }
  } catch (e) {
    return judgeThrown(e, events.length, "reader (gzip)");
  }
  const bad = invariants(events, version >= 22);
  return bad
    ? { outcome: "invariant", events: events.length, detail: bad }
    : { outcome: "ok", events: events.length };
}

/**
 * The reference's guarantees for a trace read without error, as a problem
 * description, or null when they hold. `ids`: check that every stack and
 * string id resolves, which the reference checks for go1.22+ traces only
 * (its old-format converter lets unknown ids through, and so does ours:
 * they resolve to an empty stack or string).
 *
 * @example
 * ```ts
 * import { invariants } from "./check.ts";
 * console.assert(invariants([], true) === null);
 * ```
 */
export function invariants(events: readonly Event[], ids: boolean): string | null {
  if (events.length === 0) return null;
  if (events[0].kind !== "Sync") return `first event is ${events[0].kind}, not Sync`;
  if (events.at(-1)!.kind !== "Sync") return `last event is ${events.at(-1)!.kind}, not Sync`;
  let last = -Infinity;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (!Number.isFinite(ev.time)) return `event ${i} (${ev.typeName}) has time ${ev.time}`;
    if (ev.time < last) {
      return `event ${i} (${ev.typeName}) goes back in time: ${ev.time} < ${last}`;
    }
    last = ev.time;
    const t = ev.tables;
    if (ev.kind === "Sync" || !t || !ids) continue;
    const spec = SPECS[ev.type];
    for (const k of spec.stacks) {
      const id = ev.arg(k - 1);
      if (id !== 0 && !t.stacks.has(id)) return `event ${i} (${spec.name}): unknown stack ${id}`;
    }
    for (const k of spec.strings) {
      const id = ev.arg(k - 1);
      if (t.string(id) === undefined) return `event ${i} (${spec.name}): unknown string ${id}`;
    }
    const st = ev.stack;
    if (st) {
      for (const pc of t.stacks.get(st.id) ?? []) {
        const f = t.pcs.get(pc);
        if (!f) return `event ${i} (${spec.name}): stack ${st.id} has unknown pc ${pc}`;
        if (t.string(f.funcID) === undefined || t.string(f.fileID) === undefined) {
          return `event ${i} (${spec.name}): stack ${st.id} has a frame with unknown strings`;
        }
      }
    }
  }
  return null;
}

function runQueries(events: readonly Event[]): Verdict | null {
  const analyses = [
    new GoroutineAnalysis(),
    new SyscallAnalysis(),
    new SchedulerViews(),
    new TaskAnalysis(),
    new GCAnalysis(),
    new MutatorUtilization(),
    new CPUProfileAnalysis(),
    new TraceSummary(),
    new Timelines(),
    new GoroutineTable(),
  ];
  for (const a of analyses) {
    try {
      for (const ev of events) a.event(ev);
      a.result();
    } catch (e) {
      const v = judgeThrown(e, events.length, `query ${a.constructor.name}`);
      if (v.outcome !== "error") return v;
    }
  }
  return null;
}

/**
 * How reading `bytes` with the ordering rules' fast lane off differs from
 * `events` and the error `code` (undefined: none) read with it on, or null.
 *
 * @example
 * ```ts
 * import { laneDifference } from "./check.ts";
 * import { readEvents } from "../../mod.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(laneDifference(bytes, undefined, readEvents(bytes), undefined) === null);
 * console.assert(laneDifference(bytes, undefined, [], undefined) !== null);
 * ```
 */
export function laneDifference(
  bytes: Uint8Array,
  partial: PartialMode | undefined,
  events: readonly Event[],
  code: string | undefined,
): string | null {
  const fields = (e: Event) =>
    [e.thread, e.proc, e.goroutine, e.type, e.time, e.a0, e.a1, e.a2, e.a3].join();
  let n = 0;
  let without: string | undefined;
  try {
    const r = Reader.fromBytes(bytes, { partial });
    r.engine!.order.useFastLane = false;
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) {
      if (n >= events.length) return `without the lane, more than ${events.length} events`;
      if (fields(ev) !== fields(events[n])) {
        return `event ${n}: ${events[n]} with the lane, ${ev} without`;
      }
      n++;
    }
  } catch (e) {
    without = e instanceof TraceError ? e.code : String(e);
  }
  if (n !== events.length) return `${events.length} events with the lane, ${n} without`;
  if (without !== code) {
    return `ends with ${code ?? "no error"} with the lane, ${without ?? "no error"} without`;
  }
  return null;
}

function runStepper(bytes: Uint8Array, max: number): Verdict | null {
  let n = 0;
  try {
    const s = Stepper.fromBytes(bytes);
    // Old-format traces have no engine to look into; they step event by event.
    const inspect = s.version >= 22;
    while (!s.done && n <= max) {
      n += s.step(64).length;
      if (inspect) s.frontier();
    }
    if (inspect) {
      s.state();
      s.explain();
    }
    s.toString();
  } catch (e) {
    const v = judgeThrown(e, n, "stepper");
    if (v.outcome !== "error") return v;
  }
  return null;
}
