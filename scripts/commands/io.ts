/**
 * Input and output for the command-line scripts: paths relative to where
 * the user stands; a trace from a path, `-` for stdin, gzip or not, with a
 * progress bar for big files and a report of what a truncation lost; a
 * buffered stdout that survives `| head`; and outputs written beside their
 * target and renamed into place, so that a failed run never leaves a
 * half-written file or destroys its input.
 *
 * @module
 */

import { basename, dirname, isAbsolute, resolve } from "node:path";
import { Reader } from "../../src/reader/reader.ts";
import type { Event } from "../../src/events/event.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import { type Analysis, readAll } from "../../src/queries/source.ts";
import { TraceError } from "../../src/trace_error.ts";
import { readTraceBytes } from "../../src/reader/reader.ts";
import { ParallelReader } from "../../src/reader/parallel.ts";
import { type ByteInput, isGzip, isHttpUrl, openByteInput } from "../../src/reader/input.ts";
import { WORKER_MIN_BYTES } from "../../src/wire/worker_bytes.ts";
import { OutputError } from "./cli.ts";
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
 * A path as the user meant it: `deno task` runs scripts from the project
 * root and puts the user's directory in INIT_CWD, so relative paths are
 * resolved against that when it is set (and readable). `-` stays `-`.
 */
export function userPath(path: string): string {
  if (path === "-" || isAbsolute(path) || isHttpUrl(path)) return path;
  let base: string | undefined;
  try {
    // Asking first keeps a run without --allow-env from prompting or failing.
    const q = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    if (q.state === "granted") base = Deno.env.get("INIT_CWD");
  } catch { /* no permission API: use the working directory */ }
  // From the project root itself the path stays as typed (and as shown).
  return base && resolve(base) !== Deno.cwd() ? resolve(base, path) : path;
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

/** What {@link analysisThreads} decides on. */
export interface InputShape {
  /** Bytes of the file as it is on disk (null: not a regular file, e.g. stdin or a URL). */
  size: number | null;
  /** Whether it is gzip (then about four times as many trace bytes). */
  gzip: boolean;
  /** Cores of the machine. */
  cores: number;
  /** A `--partial` mode was asked for (those reads are sequential). */
  partial: boolean;
}

/** Trace bytes from which an analysis reads on two threads by itself (the wire layer's bound). */
export const AUTO_MIN_BYTES = WORKER_MIN_BYTES;
/** Trace bytes up to which it does: two threads hold the whole trace in memory. */
export const AUTO_MAX_BYTES = 256 << 20;

/**
 * The threads `trace summary`, `trace goroutines` and `trace export --from`
 * read a trace on when `--workers` is not given: two (a worker orders the
 * events while this thread analyzes or writes them) for a regular file of
 * 8 to 256 MB of trace (gzip counted four times its size) on a machine of
 * two cores or more, else one. On the two real traces of the perf corpus (48 and 71 MB, 8.6 and
 * 14.9 M events) two threads took 20-25% less time for the summary (5-18%
 * for goroutines), with 35-110 MB more memory (the trace is held whole).
 * Below a few megabytes the worker's start costs more than it saves; above
 * 256 MB, holding the whole trace would cost more memory than a command
 * may take (400 MB on a 100 MB trace). `syscalls` and `steals` stay on one
 * thread unless asked: their analyses cost less than ordering, so the
 * worker's ordering (and the events' crossing) is what they would wait
 * for, and they measured no faster. `dump --decode-only` decodes on the
 * same number of threads.
 */
export function analysisThreads(shape: InputShape): number {
  if (shape.partial || shape.size === null || shape.cores < 2) return 1;
  const bytes = shape.gzip ? 4 * shape.size : shape.size;
  return bytes >= AUTO_MIN_BYTES && bytes <= AUTO_MAX_BYTES ? 2 : 1;
}

/**
 * The threads to read FILE (as the user named it) on: `asked` when
 * `--workers` gave it (not 0), else {@link analysisThreads}.
 */
export async function analysisThreadsFor(
  file: string,
  partial: boolean,
  asked = 0,
): Promise<number> {
  if (asked !== 0) return asked;
  if (file === "-" || isHttpUrl(file)) return 1;
  let f: Deno.FsFile;
  try {
    f = await Deno.open(userPath(file), { read: true });
  } catch {
    return 1; // reported when the file is opened to be read
  }
  try {
    const st = await f.stat();
    const head = new Uint8Array(2);
    const gzip = st.isFile && (await f.read(head)) === 2 && isGzip(head);
    return analysisThreads({
      size: st.isFile ? st.size : null,
      gzip,
      cores: navigator.hardwareConcurrency ?? 1,
      partial,
    });
  } finally {
    f.close();
  }
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

  /** Appends bytes (after the text before them). */
  bytes(b: Uint8Array): void {
    this.flush();
    this.#put(b);
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.#chunks.length === 0) return;
    const bytes = this.#enc.encode(this.#chunks.join(""));
    this.#chunks.length = 0;
    this.#size = 0;
    this.#put(bytes);
  }

  #put(bytes: Uint8Array): void {
    try {
      while (bytes.length > 0) bytes = bytes.subarray(this.sink(bytes));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) Deno.exit(0);
      throw e;
    }
  }
}

