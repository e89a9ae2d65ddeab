/**
 * Input for the command-line scripts: a trace from a path, `-` for stdin,
 * gzip or not, with a progress bar for big files and a report of what a
 * truncation lost. (Where output goes is `output.ts`; how many threads
 * read, `threads.ts`; what a relative path means, `paths.ts`.)
 *
 * @module
 */

import { Reader } from "../../src/reader/reader.ts";
import type { Event } from "../../src/events/event.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import { type Analysis, readAll } from "../../src/queries/source.ts";
import { TraceError } from "../../src/trace_error.ts";
import { readTraceBytes } from "../../src/reader/reader.ts";
import { ParallelReader } from "../../src/reader/parallel.ts";
import { type ByteInput, isGzip, isHttpUrl, openByteInput } from "../../src/reader/input.ts";
import { OutputError } from "./cli.ts";
import { userPath } from "./paths.ts";
import { PROGRESS_MIN_BYTES, withProgress } from "./progress.ts";

/** Whether the input FILE held no bytes at all (stdin: as counted). */
function isEmpty(file: string, seen: { bytes: number } | null): boolean {
  if (seen) return seen.bytes === 0;
  if (isHttpUrl(file)) return false;
  try {
    return Deno.statSync(userPath(file)).size === 0;
  } catch {
    return false;
  }
}

/**
 * Opens the trace named on the command line as a byte stream (still
 * compressed if it is gzip: the Reader unzips). A missing file is a
 * TraceError "io", so it is reported like any unreadable trace.
 */
export async function openInput(file: string): Promise<ReadableStream<Uint8Array> | string> {
  if (file === "-") return Deno.stdin.readable;
  if (isHttpUrl(file)) return file;
  const path = userPath(file);
  let f: Deno.FsFile;
  try {
    f = await Deno.open(path, { read: true });
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
  return path;
}

/**
 * The whole trace in memory, decompressed when it is gzip; in a
 * SharedArrayBuffer when `shared` (for workers to read in place).
 */
export async function readInput(file: string, shared = false): Promise<Uint8Array> {
  return await readTraceBytes(await openInput(file), { shared });
}

/**
 * `src` decompressed when it is gzip, counting the trace bytes that pass:
 * standard input can be read only once, so its size is learnt on the way.
 */
function counted(src: ReadableStream<Uint8Array>, seen: { bytes: number }) {
  // Decompressed as the Reader would (gzip members one after another), so
  // that what is counted is trace bytes; the Reader then sees plain bytes.
  let input: ByteInput | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      input ??= await openByteInput(src);
      const chunk = await input.read();
      if (chunk === null) return c.close();
      seen.bytes += chunk.length;
      c.enqueue(chunk);
    },
    cancel: () => input?.cancel(),
  });
}

/**
 * What to throw for `e`, met opening FILE: "not a Go execution trace?"
 * misleads when there is nothing at all, so a bad header on an empty input
 * says it is empty.
 */
function emptyOr(e: unknown, file: string, empty: () => boolean): unknown {
  if (e instanceof TraceError && e.code === "bad-header" && empty()) {
    return new OutputError(`${file}: empty file`, 1);
  }
  return e;
}

/** Bytes in a (possibly gzip) file once decompressed; only asked after a truncation. */
async function traceBytes(path: string): Promise<number> {
  const f = await Deno.open(path, { read: true });
  const head = new Uint8Array(2);
  const n = await f.read(head);
  if (n !== 2 || !isGzip(head)) {
    const size = (await f.stat()).size;
    f.close();
    return size;
  }
  f.close();
  let total = 0;
  try {
    const input = await openByteInput(path);
    for (let c = await input.read(); c !== null; c = await input.read()) total += c.length;
  } catch { /* a cut or damaged gzip stream: what came out is the trace */ }
  return total;
}

/** Thrown through a scan to end it early (see {@link TraceInput.scanAll}). */
const STOP = new Error("stop reading");

/**
 * A trace opened for a command: its Reader (with the `--partial` mode), the
 * number of events read, and what to say when it turns out truncated.
 */
export class TraceInput {
  /** Events read so far (by {@link readAll}, {@link analyze} or {@link count}). */
  events = 0;
  /** The truncation a `--partial` read ended with, else null. */
  truncated: TraceError | null = null;
  readonly #seen: { bytes: number } | null;

  private constructor(
    readonly prog: string,
    readonly file: string,
    source: Reader | ParallelReader,
    readonly partial: PartialMode | undefined,
    seen: { bytes: number } | null,
  ) {
    this.#seen = seen;
    this.#source = source;
  }

  readonly #source: Reader | ParallelReader;

  /** The Reader (the commands that take `--workers` read through {@link readAll} and {@link scanAll}). */
  get reader(): Reader {
    const r = this.#source;
    if (!(r instanceof Reader)) throw new TypeError("this input is read in parallel");
    return r;
  }

  /**
   * Opens FILE (a path relative to the user, or `-`) for the command
   * `prog` (e.g. "trace summary"), reading a truncated trace as `partial`
   * says, on `workers` threads (0 or 1: one, streaming).
   */
  static async open(
    prog: string,
    file: string,
    partial?: PartialMode,
    workers = 0,
    analyzes = false,
  ): Promise<TraceInput> {
    if (workers > 1) return await TraceInput.openParallel(prog, file, workers, partial, analyzes);
    const seen = file === "-" ? { bytes: 0 } : null;
    const stream = seen ? counted(Deno.stdin.readable, seen) : await openInput(file);
    let reader;
    try {
      reader = await Reader.open(stream, partial ? { partial } : {});
    } catch (e) {
      throw emptyOr(e, file, () => isEmpty(file, seen));
    }
    return new TraceInput(prog, file, reader, partial, seen);
  }

