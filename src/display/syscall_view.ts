/**
 * Syscalls and stolen Ps as tables: each syscall with its goroutine, M, P,
 * duration, where it was made and what became of its P; each steal with
 * the thief, the victim and the syscall it interrupted.
 *
 * @module
 */

import type { StackFrame } from "../events/event.ts";
import type { Steal, SyscallRecord } from "../queries/syscalls.ts";
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
 * console.assert(t.includes("M4 after 300 ns"));
 * ```
 */
export function syscallTable(
  records: readonly SyscallRecord[],
  opts: SyscallTableOptions = {},
): DataTable<SyscallRecord> {
  const total = opts.total ?? records.length;
  const o = opts.origin ?? 0;
  const stolenBy = (s: SyscallRecord) =>
    s.steal
      ? s.steal.self
        ? `own M after ${formatDuration(s.steal.time - s.start)}`
        : `M${s.steal.thread} after ${formatDuration(s.steal.time - s.start)}`
      : "";
  return new DataTable(records, [
    { header: "G", value: (s) => s.goroutine },
    { header: "M", value: (s) => s.thread },
    { header: "P", value: (s) => (s.proc === -1 ? "-" : s.proc) },
    {
      header: "start",
      value: (s) => (s.beforeTrace ? "before " : "") + formatDuration(s.start - o),
    },
    { header: "duration", value: (s) => formatDuration(s.duration) + (s.end === null ? "+" : "") },
    { header: "syscall", value: (s) => syscallName(s.stack), title: (s) => stackText(s.stack) },
    { header: "called from", value: (s) => callSite(s.stack) },
    { header: "P outcome", value: (s) => s.outcome },
    { header: "P stolen by", value: stolenBy },
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
