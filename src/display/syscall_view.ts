/**
 * Syscalls and stolen Ps as tables: each syscall with its goroutine, M, P,
 * duration, where it was made and what became of its P; each steal with
 * the thief, the victim and the syscall it interrupted.
 *
 * @module
 */

import type { StackFrame } from "../events/event.ts";
import type { Steal, SyscallRecord } from "../queries/syscalls.ts";
import { FakeP } from "../legacy/spec.ts";
import { DataTable } from "./data_table.ts";
import { formatDuration } from "./duration.ts";
import type { ViewOptions } from "./goroutine_view.ts";

/**
 * The frame worth naming for a syscall: the first one outside the syscall
 * and runtime plumbing (`main.readConfig` rather than `syscall.read`).
 *
 * @example
 * ```ts
 * import { callSite } from "./syscall_view.ts";
 * const f = (func: string) => ({ pc: 0, func, file: "x.go", line: 1 });
 * console.assert(callSite([f("syscall.read"), f("syscall.Read"), f("os.(*File).Read"), f("main.load")]) === "main.load");
 * console.assert(callSite([]) === "?");
 * ```
 */
export function callSite(stack: readonly StackFrame[]): string {
  const plumbing = /^(syscall|runtime|internal\/|os\.|golang\.org\/x\/sys\/)/;
  const f = stack.find((f) => !plumbing.test(f.func)) ?? stack[0];
  return f ? f.func : "?";
}

/** The syscall function itself: the innermost frame. */
function syscallName(stack: readonly StackFrame[]): string {
  return stack[0]?.func ?? "?";
}

function stackText(stack: readonly StackFrame[]): string {
  return stack.map((f) => `${f.func} ${f.file}:${f.line}`).join("\n");
}

/**
 * What became of a syscall's P, as one fact: whether it was stolen (when,
 * by which M), then how the goroutine came back. The outcomes:
 * - "kept its P": back with the P it entered with, nobody took it;
 * - "P stolen by M7 after 350 µs; returned without its P": another M took
 *   the P while the syscall ran, the goroutine came back with none;
 * - "…; got the same P back" / "…; returned on P3": the P was taken, and
 *   the goroutine came back with that P again, or with another one;
 * - "gave up its P after 20 µs; …": its own M handed the P back itself;
 * - "returned on P3": back with another P, no steal seen;
 * - "returned; its P is not recorded (Go < 1.22)": the old format's
 *   converter puts the exit on a placeholder P (1000003), not a real one;
 * - "returned without a P": back with none, no steal seen (the P was lost
 *   before the trace began, or handed off);
 * - "goroutine exited in it" (a cgo callback going back to C), "still in
 *   it at the end of the trace".
 *
 * @example
 * ```ts
 * import { syscallFate } from "./syscall_view.ts";
 * import type { SyscallRecord } from "../queries/syscalls.ts";
 * const rec = { start: 100, proc: 0, outcome: "returned", returnProc: 0, steal: null };
 * console.assert(syscallFate(rec as SyscallRecord) === "kept its P");
 * const steal = { time: 450, proc: 0, thread: 7, stealerProc: -1, stealerGoroutine: -1,
 *   self: false, abandoned: false };
 * const stolen = { ...rec, outcome: "stolen", returnProc: -1, steal } as SyscallRecord;
 * console.assert(syscallFate(stolen) === "P stolen by M7 after 350 ns; returned without its P");
 * const old = { ...rec, outcome: "reacquired", returnProc: 1000003 } as SyscallRecord;
 * console.assert(syscallFate(old) === "returned; its P is not recorded (Go < 1.22)");
 * ```
 */
export function syscallFate(s: SyscallRecord): string {
  const st = s.steal;
  const taken = st
    ? st.self
      ? `gave up its P after ${formatDuration(st.time - s.start)}`
      : `P stolen by M${st.thread} after ${formatDuration(st.time - s.start)}`
    : "";
  let back: string;
  switch (s.outcome) {
    case "returned":
      back = st ? "got the same P back" : "kept its P";
      break;
    case "reacquired":
      // The old format's converter puts syscall exits on a placeholder P: the real one is unknown.
      back = s.returnProc >= FakeP.Timer
        ? "returned; its P is not recorded (Go < 1.22)"
        : `returned on P${s.returnProc}`;
      break;
    case "stolen":
    case "no-proc":
      back = st ? "returned without its P" : "returned without a P";
      break;
    case "exited":
      back = "goroutine exited in it";
      break;
    case "in-syscall":
      back = "still in it at the end of the trace";
      break;
  }
  return taken ? `${taken}; ${back}` : back;
}

/**
 * {@link syscallTable}'s options: the view's, and how many syscalls there
 * are in all when the records are only the first of them.
 *
 * @example
 * ```ts
 * import { syscallTable, type SyscallTableOptions } from "./syscall_view.ts";
 * const opts: SyscallTableOptions = { max: 50, total: 1234 };
 * console.assert(String(syscallTable([], opts)).startsWith("1234 syscalls"));
 * ```
 */