  /**
   * Like {@link open}, on `workers` threads: this one and `workers - 1` Web
   * Workers. For a command that does little with each event, this thread
   * orders a run of generations too; for one that `analyzes` (its analyses
   * cost about as much as ordering), it only analyzes while the workers
   * order, a pipeline. The whole trace is read into memory first (a
   * ParallelReader needs it).
   */
  static async openParallel(
    prog: string,
    file: string,
    workers: number,
    partial?: PartialMode,
    analyzes = false,
  ): Promise<TraceInput> {
    const stream = file === "-" ? Deno.stdin.readable : await openInput(file);
    // In shared memory: the workers read their parts of it in place.
    const bytes = await readTraceBytes(stream, { shared: true });
    let reader;
    try {
      reader = ParallelReader.fromBytes(bytes, {
        workers: analyzes ? workers - 1 : workers,
        mainRun: !analyzes,
        ...(partial ? { partial } : {}),
      });
    } catch (e) {
      throw emptyOr(e, file, () => bytes.length === 0);
    }
    return new TraceInput(prog, file, reader, partial, { bytes: bytes.length });
  }

  /** Feeds every event to `fn`, counting them; a failure goes through {@link end}. */
  async readAll(fn: (ev: Event) => void): Promise<void> {
    try {
      await readAll(this.reader, (ev) => {
        this.events++;
        fn(ev);
      });
    } catch (e) {
      await this.end(e);
    }
  }

  /**
   * {@link readAll} for a command that looks at each event and keeps
   * nothing of it: `fn` may be shown one reused Event object (the readers'
   * `scan`), which spares the parallel reader an object per event. With
   * `stop`, the read ends once it says so after an event (the rest of the
   * trace is not read, and its workers stop).
   */
  async scanAll(fn: (ev: Event) => void, stop?: () => boolean): Promise<void> {
    try {
      await this.#source.scan((ev) => {
        this.events++;
        fn(ev);
        if (stop?.()) throw STOP;
      });
    } catch (e) {
      if (e !== STOP) await this.end(e);
    }
  }

  /** The trace's version (the minor number of Go 1.x). */
  get version(): number {
    return this.#source.version;
  }

  /**
   * Runs several analyses over one pass, like `analyzeAll`, with the same
   * ending. The analyses keep numbers and strings, never the Event objects
   * they are shown, so the events come through {@link scanAll}.
   */
  async analyze<T extends Record<string, Analysis<unknown>>>(
    analyses: T,
  ): Promise<{ [K in keyof T]: ReturnType<T[K]["result"]> }> {
    await this.scanAll(feeder(Object.values(analyses)));
    const out: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(analyses)) out[k] = a.result();
    return out as { [K in keyof T]: ReturnType<T[K]["result"]> };
  }

  /**
   * How a read that threw `e` ends: a truncation is reported on stderr
   * (where the input ends, how much was lost, how many events were read);
   * with a `--partial` mode it is then kept in {@link truncated} so that the
   * command shows what was read; anything else is thrown again.
   */
  async end(e: unknown): Promise<void> {
    if (!(e instanceof TraceError) || e.code !== "truncated") throw e;
    console.error(await this.lossLine(e));
    if (this.partial === undefined) throw e;
    this.truncated = e;
  }

  /**
   * The stderr line for a truncation, e.g. `dump: trace truncated at byte
   * 12345 of 20000 (38.3% lost); 1234 events read`; when reading had to
   * stop before the cut (a generation that could not be ordered), where.
   */
  async lossLine(e: TraceError): Promise<string> {
    let total = this.#seen?.bytes ?? 0;
    if (!this.#seen) {
      try {
        total = await traceBytes(userPath(this.file));
      } catch { /* gone since: say what is known */ }
    }
    // What could be used ends at the cut, or earlier where the reading
    // failed (the batch that could not be ordered, say).
    const at = Math.min(e.truncatedAt ?? Infinity, e.offset ?? Infinity, total);
    total = Math.max(total, e.truncatedAt ?? 0);
    const lost = total > 0 ? (100 * (total - at)) / total : 0;
    const cut = e.truncatedAt ?? at;
    const where = at < cut ? `${cut}, unusable from byte ${at},` : `${cut}`;
    return `${this.prog}: trace truncated at byte ${where} of ${total} ` +
      `(${lost.toFixed(1)}% lost); ${this.events} events read`;
  }

  /** The exit status for a read that got this far: 1 when it was truncated. */
  get status(): 0 | 1 {
    return this.truncated ? 1 : 0;
  }
}

/**
 * One function that feeds every analysis an event. The first four each
 * have a call site of their own: a loop's one site would see several
 * classes and call through a megamorphic stub for every event.
 */
export function feeder(list: Analysis<unknown>[]): (ev: Event) => void {
  const [a, b, c, d] = list;
  const rest = list.slice(4);
  switch (list.length) {
    case 0:
      return () => {};
    case 1:
      return (ev) => a.event(ev);
    case 2:
      return (ev) => {
        a.event(ev);
        b.event(ev);
      };
    case 3:
      return (ev) => {
        a.event(ev);
        b.event(ev);
        c.event(ev);
      };
  }
  return (ev) => {
    a.event(ev);
    b.event(ev);
    c.event(ev);
    d.event(ev);
    for (let i = 0; i < rest.length; i++) rest[i].event(ev);
  };
}
