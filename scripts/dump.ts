/**
 * Prints a trace's events the way Go's reader prints them: each event's
 * `toString()` followed by a newline, and `ERROR: <message>` as the last
 * line if the trace is bad. The output can be compared byte for byte with
 * the corpus's `NAME.expect.gz` files.
 *
 * Usage: `deno task dump [--count] FILE` (FILE may be gzip-compressed, or
 * `-` for standard input).
 *
 * @module
 */

import { Reader } from "../src/events/mod.ts";
import { TraceError } from "../src/trace_error.ts";
import { openInput, Output } from "./commands/io.ts";
import { oneFile, parse, UsageError } from "./commands/cli.ts";

const HELP = `Usage: deno task dump [options] FILE

Prints every event of the Go execution trace FILE (raw or gzip; "-" reads
standard input), one Event.String() block per event, exactly like the
reference reader. If the trace is bad, the last line is "ERROR: <message>"
and the exit status is 1.

Options:
  --count     print only the number of events
  -h, --help  show this help
`;

async function main(args: string[]): Promise<number> {
  let values;
  let file;
  try {
    const p = parse(args, { count: { type: "boolean" } }, HELP);
    if (p === null) return 0;
    values = p.values;
    file = oneFile(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`dump: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const out = new Output();
  let n = 0;
  let failure: TraceError | null = null;
  try {
    const reader = await Reader.open(await openInput(file));
    if (values.count) {
      await reader.forEach(() => n++);
    } else {
      await reader.forEach((ev) => {
        n++;
        // Go's String() of an event with a stack ends in a newline already;
        // the format adds one more, which makes the blank separator line.
        out.write(ev.toString() + "\n");
      });
    }
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    failure = e;
  }
  if (values.count) out.write(`${n}\n`);
  if (failure) out.write(`ERROR: ${failure.message}\n`);
  out.flush();
  return failure ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