/** Same file: same device and inode (hard links and symlinks included). */
function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino !== null && a.ino === b.ino;
}

function statOrNull(path: string, follow = true): Deno.FileInfo | null {
  try {
    return follow ? Deno.statSync(path) : Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Why a path cannot be written, in a few words. */
function reason(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  // Deno's messages end with the syscall and path in parentheses: keep the words.
  return (e as Error).message.replace(/\s*\(os error \d+\).*$/s, "").replace(/:\s*'.*$/, "");
}

/**
 * Where a command's output goes: standard output (no path or `-`) or a
 * file, written to a temporary file beside it and renamed into place by
 * {@link commit}, so that the old file stays intact until the new one is
 * whole. Everything that can be checked before reading the input is checked
 * at {@link Destination.open}.
 */
export class Destination {
  /** Buffered writes to the temporary file or stdout. */
  readonly out: Output;
  /** Bytes handed on so far (what the output has grown to). */
  written = 0;
  #file: Deno.FsFile | null;
  #done = false;

  private constructor(
    readonly name: string,
    readonly target: string | null,
    readonly temp: string | null,
    file: Deno.FsFile | null,
  ) {
    this.#file = file;
    const put = file
      ? (b: Uint8Array) => file.writeSync(b)
      : (b: Uint8Array) => Deno.stdout.writeSync(b);
    this.out = new Output((b) => {
      let n: number;
      try {
        n = put(b);
      } catch (e) {
        if (e instanceof Deno.errors.BrokenPipe) throw e;
        throw new OutputError(`cannot write ${this.name}: ${reason(e)}`, 1);
      }
      this.written += n;
      return n;
    });
  }

  /** Whether the output is standard output. */
  get stdout(): boolean {
    return this.target === null;
  }

  /**
   * The output named by `-o` (relative to the user; undefined or `-` for
   * stdout), refused when it is one of `inputs`, a directory, a dangling
   * symlink, in a missing directory or not writable: OutputErrors.
   */
  static open(output: string | undefined, inputs: readonly string[]): Destination {
    if (output === undefined || output === "-") return new Destination("-", null, null, null);
    const name = output;
    let target = userPath(output);
    const link = statOrNull(target, false);
    if (link?.isSymlink) {
      // Write the file the link points to, and keep the link.
      try {
        target = Deno.realPathSync(target);
      } catch {
        const to = (() => {
          try {
            return Deno.readLinkSync(target);
          } catch {
            return "?";
          }
        })();
        throw new OutputError(`cannot write ${name}: dangling symbolic link (to ${to})`);
      }
    }
    const dir = dirname(target);
    const dirInfo = statOrNull(dir);
    if (!dirInfo) throw new OutputError(`cannot write ${name}: no such directory ${dir}`);
    if (!dirInfo.isDirectory) {
      throw new OutputError(`cannot write ${name}: ${dir} is not a directory`);
    }
    const info = statOrNull(target);
    if (info?.isDirectory) throw new OutputError(`cannot write ${name}: is a directory`);
    if (info) {
      for (const input of inputs) {
        if (input === "-") continue;
        const i = statOrNull(userPath(input));
        if (i && sameFile(i, info)) {
          throw new OutputError(`refusing to write ${name}: it is the input ${input}`);
        }
      }
      try {
        // Opened for writing without truncating: only asks whether we may.
        Deno.openSync(target, { write: true }).close();
      } catch (e) {
        throw new OutputError(`cannot write ${name}: ${reason(e)}`);
      }
    }
    const temp = `${dir}/.${basename(target)}.${Deno.pid}-${
      Math.random().toString(36).slice(2, 8)
    }.tmp`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(temp, { write: true, createNew: true, mode: info?.mode ?? 0o666 });
    } catch (e) {
      throw new OutputError(`cannot write ${name}: ${reason(e)}`);
    }
    return new Destination(name, target, temp, file);
  }

  /**
   * Runs `fn` with the output open: on success the output is complete
   * (renamed into place); if `fn` throws, the temporary file is removed and
   * the old file, if any, is left as it was.
   */
  static async with<T>(
    output: string | undefined,
    inputs: readonly string[],
    fn: (d: Destination) => T | Promise<T>,
  ): Promise<T> {
    const d = Destination.open(output, inputs);
    try {
      const r = await fn(d);
      d.commit();
      return r;
    } finally {
      d.abort();
    }
  }

  /** Flushes and, for a file, renames the temporary file onto the target. */
  commit(): void {
    if (this.#done) return;
    this.out.flush();
    this.#done = true;
    if (!this.#file) return;
    try {
      this.#file.close();
      this.#file = null;
      Deno.renameSync(this.temp!, this.target!);
    } catch (e) {
      this.#removeTemp();
      throw new OutputError(`cannot write ${this.name}: ${reason(e)}`, 1);
    }
  }

  /** Drops the temporary file (after a failure); nothing once committed. */
  abort(): void {
    if (this.#done) return;
    this.#done = true;
    this.#removeTemp();
  }

  #removeTemp(): void {
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
    if (this.temp) {
      try {
        Deno.removeSync(this.temp);
      } catch { /* already gone */ }
    }
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
