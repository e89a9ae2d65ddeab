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

import { parseArgs } from "node:util";
import { Reader } from "../src/events/mod.ts";
import { TraceError } from "../src/trace_error.ts";

const HELP = `Usage: deno task dump [options] FILE

Prints every event of the Go execution trace FILE (raw or gzip; "-" reads
standard input), one Event.String() block per event, exactly like the
reference reader. If the trace is bad, the last line is "ERROR: <message>"
and the exit status is 1.

Options:
  --count     print only the number of events
  -h, --help  show this help
`;

/** Output buffer size: large writes keep millions of events fast. */
const FLUSH_AT = 1 << 20;

/**
 * Collects text and writes it to a stream in large chunks. A reader that
 * goes away (`dump x | head`) ends the program quietly.
 */
class Out {
  #parts: string[] = [];
  #size = 0;
  readonly #enc = new TextEncoder();

  /** Queues `s`, writing when enough has gathered. */
  async write(s: string): Promise<void> {
    this.#parts.push(s);
    this.#size += s.length;
    if (this.#size >= FLUSH_AT) await this.flush();
  }

  /** Writes everything queued. */
  async flush(): Promise<void> {
    if (this.#size === 0) return;
    let bytes = this.#enc.encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(await Deno.stdout.write(bytes));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) Deno.exit(0);
      throw e;
    }
  }
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { count: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    console.error(`dump: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`dump: expected one FILE, got ${positionals.length}\n\n${HELP}`);
    return 2;
  }
  const file = positionals[0];
  const out = new Out();
  let n = 0;
  let failure: TraceError | null = null;
  try {
    const reader = await Reader.open(file === "-" ? Deno.stdin.readable : file);
    if (values.count) {
      for await (const _ of reader) n++;
    } else {
      for await (const ev of reader) {
        n++;
        // Go's String() of an event with a stack ends in a newline already;
        // the format adds one more, which makes the blank separator line.
        await out.write(ev.toString() + "\n");
      }
    }
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    failure = e;
  }
  if (values.count) await out.write(`${n}\n`);
  if (failure) await out.write(`ERROR: ${failure.message}\n`);
  await out.flush();
  return failure ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