export interface SyscallTableOptions extends ViewOptions {
  /** Syscalls in all (default: as many as the records). */
  total?: number;
  /** The trace is in the old format (Go < 1.22), which records no end for a syscall that did not block. */
  oldFormat?: boolean;
}

/**
 * Syscalls as a table, in the order given (sort them first for "longest").
 *
 * @example
 * ```ts
 * import { syscallTable } from "./syscall_view.ts";
 * import type { SyscallRecord } from "../queries/syscalls.ts";
 * const rec = { goroutine: 1, thread: 0, proc: 0, start: 100, end: 600, duration: 500,
 *   stack: [{ pc: 1, func: "syscall.read", file: "z.go", line: 1 }], beforeTrace: false,
 *   outcome: "stolen", returnProc: -1,
 *   steal: { time: 400, proc: 0, thread: 4, stealerProc: -1, stealerGoroutine: -1, self: false, abandoned: false } };
 * const t = String(syscallTable([rec as SyscallRecord]));
 * console.assert(t.includes("P stolen by M4 after 300 ns; returned without its P"));
 * ```
 */
export function syscallTable(
  records: readonly SyscallRecord[],
  opts: SyscallTableOptions = {},
): DataTable<SyscallRecord> {
  const total = opts.total ?? records.length;
  const o = opts.origin ?? 0;
  // The old format (Go < 1.22) records no end for a syscall that did not
  // block: its 1 ns is the converter's, not a measurement.
  const unknown = (s: SyscallRecord) =>
    opts.oldFormat === true && s.end !== null && s.duration <= 1 && s.steal === null;
  return new DataTable(records, [
    { header: "G", value: (s) => s.goroutine },
    { header: "M", value: (s) => s.thread },
    { header: "P", value: (s) => (s.proc === -1 ? "-" : s.proc) },
    {
      header: "start",
      value: (s) => (s.beforeTrace ? "before " : "") + formatDuration(s.start - o),
    },
    {
      header: "duration",
      value: (s) =>
        unknown(s)
          ? "duration unknown (Go < 1.22)"
          : formatDuration(s.duration) + (s.end === null ? "+" : ""),
    },
    { header: "syscall", value: (s) => syscallName(s.stack), title: (s) => stackText(s.stack) },
    { header: "called from", value: (s) => callSite(s.stack) },
    { header: "what became of its P", value: syscallFate },
  ], {
    caption: opts.caption ?? `${total} syscall${total === 1 ? "" : "s"}`,
    max: opts.max,
    note: o ? `times from t0 = ${o} ns` : undefined,
    total: opts.total,
  });
}

/**
 * A steal with the syscall it interrupted.
 *
 * @example
 * ```ts
 * import { steals, type StealRow } from "./syscall_view.ts";
 * const rows: StealRow[] = steals([]);
 * console.assert(rows.length === 0);
 * ```
 */
export interface StealRow {
  /** The steal. */
  steal: Steal;
  /** The syscall whose P was taken. */
  syscall: SyscallRecord;
}

/**
 * The steals among `records`: one row per syscall that lost its P, by time.
 *
 * @example
 * ```ts
 * import { steals } from "./syscall_view.ts";
 * console.assert(steals([]).length === 0);
 * ```
 */
export function steals(records: readonly SyscallRecord[]): StealRow[] {
  return records.filter((s) => s.steal !== null)
    .map((s) => ({ steal: s.steal!, syscall: s }))
    .sort((a, b) => a.steal.time - b.steal.time);
}

/**
 * Steals as a table: when, which P, which M took it (and what it was
 * running), from which M and goroutine, in which syscall.
 *
 * @example
 * ```ts
 * import { stealTable } from "./syscall_view.ts";
 * const t = stealTable([]);
 * console.assert(String(t).includes("0 steals"));
 * ```
 */
export function stealTable(rows: readonly StealRow[], opts: ViewOptions = {}): DataTable<StealRow> {
  const o = opts.origin ?? 0;
  return new DataTable(rows, [
    { header: "time", value: (r) => formatDuration(r.steal.time - o) },
    { header: "P", value: (r) => r.steal.proc },
    {
      header: "stolen by",
      value: (r) =>
        r.steal.self
          ? `M${r.steal.thread} (itself)`
          : `M${r.steal.thread}${
            r.steal.stealerGoroutine >= 0 ? ` running G${r.steal.stealerGoroutine}` : ""
          }`,
    },
    { header: "from", value: (r) => `M${r.syscall.thread}` },
    { header: "G in syscall", value: (r) => r.syscall.goroutine },
    {
      header: "syscall",
      value: (r) => syscallName(r.syscall.stack),
      title: (r) => stackText(r.syscall.stack),
    },
    { header: "called from", value: (r) => callSite(r.syscall.stack) },
    { header: "into syscall", value: (r) => formatDuration(r.steal.time - r.syscall.start) },
    { header: "syscall took", value: (r) => formatDuration(r.syscall.duration) },
    { header: "abandoned", value: (r) => (r.steal.abandoned ? "yes" : "") },
  ], {
    caption: opts.caption ?? `${rows.length} steal${rows.length === 1 ? "" : "s"}`,
    max: opts.max,
    note: o ? `times from t0 = ${o} ns` : undefined,
  });
}
