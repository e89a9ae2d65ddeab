/**
 * `trace export`: Chrome trace-event JSON for Perfetto UI, written as the
 * trace is read (never the whole document in memory), for the whole trace
 * or a window of it.
 *
 * @module
 */

import { ChromeTraceWriter } from "../../src/export/chrome_writer.ts";
import {
  type Command,
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  TIME_HELP,
  TIME_OPTIONS,
  timeOption,
  WORKERS_OPTION,
  workersOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";
import { Destination } from "./output.ts";
import { userPath } from "./paths.ts";
import { analysisThreadsFor } from "./threads.ts";

/** Past this much JSON, Perfetto UI struggles to open the file. */
export const BIG_JSON = 1 << 30;

/** JSON bytes per trace byte of a busy go1.25 trace (workmix-20s: 70 MB made 4.6 GB). */
const JSON_PER_TRACE_BYTE = 60;

const HELP = `Usage: deno task trace export [options] FILE

Writes the trace FILE (a path, "-" for standard input, gzip or not) as
Chrome trace-event JSON, which https://ui.perfetto.dev (and
chrome://tracing) open: one track per P (which M held it, which goroutine
ran on it, syscalls until their P was taken), per M (goroutines run,
syscalls, steals made) and per goroutine (its states), with each steal as a
slice on the thief's track and a flow arrow from the syscall that lost its P.
The JSON is written as the trace is read; Perfetto UI struggles past 1 GB of
it, so for a big trace export a window.

Options:
  -o, --output PATH  write here instead of standard output ("-"); PATH is
                     replaced only once the export is complete, and never
                     when it is FILE itself
${TIME_HELP}:
                     only what overlaps it, cut to it, e.g. --from 2s --to 2.5s
${PARTIAL_HELP}
  --workers N        use N threads: N-1 Web Workers order the trace
                     while this one writes its events as they come: the
                     same output, sooner for a window that starts late in
                     a big trace, but the whole trace is held in memory
                     (default with --from: 2 for a file of 8 to 256 MB of
                     trace, gzip counted four times its size, on two cores
                     or more; else 1, read as it streams)
  -h, --help         show this help

Exit status: 0, 1 the trace is bad (or truncated), 2 usage.
`;

function windowHint(prog: string): string {
  return `${prog}: Perfetto UI will struggle to open it; export a window instead, ` +
    `e.g. --from 1s --to 2s (times from the first event)`;
}

/** The `export` command. */
export const exportCommand: Command = {
  name: "export",
  summary: "Chrome trace-event JSON for Perfetto UI",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      output: { type: "string", short: "o" },
      ...TIME_OPTIONS,
      ...PARTIAL_OPTION,
      ...WORKERS_OPTION,
    }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    const from = timeOption(p, "from"), to = timeOption(p, "to");
    const partial = partialOption(p);
    const prog = "trace export";
    // Unless told, a big file is read on two threads (see analysisThreads)
    // when a window starts later: what comes before it is only followed, as
    // fast as the worker orders it. Otherwise the writing is the work, and a
    // second thread measured no faster.
    const asked = workersOption(p);
    const workers = from !== undefined || asked !== 0
      ? await analysisThreadsFor(file, partial !== undefined, asked)
      : 1;
    return await Destination.with(p.values.output as string | undefined, [file], async (d) => {
      const input = await TraceInput.open(prog, file, partial, workers, true);
      const windowed = from !== undefined || to !== undefined;
      if (!windowed && file !== "-") {
        try {
          const size = Deno.statSync(userPath(file)).size;
          if (size * JSON_PER_TRACE_BYTE > BIG_JSON) {
            console.error(
              `${prog}: a ${(size / 2 ** 20).toFixed(0)} MB trace makes about ` +
                `${(size * JSON_PER_TRACE_BYTE / 2 ** 30).toFixed(1)} GB of JSON`,
            );
            console.error(windowHint(prog));
          }
        } catch { /* gone: the reader says so */ }
      }
      let warned = false;
      const w = new ChromeTraceWriter((s) => {
        d.out.write(s);
        if (!warned && d.written > BIG_JSON) {
          warned = true;
          console.error(`${prog}: the JSON has passed 1 GB`);
          console.error(windowHint(prog));
        }
      }, { from, to, meta: { trace: file } });
      // The writer keeps nothing of an event: one Event object is refilled for each.
      await input.scanAll((ev) => w.event(ev), () => w.done);
      w.end();
      return input.status;
    });
  },
};
