/**
 * `trace syscalls` and `trace steals`: syscalls with what became of their
 * P, and the ProcSteals that took Ps from syscalls.
 *
 * @module
 */

import type { TimeBound } from "../../src/export/chrome_writer.ts";
import {
  type SyscallQuery,
  SyscallSelection,
  type SyscallSelectionOptions,
} from "../../src/queries/syscalls.ts";
import { parseDuration } from "../../src/display/duration.ts";
import { steals, stealTable, syscallTable } from "../../src/display/syscall_view.ts";
import {
  ANALYSIS_WORKERS_HELP,
  type Command,
  intOption,
  oneFile,
  parse,
  type Parsed,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  resolveTime,
  TIME_HELP,
  TIME_OPTIONS,
  timeOption,
  UsageError,
  WORKERS_OPTION,
  workersOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";

const SYSCALLS_HELP = `Usage: deno task trace syscalls [options] FILE

Lists the syscalls of the trace FILE (a path, "-" for standard input, gzip
or not): goroutine, M, P, start, duration, the syscall and its caller, and
what became of its P, as one fact:
  kept its P                  back with the P it entered with
  P stolen by M7 after 350 µs; returned without its P
                              another M took the P while the syscall ran;
                              the goroutine came back with none
  P stolen ...; got the same P back / returned on P3
                              taken, and the goroutine came back with that
                              P again, or with another
  gave up its P after ...     its own M handed the P back itself
  returned on P3              back with another P, no steal seen
  returned; its P is not recorded (Go < 1.22)
                              the old format puts the exit on a
                              placeholder P, not the real one
  returned without a P        back with none, no steal seen (lost before
                              the trace began, or handed off)
  goroutine exited in it      (a cgo callback going back to C)
  still in it at the end of the trace
With --json, "outcome" is returned, reacquired, stolen, no-proc, exited or
in-syscall (how the goroutine came back) and "steal" the steal, if any.

Options:
  --min D          only syscalls lasting at least D (ns, or 1ms, 200us...)
  -g, --goroutine G  only syscalls of goroutine G
  --func REGEXP    only syscalls with a matching function in their stack
  --stolen         only syscalls whose P another M stole
${TIME_HELP}:
                     only syscalls overlapping it
  --longest        longest first (default: by start time)
  -n, --limit N    print at most N (default 50; 0 = all)
  --json           one JSON object per syscall, one per line
${PARTIAL_HELP}
${ANALYSIS_WORKERS_HELP}
  -h, --help       show this help

Times are shown from the first event. Exit status: 0, 1 the trace is bad
(or truncated), 2 usage.
`;

const STEALS_HELP = `Usage: deno task trace steals [options] FILE

Lists the ProcSteals of the trace FILE (a path, "-" for standard input,
gzip or not) that took a P from a goroutine in a syscall: when, which P,
which M took it (and what it was running), from which M, the syscall and
how far into it the steal came.

Options:
  --json             one JSON object per steal, one per line
${PARTIAL_HELP}
${ANALYSIS_WORKERS_HELP}
  -h, --help         show this help

Exit status: 0, 1 the trace is bad (or truncated), 2 usage.
`;

/**
 * The syscalls matching `query`: only those shown are kept, the rest are
 * counted and let go. `window`, relative to the first event, becomes the
 * query's window once that event is read (the query is tested as each
 * syscall ends, always after it).
 */
async function records(
  prog: string,
  p: Parsed,
  query: SyscallQuery,
  opts: SyscallSelectionOptions,
  window?: { from?: TimeBound; to?: TimeBound },
) {
  const input = await TraceInput.open(
    prog,
    oneFile(p),
    partialOption(p),
    workersOption(p),
    true,
  );
  let first: number | null = null;
  const r = await input.analyze({
    s: new SyscallSelection(query, opts),
    first: {
      event(ev) {
        // The old format's converter starts with a Sync at -1: times count from the first real one.
        if (first !== null || ev.time < 0) return;
        first = ev.time;
        if (window && (window.from !== undefined || window.to !== undefined)) {
          query.window = [
            window.from === undefined ? -Infinity : resolveTime(window.from, first),
            window.to === undefined ? Infinity : resolveTime(window.to, first),
          ];
        }
      },
      result: () => 0,
    },
  });
  return {
    calls: r.s,
    origin: first ?? 0,
    status: input.status,
    oldFormat: input.version < 22,
  };
}

/** The `syscalls` command. */
export const syscallsCommand: Command = {
  name: "syscalls",
  summary: "syscalls, and what became of their P",
  help: SYSCALLS_HELP,
  async run(args) {
    const p = parse(args, {
      min: { type: "string" },
      goroutine: { type: "string", short: "g" },
      func: { type: "string" },
      stolen: { type: "boolean" },
      ...TIME_OPTIONS,
      longest: { type: "boolean" },
      limit: { type: "string", short: "n" },
      json: { type: "boolean" },
      ...PARTIAL_OPTION,
      ...WORKERS_OPTION,
    }, SYSCALLS_HELP);
    if (!p) return 0;
    oneFile(p);
    const q: SyscallQuery = {};
    if (p.values.min !== undefined) {
      const d = parseDuration(String(p.values.min));
      if (d === null) throw new UsageError(`--min wants a duration like 1ms, got ${p.values.min}`);
      q.minDuration = d;
    }
    const g = intOption(p, "goroutine");
    if (g !== undefined) q.goroutines = [g];
    if (p.values.func !== undefined) {
      try {
        q.func = new RegExp(String(p.values.func));
      } catch (e) {
        throw new UsageError(`--func: ${(e as Error).message}`);
      }
    }
    if (p.values.stolen) q.stolen = true;
    const limit = intOption(p, "limit") ?? 50;
    const from = timeOption(p, "from"), to = timeOption(p, "to");
    const { calls, origin, status, oldFormat } = await records(
      "trace syscalls",
      p,
      q,
      { longest: !!p.values.longest, limit },
      { from, to },
    );
    if (p.values.json) {
      for (const s of calls.records) console.log(JSON.stringify(s));
      return status;
    }
    const max = limit > 0 ? limit : Infinity;
    console.log(
      syscallTable(calls.records, { origin, max, total: calls.matched, oldFormat }).toString(),
    );
    return status;
  },
};

/** The `steals` command. */
export const stealsCommand: Command = {
  name: "steals",
  summary: "Ps stolen from syscalls: by whom, from whom",
  help: STEALS_HELP,
  async run(args) {
    const p = parse(
      args,
      { json: { type: "boolean" }, ...PARTIAL_OPTION, ...WORKERS_OPTION },
      STEALS_HELP,
    );
    if (!p) return 0;
    // Every steal, an M giving up its own P included (shown as such).
    const { calls, origin, status } = await records("trace steals", p, { stealSeen: true }, {});
    const rows = steals(calls.records);
    if (p.values.json) {
      for (const r of rows) console.log(JSON.stringify(r));
      return status;
    }
    console.log(stealTable(rows, { origin, max: Infinity }).toString());
    return status;
  },
};
