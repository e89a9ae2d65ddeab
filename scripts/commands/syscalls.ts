/**
 * `trace syscalls` and `trace steals`: syscalls with what became of their
 * P, and the ProcSteals that took Ps from syscalls.
 *
 * @module
 */

import { Reader } from "../../src/events/reader.ts";
import { analyzeAll } from "../../src/queries/source.ts";
import {
  type SyscallQuery,
  SyscallSelection,
  type SyscallSelectionOptions,
} from "../../src/queries/syscalls.ts";
import { parseDuration } from "../../src/display/duration.ts";
import { steals, stealTable, syscallTable } from "../../src/display/syscall_view.ts";
import { type Command, intOption, oneFile, parse, UsageError } from "./cli.ts";
import { openInput } from "./io.ts";

const SYSCALLS_HELP = `Usage: deno task trace syscalls [options] FILE

Lists the syscalls of the trace FILE (a path, "-" for standard input, gzip
or not): goroutine, M, P, start, duration, the syscall and its caller, and
what became of the P (kept, stolen by another M, ...).

Options:
  --min D          only syscalls lasting at least D (ns, or 1ms, 200us...)
  -g, --goroutine G  only syscalls of goroutine G
  --func REGEXP    only syscalls with a matching function in their stack
  --stolen         only syscalls whose P was stolen
  --longest        longest first (default: by start time)
  -n, --limit N    print at most N (default 50; 0 = all)
  --json           one JSON object per syscall, one per line
  -h, --help       show this help

Times are shown from the first event. Exit status: 0, 1 the trace is bad,
2 usage.
`;

const STEALS_HELP = `Usage: deno task trace steals [options] FILE

Lists the ProcSteals of the trace FILE (a path, "-" for standard input,
gzip or not) that took a P from a goroutine in a syscall: when, which P,
which M took it (and what it was running), from which M, the syscall and
how far into it the steal came.

Options:
  --json      one JSON object per steal, one per line
  -h, --help  show this help

Exit status: 0, 1 the trace is bad, 2 usage.
`;

// Only the syscalls shown are kept: the rest are counted and let go.
async function records(file: string, query: SyscallQuery, opts: SyscallSelectionOptions) {
  const reader = await Reader.open(await openInput(file));
  let first: number | null = null;
  const r = await analyzeAll(reader, {
    s: new SyscallSelection(query, opts),
    first: {
      event(ev) {
        first ??= ev.time;
      },
      result: () => 0,
    },
  });
  return { calls: r.s, origin: first ?? 0 };
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
      longest: { type: "boolean" },
      limit: { type: "string", short: "n" },
      json: { type: "boolean" },
    }, SYSCALLS_HELP);
    if (!p) return 0;
    const file = oneFile(p);
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
    const { calls, origin } = await records(file, q, { longest: !!p.values.longest, limit });
    if (p.values.json) {
      for (const s of calls.records) console.log(JSON.stringify(s));
      return 0;
    }
    const max = limit > 0 ? limit : Infinity;
    console.log(syscallTable(calls.records, { origin, max, total: calls.matched }).toString());
    return 0;
  },
};

/** The `steals` command. */
export const stealsCommand: Command = {
  name: "steals",
  summary: "Ps stolen from syscalls: by whom, from whom",
  help: STEALS_HELP,
  async run(args) {
    const p = parse(args, { json: { type: "boolean" } }, STEALS_HELP);
    if (!p) return 0;
    const { calls, origin } = await records(oneFile(p), { stolen: true }, {});
    const rows = steals(calls.records);
    if (p.values.json) {
      for (const r of rows) console.log(JSON.stringify(r));
      return 0;
    }
    console.log(stealTable(rows, { origin, max: Infinity }).toString());
    return 0;
  },
};
