/**
 * The goroutine analysis of a trace, as `go tool trace` computes it: time
 * per goroutine and per entry function, user tasks, and the minimum mutator
 * utilization.
 *
 * Usage: `deno task analyze [--json] [--top N] FILE` (FILE may be
 * gzip-compressed, or `-` for standard input). With `--json`, prints the
 * summary in the shape of the corpus's `NAME.summary.json` (same keys,
 * goroutines sorted by id).
 *
 * @module
 */

import { TraceError } from "../src/trace_error.ts";
import { count } from "../src/display/html.ts";
import { formatDuration } from "../src/display/duration.ts";
import { TraceInput } from "./commands/io.ts";
import {
  intOption,
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
} from "./commands/cli.ts";
import { GoroutineAnalysis } from "../src/queries/analysis.ts";
import { functionSummaries, unknownTime } from "../src/queries/analysis.ts";
import { mmuTable, MutatorUtilization } from "../src/queries/mmu.ts";
import { formatSummaryJSON, toSummary } from "../src/queries/summary.ts";

const HELP = `Usage: deno task analyze [options] FILE

Reads the Go execution trace FILE (raw or gzip; "-" reads standard input)
and prints its goroutine analysis: execution, scheduling wait, blocking,
syscall and range times per goroutine and per entry function, the user
tasks, and the minimum mutator utilization (MMU).

Options:
  --json             print the summary as JSON (the shape of NAME.summary.json)
  --top N            rows per table in the text output (default 15)
${PARTIAL_HELP}
  -h, --help         show this help
`;

function sum(rec: Record<string, number>): number {
  let n = 0;
  for (const k in rec) n += rec[k];
  return n;
}

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "  (none)\n";
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => i === 0 ? c.padEnd(width[i]) : c.padStart(width[i])).join("  ");
  return [line(cols), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join("\n") + "\n";
}

async function main(args: string[]): Promise<number> {
  let values;
  let file;
  let top;
  let partial;
  try {
    const p = parse(
      args,
      { json: { type: "boolean" }, top: { type: "string" }, ...PARTIAL_OPTION },
      HELP,
    );
    if (p === null) return 0;
    values = p.values;
    file = oneFile(p);
    top = intOption(p, "top") ?? 15;
    if (top < 1) throw new UsageError(`--top needs a positive integer, got ${top}`);
    partial = partialOption(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`analyze: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const analysis = new GoroutineAnalysis();
  const mu = new MutatorUtilization();
  let input: TraceInput;
  try {
    input = await TraceInput.open("analyze", file, partial);
    await input.readAll((ev) => {
      analysis.event(ev);
      mu.event(ev);
    });
  } catch (e) {
    if (e instanceof TraceError) {
      console.error(`analyze: ${file}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const result = analysis.result();
  const mmu = mmuTable(mu.result());
  if (values.json) {
    await Deno.stdout.write(new TextEncoder().encode(formatSummaryJSON(toSummary(result, mmu))));
    return input.status;
  }

  const gs = result.goroutines;
  let out = `${file}: ${count(gs.length, "goroutine")}, ${count(result.tasks.length, "task")}, ${
    formatDuration(result.end - result.start)
  } traced\n`;
  out += `\nBy entry function (top ${top} by execution time):\n`;
  out += table(
    functionSummaries(gs).slice(0, top).map((f) => ({
      function: f.name || "(unknown)",
      count: f.count,
      exec: formatDuration(f.execTime),
      "sched wait": formatDuration(f.schedWaitTime),
      block: formatDuration(sum(f.blockTimeByReason)),
      syscall: formatDuration(f.syscallTime),
      "syscall blocked": formatDuration(f.syscallBlockTime),
      unknown: formatDuration(unknownTime(f)),
    })),
  );
  out += `\nGoroutines (top ${top} by execution time):\n`;
  out += table(
    gs.slice().sort((a, b) => b.execTime - a.execTime || a.id - b.id).slice(0, top).map(
      (g) => ({
        id: g.id,
        function: g.name || "(unknown)",
        total: formatDuration(g.totalTime),
        exec: formatDuration(g.execTime),
        "sched wait": formatDuration(g.schedWaitTime),
        block: formatDuration(sum(g.blockTimeByReason)),
        syscall: formatDuration(g.syscallTime + g.syscallBlockTime),
        regions: g.regions,
      }),
    ),
  );
  const reasons: Record<string, number> = {};
  for (const g of gs) {
    for (const r in g.blockTimeByReason) reasons[r] = (reasons[r] ?? 0) + g.blockTimeByReason[r];
  }
  out += `\nBlock time by reason:\n`;
  out += table(
    Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, top).map(([r, t]) => ({
      reason: r || "(none given)",
      time: formatDuration(t),
    })),
  );
  if (result.tasks.length) {
    out += `\nTasks:\n`;
    out += table(
      result.tasks.slice(0, top).map((t) => ({
        id: t.id,
        name: t.name || "(unnamed)",
        parent: t.parent ?? "-",
        complete: t.complete ? "yes" : "no",
        duration: t.start !== null && t.end !== null ? formatDuration(t.end - t.start) : "-",
        logs: t.logs,
        regions: t.regions,
        goroutines: t.goroutines.length,
      })),
    );
  }
  out += `\nMinimum mutator utilization:\n`;
  out += Object.keys(mmu).length
    ? table(Object.entries(mmu).map(([w, v]) => ({ window: w, mmu: `${(v * 100).toFixed(2)}%` })))
    : "  (no GOMAXPROCS in the trace)\n";
  await Deno.stdout.write(new TextEncoder().encode(out));
  return input.status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
