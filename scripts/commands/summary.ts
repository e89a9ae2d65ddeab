/**
 * `trace summary`: the whole trace at a glance (the notebook's summary
 * view, as text or JSON). `deno task demo` prints the same summary.
 *
 * @module
 */

import { GoroutineAnalysis } from "../../src/queries/analysis.ts";
import { GCAnalysis } from "../../src/queries/gc.ts";
import { mmuTable, MutatorUtilization } from "../../src/queries/mmu.ts";
import type { Analysis } from "../../src/queries/source.ts";
import { SummaryView } from "../../src/display/summary_view.ts";
import { TraceCounter } from "../../src/queries/counts.ts";
import { TraceError } from "../../src/trace_error.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import {
  AUTO_WORKERS_HELP,
  type Command,
  intOption,
  oneFile,
  paragraph,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  WORKERS_OPTION,
  workersOption,
} from "./cli.ts";
import { feeder, TraceInput } from "./io.ts";
import { analysisThreadsFor } from "./threads.ts";

const HELP = `Usage: deno task trace summary [options] FILE

What is in the trace FILE (a path, "-" for standard input, gzip or not):
format version, span, events by kind, goroutines, threads and Ps, syscalls
and steals, GC cycles and stop-the-world pauses, minimum mutator
utilization, user annotations, and the goroutines that ran most. When the
trace turns out bad part way, the summary of what was read before comes
first, then the error.

Options:
  --top N            how many top goroutines (default 5)
  --json             the same as JSON (with "error" when the read failed)
${PARTIAL_HELP}
${AUTO_WORKERS_HELP}
  -h, --help         show this help

Exit status: 0, 1 the trace is bad (or truncated), 2 usage.
`;

/** What {@link summarizeTrace} read: the view, its JSON form and how the read ended. */
export interface TraceSummary {
  /** The summary, for text or HTML. */
  view: SummaryView;
  /** The same as a JSON-able object. */
  json: Record<string, unknown>;
  /** The error that stopped the read part way (not a `--partial` truncation), else null. */
  error: TraceError | null;
  /** 0, or 1 when the trace is truncated or bad. */
  status: 0 | 1;
}

/**
 * Reads FILE once and summarizes it; `extra` analyses (the demo's
 * consistency check) ride along on the same pass. A trace that fails part
 * way still gets the summary of the events before the failure.
 */
export async function summarizeTrace(
  prog: string,
  file: string,
  opts: { top?: number; partial?: PartialMode; workers?: number; extra?: Analysis<unknown>[] } = {},
): Promise<TraceSummary> {
  const top = opts.top ?? 5;
  // Unless told, a big file is read on two threads (see analysisThreads).
  const workers = await analysisThreadsFor(file, opts.partial !== undefined, opts.workers);
  const input = await TraceInput.open(prog, file, opts.partial, workers, true);
  const a = {
    counts: new TraceCounter(input.version),
    goroutines: new GoroutineAnalysis(),
    gc: new GCAnalysis({ series: "peak" }), // the summary shows the heap's peak alone
    mmu: new MutatorUtilization(),
  };
  let error: TraceError | null = null;
  try {
    // The analyses keep no Event object: a scan shows them every event.
    await input.scanAll(feeder([a.counts, a.goroutines, a.gc, a.mmu, ...(opts.extra ?? [])]));
  } catch (e) {
    // What came before a bad spot is still worth a summary.
    if (!(e instanceof TraceError)) throw e;
    error = e;
  }
  const counts = a.counts.result(), goroutines = a.goroutines.result().goroutines;
  const gc = a.gc.result(), mmu = mmuTable(a.mmu.result());
  const topGs = goroutines.slice().sort((x, y) => y.execTime - x.execTime).slice(0, top);
  const json: Record<string, unknown> = {
    file,
    ...counts,
    // Kind → count, most frequent first (an object keeps the insertion order).
    byKind: Object.fromEntries(counts.byKind),
    gcCycles: gc.cycles.length,
    stwPauses: gc.stw.length,
    stwTime: gc.stw.reduce((t, s) => t + s.duration, 0),
    mmu,
    top: topGs,
  };
  if (error) json.error = error.toString();
  return {
    view: new SummaryView(counts, { name: file, goroutines, gc, mmu, top }),
    json,
    error,
    status: error ? 1 : input.status,
  };
}

/** The error that cut a summary short, as the one paragraph on stderr every command prints. */
export function summaryError(prog: string, e: TraceError): string {
  return paragraph(`${prog}: ${e.toString()} (the summary above is of the events before it)`);
}

/** The `summary` command. */
export const summaryCommand: Command = {
  name: "summary",
  summary: "what is in the trace, at a glance",
  help: HELP,
  async run(args) {
    const p = parse(
      args,
      { top: { type: "string" }, json: { type: "boolean" }, ...PARTIAL_OPTION, ...WORKERS_OPTION },
      HELP,
    );
    if (!p) return 0;
    const file = oneFile(p);
    const r = await summarizeTrace("trace summary", file, {
      top: intOption(p, "top") ?? 5,
      partial: partialOption(p),
      workers: workersOption(p),
    });
    console.log(p.values.json ? JSON.stringify(r.json, null, 1) : r.view.toString());
    if (r.error) console.error(summaryError("trace summary", r.error));
    return r.status;
  },
};
