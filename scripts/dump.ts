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
const BUF_SIZE = 1 << 20;

/**
 * Encodes text straight into one reused buffer and writes it to stdout when
 * full. Writes are synchronous: no await per event. A reader that goes away
 * (`dump x | head`) ends the program quietly.
 */
class Out {
  readonly #buf = new Uint8Array(BUF_SIZE);
  #pos = 0;
  readonly #enc = new TextEncoder();

  /** Appends `s`, writing out the buffer first if `s` might not fit. */
  write(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.#pos + s.length * 3 > BUF_SIZE) {
      this.flush();
      if (s.length * 3 > BUF_SIZE) {
        this.#writeAll(this.#enc.encode(s));
        return;
      }
    }
    this.#pos += this.#enc.encodeInto(s, this.#buf.subarray(this.#pos)).written;
  }

  /** Writes everything buffered. */
  flush(): void {
    this.#writeAll(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
  }

  #writeAll(bytes: Uint8Array): void {
    try {
      while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
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
        out.write(ev.toString() + "\n");
      }
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
