/**
 * `trace goroutines`: every goroutine with where its time went, filtered
 * and sorted.
 *
 * @module
 */

import { GoroutineAnalysis, type GoroutineSummary } from "../../src/queries/analysis.ts";
import { type GoroutineInfo, GoroutineTable } from "../../src/queries/goroutines.ts";
import { DataTable } from "../../src/display/data_table.ts";
import { formatDuration } from "../../src/display/duration.ts";
import { blockedTime } from "../../src/display/goroutine_view.ts";
import {
  AUTO_WORKERS_HELP,
  type Command,
  intOption,
  oneFile,
  oneOf,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
  WORKERS_OPTION,
  workersOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";
import { analysisThreadsFor } from "./threads.ts";
import { GO_STATES } from "../../src/events/kinds.ts";

const HELP = `Usage: deno task trace goroutines [options] FILE

Lists the goroutines of the trace FILE (a path, "-" for standard input, gzip
or not): entry function, state at the end, and where their time went
(running, waiting for a P, blocked, in syscalls), the reasons they blocked.

Options:
  --sort KEY       running (default), total, blocked, syscall, waiting or id
  --name REGEXP    only goroutines whose entry function matches
  --state STATE    only goroutines in STATE at the end (Running, Waiting, ...)
  --user           leave out the runtime's own goroutines
  -n, --limit N    print at most N (default 50; 0 = all)
  --json           one JSON object per goroutine, one per line
${PARTIAL_HELP}
${AUTO_WORKERS_HELP}
  -h, --help       show this help

Exit status: 0, 1 the trace is bad (or truncated), 2 usage.
`;

/** A goroutine's identity and time breakdown together. */
export interface GoroutineLine {
  /** Who it is. */
  info: GoroutineInfo;
  /** Where its time went. */
  time: GoroutineSummary;
}

const SORTS: Record<string, (g: GoroutineLine) => number> = {
  running: (g) => -g.time.execTime,
  total: (g) => -g.time.totalTime,
  blocked: (g) => -blockedTime(g.time),
  syscall: (g) => -(g.time.syscallTime + g.time.syscallBlockTime),
  waiting: (g) => -g.time.schedWaitTime,
  id: (g) => g.info.id,
};

/** The `goroutines` command. */
export const goroutinesCommand: Command = {
  name: "goroutines",
  summary: "goroutines and where their time went",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      sort: { type: "string" },
      name: { type: "string" },
      state: { type: "string" },
      user: { type: "boolean" },
      limit: { type: "string", short: "n" },
      json: { type: "boolean" },
      ...PARTIAL_OPTION,
      ...WORKERS_OPTION,
    }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    const sortKey = (p.values.sort as string | undefined) ?? "running";
    const sort = SORTS[sortKey];
    if (!sort) oneOf("--sort", sortKey, Object.keys(SORTS));
    const state = p.values.state === undefined
      ? undefined
      : oneOf("--state", String(p.values.state), GO_STATES);
    let name: RegExp | null = null;
    if (p.values.name !== undefined) {
      try {
        name = new RegExp(p.values.name as string);
      } catch (e) {
        throw new UsageError(`--name: ${(e as Error).message}`);
      }
    }
    const limit = intOption(p, "limit") ?? 50;
    const partial = partialOption(p);
    // Unless told, a big file is read on two threads (see analysisThreads).
    const workers = await analysisThreadsFor(file, partial !== undefined, workersOption(p));
    const input = await TraceInput.open("trace goroutines", file, partial, workers, true);
    const r = await input.analyze({
      table: new GoroutineTable({ timelines: false }),
      analysis: new GoroutineAnalysis(),
    });
    const times = new Map(r.analysis.goroutines.map((g) => [g.id, g]));
    let rows: GoroutineLine[] = r.table.filter((g) => times.has(g.id))
      .map((info) => ({ info, time: times.get(info.id)! }));
    if (name) rows = rows.filter((g) => name!.test(g.info.name));
    if (state) rows = rows.filter((g) => g.info.state === state);
    if (p.values.user) {
      rows = rows.filter((g) => g.info.name && !g.info.name.startsWith("runtime."));
    }
    rows.sort((a, b) => sort(a) - sort(b) || a.info.id - b.info.id);
    if (p.values.json) {
      const shown = limit > 0 ? rows.slice(0, limit) : rows;
      for (const g of shown) {
        const { timeline: _t, functions: _f, ...info } = g.info;
        console.log(JSON.stringify({ ...info, ...g.time, name: g.info.name }));
      }
      return input.status;
    }
    const table = new DataTable(rows, [
      { header: "G", value: (g) => g.info.id },
      { header: "function", value: (g) => g.info.name || "?" },
      { header: "state", value: (g) => g.info.state },
      { header: "running", value: (g) => formatDuration(g.time.execTime) },
      { header: "waiting", value: (g) => formatDuration(g.time.schedWaitTime) },
      { header: "blocked", value: (g) => formatDuration(blockedTime(g.time)) },
      {
        header: "syscall",
        value: (g) => formatDuration(g.time.syscallTime + g.time.syscallBlockTime),
      },
      {
        header: "blocked on",
        value: (g) => g.info.blockReasons.map((r) => r || "(no reason)").join(", "),
      },
    ], {
      caption: `${rows.length} goroutines, by ${sortKey}`,
      max: limit > 0 ? limit : Infinity,
    });
    console.log(table.toString());
    return input.status;
  },
};
