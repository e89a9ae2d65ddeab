/**
 * `trace summary`: the whole trace at a glance (the notebook's summary
 * view, as text or JSON).
 *
 * @module
 */

import { GoroutineAnalysis } from "../../src/queries/analysis.ts";
import { GCAnalysis } from "../../src/queries/gc.ts";
import { mmuTable, MutatorUtilization } from "../../src/queries/mmu.ts";
import { SummaryView, TraceCounter } from "../../src/display/summary_view.ts";
import {
  type Command,
  intOption,
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";

const HELP = `Usage: deno task trace summary [options] FILE

What is in the trace FILE (a path, "-" for standard input, gzip or not):
format version, span, events by kind, goroutines, threads and Ps, syscalls
and steals, GC cycles and stop-the-world pauses, minimum mutator
utilization, user annotations, and the goroutines that ran most.

Options:
  --top N            how many top goroutines (default 5)
  --json             the same as JSON
${PARTIAL_HELP}
  -h, --help         show this help

Exit status: 0, 1 the trace is bad (or truncated), 2 usage.
`;

/** The `summary` command. */
export const summaryCommand: Command = {
  name: "summary",
  summary: "what is in the trace, at a glance",
  help: HELP,
  async run(args) {
    const p = parse(
      args,
      { top: { type: "string" }, json: { type: "boolean" }, ...PARTIAL_OPTION },
      HELP,
    );
    if (!p) return 0;
    const file = oneFile(p);
    const top = intOption(p, "top") ?? 5;
    const input = await TraceInput.open("trace summary", file, partialOption(p));
    const r = await input.analyze({
      counts: new TraceCounter(input.reader.version),
      goroutines: new GoroutineAnalysis(),
      gc: new GCAnalysis({ series: "peak" }), // the summary shows the heap's peak alone
      mmu: new MutatorUtilization(),
    });
    const mmu = mmuTable(r.mmu);
    if (p.values.json) {
      const topGs = r.goroutines.goroutines.slice().sort((a, b) => b.execTime - a.execTime)
        .slice(0, top);
      console.log(JSON.stringify(
        {
          file,
          ...r.counts,
          // Kind → count, most frequent first (an object keeps the insertion order).
          byKind: Object.fromEntries(r.counts.byKind),
          gcCycles: r.gc.cycles.length,
          stwPauses: r.gc.stw.length,
          stwTime: r.gc.stw.reduce((t, s) => t + s.duration, 0),
          mmu,
          top: topGs,
        },
        null,
        1,
      ));
      return input.status;
    }
    console.log(
      new SummaryView(r.counts, {
        name: file,
        goroutines: r.goroutines.goroutines,
        gc: r.gc,
        mmu,
        top,
      }).toString(),
    );
    return input.status;
  },
};
