/**
 * `trace export`: Chrome trace-event JSON for Perfetto UI.
 *
 * @module
 */

import { Reader } from "../../src/events/reader.ts";
import { analyzeAll } from "../../src/queries/source.ts";
import { GoroutineTable } from "../../src/queries/goroutines.ts";
import { SchedulerViews } from "../../src/queries/procs.ts";
import { SyscallAnalysis } from "../../src/queries/syscalls.ts";
import { chromeTrace } from "../../src/display/chrome_trace.ts";
import { type Command, oneFile, parse } from "./cli.ts";
import { Destination, openInput, type Output } from "./io.ts";

const HELP = `Usage: deno task trace export [options] FILE

Writes the trace FILE (a path, "-" for standard input, gzip or not) as
Chrome trace-event JSON, which https://ui.perfetto.dev (and
chrome://tracing) open: one track per P (which M held it, which goroutine
ran on it, syscalls until their P was taken), per M (goroutines run,
syscalls, steals made) and per goroutine (its states), with each steal as a
slice on the thief's track and a flow arrow from the syscall that lost its P.

Options:
  -o, --output PATH  write here instead of standard output
  -h, --help         show this help

Exit status: 0, 1 the trace is bad, 2 usage.
`;

/** The `export` command. */
export const exportCommand: Command = {
  name: "export",
  summary: "Chrome trace-event JSON for Perfetto UI",
  help: HELP,
  async run(args) {
    const p = parse(args, { output: { type: "string", short: "o" } }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    const reader = await Reader.open(await openInput(file));
    let first: number | null = null;
    const r = await analyzeAll(reader, {
      table: new GoroutineTable(),
      sched: new SchedulerViews(),
      calls: new SyscallAnalysis(),
      first: {
        event(ev) {
          first ??= ev.time;
        },
        result: () => 0,
      },
    });
    const timelines: Record<number, (typeof r.table)[number]["timeline"]> = {};
    const names = new Map<number, string>();
    for (const g of r.table) {
      timelines[g.id] = g.timeline;
      if (g.name) names.set(g.id, g.name);
    }
    const doc = chromeTrace({
      timelines,
      scheduler: r.sched,
      syscalls: r.calls,
      names,
      origin: first ?? 0,
      meta: { trace: file },
    });
    // One event per line: big exports stay greppable and are written in pieces.
    const write = (out: Output) => {
      out.write(`{"displayTimeUnit":"ns","otherData":${JSON.stringify(doc.otherData)},`);
      out.write(`"traceEvents":[\n`);
      doc.traceEvents.forEach((e, i) => out.write((i ? ",\n" : "") + JSON.stringify(e)));
      out.write("\n]}\n");
      out.flush();
    };
    await Destination.with(p.values.output as string | undefined, [file], (d) => write(d.out));
    return 0;
  },
};
