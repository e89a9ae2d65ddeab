/**
 * Prints a trace's events the way Go's reader prints them: each event's
 * `toString()` followed by a newline, and `ERROR: <message>` as the last
 * line if the trace is bad. The output can be compared byte for byte with
 * the corpus's `NAME.expect.gz` files.
 *
 * Usage: `deno task dump [--count] [--partial=MODE] FILE` (FILE may be
 * gzip-compressed, or `-` for standard input).
 *
 * @module
 */

import { TraceError } from "../src/trace_error.ts";
import {
  scanWireEvents,
  scanWireEventsParallel,
  scanWireFileParallel,
} from "../src/wire/decode.ts";
// The ordered read's modules (io.ts) are loaded only for it: decode only
// starts sooner without them.
import { Output } from "./commands/output.ts";
import { userPath } from "./commands/paths.ts";
import { fileShape, threadsForShape } from "./commands/threads.ts";
import type { InputShape } from "../src/reader/input.ts";
import {
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
  WORKERS_HELP,
  WORKERS_OPTION,
  workersOption,
} from "./commands/cli.ts";

const HELP = `Usage: deno task dump [options] FILE

Prints every event of the Go execution trace FILE (raw or gzip; "-" reads
standard input), one Event.String() block per event, exactly like the
reference reader. If the trace is bad, the last line is "ERROR: <message>"
and the exit status is 1; a truncated trace also gets a line on standard
error saying where it was cut and how much was lost.

Options:
  --count            print only the number of events
  --decode-only      print the number of timed events decoded from the wire,
                     not ordered (Go 1.22+ traces): the decoder's speed alone;
                     a file of 8 to 256 MB of trace (gzip counted four
                     times) is decoded on two threads, each taking half of
                     its batches, on two cores or more, unless --workers=1
${WORKERS_HELP}
${PARTIAL_HELP}
  -h, --help         show this help
`;

async function main(args: string[]): Promise<number> {
  let values;
  let file;
  let partial;
  let workers = 0;
  try {
    const p = parse(
      args,
      {
        count: { type: "boolean" },
        "decode-only": { type: "boolean" },
        ...WORKERS_OPTION,
        ...PARTIAL_OPTION,
      },
      HELP,
    );
    if (p === null) return 0;
    values = p.values;
    file = oneFile(p);
    partial = partialOption(p);
    workers = workersOption(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`dump: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const out = new Output();
  if (values["decode-only"]) {
    // Two threads as for the analyses: a big regular file, two cores (a
    // worker started for a small trace would cost more than it saves).
    const shape = await fileShape(file);
    return decodeOnly(file, shape, out, threadsForShape(shape, false, workers) > 1);
  }
  const { TraceInput } = await import("./commands/io.ts");
  let input: import("./commands/io.ts").TraceInput | null = null;
  let failure: TraceError | null = null;
  try {
    input = await TraceInput.open("dump", file, partial, workers);
    const count = values.count === true;
    // Go's String() of an event with a stack ends in a newline already;
    // the format adds one more, which makes the blank separator line.
    await input.scanAll(count ? () => {} : (ev) => out.write(ev.toString() + "\n"));
    failure = input.truncated;
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    failure = e;
  }
  if (values.count) out.write(`${input?.events ?? 0}\n`);
  if (failure) out.write(`ERROR: ${failure.message}\n`);
  out.flush();
  return failure ? 1 : 0;
}

/**
 * Counts the wire events of a go1.22+ trace, without ordering them; on two
 * threads when `parallel` (and the trace is big enough to gain from it).
 * `shape` is FILE's, asked once for this and for the threads.
 */
async function decodeOnly(
  file: string,
  shape: InputShape | null,
  out: Output,
  parallel: boolean,
): Promise<number> {
  try {
    // The worker starts while the file is read, into memory it shares; a
    // plain file it reads half of itself. Anything else (gzip, stdin, a URL,
    // a missing file) goes through the commands' input.
    const path = plainFile(file, shape);
    let scan;
    if (path !== null) {
      // On one thread: the file read into one buffer, decoded here.
      scan = await scanWireFileParallel(path, parallel ? {} : { minBytes: Infinity });
    } else {
      const { readInput } = await import("./commands/io.ts");
      scan = parallel
        ? await scanWireEventsParallel(readInput(file, true))
        : scanWireEvents(await readInput(file));
    }
    out.write(`${scan.events}\n`);
    out.flush();
    return 0;
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    out.write(`ERROR: ${e.message}\n`);
    out.flush();
    return 1;
  }
}

/** The path of FILE when its shape says a regular, uncompressed file; else null. */
function plainFile(file: string, shape: InputShape | null): string | null {
  return shape && shape.size !== null && shape.size >= 2 && !shape.gzip ? userPath(file) : null;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
