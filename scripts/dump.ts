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
import { scanWireEvents } from "../src/wire/decode.ts";
import { Output, readInput, TraceInput } from "./commands/io.ts";
import {
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
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
                     not ordered (Go 1.22+ traces): the decoder's speed alone
  --workers=N        order the generations on N workers (Web Workers) and
                     merge them: the same output; the whole trace is read
                     into memory first, so it costs memory for speed on
                     traces of several generations
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
        workers: { type: "string" },
        ...PARTIAL_OPTION,
      },
      HELP,
    );
    if (p === null) return 0;
    values = p.values;
    file = oneFile(p);
    partial = partialOption(p);
    workers = workersOption(p.values.workers);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`dump: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const out = new Output();
  if (values["decode-only"]) return decodeOnly(file, out);
  let input: TraceInput | null = null;
  let failure: TraceError | null = null;
  try {
    input = workers > 0
      ? await TraceInput.openParallel("dump", file, workers, partial)
      : await TraceInput.open("dump", file, partial);
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

/** The `--workers` option: a positive integer, 0 when absent. */
function workersOption(v: unknown): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new UsageError(`--workers must be a whole number from 1 to 256, not "${v}"`);
  }
  return n;
}

/** Counts the wire events of a go1.22+ trace, without ordering them. */
async function decodeOnly(file: string, out: Output): Promise<number> {
  try {
    const scan = scanWireEvents(await readInput(file), () => {});
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

if (import.meta.main) Deno.exit(await main(Deno.args));
