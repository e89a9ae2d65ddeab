/**
 * Input and output for the `trace` commands: a trace from a path, `-` for
 * stdin, gzip or not, with a progress bar for big files; and a buffered
 * stdout that survives `| head`.
 *
 * @module
 */

import { TraceError } from "../../src/trace_error.ts";
import { readTraceBytes } from "../../src/events/reader.ts";
import { PROGRESS_MIN_BYTES, withProgress } from "./progress.ts";

/**
 * Opens the trace named on the command line as a byte stream (still
 * compressed if it is gzip: the Reader unzips). A missing file is a
 * TraceError "io", so it is reported like any unreadable trace.
 */
export async function openInput(file: string): Promise<ReadableStream<Uint8Array> | string> {
  if (file === "-") return Deno.stdin.readable;
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch (e) {
    throw new TraceError("io", `cannot open ${file}: ${(e as Error).message}`);
  }
  const size = (await f.stat()).size;
  if (size >= PROGRESS_MIN_BYTES && Deno.stderr.isTerminal()) {
    const enc = new TextEncoder();
    return withProgress(f.readable, size, (s) => Deno.stderr.writeSync(enc.encode(s)));
  }
  // The Reader reads a path in large pieces, faster than through a stream.
  f.close();
  return file;
}

/** The whole trace in memory, decompressed when it is gzip. */
export async function readInput(file: string): Promise<Uint8Array> {
  return await readTraceBytes(await openInput(file));
}

/**
 * Buffered, synchronous stdout: large writes, no await per line. A reader
 * that goes away (`trace events x | head`) ends the program quietly.
 */
export class Output {
  readonly #chunks: string[] = [];
  #size = 0;
  readonly #enc = new TextEncoder();
  /** @param sink where bytes go (stdout by default; tests pass their own) */
  constructor(readonly sink: (b: Uint8Array) => number = (b) => Deno.stdout.writeSync(b)) {}

  /** Appends text. */
  write(s: string): void {
    this.#chunks.push(s);
    this.#size += s.length;
    if (this.#size > 1 << 18) this.flush();
  }

  /** Appends a line. */
  line(s = ""): void {
    this.write(s + "\n");
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.#chunks.length === 0) return;
    let bytes = this.#enc.encode(this.#chunks.join(""));
    this.#chunks.length = 0;
    this.#size = 0;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(this.sink(bytes));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) Deno.exit(0);
      throw e;
    }
  }
}
